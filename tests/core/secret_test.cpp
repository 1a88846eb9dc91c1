#include "sec5g/core/secret.hpp"

#include <gtest/gtest.h>

#include <sstream>

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

}  // namespace
}  // namespace sec5g
