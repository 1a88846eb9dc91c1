// SUCI -> SUPI prefetch cache (see the header).
#include "sec5g/analysis/suci_prefetch.hpp"

#include <array>
#include <variant>

#include "sec5g/analysis/nas_info.hpp"
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

void suci_prefetch::submit(bytes_view identity_value, std::uint64_t seq) {
  const std::string_view key = key_of(identity_value);
  std::lock_guard lk(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    if (seq > it->second.seq) {
      it->second.seq = seq;
      by_seq_.emplace_back(seq, it->first);
    }
    return;
  }
  if (entries_.size() >= max_entries_) {
    ++c_.dropped;
    return;
  }
  ++c_.submitted;
  auto [it, inserted] = entries_.try_emplace(std::string(key));
  it->second.seq = seq;
  ++pending_count_;
  pending_.push_back(it->first);
  by_seq_.emplace_back(seq, it->first);
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

std::size_t suci_prefetch::take_pending(std::array<std::string, work_batch>& keys, std::size_t n,
                                        bool newest_first, std::uint64_t seq_limit) {
  while (!pending_.empty() && n < work_batch) {
    if (!newest_first) {
      auto front = entries_.find(pending_.front());
      if (front != entries_.end() && front->second.st == state::pending &&
          front->second.seq >= seq_limit)
        break;
    }
    std::string key = newest_first ? std::move(pending_.back()) : std::move(pending_.front());
    if (newest_first) pending_.pop_back();
    else pending_.pop_front();
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.st != state::pending) continue;
    it->second.st = state::running;
    --pending_count_;
    keys[n++] = std::move(key);
  }
  return n;
}

void suci_prefetch::compute_and_publish(std::unique_lock<std::mutex>& lk,
                                        const std::array<std::string, work_batch>& keys,
                                        std::size_t n, identity::sidf& s,
                                        std::optional<result>* first) {
  lk.unlock();
  std::array<result, work_batch> results;
  std::array<identity::suci_value, work_batch> values;
  std::array<const identity::suci_value*, work_batch> in{};
  std::array<std::size_t, work_batch> slot{};  // results index of each batch input
  std::size_t m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    results[i] =
        std::unexpected(identity::suci_error{identity::suci_errc::bad_suci_string, 0, "identity"});
    auto id = identity::decode_mobile_identity(view_of(keys[i]));
    if (!id) continue;
    if (const auto* sv = std::get_if<identity::suci_value>(&*id)) {
      values[m] = *sv;  // views into keys[i]
      in[m] = &values[m];
      slot[m++] = i;
    }
  }
  std::array<result, work_batch> out;
  s.deconceal_batch(std::span(in).first(m), std::span(out).first(m));
  for (std::size_t j = 0; j < m; ++j) results[slot[j]] = std::move(out[j]);
  if (first != nullptr) *first = results[0];
  lk.lock();
  for (std::size_t i = 0; i < n; ++i) {
    auto it = entries_.find(keys[i]);  // running entries are never erased by others
    it->second.result = std::move(results[i]);
    it->second.st = state::done;
    if (it->second.seq < retired_below_) entries_.erase(it);
  }
  lk.unlock();
  done_cv_.notify_all();
}

bool suci_prefetch::work_one(identity::sidf& s) {
  std::array<std::string, work_batch> keys;
  std::unique_lock lk(mu_);
  // Newest first: the tracker computes the SUCIs it is about to reach itself (a claim, no
  // waiting) while workers take the ones furthest ahead, so neither waits for the other.
  const std::size_t n = take_pending(keys, 0, true, 0);
  if (n == 0) return false;
  ++c_.work_calls;
  c_.by_workers += n;
  compute_and_publish(lk, keys, n, s, nullptr);
  return true;
}

std::expected<identity::supi, identity::suci_error> suci_prefetch::deconceal(
    bytes_view identity_value, const identity::suci_value& sv, identity::sidf& fallback) {
  // Only ECIES SUCIs are submitted; the null scheme costs nothing.
  if (sv.protection_scheme_id != 1 && sv.protection_scheme_id != 2) return fallback.deconceal(sv);
  const std::string_view key = key_of(identity_value);
  std::unique_lock lk(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    ++c_.misses;
    lk.unlock();
    return fallback.deconceal(sv);
  }
  if (it->second.st == state::pending) {
    // The tracker reached a SUCI no worker has taken: it de-conceals it together with the
    // other pending ones of the next claim_window messages (those it reaches next, which the
    // workers, taking the newest first, would reach last), one SIDF batch for the price of
    // about two single SUCIs. Pending SUCIs further ahead stay with the workers.
    ++c_.claimed;
    it->second.st = state::running;
    --pending_count_;
    std::array<std::string, work_batch> keys;
    keys[0] = std::string(key);
    const std::size_t n = take_pending(keys, 1, false, it->second.seq + claim_window);
    c_.claimed_along += n - 1;
    std::optional<result> r;
    compute_and_publish(lk, keys, n, fallback, &r);
    return std::move(*r);
  }
  if (it->second.st == state::running) {
    ++c_.waited;
    done_cv_.wait(lk, [&] {
      auto j = entries_.find(key);
      return j == entries_.end() || j->second.st == state::done;
    });
    it = entries_.find(key);
    if (it == entries_.end()) {
      lk.unlock();
      return fallback.deconceal(sv);
    }
  } else {
    ++c_.hits;
  }
  return *it->second.result;
}

void suci_prefetch::retire(std::uint64_t seq) {
  std::lock_guard lk(mu_);
  while (!by_seq_.empty() && by_seq_.front().first < seq) {
    auto it = entries_.find(by_seq_.front().second);
    // Only the latest submission of a key retires it; running entries stay until done (they
    // are then retired by a later submission of the same key or stay until destruction,
    // bounded by max_entries).
    if (it != entries_.end() && it->second.seq == by_seq_.front().first &&
        it->second.st != state::running) {
      if (it->second.st == state::pending) --pending_count_;
      entries_.erase(it);
    }
    by_seq_.pop_front();
  }
  if (seq > retired_below_) retired_below_ = seq;
  // Keys of retired or claimed entries at the front of the pending queue (keeps it bounded
  // when no worker drains it).
  while (!pending_.empty()) {
    auto it = entries_.find(pending_.front());
    if (it != entries_.end() && it->second.st == state::pending) break;
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
  return entries_.size();
}

std::size_t find_ecies_sucis(bytes_view ngap_pdu, bytes_view* out, std::size_t max) noexcept {
  // NGAP-PDU choice initiatingMessage (first octet 0x00), procedure code in the second octet.
  if (ngap_pdu.size() < 3 || ngap_pdu[0] != 0x00) return 0;
  if (ngap_pdu[1] != ngap::procedure::initial_ue_message && ngap_pdu[1] != ngap::procedure::uplink_nas_transport)
    return 0;
  // Pre-filter: a plain 5GMM Registration Request (7e 00 41) or Identity Response (7e 00 5c),
  // alone or as the inner message of an integrity-protected one, must appear in the bytes;
  // most UplinkNASTransports carry ciphered NAS and are skipped without decoding.
  bool candidate = false;
  for (std::size_t i = 2; i + 2 < ngap_pdu.size(); ++i) {
    if (ngap_pdu[i] == 0x7e && ngap_pdu[i + 1] == 0x00 &&
        (ngap_pdu[i + 2] == 0x41 || ngap_pdu[i + 2] == 0x5c)) {
      candidate = true;
      break;
    }
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
