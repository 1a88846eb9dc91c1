// SUCI -> SUPI prefetch cache (see the header).
#include "sec5g/analysis/suci_prefetch.hpp"

#include <array>
#include <cstring>
#include <variant>

#include "sec5g/analysis/nas_info.hpp"
#include "sec5g/core/seeded_hash.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::analysis {
namespace {

std::string_view key_of(bytes_view v) noexcept {
  return {reinterpret_cast<const char*>(v.data()), v.size()};
}

bytes_view view_of(const std::string& k) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(k.data()), k.size()};
}

}  // namespace

suci_prefetch::suci_prefetch(std::size_t max_entries) : max_entries_(max_entries) {}

suci_prefetch::slot* suci_prefetch::find(std::string_view key) noexcept {
  auto it = index_.find(seeded_hash(key));
  if (it == index_.end()) return nullptr;
  slot& sl = slots_[it->second];
  return sl.key == key ? &sl : nullptr;
}

suci_prefetch::slot* suci_prefetch::live(ref r) noexcept {
  slot& sl = slots_[r.id];
  return sl.used && sl.gen == r.gen ? &sl : nullptr;
}

void suci_prefetch::erase(slot& sl) noexcept {
  if (auto it = index_.find(sl.hash); it != index_.end()) index_.erase(it);
  sl.used = false;
  ++sl.gen;
  sl.res.reset();
  free_.push_back(sl.id);
  --live_;
}

void suci_prefetch::submit(bytes_view identity_value, std::uint64_t seq) {
  const std::string_view key = key_of(identity_value);
  const std::uint64_t h = seeded_hash(key);
  std::lock_guard lk(mu_);
  if (auto it = index_.find(h); it != index_.end()) {
    slot& sl = slots_[it->second];
    if (sl.key != key) {
      ++c_.dropped;  // another SUCI with this hash: not cached
    } else if (seq > sl.seq) {
      sl.seq = seq;
      by_seq_.emplace_back(seq, ref{it->second, sl.gen});
    }
    return;
  }
  if (live_ >= max_entries_) {
    ++c_.dropped;
    return;
  }
  ++c_.submitted;
  std::uint32_t id = 0;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back().id = id;
  }
  slot& sl = slots_[id];
  sl.key.assign(key);
  sl.st = state::pending;
  sl.used = true;
  sl.hash = h;
  sl.seq = seq;
  index_.try_emplace(h, id);
  ++live_;
  ++pending_count_;
  pending_.push_back(ref{id, sl.gen});
  by_seq_.emplace_back(seq, ref{id, sl.gen});
  pending_cv_.notify_one();
}

void suci_prefetch::reopen() {
  std::lock_guard lk(mu_);
  closed_ = false;
}

bool suci_prefetch::has_pending() const {
  std::lock_guard lk(mu_);
  return pending_count_ > 0;
}

std::size_t suci_prefetch::pending() const {
  std::lock_guard lk(mu_);
  return pending_count_;
}

std::size_t suci_prefetch::take_pending(std::array<slot*, work_batch>& out, std::size_t n,
                                        bool newest_first, std::uint64_t seq_limit) {
  while (!pending_.empty() && n < work_batch) {
    const ref r = newest_first ? pending_.back() : pending_.front();
    slot* sl = live(r);
    if (sl != nullptr && sl->st == state::pending && !newest_first && sl->seq >= seq_limit)
      break;
    if (newest_first) pending_.pop_back();
    else pending_.pop_front();
    if (sl == nullptr || sl->st != state::pending) continue;
    sl->st = state::running;
    --pending_count_;
    out[n++] = sl;
  }
  return n;
}

void suci_prefetch::compute_and_publish(std::unique_lock<std::mutex>& lk,
                                        const std::array<slot*, work_batch>& sl, std::size_t n,
                                        identity::sidf& s, std::optional<result>* first) {
  lk.unlock();
  // Running slots are neither erased nor changed by other threads (retire() skips them), and
  // the deque does not move them: their keys are read here without the lock.
  std::array<result, work_batch> results;
  std::array<identity::suci_value, work_batch> values;
  std::array<const identity::suci_value*, work_batch> in{};
  std::array<std::size_t, work_batch> index{};  // results index of each batch input
  std::size_t m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    results[i] =
        std::unexpected(identity::suci_error{identity::suci_errc::bad_suci_string, 0, "identity"});
    auto id = identity::decode_mobile_identity(view_of(sl[i]->key));
    if (!id) continue;
    if (const auto* sv = std::get_if<identity::suci_value>(&*id)) {
      values[m] = *sv;  // views into sl[i]->key
      in[m] = &values[m];
      index[m++] = i;
    }
  }
  std::array<result, work_batch> out;
  s.deconceal_batch(std::span(in).first(m), std::span(out).first(m));
  for (std::size_t j = 0; j < m; ++j) results[index[j]] = std::move(out[j]);
  if (first != nullptr) *first = results[0];
  lk.lock();
  for (std::size_t i = 0; i < n; ++i) {
    sl[i]->res = std::move(results[i]);
    sl[i]->st = state::done;
    if (sl[i]->seq < retired_below_) erase(*sl[i]);
  }
  lk.unlock();
  done_cv_.notify_all();
}

bool suci_prefetch::work_one(identity::sidf& s) {
  std::array<slot*, work_batch> sl{};
  std::unique_lock lk(mu_);
  // Newest first: the tracker computes the SUCIs it is about to reach itself (a claim, no
  // waiting) while workers take the ones furthest ahead, so neither waits for the other.
  const std::size_t n = take_pending(sl, 0, true, 0);
  if (n == 0) return false;
  ++c_.work_calls;
  c_.by_workers += n;
  compute_and_publish(lk, sl, n, s, nullptr);
  return true;
}

std::expected<identity::supi, identity::suci_error> suci_prefetch::deconceal(
    bytes_view identity_value, const identity::suci_value& sv, identity::sidf& fallback) {
  // Only ECIES SUCIs are submitted; the null scheme costs nothing.
  if (sv.protection_scheme_id != 1 && sv.protection_scheme_id != 2) return fallback.deconceal(sv);
  std::unique_lock lk(mu_);
  slot* sl = find(key_of(identity_value));
  if (sl == nullptr) {
    ++c_.misses;
    lk.unlock();
    return fallback.deconceal(sv);
  }
  if (sl->st == state::pending) {
    // The tracker reached a SUCI no worker has taken: it de-conceals it together with the
    // other pending ones of the next claim_window messages (those it reaches next, which the
    // workers, taking the newest first, would reach last), one SIDF batch for the price of
    // about two single SUCIs. Pending SUCIs further ahead stay with the workers.
    ++c_.claimed;
    sl->st = state::running;
    --pending_count_;
    std::array<slot*, work_batch> batch{};
    batch[0] = sl;
    const std::size_t n = take_pending(batch, 1, false, sl->seq + claim_window);
    c_.claimed_along += n - 1;
    std::optional<result> r;
    compute_and_publish(lk, batch, n, fallback, &r);
    return std::move(*r);
  }
  if (sl->st == state::running) {
    ++c_.waited;
    const std::uint32_t gen = sl->gen;
    done_cv_.wait(lk, [&] { return sl->gen != gen || sl->st == state::done; });
    if (sl->gen != gen) {  // finished and retired meanwhile
      lk.unlock();
      return fallback.deconceal(sv);
    }
  } else {
    ++c_.hits;
  }
  return *sl->res;
}

void suci_prefetch::retire(std::uint64_t seq) {
  std::lock_guard lk(mu_);
  while (!by_seq_.empty() && by_seq_.front().first < seq) {
    const auto [s, r] = by_seq_.front();
    // Only the latest submission of a SUCI retires it; running entries stay until done (they
    // are then erased when published, or retired by a later submission of the same SUCI).
    if (slot* sl = live(r); sl != nullptr && sl->seq == s && sl->st != state::running) {
      if (sl->st == state::pending) --pending_count_;
      erase(*sl);
    }
    by_seq_.pop_front();
  }
  if (seq > retired_below_) retired_below_ = seq;
  // References to retired or claimed entries at the front of the pending queue (keeps it
  // bounded when no worker drains it).
  while (!pending_.empty()) {
    const slot* sl = live(pending_.front());
    if (sl != nullptr && sl->st == state::pending) break;
    pending_.pop_front();
  }
}

bool suci_prefetch::work_or_wait(identity::sidf& s) {
  while (true) {
    if (work_one(s)) return true;
    std::unique_lock lk(mu_);
    if (closed_) return false;
    if (pending_count_ == 0) pending_cv_.wait(lk);
    if (closed_) return false;
  }
}

void suci_prefetch::close() {
  {
    std::lock_guard lk(mu_);
    closed_ = true;
  }
  pending_cv_.notify_all();
}

std::uint64_t suci_prefetch::retired_below() const {
  std::lock_guard lk(mu_);
  return retired_below_;
}

suci_prefetch::counters suci_prefetch::stats() const {
  std::lock_guard lk(mu_);
  return c_;
}

std::size_t suci_prefetch::size() const {
  std::lock_guard lk(mu_);
  return live_;
}

std::size_t find_ecies_sucis(bytes_view ngap_pdu, bytes_view* out, std::size_t max) noexcept {
  // NGAP-PDU choice initiatingMessage (first octet 0x00), procedure code in the second octet.
  if (ngap_pdu.size() < 3 || ngap_pdu[0] != 0x00) return 0;
  if (ngap_pdu[1] != ngap::procedure::initial_ue_message && ngap_pdu[1] != ngap::procedure::uplink_nas_transport)
    return 0;
  // Pre-filter: a plain 5GMM Registration Request (7e 00 41) or Identity Response (7e 00 5c),
  // alone or as the inner message of an integrity-protected one, must appear in the bytes with
  // a SUCI as its mobile identity: the identity's first octet (type in bits 1-3, 1 = SUCI;
  // TS 24.501 9.11.3.4) follows the 2-octet length of the LV-E, itself after the 5GS
  // registration type octet in a Registration Request (8.2.6) and right after the message type
  // in an Identity Response (8.2.22). Most UplinkNASTransports carry ciphered NAS, and the
  // registrations of UEs that already have a 5G-GUTI name themselves by it: both are skipped
  // without decoding (in steady traffic three Registration Requests in four). memchr for the
  // 0x7e: the octet-by-octet loop was ~2% of a steady audit.
  bool candidate = false;
  const std::uint8_t* at = ngap_pdu.data() + 2;
  const std::uint8_t* const end = ngap_pdu.data() + ngap_pdu.size();
  while (end - at >= 3) {
    const void* hit = std::memchr(at, 0x7e, static_cast<std::size_t>(end - at - 2));
    if (hit == nullptr) break;
    at = static_cast<const std::uint8_t*>(hit);
    if (at[1] == 0x00 && (at[2] == 0x41 || at[2] == 0x5c)) {
      const std::ptrdiff_t type_at = at[2] == 0x41 ? 6 : 5;
      if (end - at > type_at && (at[type_at] & 0x07) == 1) {
        candidate = true;
        break;
      }
    }
    ++at;
  }
  if (!candidate) return 0;
  thread_local ngap::pdu p;  // ~2.5 KB: not zeroed again for every message
  if (!ngap::decode_pdu(ngap_pdu, p)) return 0;
  std::array<ngap::nas_pdu_ref, 4> nas{};
  auto n = ngap::collect_nas_pdus(p, nas);
  if (!n) return 0;
  std::size_t found = 0;
  for (std::size_t i = 0; i < std::min(*n, nas.size()) && found < max; ++i) {
    const bytes_view pdu = nas[i].bytes;
    auto outer = parse_outer(pdu);
    if (!outer || outer->epd != epd_5gmm) continue;
    bytes_view msg = pdu;
    if (outer->protection) {
      const auto h = outer->protection->header_type;
      if (h != 1 && h != 3) continue;  // ciphered: not readable here
      if (outer->protection->inner_offset >= pdu.size()) continue;
      msg = pdu.subspan(outer->protection->inner_offset);
    }
    auto mm = parse_mm(msg);
    if (!mm || !mm->identity || mm->identity->type != 1) continue;
    auto id = identity::decode_mobile_identity(mm->identity->value);
    if (!id) continue;
    const auto* sv = std::get_if<identity::suci_value>(&*id);
    if (sv == nullptr || (sv->protection_scheme_id != 1 && sv->protection_scheme_id != 2)) continue;
    out[found++] = mm->identity->value;
  }
  return found;
}

}  // namespace sec5g::analysis
