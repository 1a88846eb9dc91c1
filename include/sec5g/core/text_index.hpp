#pragma once
/// An index of entry numbers by text key, for tables that keep their entries, keys included, in
/// a vector of their own: the subscriber key table (SUPI -> subscriber) and the rules engine's
/// per-subscriber tables (SUPI / SUCI -> state). Open addressing (linear probing, load <= 1/2)
/// over 8-octet slots holding a 32-bit hash and the entry number: a look-up touches the slot
/// run and, when a hash matches, one entry; a node-based std::unordered_map<std::string, ...>
/// costs a node and a key allocation per entry (a SUPI is longer than the small-string buffer)
/// and several dependent cache misses per look-up.
///
/// The keys come from untrusted input: the hash is seeded once per process
/// (core/seeded_hash.hpp). Nothing iterates the index, so the seed cannot change any output.
/// Entries are only added (or all cleared): what the two tables need.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "sec5g/core/seeded_hash.hpp"

namespace sec5g {

class text_index {
 public:
  static constexpr std::uint32_t npos = 0xffffffffU;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Octets held by the index.
  [[nodiscard]] std::size_t capacity_bytes() const noexcept {
    return slots_.capacity() * sizeof(slot);
  }

  /// Room for `n` keys without growing.
  void reserve(std::size_t n) {
    std::size_t want = 64;
    while (want < 2 * n) want *= 2;
    if (want > slots_.size()) rebuild(want);
  }

  void clear() noexcept {
    std::fill(slots_.begin(), slots_.end(), slot{});
    size_ = 0;
  }

  /// The entry number of `key`, or npos. `key_of(e)` is the key of entry `e`.
  template <class KeyOf>
  [[nodiscard]] std::uint32_t find(std::string_view key, KeyOf&& key_of) const noexcept {
    if (size_ == 0) return npos;
    const std::size_t i = probe(key, hash(key), key_of);
    return slots_[i].entry == 0 ? npos : slots_[i].entry - 1;
  }

  /// Indexes `key` as entry `e` unless the key is present: returns the entry number that has
  /// the key and whether `e` was inserted. `key_of` is asked only for entries already indexed.
  template <class KeyOf>
  std::pair<std::uint32_t, bool> try_emplace(std::string_view key, std::uint32_t e,
                                             KeyOf&& key_of) {
    if (2 * (size_ + 1) > slots_.size()) rebuild(slots_.empty() ? 64 : 2 * slots_.size());
    const std::uint32_t h = hash(key);
    const std::size_t i = probe(key, h, key_of);
    if (slots_[i].entry != 0) return {slots_[i].entry - 1, false};
    slots_[i] = slot{h, e + 1};
    ++size_;
    return {e, true};
  }

 private:
  struct slot {
    std::uint32_t hash = 0;
    std::uint32_t entry = 0;  ///< entry number + 1; 0 = empty
  };
  /// The slot holding `key` (hash `h`), or the empty slot that ends its run. The table is never
  /// full (load <= 1/2), so a run always ends.
  template <class KeyOf>
  [[nodiscard]] std::size_t probe(std::string_view key, std::uint32_t h,
                                  KeyOf& key_of) const noexcept {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const slot& s = slots_[i];
      if (s.entry == 0 || (s.hash == h && key_of(s.entry - 1) == key)) return i;
    }
  }
  static std::uint32_t hash(std::string_view key) noexcept {
    const std::uint64_t h = seeded_hash(key);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }
  void rebuild(std::size_t n) {
    std::vector<slot> old = std::move(slots_);
    slots_.assign(n, slot{});
    mask_ = n - 1;
    for (const slot& s : old) {
      if (s.entry == 0) continue;
      std::size_t i = s.hash & mask_;
      while (slots_[i].entry != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<slot> slots_;  ///< power of two
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace sec5g
