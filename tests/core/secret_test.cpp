#include "sec5g/core/secret.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

namespace sec5g {
namespace {

TEST(Secret, PrintsRedacted) {
  const byte_array<16> raw{1, 2, 3};
  const key128 k{std::span<const std::uint8_t, 16>(raw)};
  std::ostringstream os;
  os << k;
  EXPECT_EQ(os.str(), "[redacted]");
}

TEST(Secret, MoveZeroizesSource) {
  byte_array<16> raw{};
  raw.fill(0xab);
  key128 a{std::span<const std::uint8_t, 16>(raw)};
  key128 b = std::move(a);
  for (auto byte : a.view()) EXPECT_EQ(byte, 0);  // NOLINT(bugprone-use-after-move)
  for (auto byte : b.view()) EXPECT_EQ(byte, 0xab);
}

TEST(Secret, ConstantTimeEqualityDetectsOneBit) {
  byte_array<8> x{1, 2, 3, 4, 5, 6, 7, 8};
  byte_array<8> y = x;
  EXPECT_TRUE(constant_time_equal(x, y));
  y[7] ^= 1;
  EXPECT_FALSE(constant_time_equal(x, y));
  EXPECT_FALSE(constant_time_equal(bytes_view(x).first(4), y));
}

/// A temporary file with `content`, removed at the end of the test.
struct temp_file {
  std::filesystem::path path;
  explicit temp_file(const std::string& content, const char* name) {
    path = std::filesystem::temp_directory_path() /
           (std::string(name) + "." + std::to_string(::getpid()));
    std::ofstream(path, std::ios::binary) << content;
  }
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

std::string as_text(const secret_buffer& b) {
  return {reinterpret_cast<const char*>(b.view().data()), b.size()};
}

TEST(SecretBuffer, TruncateKeepsThePrefix) {
  const std::uint8_t octets[] = {1, 2, 3, 4, 5};
  secret_buffer b{bytes_view(octets)};
  b.truncate(9);  // longer than the buffer: nothing changes
  ASSERT_EQ(b.size(), 5u);
  b.truncate(2);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.view()[0], 1);
  EXPECT_EQ(b.view()[1], 2);
  b.truncate(0);
  EXPECT_EQ(b.size(), 0u);
}

TEST(ReadSecretFile, ReadsTheWholeFile) {
  std::string content;
  for (int i = 0; i < 5000; ++i) content += "imsi-00101" + std::to_string(i) + ",00112233\n";
  const temp_file f(content, "sec5g_read_secret_file_whole");
  auto r = read_secret_file(f.path.string(), content.size());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(as_text(*r), content);
}

TEST(ReadSecretFile, EmptyFileIsEmpty) {
  const temp_file f("", "sec5g_read_secret_file_empty");
  auto r = read_secret_file(f.path.string(), 10);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->size(), 0u);
}

TEST(ReadSecretFile, LargerThanTheBoundIsEfbig) {
  const temp_file f(std::string(101, 'x'), "sec5g_read_secret_file_big");
  auto r = read_secret_file(f.path.string(), 100);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), EFBIG);
  EXPECT_TRUE(read_secret_file(f.path.string(), 101).has_value());
}

TEST(ReadSecretFile, MissingFileAndDirectoryAreErrors) {
  auto missing = read_secret_file("/nonexistent/sec5g/key.csv", 100);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error(), ENOENT);
  auto dir = read_secret_file(std::filesystem::temp_directory_path().string(), 100);
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error(), EISDIR);
}

TEST(ReadSecretFile, FileWithoutASizeGrowsItsBuffer) {
  // A FIFO reports no size: the buffer starts small and grows (the old one zeroized).
  const auto path = std::filesystem::temp_directory_path() /
                    ("sec5g_read_secret_file_fifo." + std::to_string(::getpid()));
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::string content(20000, 'k');
  for (std::size_t i = 0; i < content.size(); i += 7) content[i] = static_cast<char>('a' + i % 26);
  std::thread writer([&] { std::ofstream(path, std::ios::binary) << content; });
  auto r = read_secret_file(path.string(), 1 << 20);
  writer.join();
  std::filesystem::remove(path);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(as_text(*r), content);
}

}  // namespace
}  // namespace sec5g
