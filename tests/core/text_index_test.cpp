// The text-keyed index (core/text_index.hpp) against std::unordered_map: random inserts and
// look-ups of keys that share long prefixes (SUPIs, SUCIs), through growth, reserve and clear;
// and many keys that differ only in their last digits stay apart.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "sec5g/core/text_index.hpp"

namespace sec5g {
namespace {

struct keyed_entries {
  std::vector<std::string> keys;
  text_index index;
  auto key_of() const {
    return [this](std::uint32_t e) -> std::string_view { return keys[e]; };
  }
  std::pair<std::uint32_t, bool> add(const std::string& k) {
    auto r = index.try_emplace(k, static_cast<std::uint32_t>(keys.size()), key_of());
    if (r.second) keys.push_back(k);
    return r;
  }
};

TEST(text_index, agrees_with_unordered_map_under_random_inserts_lookups_and_clears) {
  std::mt19937_64 rng(11);
  keyed_entries t;
  std::unordered_map<std::string, std::uint32_t> ref;
  auto key = [&] { return "imsi-00101" + std::to_string(rng() % 5000); };
  for (int step = 0; step < 100'000; ++step) {
    const std::string k = key();
    if (rng() % 2 == 0) {
      const auto [e, inserted] = t.add(k);
      const auto [rit, rinserted] = ref.try_emplace(k, static_cast<std::uint32_t>(ref.size()));
      ASSERT_EQ(inserted, rinserted);
      ASSERT_EQ(e, rit->second);
      ASSERT_EQ(t.keys[e], k);
    } else {
      const std::uint32_t e = t.index.find(k, t.key_of());
      const auto rit = ref.find(k);
      ASSERT_EQ(e != text_index::npos, rit != ref.end());
      if (rit != ref.end()) {
        ASSERT_EQ(e, rit->second);
      }
    }
    ASSERT_EQ(t.index.size(), ref.size());
    if (step == 60'000) {
      t.index.clear();
      t.keys.clear();
      ref.clear();
      ASSERT_EQ(t.index.find("imsi-001010", t.key_of()), text_index::npos);
    }
  }
  EXPECT_GT(ref.size(), 3000U);
}

TEST(text_index, reserve_keeps_what_is_indexed_and_room_stops_growth) {
  keyed_entries t;
  for (int i = 0; i < 100; ++i) t.add("k" + std::to_string(i));
  t.index.reserve(10'000);
  const std::size_t bytes = t.index.capacity_bytes();
  EXPECT_GE(bytes, 20'000 * 8U);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(t.index.find("k" + std::to_string(i), t.key_of()), static_cast<std::uint32_t>(i));
  for (int i = 100; i < 10'000; ++i) t.add("k" + std::to_string(i));
  EXPECT_EQ(t.index.capacity_bytes(), bytes);
  EXPECT_EQ(t.index.size(), 10'000U);
  EXPECT_EQ(t.index.find("k10000", t.key_of()), text_index::npos);
}

TEST(text_index, many_keys_sharing_a_prefix_stay_apart) {
  // 50 000 SUCI-like keys that differ only in their last digits: long probe runs through every
  // growth, each key found at its own entry and inserted once.
  keyed_entries t;
  for (int i = 0; i < 50'000; ++i) ASSERT_TRUE(t.add("suci-0-001-01-" + std::to_string(i)).second);
  for (int i = 0; i < 50'000; ++i) {
    ASSERT_EQ(t.index.find("suci-0-001-01-" + std::to_string(i), t.key_of()),
              static_cast<std::uint32_t>(i));
    ASSERT_FALSE(t.add("suci-0-001-01-" + std::to_string(i)).second);
  }
  EXPECT_EQ(t.index.find("", t.key_of()), text_index::npos);
  EXPECT_EQ(t.index.find("suci-0-001-01-", t.key_of()), text_index::npos);
}

}  // namespace
}  // namespace sec5g
