#pragma once
/// SUCI de-concealment ahead of the tracker: a thread-safe cache of SUCI -> SUPI results that
/// other threads fill while the tracker works on earlier messages (the ECIES public-key
/// operation, ~30-40 us per SUCI, is the largest per-UE cost of an audit with a home network
/// key; ~6 us per SUCI when eight are de-concealed together, see sidf::deconceal_batch).
///
/// Protocol: a producer (the capture reader) submit()s every SUCI it sees in a message, tagged
/// with the message's sequence number; worker threads call work_one() to de-conceal up to eight
/// pending SUCIs, the newest; the tracker's deconceal() takes a finished result, or claims a pending SUCI and
/// de-conceals it itself together with up to seven other pending ones of the next messages
/// (the ones it reaches next; no thread waits for work it could do), or waits for a SUCI another thread is
/// de-concealing. retire() drops the entries of messages the tracker has passed.
///
/// Results equal sidf::deconceal() of the same SUCI (a pure function of the SUCI and the key
/// store), so the tracker's output does not depend on which thread computed them or when.
/// Memory: at most `max_entries` entries (submissions beyond are dropped: the tracker then
/// computes those itself).

#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <expected>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/flat_index.hpp"
#include "sec5g/analysis/suci_source.hpp"
#include "sec5g/identity/suci.hpp"

namespace sec5g::analysis {

/// The thread-safe SUCI -> SUPI prefetch cache (see the file comment).
class suci_prefetch final : public suci_source {
 public:
  /// `max_entries`: cap of cached entries (pending, running and finished).
  explicit suci_prefetch(std::size_t max_entries = 1u << 16);

  /// Producer: queues the SUCI with this mobile identity IE value (once; a repeat only updates
  /// its message sequence number). Only ECIES SUCIs are worth submitting (scheme 1 or 2).
  void submit(bytes_view identity_value, std::uint64_t seq);

  /// SUCIs a work_one() call takes at most: the SIDF de-conceals Profile A SUCIs of one key
  /// eight at a time (one X25519 ladder for eight ephemeral keys) where the CPU allows.
  static constexpr std::size_t work_batch = 8;

  /// Worker: de-conceals up to work_batch pending SUCIs, newest first, with `s` (the caller's
  /// own sidf). Returns false when nothing is pending.
  bool work_one(identity::sidf& s);

  /// Worker thread loop body: as work_one, but waits for a submission when nothing is pending.
  /// Returns false once close() was called.
  bool work_or_wait(identity::sidf& s);
  /// Wakes and ends work_or_wait() callers.
  void close();
  /// Undoes close() (for the next run).
  void reopen();

  /// True when a SUCI is pending (a hint: another thread may claim it first).
  [[nodiscard]] bool has_pending() const;
  /// SUCIs pending now (a hint, as has_pending).
  [[nodiscard]] std::size_t pending() const;

  /// Tracker: see suci_source. Non-ECIES SUCIs go straight to `fallback` (not counted).
  std::expected<identity::supi, identity::suci_error> deconceal(
      bytes_view identity_value, const identity::suci_value& sv,
      identity::sidf& fallback) override;

  /// Drops the entries whose last submission has a sequence number < `seq` (the tracker has
  /// processed those messages). Entries being computed stay until finished.
  void retire(std::uint64_t seq);

  /// The highest retire() argument so far (sequence numbers of a later run start here).
  [[nodiscard]] std::uint64_t retired_below() const;

  /// Counters (for tests and benchmarks).
  struct counters {
    std::uint64_t submitted = 0;  ///< distinct SUCIs queued
    std::uint64_t dropped = 0;    ///< submissions refused by the max_entries cap
    std::uint64_t by_workers = 0; ///< de-concealed by work_one()
    std::uint64_t work_calls = 0; ///< work_one() calls that de-concealed (up to work_batch)
    std::uint64_t hits = 0;       ///< tracker lookups answered by a finished entry
    std::uint64_t waited = 0;     ///< tracker lookups that waited for a running entry
    std::uint64_t claimed = 0;    ///< tracker lookups that de-concealed a pending entry itself
    /// Pending SUCIs the tracker de-concealed along with a claimed one (up to work_batch - 1
    /// per claim, oldest first).
    std::uint64_t claimed_along = 0;
    std::uint64_t misses = 0;     ///< tracker lookups of SUCIs never submitted (or retired)
  };
  [[nodiscard]] counters stats() const;
  /// Entries held now.
  [[nodiscard]] std::size_t size() const;

 private:
  using result = std::expected<identity::supi, identity::suci_error>;
  enum class state : std::uint8_t { pending, running, done };
  /// One cached SUCI. Slots are reused (the key's buffer with them: no allocation per SUCI once
  /// the table has grown) and never move (a deque), so a running slot can be read without the
  /// lock; `gen` changes when a slot is freed, which makes queued references to it stale.
  struct slot {
    std::string key;  ///< the SUCI's identity IE value
    state st = state::pending;
    bool used = false;
    std::uint32_t id = 0;   ///< its index in slots_
    std::uint32_t gen = 0;
    std::uint64_t hash = 0;  ///< seeded_hash(key), its key in index_
    std::uint64_t seq = 0;   ///< sequence number of its latest submission
    std::optional<result> res;
  };
  struct ref {
    std::uint32_t id = 0, gen = 0;
  };
  /// Messages ahead of a claimed SUCI whose pending SUCIs the tracker de-conceals with it.
  static constexpr std::uint64_t claim_window = 256;

  /// The slot holding `key`, or null. Called with mu_ held.
  slot* find(std::string_view key) noexcept;
  /// The slot `r` refers to while it is still that SUCI's, or null. Called with mu_ held.
  slot* live(ref r) noexcept;
  /// Frees the slot. Called with mu_ held.
  void erase(slot& sl) noexcept;
  /// Moves pending SUCIs (newest first, or oldest first up to the first one submitted with a
  /// sequence number >= seq_limit) to running and appends them to out[n..]; returns the new
  /// count (at most work_batch). Called with mu_ held.
  std::size_t take_pending(std::array<slot*, work_batch>& out, std::size_t n, bool newest_first,
                           std::uint64_t seq_limit);
  /// De-conceals the running slots sl[0, n) with `s` outside the lock, then publishes the
  /// results under it; `first`, when given, receives sl[0]'s result. Called with `lk` (on mu_)
  /// held; returns with it released.
  void compute_and_publish(std::unique_lock<std::mutex>& lk,
                           const std::array<slot*, work_batch>& sl, std::size_t n,
                           identity::sidf& s, std::optional<result>* first);

  std::size_t max_entries_;
  mutable std::mutex mu_;
  std::condition_variable done_cv_;
  std::condition_variable pending_cv_;
  std::uint64_t retired_below_ = 0;
  bool closed_ = false;
  std::deque<slot> slots_;
  std::vector<std::uint32_t> free_;  ///< unused slots
  /// seeded_hash(key) -> slot. A second SUCI with the hash of a cached one is not cached (the
  /// tracker computes it; the seed makes such pairs unpredictable, and results stay right).
  flat_index index_;
  std::size_t live_ = 0;           ///< slots in use
  std::size_t pending_count_ = 0;  ///< slots in state::pending
  std::deque<ref> pending_;                           ///< submission order
  std::deque<std::pair<std::uint64_t, ref>> by_seq_;  ///< (seq, slot) in submission order
  counters c_;
};

/// True when `ngap_pdu` is an NGAP message that can carry a SUCI (InitialUEMessage,
/// UplinkNASTransport) and calls `out(identity_value)` for each ECIES SUCI in its plain or
/// integrity-only protected 5GMM messages (Registration Request, Identity Response). Cheap for
/// every other message (two octets read). Views are valid during the call only.
template <class F>
void for_each_ecies_suci(bytes_view ngap_pdu, F&& out);

/// Non-template core of for_each_ecies_suci: writes up to `max` identity values into `out`
/// and returns how many were found.
std::size_t find_ecies_sucis(bytes_view ngap_pdu, bytes_view* out, std::size_t max) noexcept;

template <class F>
void for_each_ecies_suci(bytes_view ngap_pdu, F&& out) {
  bytes_view found[4];
  const std::size_t n = find_ecies_sucis(ngap_pdu, found, 4);
  for (std::size_t i = 0; i < n; ++i) out(found[i]);
}

}  // namespace sec5g::analysis
