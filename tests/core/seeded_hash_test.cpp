// core/seeded_hash.hpp: the hash of tables keyed by untrusted data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sec5g/core/seeded_hash.hpp"

namespace sec5g {
namespace {

struct seeded_u64_hash {
  std::size_t operator()(std::uint64_t k) const noexcept {
    return static_cast<std::size_t>(seeded_hash(k));
  }
};

template <class Set>
std::size_t largest_bucket(const Set& s) {
  std::size_t m = 0;
  for (std::size_t b = 0; b < s.bucket_count(); ++b)
    m = std::max(m, s.bucket_size(b));
  return m;
}

TEST(SeededHash, IsStableWithinTheProcess) {
  EXPECT_EQ(process_hash_seed(), process_hash_seed());
  EXPECT_EQ(seeded_hash(std::uint64_t{42}), seeded_hash(std::uint64_t{42}));
  EXPECT_EQ(seeded_hash(std::string_view("imsi-001010000000001")),
            seeded_hash(std::string_view("imsi-001010000000001")));
  EXPECT_EQ(seeded_string_hash{}(std::string("x")), seeded_string_hash{}(std::string_view("x")));
}

TEST(SeededHash, FinalizerMatchesMurmurHash3) {
  // fmix64 of MurmurHash3 (x64): 0 stays 0; the constants give these known values.
  EXPECT_EQ(fmix64(0), 0u);
  EXPECT_EQ(fmix64(1), 0xb456bcfc34c2cb2cULL);
}

TEST(SeededHash, TheSeedEntersTheHash) {
  // Without the seed the hash of 0 would be fmix64(0) = 0 for every process.
  EXPECT_EQ(seeded_hash(std::uint64_t{0}), fmix64(process_hash_seed()));
  EXPECT_NE(seeded_hash(std::string_view("")), seeded_hash(std::string_view("a")));
  // Octets after the last full word count, and so does the length.
  EXPECT_NE(seeded_hash(std::string_view("123456789")), seeded_hash(std::string_view("123456780")));
  EXPECT_NE(seeded_hash(std::string_view("abc")), seeded_hash(std::string_view("abc\0", 4)));
}

// Keys crafted for the identity hash of std::hash<integer> (multiples of the bucket count, as
// an attacker could choose SCTP verification tags) all share one bucket there; seeded they
// spread.
TEST(SeededHash, KeysThatShareABucketUnderStdHashSpreadOut) {
  std::unordered_set<std::uint64_t> plain;
  plain.reserve(4096);
  const std::size_t buckets = plain.bucket_count();
  for (std::uint64_t i = 0; i < 4096; ++i)
    plain.insert(i * buckets);
  ASSERT_EQ(plain.bucket_count(), buckets);
  EXPECT_EQ(largest_bucket(plain), 4096u); // what the crafted keys do to std::hash

  std::unordered_set<std::uint64_t, seeded_u64_hash> seeded;
  seeded.reserve(4096);
  for (std::uint64_t i = 0; i < 4096; ++i)
    seeded.insert(i * seeded.bucket_count());
  EXPECT_LE(largest_bucket(seeded), 16u);
}

TEST(SeededHash, StringKeysSpreadOut) {
  std::unordered_map<std::string, int, seeded_string_hash, std::equal_to<>> m;
  for (int i = 0; i < 20000; ++i)
    m.emplace("suci-0-001-01-0000-1-1-" + std::to_string(i), i);
  EXPECT_LE(largest_bucket(m), 16u);
  // Transparent look-up by string_view.
  const auto it = m.find(std::string_view("suci-0-001-01-0000-1-1-777"));
  ASSERT_NE(it, m.end());
  EXPECT_EQ(it->second, 777);
}

} // namespace
} // namespace sec5g
