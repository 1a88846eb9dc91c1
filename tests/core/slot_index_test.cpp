// The record-keyed id index (core/slot_index.hpp) against std::unordered_map under random
// operations, with "records" that hold their keys as the tracker's do.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

#include "sec5g/core/slot_index.hpp"

namespace sec5g {
namespace {

struct keys_of_records {
  const std::vector<std::uint64_t>* keys;
  std::uint64_t operator()(std::uint32_t s) const noexcept { return (*keys)[s]; }
};
using index_t = slot_index<keys_of_records>;

TEST(slot_index, agrees_with_unordered_map_under_random_inserts_repoints_and_erasures) {
  std::mt19937_64 rng(11);
  constexpr std::uint32_t slots = 4000;
  // The records: the key each slot is indexed under (meaningful while an entry points at it).
  std::vector<std::uint64_t> rec(slots, 0);
  index_t idx{keys_of_records{&rec}};
  std::unordered_map<std::uint64_t, std::uint32_t> ref;  // key -> slot
  std::unordered_map<std::uint32_t, std::uint64_t> owner;  // slot -> key it is indexed under
  // Clustered keys on two "associations", as (association, RAN-UE-NGAP-ID) keys are.
  auto key = [&] { return (std::uint64_t{rng() % 2} << 32) | (rng() % 3000); };
  for (std::uint32_t step = 0; step < 200'000; ++step) {
    const std::uint64_t k = key();
    switch (rng() % 4) {
      case 0: {  // index slot s under k (the tracker's index_conn: unindex s, then insert)
        const auto s = static_cast<std::uint32_t>(rng() % slots);
        // Half the time the old entry's erasure is put off until after the insertion
        // (erase_stale, as for a returning UE's former ids): the record holds k meanwhile.
        const bool defer = rng() % 2 == 0;
        bool stale = false;
        std::uint64_t old = 0;
        if (auto o = owner.find(s); o != owner.end()) {
          old = o->second;
          if (defer) {
            stale = true;
          } else {
            auto it = idx.find(old);
            ASSERT_NE(it, idx.end());
            ASSERT_EQ(it->slot, s);
            idx.erase(it);
          }
          ref.erase(old);
          owner.erase(o);
        }
        rec[s] = k;
        auto [it, inserted] = idx.try_emplace(k, s);
        auto rit = ref.find(k);
        // Re-indexed under its old key, s finds its own stale entry again.
        ASSERT_EQ(inserted, rit == ref.end() && !(stale && old == k));
        if (!inserted && it->slot != s) {  // another slot held k: re-point the entry to s
          ASSERT_NE(rit, ref.end());
          ASSERT_EQ(it->slot, rit->second);
          owner.erase(it->slot);
          it->slot = s;
        }
        ref[k] = s;
        owner[s] = k;
        if (stale) idx.erase_stale(old, s, true);
        break;
      }
      case 1:
      case 2: {
        idx.prefetch(k);  // a hint only: the lookup's answer must not change
        auto it = idx.find(k);
        auto rit = ref.find(k);
        ASSERT_EQ(it != idx.end(), rit != ref.end());
        if (rit != ref.end()) {
          ASSERT_EQ(it->slot, rit->second);
        }
        break;
      }
      default: {
        auto it = idx.find(k);
        auto rit = ref.find(k);
        ASSERT_EQ(it != idx.end(), rit != ref.end());
        if (it != idx.end()) {
          owner.erase(it->slot);
          idx.erase(it);
          ref.erase(rit);
        }
        break;
      }
    }
    ASSERT_EQ(idx.size(), ref.size());
  }
  std::size_t found = 0;
  for (std::uint64_t a = 0; a < 2; ++a) {
    for (std::uint64_t r = 0; r < 3000; ++r) {
      auto it = idx.find((a << 32) | r);
      auto rit = ref.find((a << 32) | r);
      ASSERT_EQ(it != idx.end(), rit != ref.end());
      if (it != idx.end()) {
        EXPECT_EQ(it->slot, rit->second);
        ++found;
      }
    }
  }
  EXPECT_EQ(found, ref.size());
}

TEST(slot_index, a_lookup_is_confirmed_by_the_key_the_record_holds) {
  std::vector<std::uint64_t> rec(8, 0);
  index_t idx{keys_of_records{&rec}};
  rec[5] = 0x1234;
  ASSERT_TRUE(idx.try_emplace(0x1234, 5).second);
  ASSERT_NE(idx.find(0x1234), idx.end());
  // Entries keep only hash bits: the answer comes from the record. A record that no longer
  // holds the key (the invariant broken on purpose) is not returned for it.
  rec[5] = 0x9999;
  EXPECT_EQ(idx.find(0x1234), idx.end());
  EXPECT_EQ(idx.find(0x9999), idx.end());  // different hash bits: not at this entry either
  rec[5] = 0x1234;
  EXPECT_NE(idx.find(0x1234), idx.end());
}

TEST(slot_index, a_stale_entry_is_erased_by_its_slot_unless_the_record_holds_its_key_again) {
  std::vector<std::uint64_t> rec(4, 0);
  index_t idx{keys_of_records{&rec}};
  rec[1] = 100;
  rec[2] = 200;
  ASSERT_TRUE(idx.try_emplace(100, 1).second);
  ASSERT_TRUE(idx.try_emplace(200, 2).second);
  // Slot 1 moves to key 101 with its entry for 100 left behind: a lookup of 100 no longer
  // sees it (the record holds 101), and erase_stale finds it by slot.
  rec[1] = 101;
  ASSERT_TRUE(idx.try_emplace(101, 1).second);
  EXPECT_EQ(idx.find(100), idx.end());
  EXPECT_EQ(idx.size(), 3u);
  idx.erase_stale(100, 1, true);
  EXPECT_EQ(idx.size(), 2u);
  EXPECT_EQ(idx.find(101)->slot, 1u);
  EXPECT_EQ(idx.find(200)->slot, 2u);
  // Back under its old key before the erasure: the entry serves it, and stays.
  rec[2] = 200;
  idx.erase_stale(200, 2, true);
  EXPECT_EQ(idx.find(200)->slot, 2u);
  // Not indexed any more (the record keeps the key, as the tracker's do): erased.
  idx.erase_stale(200, 2, false);
  EXPECT_EQ(idx.find(200), idx.end());
  // Another slot took the key over meanwhile: its entry is not the stale one.
  rec[3] = 101;
  idx.find(101)->slot = 3;
  idx.erase_stale(101, 1, false);
  EXPECT_EQ(idx.find(101)->slot, 3u);
  idx.erase_stale(7, 0, false);  // nothing there: nothing happens
  EXPECT_EQ(idx.size(), 1u);
}

TEST(slot_index, churn_keeps_the_table_bounded_at_eight_octets_per_entry) {
  std::vector<std::uint64_t> rec(1000, 0);
  index_t idx{keys_of_records{&rec}};
  for (std::uint32_t i = 0; i < 1000; ++i) {
    rec[i] = i;
    idx.try_emplace(i, i);
  }
  const std::size_t bytes = idx.capacity_bytes();
  EXPECT_EQ(sizeof(index_t::entry), 8u);
  // Load <= 3/4: at most 2 * 4/3 entries per key after the last doubling.
  EXPECT_LE(bytes, 1000u * 8 * 8 / 3);
  for (std::uint32_t i = 1000; i < 100'000; ++i) {
    const std::uint32_t s = i % 1000;
    idx.erase(idx.find(rec[s]));
    rec[s] = i;
    idx.try_emplace(i, s);
  }
  EXPECT_EQ(idx.size(), 1000u);
  EXPECT_EQ(idx.capacity_bytes(), bytes);
  for (std::uint32_t s = 0; s < 1000; ++s) {
    auto it = idx.find(rec[s]);
    ASSERT_NE(it, idx.end());
    EXPECT_EQ(it->slot, s);
  }
}

TEST(slot_index, prefetch_is_harmless_on_an_empty_or_emptied_table) {
  std::vector<std::uint64_t> rec(2, 0);
  index_t idx{keys_of_records{&rec}};
  idx.prefetch(42);  // no table allocated yet
  EXPECT_EQ(idx.find(42), idx.end());
  rec[1] = 42;
  ASSERT_TRUE(idx.try_emplace(42, 1).second);
  idx.erase(idx.find(42));
  idx.prefetch(42);
  EXPECT_EQ(idx.find(42), idx.end());
  EXPECT_EQ(idx.size(), 0u);
}

TEST(slot_index, the_empty_marker_is_not_a_slot) {
  std::vector<std::uint64_t> rec(1, 0);
  index_t idx{keys_of_records{&rec}};
  EXPECT_THROW(idx.try_emplace(1, index_t::no_slot), std::invalid_argument);
  EXPECT_EQ(idx.size(), 0u);
}

}  // namespace
}  // namespace sec5g
