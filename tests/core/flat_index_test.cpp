// The open-addressing id index (core/flat_index.hpp) against std::unordered_map under random operations
// (clustered keys, as RAN-UE-NGAP-IDs are, and erasures inside probe runs).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

#include "sec5g/core/flat_index.hpp"

namespace sec5g {
namespace {

TEST(flat_index, agrees_with_unordered_map_under_random_inserts_lookups_and_erasures) {
  std::mt19937_64 rng(7);
  flat_index idx;
  std::unordered_map<std::uint64_t, std::uint32_t> ref;
  // Few distinct keys (0..2999 on two "associations") so that lookups hit, erasures land in
  // the middle of probe runs, and the table grows and keeps reusing positions.
  auto key = [&] { return (std::uint64_t{rng() % 2} << 32) | (rng() % 3000); };
  for (std::uint32_t step = 0; step < 200'000; ++step) {
    const std::uint64_t k = key();
    switch (rng() % 3) {
      case 0: {
        auto [it, inserted] = idx.try_emplace(k, step);
        auto [rit, rinserted] = ref.try_emplace(k, step);
        ASSERT_EQ(inserted, rinserted);
        ASSERT_EQ(it->first, k);
        ASSERT_EQ(it->second, rit->second);
        break;
      }
      case 1: {
        auto it = idx.find(k);
        auto rit = ref.find(k);
        ASSERT_EQ(it != idx.end(), rit != ref.end());
        if (rit != ref.end()) {
          ASSERT_EQ(it->second, rit->second);
        }
        break;
      }
      default: {
        auto it = idx.find(k);
        auto rit = ref.find(k);
        ASSERT_EQ(it != idx.end(), rit != ref.end());
        if (it != idx.end()) {
          idx.erase(it);
          ref.erase(rit);
        }
        break;
      }
    }
    ASSERT_EQ(idx.size(), ref.size());
  }
  // Every key of the reference is still found with its value; nothing else is.
  for (const auto& [k, v] : ref) {
    auto it = idx.find(k);
    ASSERT_NE(it, idx.end());
    EXPECT_EQ(it->second, v);
  }
  std::size_t found = 0;
  for (std::uint64_t a = 0; a < 2; ++a)
    for (std::uint64_t r = 0; r < 3000; ++r) found += idx.find((a << 32) | r) != idx.end();
  EXPECT_EQ(found, ref.size());
}

TEST(flat_index, values_can_be_updated_through_the_iterator_and_the_table_stays_bounded) {
  flat_index idx;
  for (std::uint32_t i = 0; i < 1000; ++i) idx.try_emplace(i, i);
  auto it = idx.find(500);
  ASSERT_NE(it, idx.end());
  it->second = 7;
  EXPECT_EQ(idx.find(500)->second, 7u);
  const std::size_t bytes = idx.capacity_bytes();
  // Churn: as many erasures as insertions never grows the table.
  for (std::uint32_t i = 1000; i < 100'000; ++i) {
    idx.erase(idx.find(i - 1000));
    idx.try_emplace(i, i);
  }
  EXPECT_EQ(idx.size(), 1000u);
  EXPECT_EQ(idx.capacity_bytes(), bytes);
  EXPECT_LE(bytes, 1000u * 2 * 2 * sizeof(flat_index::entry));
}

}  // namespace
}  // namespace sec5g
