#pragma once
/// A 64-bit key -> 32-bit value index for keys read from untrusted input: the tracker's id
/// lookups ((association, RAN-UE-NGAP-ID), AMF-UE-NGAP-ID, 5G-TMSI, handover containers and
/// aliases -> record slot) and `sec5g decipher`'s remembered chunks. An open-addressing hash
/// table (linear probing, backward-shift deletion, load <= 1/2) of 16-octet entries. One probe
/// sequence of adjacent entries instead of a node per key: the lookups of every NGAP message
/// cost a cache line, not a pointer chase, and an entry takes 32 octets of table at the worst
/// load instead of ~40 for a std::unordered_map node + bucket.
///
/// The keys come from the capture (untrusted): the hash is seeded once per process
/// (core/seeded_hash.hpp) so that crafted ids cannot be made to collide (no quadratic probing
/// storms). Nothing iterates the table, so the seed cannot change any output.
///
/// The interface is a subset of std::unordered_map: find / end / erase by iterator /
/// try_emplace / size / clear; an iterator is a pointer to the entry (`first`, `second`), valid
/// until the next insertion or erasure.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sec5g/core/seeded_hash.hpp"

namespace sec5g {

namespace detail {
// The open-addressing mechanics shared by flat_index and slot_index (linear probing, capacity
// a power of two, mask = capacity - 1). An entry type E is empty when value-initialized and
// says whether it is in use with `probe_used(e)`; `home(e)` is the home position of a used
// entry's key (any bits above the mask are ignored).

/// Erases the entry at `hole` by backward shift: later entries of the probe run move into the
/// hole when their home position allows it, so that no tombstones are needed.
template <class E, class Home>
void probe_erase(std::vector<E>& table, std::size_t mask, std::size_t hole, Home home) noexcept {
  for (std::size_t j = (hole + 1) & mask; probe_used(table[j]); j = (j + 1) & mask) {
    const std::size_t h = home(table[j]) & mask;
    // j may move to `hole` iff h is not cyclically in (hole, j].
    const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
    if (stays) continue;
    table[hole] = table[j];
    hole = j;
  }
  table[hole] = E{};
}

/// Doubles the table (64 entries at first) and re-inserts every used entry.
template <class E, class Home>
void probe_grow(std::vector<E>& table, std::size_t& mask, Home home) {
  std::vector<E> old = std::move(table);
  const std::size_t n = old.empty() ? 64 : old.size() * 2;
  table.assign(n, E{});
  mask = n - 1;
  for (const E& e : old) {
    if (!probe_used(e)) continue;
    std::size_t i = home(e) & mask;
    while (probe_used(table[i])) i = (i + 1) & mask;
    table[i] = e;
  }
}
}  // namespace detail

class flat_index {
 public:
  struct entry {
    std::uint64_t first = 0;
    std::uint32_t second = 0;
    std::uint32_t used = 0;
    friend bool probe_used(const entry& e) noexcept { return e.used != 0; }
  };
  using iterator = entry*;

  flat_index() : seed_(process_hash_seed()) {}

  [[nodiscard]] iterator end() const noexcept { return nullptr; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Octets held by the table.
  [[nodiscard]] std::size_t capacity_bytes() const noexcept {
    return table_.capacity() * sizeof(entry);
  }

  [[nodiscard]] iterator find(std::uint64_t key) noexcept {
    if (size_ == 0) return nullptr;
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      entry& e = table_[i];
      if (!e.used) return nullptr;
      if (e.first == key) return &e;
    }
  }

  /// Inserts (key, value) unless the key is present; returns the entry and whether it was
  /// inserted.
  std::pair<iterator, bool> try_emplace(std::uint64_t key, std::uint32_t value) {
    if (iterator it = find(key)) return {it, false};
    if ((size_ + 1) * 2 > table_.size()) grow();
    std::size_t i = home(key);
    while (table_[i].used) i = (i + 1) & mask_;
    table_[i] = entry{key, value, 1};
    ++size_;
    return {&table_[i], true};
  }

  /// Erases every entry (the table keeps its size).
  void clear() noexcept {
    std::fill(table_.begin(), table_.end(), entry{});
    size_ = 0;
  }

  /// Erases the entry `it` points at (from find or try_emplace).
  void erase(iterator it) noexcept {
    detail::probe_erase(table_, mask_, static_cast<std::size_t>(it - table_.data()),
                        [this](const entry& e) noexcept { return home(e.first); });
    --size_;
  }

 private:
  /// The seeded key's home slot (core/seeded_hash.hpp; the seed is kept here to save the
  /// static's guard per probe).
  [[nodiscard]] std::size_t home(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>(fmix64(key ^ seed_)) & mask_;
  }
  void grow() {
    detail::probe_grow(table_, mask_, [this](const entry& e) noexcept { return home(e.first); });
  }

  std::vector<entry> table_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::uint64_t seed_;
};

}  // namespace sec5g
