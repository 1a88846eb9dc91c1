#pragma once
/// A 64-bit key -> 32-bit value index for keys read from untrusted input, holding the keys
/// itself: the tracker's handover containers and former ids -> record slot, the rules' last
/// RAND per UE, `sec5g decipher`'s remembered chunks. (Where the records hold their keys, as
/// for the tracker's per-message id lookups, core/slot_index.hpp takes half the table.) An
/// open-addressing hash table (linear probing, backward-shift deletion, load <= 1/2) of
/// 16-octet entries. One probe sequence of adjacent entries instead of a node per key: a lookup
/// costs a cache line, not a pointer chase, and an entry takes 32 octets of table at the worst
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
/// The open-addressing table shared by flat_index and slot_index: linear probing over a power
/// of two of entries E, backward-shift deletion. E is empty when value-initialized and says
/// whether it is in use with `probe_used(e)`; the derived index knows its keys and passes
/// `home(e)`, the home position of a used entry's key (bits above the mask are ignored).
template <class E>
class probe_table {
 public:
  using entry = E;
  using iterator = E*;

  [[nodiscard]] iterator end() const noexcept { return nullptr; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Octets held by the table.
  [[nodiscard]] std::size_t capacity_bytes() const noexcept {
    return table_.capacity() * sizeof(E);
  }
  /// Erases every entry (the table keeps its size).
  void clear() noexcept {
    std::fill(table_.begin(), table_.end(), E{});
    size_ = 0;
  }

 protected:
  /// The key mixed with the process's seed (core/seeded_hash.hpp; the seed is kept here to
  /// save the static's guard per probe): the derived index takes its positions from it.
  [[nodiscard]] std::uint64_t seeded(std::uint64_t key) const noexcept {
    return fmix64(key ^ seed_);
  }
  /// Erases the entry `it` by backward shift: later entries of the probe run move into the
  /// hole when their home position allows it, so that no tombstones are needed.
  template <class Home>
  void erase_at(iterator it, Home home) noexcept {
    std::size_t hole = static_cast<std::size_t>(it - table_.data());
    for (std::size_t j = (hole + 1) & mask_; probe_used(table_[j]); j = (j + 1) & mask_) {
      const std::size_t h = home(table_[j]) & mask_;
      // j may move to `hole` iff h is not cyclically in (hole, j].
      const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (stays) continue;
      table_[hole] = table_[j];
      hole = j;
    }
    table_[hole] = E{};
    --size_;
  }
  /// Stores `e` at the first free position from `home` on (there is one: the caller grew the
  /// table first).
  iterator insert_at(std::size_t home, const E& e) noexcept {
    std::size_t i = home & mask_;
    while (probe_used(table_[i])) i = (i + 1) & mask_;
    table_[i] = e;
    ++size_;
    return &table_[i];
  }
  /// Doubles the table (64 entries at first) and re-inserts every used entry.
  template <class Home>
  void grow(Home home) {
    std::vector<E> old = std::move(table_);
    const std::size_t n = old.empty() ? 64 : old.size() * 2;
    table_.assign(n, E{});
    mask_ = n - 1;
    for (const E& e : old) {
      if (!probe_used(e)) continue;
      std::size_t i = home(e) & mask_;
      while (probe_used(table_[i])) i = (i + 1) & mask_;
      table_[i] = e;
    }
  }

  std::vector<E> table_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::uint64_t seed_ = process_hash_seed();
};

/// flat_index's entry: the key, the value and whether the position is used.
struct flat_entry {
  std::uint64_t first = 0;
  std::uint32_t second = 0;
  std::uint32_t used = 0;
  friend bool probe_used(const flat_entry& e) noexcept { return e.used != 0; }
};
}  // namespace detail

class flat_index : public detail::probe_table<detail::flat_entry> {
 public:
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
    if ((size_ + 1) * 2 > table_.size()) grow(key_home{this});
    return {insert_at(home(key), entry{key, value, 1}), true};
  }

  /// Erases the entry `it` points at (from find or try_emplace).
  void erase(iterator it) noexcept { erase_at(it, key_home{this}); }

 private:
  /// The seeded key's home slot.
  [[nodiscard]] std::size_t home(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>(seeded(key)) & mask_;
  }
  /// An entry's home slot, for the table's erasure and growth.
  struct key_home {
    const flat_index* self;
    std::size_t operator()(const entry& e) const noexcept { return self->home(e.first); }
  };
};

}  // namespace sec5g
