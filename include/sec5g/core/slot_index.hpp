#pragma once
/// A 64-bit key -> record slot index for tables whose records hold their own key: the
/// tracker's (association, RAN-UE-NGAP-ID), AMF-UE-NGAP-ID and 5G-TMSI lookups. Same probing as
/// flat_index (linear, backward-shift deletion; core/flat_index.hpp), but an entry is 8 octets:
/// the low 32 bits of the key's seeded hash and the slot. A lookup confirms a candidate whose
/// hash bits match by reading the key back from the record (`KeyOf`), which the caller reads
/// next anyway. With 20 000 UEs the three tables of 16-octet entries at load <= 1/2 took 1 MiB
/// each; these take 256 KiB at load <= 3/4, and stay in the L2 cache far more often
/// (docs/performance/audit.md).
///
/// `KeyOf` is a callable `std::uint64_t(std::uint32_t slot)`: the key the record at `slot` is
/// indexed under. The caller keeps the invariant that every entry's record holds that entry's
/// key while the entry exists (it erases or re-points the entry before the record's key
/// changes); then a lookup is exact, whatever the hash bits. One exception, erase_stale: an
/// entry may outlive its key in the record for a while (its erasure put off until its table
/// line has arrived), as long as no lookup of the old key can run in between, or the record
/// holds the old key still (then the entry is found, and serves it again).
///
/// The keys come from the capture (untrusted): the hash is seeded once per process
/// (core/seeded_hash.hpp). Nothing iterates the table, so the seed cannot change any output.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include "sec5g/core/flat_index.hpp"

namespace sec5g {

namespace detail {
/// slot_index's entry: low 32 bits of the key's seeded hash and the record slot.
struct slot_entry {
  static constexpr std::uint32_t no_slot = 0xffffffffu;
  std::uint32_t hash = 0;
  std::uint32_t slot = no_slot;  ///< no_slot: empty
  friend bool probe_used(const slot_entry& e) noexcept { return e.slot != no_slot; }
};
}  // namespace detail

template <class KeyOf>
class slot_index : public detail::probe_table<detail::slot_entry> {
 public:
  static constexpr std::uint32_t no_slot = entry::no_slot;

  explicit slot_index(KeyOf key_of) : key_of_(std::move(key_of)) {}

  /// The entry of `key` (its `slot` may be re-pointed through the iterator, to a record that
  /// holds the same key), or end().
  [[nodiscard]] iterator find(std::uint64_t key) noexcept {
    if (this->size_ == 0) return nullptr;
    const std::uint32_t h = hash(key);
    for (std::size_t i = h & this->mask_;; i = (i + 1) & this->mask_) {
      entry& e = this->table_[i];
      if (e.slot == no_slot) return nullptr;
      if (e.hash == h && key_of_(e.slot) == key) return &e;
    }
  }

  /// Starts loading the table line where `key`'s probe begins, so that a find, insertion or
  /// erasure of it soon after does not wait for it alone: the tracker issues the look-ups of
  /// a returning UE's independent keys together, and their cache misses then overlap.
  void prefetch(std::uint64_t key) const noexcept {
    if (this->table_.empty()) return;
    __builtin_prefetch(&this->table_[hash(key) & this->mask_]);
  }

  /// Inserts (key, slot) unless the key is present; returns the entry and whether it was
  /// inserted. The record at `slot` must hold `key` (KeyOf) from now on.
  std::pair<iterator, bool> try_emplace(std::uint64_t key, std::uint32_t slot) {
    if (iterator it = find(key)) return {it, false};
    if (slot == no_slot) throw std::invalid_argument("slot_index: slot out of range");
    // Grow at load 3/4. The table's positions are the low bits of the stored 32-bit hash, so
    // it cannot exceed 2^32 entries (far above any UE table: tracker_options::max_ues).
    if ((this->size_ + 1) * 4 > this->table_.size() * 3) {
      if (this->table_.size() >= (std::size_t{1} << 31))
        throw std::length_error("slot_index: full");
      this->grow(stored_home);
    }
    const std::uint32_t h = hash(key);
    return {this->insert_at(h, entry{h, slot}), true};
  }

  /// Erases the entry `it` points at (from find or try_emplace).
  void erase(iterator it) noexcept { this->erase_at(it, stored_home); }

  /// Erases the entry of `key` that points at `slot`, found by the hash bits and the slot
  /// alone (the record may hold another key by now), unless the record is `indexed` under a
  /// key with the same hash bits (then that entry serves the record's key: a lookup would have
  /// found it). For an erasure put off until the entry's table line, prefetched, has arrived.
  void erase_stale(std::uint64_t key, std::uint32_t slot, bool indexed) noexcept {
    if (this->size_ == 0) return;
    const std::uint32_t h = hash(key);
    if (indexed && hash(key_of_(slot)) == h) return;
    for (std::size_t i = h & this->mask_;; i = (i + 1) & this->mask_) {
      entry& e = this->table_[i];
      if (e.slot == no_slot) return;
      if (e.hash == h && e.slot == slot) return erase(&e);
    }
  }

 private:
  [[nodiscard]] std::uint32_t hash(std::uint64_t key) const noexcept {
    return static_cast<std::uint32_t>(this->seeded(key));
  }
  static std::size_t stored_home(const entry& e) noexcept { return e.hash; }

  KeyOf key_of_;
};

}  // namespace sec5g
