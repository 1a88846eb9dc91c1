// The rules of docs/RULES.md over the tracker's events.
#include "sec5g/rules/engine.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <string_view>
#include <utility>

#include "sec5g/core/flat_index.hpp"
#include "sec5g/core/hex.hpp"
#include "sec5g/core/seeded_hash.hpp"
#include "sec5g/core/text_index.hpp"

namespace sec5g::rules {

using analysis::direction;
using analysis::frame_ref;
using analysis::mac_verdict;
using analysis::mm_type;

namespace {

constexpr std::uint8_t mt(mm_type t) noexcept { return static_cast<std::uint8_t>(t); }

std::string hex_of(const analysis::ue_sec_caps& c) {
  return to_hex(bytes_view(c.octets.data(), std::min<std::size_t>(c.len, c.octets.size())));
}

/// Writes the evidence frame `key` (numbered in its own file, as Wireshark numbers it); a frame
/// of another input file than the finding's also gets `<key>_file`, the path of its file.
void put_frame(rules::finding& f, const char* key, frame_ref r,
               const std::vector<std::string>& files) {
  f.evidence[key] = analysis::frame_of(r);
  const std::uint32_t file = analysis::file_of(r);
  if (file != f.file && file < files.size()) f.evidence[std::string(key) + "_file"] = files[file];
}

/// The same for a list of frames: when one of them is in another file than the finding's,
/// `<key>_file` lists the path of each frame's file.
void put_frames(rules::finding& f, const char* key, const std::vector<frame_ref>& refs,
                const std::vector<std::string>& files) {
  auto& frames = f.evidence[key] = nlohmann::ordered_json::array();
  bool elsewhere = false;
  for (const frame_ref r : refs) {
    frames.push_back(analysis::frame_of(r));
    elsewhere = elsewhere || analysis::file_of(r) != f.file;
  }
  if (!elsewhere || files.empty()) return;
  auto& paths = f.evidence[std::string(key) + "_file"] = nlohmann::ordered_json::array();
  for (const frame_ref r : refs) {
    const std::uint32_t file = analysis::file_of(r);
    paths.push_back(file < files.size() ? files[file] : std::string());
  }
}

const char* dir_name(direction d) noexcept { return d == direction::uplink ? "uplink" : "downlink"; }

/// Plain 5GMM messages a receiver may process without integrity protection.
/// Ref: TS 24.501 4.4.4.2 (UE side: list a-g), 4.4.4.3 (AMF side: list a-h).
bool allowed_unprotected(direction d, std::uint8_t type) noexcept {
  if (d == direction::downlink) {
    switch (static_cast<mm_type>(type)) {
      case mm_type::identity_request:
      case mm_type::authentication_request:
      case mm_type::authentication_result:
      case mm_type::authentication_reject:
      case mm_type::registration_reject:
      case mm_type::deregistration_accept_ue_originating:
      case mm_type::service_reject:
        return true;
      default:
        return false;
    }
  }
  switch (static_cast<mm_type>(type)) {
    case mm_type::registration_request:
    case mm_type::identity_response:
    case mm_type::authentication_response:
    case mm_type::authentication_failure:
    case mm_type::security_mode_reject:
    case mm_type::deregistration_request_ue_originating:
    case mm_type::deregistration_accept_ue_terminated:
    case mm_type::service_request:
      return true;
    default:
      return false;
  }
}

/// Cleartext IEs of the initial NAS messages. Ref: TS 24.501 4.4.6.
bool cleartext_iei(std::uint8_t msg_type, std::uint8_t iei) noexcept {
  if (msg_type == mt(mm_type::registration_request)) {
    switch (iei) {
      case 0x2e:  // UE security capability
      case 0x77:  // additional GUTI
      case 0x2b:  // UE status
      case 0x70:  // EPS NAS message container
      case 0x71:  // NAS message container (carries the rest, ciphered)
      case 0xc0:  // non-current native NAS key set identifier
        return true;
      default:
        return false;
    }
  }
  if (msg_type == mt(mm_type::service_request)) return iei == 0x71;
  return true;
}

/// The optional IEs of an initial message outside its cleartext set, as "0x.." strings.
std::vector<std::string> non_cleartext_ieis(const analysis::mm_fields& m) {
  std::vector<std::string> v;
  for (std::uint8_t i = 0; i < m.iei_count; ++i) {
    if (cleartext_iei(m.type, m.ieis[i])) continue;
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", m.ieis[i]);
    v.emplace_back(buf);
  }
  return v;
}

/// Events in arrival order, in a ring that doubles when full and halves when a quarter full: a
/// per-subscriber window usually holds one or two events, where a std::deque allocates ~580
/// octets for its first one (with a million subscribers tracked, 0.6 GB per table).
template <class T>
class ring {
 public:
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] const T& front() const noexcept { return buf_[head_]; }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept {
    return buf_[(head_ + i) & (buf_.size() - 1)];
  }
  void push_back(const T& v) {
    if (size_ == buf_.size()) resize(buf_.empty() ? 2 : buf_.size() * 2);
    buf_[(head_ + size_) & (buf_.size() - 1)] = v;
    ++size_;
  }
  void pop_front() {
    head_ = (head_ + 1) & (buf_.size() - 1);
    --size_;
    if (buf_.size() > 64 && size_ < buf_.size() / 4) resize(buf_.size() / 2);
  }

 private:
  void resize(std::size_t capacity) {  // a power of two >= size_
    std::vector<T> next(capacity);
    for (std::size_t i = 0; i < size_; ++i) next[i] = (*this)[i];
    buf_.swap(next);
    head_ = 0;
  }
  std::vector<T> buf_;
  std::size_t head_ = 0, size_ = 0;
};

/// A sliding window of events (time, frame), bounded, and the burst it is in.
struct window {
  struct event {
    std::int64_t time = 0;
    frame_ref frame = 0;
  };
  /// No listed finding (also what engine::emit returns for a finding it does not keep).
  static constexpr std::size_t no_finding = static_cast<std::size_t>(-1);
  ring<event> events;
  bool fired = false;  ///< the current burst has been reported
  /// The current burst: its listed finding (an index into the engine's findings, or
  /// no_finding), its events so far and its last frame.
  std::size_t finding_index = no_finding;
  std::uint64_t burst_events = 0;
  frame_ref burst_last_frame = 0;

  std::size_t add(std::int64_t t, std::int64_t span, frame_ref frame) {
    while (!events.empty() && t - events.front().time > span) events.pop_front();
    events.push_back({t, frame});
    if (events.size() > 100000) events.pop_front();
    return events.size();
  }
  /// Adds an event; the number of events in the window when it reaches `threshold` at the
  /// start of a burst (it fires now: the caller reports it and sets `finding_index`), else 0. A
  /// burst lasts while the window holds at least `threshold` events, however long: a flood
  /// sustained for minutes is one finding, whose `burst_events` / `burst_last_frame` are
  /// written into `findings` when it ends; the next one needs the count to fall below the
  /// threshold first.
  std::size_t add_and_fire(std::int64_t t, std::int64_t span, frame_ref frame,
                           std::size_t threshold, std::vector<rules::finding>& findings,
                           const std::vector<std::string>& files) {
    const std::size_t n = add(t, span, frame);
    if (n < threshold) {
      close(findings, files);
      return 0;
    }
    if (fired) {
      ++burst_events;
      burst_last_frame = frame;
      return 0;
    }
    fired = true;
    finding_index = no_finding;
    burst_events = n;
    burst_last_frame = frame;
    return n;
  }
  /// Ends the current burst, if any: its finding gets the burst's events and last frame.
  void close(std::vector<rules::finding>& findings, const std::vector<std::string>& files) {
    if (fired && finding_index < findings.size()) {
      rules::finding& f = findings[finding_index];
      f.evidence["burst_events"] = burst_events;
      put_frame(f, "burst_last_frame", burst_last_frame, files);
    }
    fired = false;
    finding_index = no_finding;
  }
  /// The evidence: the first (at most 16) frames of the events now in the window.
  [[nodiscard]] std::vector<frame_ref> frames() const {
    std::vector<frame_ref> out;
    for (std::size_t i = 0; i < events.size() && i < 16; ++i) out.push_back(events[i].frame);
    return out;
  }
};

/// Rate windows per gNB or per subscriber, found by a string view (no key string is built
/// for a lookup; one is made only when a gNB or subscriber is seen for the first time).
using window_map = std::unordered_map<std::string, window, seeded_string_hash, std::equal_to<>>;

/// Ends the bursts of every window of `m` (their findings get the burst's figures).
void close_all(window_map& m, std::vector<rules::finding>& findings,
               const std::vector<std::string>& files) {
  for (auto& [key, w] : m) w.close(findings, files);
}

/// The window of `key` (a gNB or a subscriber). A map that has reached `bound` keys starts over
/// (a capture with a million gNB endpoints or subscribers must not grow it without limit;
/// counting restarts from zero, and the bursts in progress end there).
window& window_of(window_map& m, std::string_view key, std::size_t bound,
                  std::vector<rules::finding>& findings, const std::vector<std::string>& files) {
  if (auto it = m.find(key); it != m.end()) return it->second;
  if (m.size() >= bound) {
    close_all(m, findings, files);
    m.clear();
  }
  return m.try_emplace(std::string(key)).first->second;
}

// The fill of a rate finding that lists the window's frames and nothing else.
auto list_frames(const std::vector<std::string>& files) {
  return [&files](rules::finding& f, const window& w) {
    put_frames(f, "frames", w.frames(), files);
  };
}

struct rand_use {
  byte_array<16> rand{};
  frame_ref frame = 0;
  bool answered = false;
};

/// A string-keyed map for the per-subscriber tables (tens of thousands of subscribers on a
/// large capture): the entries (key, value) in one vector, indexed by core/text_index.hpp (a
/// look-up touches the slot run and one entry; the node-based std::unordered_map took several
/// dependent cache misses per look-up plus a node and a key allocation per subscriber, ~3% of
/// `sec5g audit` on a 20k-UE capture). Only what the engine needs: emplace / at (by entry number),
/// try_emplace, size, clear. Pointers into it are valid until the next insertion or clear.
template <class V>
class string_table {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  void clear() noexcept {
    entries_.clear();
    index_.clear();
  }
  /// The entry number of `key`, inserted with value `init` when absent; second = inserted.
  /// Entry numbers stay valid until clear().
  std::pair<std::uint32_t, bool> emplace(std::string_view key, V init) {
    const auto r = index_.try_emplace(key, static_cast<std::uint32_t>(entries_.size()), key_of());
    if (r.second) entries_.push_back(entry{std::string(key), std::move(init)});
    return r;
  }
  /// The value of entry `e` (from emplace).
  V& at(std::uint32_t e) noexcept { return entries_[e].value; }
  /// The value of `key`, inserted as `init` when absent; second = inserted.
  std::pair<V*, bool> try_emplace(std::string_view key, V init) {
    const auto [e, inserted] = emplace(key, std::move(init));
    return {&entries_[e].value, inserted};
  }

 private:
  struct entry {
    std::string key;
    V value;
  };
  [[nodiscard]] auto key_of() const noexcept {
    return [this](std::uint32_t e) -> std::string_view { return entries_[e].key; };
  }

  std::vector<entry> entries_;
  text_index index_;
};

}  // namespace

/// Per-UE and global rule state.
struct engine::state {
  struct per_ue {
    // nas.ue_caps_null_only
    bool null_caps_pending = false;
    frame_ref null_caps_frame = 0;
    std::int64_t null_caps_time = 0;
    std::string null_caps_hex;
    std::string gnb, amf;
    // aka.res_mismatch_accepted
    bool res_mismatch_pending = false;
    frame_ref res_frame = 0;
    // ngap.path_switch_caps_mismatch
    bool path_switch_pending = false;
    frame_ref path_switch_frame = 0;
    std::string path_switch_caps;
    // ngap.up_integrity_not_enforced
    std::vector<std::pair<std::uint8_t, frame_ref>> up_required;
  };
  std::unordered_map<std::uint64_t, per_ue> ues;  ///< by ue_context::id (tracker-bounded)
  /// The state of every UE without an entry in `ues` (no rule waits for anything). The handlers
  /// read it through the same reference as an entry; it never changes: they clear a flag or an
  /// item only after finding it set, and set state only in `ues[id]`. (A per_ue constructed and
  /// destroyed per message was ~1.4% of an audit's instructions.)
  per_ue none;
  window_map gnb_auth_failures;
  window_map gnb_identity_requests;
  window_map gnb_registrations;
  std::set<std::string, std::less<>> key_in_clear_reported;  ///< per gNB-AMF association
  std::string assoc_scratch;  ///< the association text of the message at hand
  /// ngap.registration_flood: the InitialUEMessage being processed carries a Service Request
  /// or a UE-originating Deregistration Request (registered UEs leaving CM-IDLE, not
  /// registrations: not counted). The tracker hands over an NGAP message's NAS messages
  /// (on_nas) before the message itself (on_ngap), which consumes the flag.
  bool initial_not_registration = false;
  string_table<std::vector<rand_use>> rands;  ///< per subscriber
  /// SUCI -> first frame, keyed by the SUCI's octets as they arrived (a replay repeats them
  /// exactly; ~53 octets for a profile A SUCI against ~114 for its text, and no text to write).
  string_table<frame_ref> sucis;
  /// UE id -> its subscriber's entry in `rands` (the RAND of its last Authentication Request;
  /// cleared with `rands`).
  flat_index last_rand;
  std::string key_scratch;  ///< the subscriber key of the message being judged (reused)
  /// Per-subscriber windows (a subscriber re-attaching on new connections keeps its count).
  window_map sub_auth_failures;
  window_map sub_identity_requests;
};

namespace {
/// Writes into `out` the identity that names a subscriber across connections: SUPI, else SUCI,
/// else 5G-GUTI; empty when the UE has none of them.
void identity_key_into(const analysis::ue_context& ue, std::string& out) {
  if (ue.has_supi()) ue.supi_text_into(out);
  else if (!ue.suci.empty()) ue.suci.text_into(out);
  else ue.guti_text_into(out);
}
/// The key that identifies a subscriber across connections: its identity key, else the
/// tracker's context id.
std::string subscriber_key(const analysis::ue_context& ue) {
  std::string key;
  identity_key_into(ue, key);
  return key.empty() ? "ue#" + std::to_string(ue.id) : key;
}
}  // namespace

engine::engine(engine_options opt) : opt_(std::move(opt)), st_(std::make_unique<state>()) {}
engine::~engine() = default;

bool engine::enabled(std::string_view id) const noexcept {
  return opt_.enabled.empty() || opt_.enabled.find(id) != opt_.enabled.end();
}

std::size_t engine::state_entries() const noexcept {
  const state& s = *st_;
  return s.ues.size() + s.last_rand.size() + s.rands.size() + s.sucis.size() +
         s.sub_auth_failures.size() + s.sub_identity_requests.size() + s.gnb_auth_failures.size() +
         s.gnb_identity_requests.size() + s.gnb_registrations.size() +
         s.key_in_clear_reported.size();
}

ue_ids ids_of(const analysis::ue_context& ue) {
  ue_ids ids;
  if (ue.has_ran_id) ids.ran_ue_ngap_id = ue.ran_ue_ngap_id;
  if (ue.has_amf_id) ids.amf_ue_ngap_id = ue.amf_ue_ngap_id;
  if (ue.has_supi()) ids.supi = ue.supi_text();
  ids.suci = ue.suci.text();
  ids.guti = ue.guti_text();
  return ids;
}

finding engine::make(std::string_view rule, const analysis::packet_meta& pkt,
                     const analysis::ue_context* ue) const {
  finding f;
  f.rule = find_rule(rule);
  f.level = f.rule != nullptr ? f.rule->level : severity::info;
  f.frame = pkt.frame;
  f.file = pkt.file;
  f.time_ns = pkt.time_ns;
  if (ue != nullptr) {
    f.ue = ids_of(*ue);
    f.has_ue = true;
  }
  f.gnb = std::string(pkt.gnb);
  f.amf = std::string(pkt.amf);
  return f;
}

template <class Window, class Fill>
void engine::rate_event(Window& w, std::string_view rule, const analysis::packet_meta& pkt,
                        const analysis::ue_context* ue, const char* scope,
                        std::uint32_t threshold, const rate_window& span, Fill&& fill) {
  const std::size_t count =
      w.add_and_fire(pkt.time_ns, span.ns, pkt.ref(), threshold, findings_, opt_.files);
  if (count == 0) return;
  finding f = make(rule, pkt, ue);
  if (scope != nullptr) f.evidence["scope"] = scope;
  f.evidence["count"] = count;
  f.evidence["threshold"] = threshold;
  f.evidence[span.unit] = span.ns / span.ns_per_unit;
  fill(f, w);
  w.finding_index = emit(std::move(f));
}

std::size_t engine::emit(finding&& f) {
  if (f.rule == nullptr || !enabled(f.rule->id)) return window::no_finding;
  if (on_finding) on_finding(f);
  auto c = counts_.find(f.rule->id);
  if (c == counts_.end()) c = counts_.emplace(std::string(f.rule->id), 0).first;
  ++c->second;
  if (!highest_ || f.level > *highest_) highest_ = f.level;
  if (findings_.size() >= opt_.max_listed_findings) {
    ++not_listed_;
    return window::no_finding;
  }
  findings_.push_back(std::move(f));
  return findings_.size() - 1;
}

void engine::on_nas(const analysis::nas_event& e) {
  const analysis::packet_meta& pkt = *e.pkt;
  const analysis::ue_context& ue = *e.ue;
  // Per-UE rule state exists only while a rule waits for something (most UEs never need it).
  auto found_pu = st_->ues.find(ue.id);
  state::per_ue& pu = found_pu != st_->ues.end() ? found_pu->second : st_->none;

  if (e.mac == mac_verdict::failed) {
    finding f = make("nas.mac_failure", pkt, &ue);
    f.evidence["direction"] = dir_name(e.dir);
    f.evidence["security_header_type"] = e.header_type;
    if (e.count) f.evidence["count"] = *e.count;
    f.evidence["nia"] = e.nia;
    emit(std::move(f));
  }
  if (e.count_replay && e.count) {
    finding f = make("nas.count_replay", pkt, &ue);
    f.evidence["direction"] = dir_name(e.dir);
    f.evidence["count"] = *e.count;
    f.evidence["previous_count"] = e.previous_count;
    f.evidence["mac"] = to_string(e.mac);
    emit(std::move(f));
  }
  // nas.container_not_ciphered: the complete initial message went in clear inside the NAS
  // message container while the context ciphers (TS 24.501 4.4.6, TS 33.501 6.4.6).
  if (e.container_in_clear && e.container_mm != nullptr) {
    const analysis::mm_fields& in = *e.container_mm;
    finding f = make("nas.container_not_ciphered", pkt, &ue);
    f.evidence["message_type"] = analysis::mm_type_name(in.type);
    f.evidence["nea"] = e.nea;
    f.evidence["exposed_ieis"] = non_cleartext_ieis(in);
    emit(std::move(f));
  }
  // nas.smc_ciphered when the SMC itself cannot be read: security header type 4 ("integrity
  // protected and ciphered with new 5G NAS security context") is only for the uplink SECURITY
  // MODE COMPLETE (TS 24.501 4.4.5, 9.3.1), so a downlink PDU carrying it is a Security Mode
  // Command sent ciphered (a readable one is judged in the switch below).
  if (e.mm == nullptr && e.dir == direction::downlink && e.header_type == 4 &&
      e.epd == analysis::epd_5gmm && !e.malformed) {
    finding f = make("nas.smc_ciphered", pkt, &ue);
    f.evidence["security_header_type"] = e.header_type;
    f.evidence["expected_security_header_type"] = 3;
    f.evidence["message"] = "unreadable";
    emit(std::move(f));
  }
  if (e.mm == nullptr) return;
  const analysis::mm_fields& mm = *e.mm;

  // nas.unprotected_after_smc
  if (e.header_type == 0 && e.epd == analysis::epd_5gmm && e.security_active_before &&
      !allowed_unprotected(e.dir, mm.type)) {
    finding f = make("nas.unprotected_after_smc", pkt, &ue);
    f.evidence["direction"] = dir_name(e.dir);
    f.evidence["message_type"] = analysis::mm_type_name(mm.type);
    put_frame(f, "smc_frame", ue.smc_frame, opt_.files);
    emit(std::move(f));
  }

  if (e.initial_message)
    st_->initial_not_registration = mm.type == mt(mm_type::service_request) ||
                                    mm.type == mt(mm_type::deregistration_request_ue_originating);

  switch (static_cast<mm_type>(mm.type)) {
    case mm_type::registration_request:
    case mm_type::service_request: {
      if (mm.type == mt(mm_type::registration_request) && mm.caps && mm.caps->only_null() &&
          e.dir == direction::uplink) {
        auto& w = st_->ues[ue.id];
        w.null_caps_pending = true;
        w.null_caps_frame = pkt.ref();
        w.null_caps_time = pkt.time_ns;
        w.null_caps_hex = hex_of(*mm.caps);
        w.gnb = std::string(pkt.gnb);
        w.amf = std::string(pkt.amf);
      }
      if (e.initial_message && (e.header_type == 0 || e.header_type == 1)) {
        const std::vector<std::string> extra = non_cleartext_ieis(mm);
        // A plain message's NAS message container is in clear too.
        std::vector<std::string> inner;
        if (e.header_type == 0 && e.container_mm != nullptr)
          inner = non_cleartext_ieis(*e.container_mm);
        if (!extra.empty() || !inner.empty()) {
          finding f = make("nas.cleartext_ie_violation", pkt, &ue);
          f.evidence["message_type"] = analysis::mm_type_name(mm.type);
          f.evidence["security_header_type"] = e.header_type;
          f.evidence["non_cleartext_ieis"] = extra;
          if (!inner.empty()) f.evidence["container_non_cleartext_ieis"] = inner;
          emit(std::move(f));
        }
      }
      [[fallthrough]];
    }
    case mm_type::identity_response: {
      if (mm.identity && mm.identity->type == 1) {
        if (ue.suci_null_scheme) {
          finding f = make("id.suci_null_scheme", pkt, &ue);
          f.evidence["message_type"] = analysis::mm_type_name(mm.type);
          f.evidence["protection_scheme_id"] = 0;
          if (ue.has_supi()) f.evidence["supi"] = ue.supi_text();
          emit(std::move(f));
        } else if (!ue.suci.empty()) {
          const bytes_view octets = ue.suci.octets();
          const std::string_view key(reinterpret_cast<const char*>(octets.data()), octets.size());
          auto [first_frame, inserted] = st_->sucis.try_emplace(key, pkt.ref());
          if (!inserted && *first_frame != pkt.ref()) {
            finding f = make("id.suci_replay", pkt, &ue);
            put_frame(f, "first_frame", *first_frame, opt_.files);
            f.evidence["message_type"] = analysis::mm_type_name(mm.type);
            emit(std::move(f));
          }
          if (st_->sucis.size() > opt_.max_tracked_subscribers) st_->sucis.clear();
        }
      }
      if (mm.type == mt(mm_type::identity_response) && mm.identity &&
          (mm.identity->type == 3 || mm.identity->type == 5) && e.header_type == 0 &&
          !e.security_active_before) {
        finding f = make("id.pei_before_security", pkt, &ue);
        f.evidence["direction"] = "uplink";
        f.evidence["identity_type"] = mm.identity->type == 3 ? "imei" : "imeisv";
        emit(std::move(f));
      }
      break;
    }
    case mm_type::identity_request: {
      if ((mm.identity_type_requested == 3 || mm.identity_type_requested == 5) &&
          e.header_type == 0 && !e.security_active_before) {
        finding f = make("id.pei_before_security", pkt, &ue);
        f.evidence["direction"] = "downlink";
        f.evidence["identity_type"] = mm.identity_type_requested == 3 ? "imei" : "imeisv";
        emit(std::move(f));
      }
      if (mm.identity_type_requested == 1) {
        const rate_window span{opt_.identity_request_window_ns, "window_s", 1'000'000'000};
        rate_event(window_of(st_->sub_identity_requests, subscriber_key(ue),
                             opt_.max_tracked_subscribers, findings_, opt_.files),
                   "id.identity_request_flood", pkt, &ue, "subscriber",
                   opt_.identity_requests_per_ue, span, list_frames(opt_.files));
        rate_event(window_of(st_->gnb_identity_requests, pkt.gnb, opt_.max_tracked_gnbs,
                             findings_, opt_.files),
                   "id.identity_request_flood", pkt, nullptr, "gnb",
                   opt_.identity_requests_per_gnb, span, list_frames(opt_.files));
      }
      break;
    }
    case mm_type::security_mode_command: {
      if (e.dir != direction::downlink) break;
      if (pu.null_caps_pending) {
        finding f = make("nas.ue_caps_null_only", pkt, &ue);
        f.level = severity::high;
        f.at(pu.null_caps_frame);
        f.time_ns = pu.null_caps_time;
        f.evidence["ue_security_capability"] = pu.null_caps_hex;
        f.evidence["amf_response"] = "security_mode_command";
        put_frame(f, "response_frame", pkt.ref(), opt_.files);
        pu.null_caps_pending = false;
        emit(std::move(f));
      }
      if (mm.nia == 0 && !ue.emergency) {
        finding f = make("nas.null_integrity", pkt, &ue);
        f.evidence["selected_nea"] = mm.nea;
        f.evidence["selected_nia"] = mm.nia;
        f.evidence["ngksi"] = mm.ngksi & 0x07;
        emit(std::move(f));
      }
      if (mm.nea == 0) {
        finding f = make("nas.null_ciphering", pkt, &ue);
        f.evidence["selected_nea"] = mm.nea;
        f.evidence["selected_nia"] = mm.nia;
        f.evidence["ngksi"] = mm.ngksi & 0x07;
        emit(std::move(f));
      }
      if (mm.caps && ue.nas_caps && !mm.caps->same_as(*ue.nas_caps)) {
        finding f = make("nas.smc_caps_mismatch", pkt, &ue);
        f.evidence["ue_security_capability"] = hex_of(*ue.nas_caps);
        put_frame(f, "ue_capability_frame", ue.nas_caps_frame, opt_.files);
        f.evidence["replayed_capability"] = hex_of(*mm.caps);
        emit(std::move(f));
      }
      if (e.header_type != 3) {
        finding f = make("nas.smc_ciphered", pkt, &ue);
        f.evidence["security_header_type"] = e.header_type;
        f.evidence["expected_security_header_type"] = 3;
        emit(std::move(f));
      }
      if (pu.res_mismatch_pending) {
        finding f = make("aka.res_mismatch_accepted", pkt, &ue);
        put_frame(f, "authentication_response_frame", pu.res_frame, opt_.files);
        f.evidence["smc_frame"] = pkt.frame;
        f.evidence["method"] = ue.auth_eap ? "eap-aka-prime" : "5g-aka";
        pu.res_mismatch_pending = false;
        emit(std::move(f));
      }
      break;
    }
    case mm_type::security_mode_reject: {
      if (mm.cause == 23) {
        finding f = make("nas.smc_reject_caps", pkt, &ue);
        f.evidence["cause"] = mm.cause;
        if (ue.smc_seen) put_frame(f, "smc_frame", ue.smc_frame, opt_.files);
        emit(std::move(f));
      }
      break;
    }
    case mm_type::registration_reject:
    case mm_type::registration_accept: {
      if (pu.null_caps_pending && e.dir == direction::downlink) {
        const bool accepted = mm.type == mt(mm_type::registration_accept);
        finding f = make("nas.ue_caps_null_only", pkt, &ue);
        f.level = accepted ? severity::high : severity::medium;
        f.at(pu.null_caps_frame);
        f.time_ns = pu.null_caps_time;
        f.evidence["ue_security_capability"] = pu.null_caps_hex;
        f.evidence["amf_response"] = analysis::mm_type_name(mm.type);
        put_frame(f, "response_frame", pkt.ref(), opt_.files);
        if (!accepted) f.evidence["cause"] = mm.cause;
        pu.null_caps_pending = false;
        emit(std::move(f));
      }
      if (mm.type == mt(mm_type::registration_accept) && !mm.identity &&
          (ue.registration_type == 1 || ue.registration_type == 2)) {
        finding f = make("id.guti_not_refreshed", pkt, &ue);
        f.evidence["registration_type"] = ue.registration_type == 1 ? "initial" : "mobility";
        put_frame(f, "registration_request_frame", ue.registration_frame, opt_.files);
        emit(std::move(f));
      }
      break;
    }
    case mm_type::authentication_request: {
      if (e.dir != direction::downlink) break;
      if (mm.autn && ((*mm.autn)[6] & 0x80) == 0) {
        finding f = make("aka.amf_separation_bit", pkt, &ue);
        f.evidence["autn_amf"] = to_hex(bytes_view(mm.autn->data() + 6, 2));
        emit(std::move(f));
      }
      if (mm.rand) {
        std::string& key = st_->key_scratch;
        identity_key_into(ue, key);
        if (!key.empty()) {
          const std::uint32_t entry = st_->rands.emplace(key, {}).first;
          auto& uses = st_->rands.at(entry);
          auto it = std::find_if(uses.begin(), uses.end(),
                                 [&](const rand_use& u) { return u.rand == *mm.rand; });
          if (it != uses.end() && it->answered) {
            finding f = make("aka.rand_reuse", pkt, &ue);
            put_frame(f, "first_frame", it->frame, opt_.files);
            f.evidence["subscriber"] = key;
            emit(std::move(f));
          }
          if (it == uses.end()) {
            if (uses.size() >= 16) uses.erase(uses.begin());
            uses.push_back(rand_use{*mm.rand, pkt.ref(), false});
          }
          st_->last_rand.try_emplace(ue.id, entry).first->second = entry;
          if (st_->rands.size() > opt_.max_tracked_subscribers) {
            st_->rands.clear();
            st_->last_rand.clear();
          }
        }
      }
      break;
    }
    case mm_type::authentication_response:
    case mm_type::authentication_failure: {
      if (auto k = st_->last_rand.find(ue.id); k != st_->last_rand.end()) {
        auto& uses = st_->rands.at(k->second);
        if (!uses.empty()) uses.back().answered = true;
      }
      if (mm.type == mt(mm_type::authentication_response)) {
        if (ue.res_star_checked && !ue.res_star_ok && ue.res_star_frame == pkt.ref()) {
          auto& w = st_->ues[ue.id];
          w.res_mismatch_pending = true;
          w.res_frame = pkt.ref();
        }
        break;
      }
      if (mm.cause == 20 || mm.cause == 21 || mm.cause == 26 || mm.cause == 71) {
        const rate_window span{opt_.auth_failure_window_ns, "window_s", 1'000'000'000};
        rate_event(window_of(st_->sub_auth_failures, subscriber_key(ue),
                             opt_.max_tracked_subscribers, findings_, opt_.files),
                   "aka.auth_failure_storm", pkt, &ue, "subscriber", opt_.auth_failures_per_ue,
                   span, [&](finding& f, const window& w) {
                     f.evidence["last_cause"] = mm.cause;
                     put_frames(f, "frames", w.frames(), opt_.files);
                     // With keys, an AUTS whose MAC-S fails was not made by the subscriber's
                     // USIM.
                     if (ue.auts_checked && ue.auts_frame == pkt.ref())
                       f.evidence["auts_mac"] = ue.auts_ok ? "ok" : "failed";
                   });
        rate_event(window_of(st_->gnb_auth_failures, pkt.gnb, opt_.max_tracked_gnbs, findings_,
                             opt_.files),
                   "aka.auth_failure_storm", pkt, nullptr, "gnb", opt_.auth_failures_per_gnb,
                   span, [&](finding& f, const window& w) {
                     f.evidence["last_cause"] = mm.cause;
                     put_frames(f, "frames", w.frames(), opt_.files);
                   });
      }
      break;
    }
    case mm_type::authentication_reject:
      if (pu.res_mismatch_pending) pu.res_mismatch_pending = false;  // `none` stays untouched
      break;
    default:
      break;
  }
}

void engine::on_ngap(const analysis::ngap_event& e) {
  const analysis::packet_meta& pkt = *e.pkt;
  if (e.reused_live_ran_id && e.ue != nullptr) {
    finding f = make("ngap.duplicate_ran_ue_id", pkt, e.ue);
    f.evidence["ran_ue_ngap_id"] = e.ue->ran_ue_ngap_id;
    put_frame(f, "previous_first_frame", e.reused_first_frame, opt_.files);
    emit(std::move(f));
  }
  // InitialUEMessage, unless it carries a Service Request / Deregistration Request: a flood of
  // registrations (or of undecodable initial messages), not the busy hour of a gNB's
  // registered UEs coming back from CM-IDLE.
  if (e.procedure_code == 15 && e.pdu_type == 0 &&
      !std::exchange(st_->initial_not_registration, false)) {
    const rate_window span{opt_.registration_window_ns, "window_ms", 1'000'000};
    rate_event(window_of(st_->gnb_registrations, pkt.gnb, opt_.max_tracked_gnbs, findings_,
                         opt_.files),
               "ngap.registration_flood", pkt, nullptr, nullptr, opt_.registrations_per_gnb,
               span, list_frames(opt_.files));
  }
  if (e.security_key_present) {
    auto& reported = st_->key_in_clear_reported;
    std::string& assoc = st_->assoc_scratch;  // reused: no allocation per message
    assoc.assign(pkt.gnb).append("|").append(pkt.amf);
    if (!reported.contains(assoc)) {
      // Bounded like the rate windows: when full it starts over (an association may be
      // reported again).
      if (reported.size() >= opt_.max_tracked_gnbs) reported.clear();
      reported.insert(assoc);
      finding f = make("ngap.key_in_clear", pkt, e.ue);
      f.evidence["procedure_code"] = e.procedure_code;
      f.evidence["ie"] = "SecurityKey";
      emit(std::move(f));
    }
  }
  if (e.ue == nullptr) return;
  const analysis::ue_context& ue = *e.ue;
  // The AS keys on N2 against the UE's NAS context (keys known and verified).
  const auto as_key = [&](analysis::as_key_verdict v, const char* ie, const char* what,
                          std::uint32_t value) {
    if (v != analysis::as_key_verdict::mismatch) return;
    finding f = make("ngap.as_key_mismatch", pkt, &ue);
    f.evidence["ie"] = ie;
    f.evidence["procedure_code"] = e.procedure_code;
    f.evidence[what] = value;
    emit(std::move(f));
  };
  as_key(e.security_key, "SecurityKey", "uplink_nas_count", e.security_key_count);
  as_key(e.next_hop, "SecurityContext", "ncc", e.ncc);
  // Per-UE rule state exists only while a rule waits for something (most UEs never need it).
  auto found_pu = st_->ues.find(ue.id);
  state::per_ue& pu = found_pu != st_->ues.end() ? found_pu->second : st_->none;
  // NGAP bitmaps have no bit for the null algorithms (EA0/IA0/EEA0/EIA0): mask them in NAS.
  auto masked = [](analysis::ue_sec_caps c) {
    for (auto& o : c.octets) o &= 0x7f;
    return c;
  };
  if (e.caps && ue.nas_caps) {
    const analysis::ue_sec_caps nas = masked(*ue.nas_caps);
    const bool differ = !e.caps->same_as(nas);
    if (e.procedure_code == 14 && e.pdu_type == 0 && differ) {  // InitialContextSetupRequest
      finding f = make("ngap.caps_mismatch", pkt, &ue);
      f.evidence["ngap_capability"] = hex_of(*e.caps);
      f.evidence["nas_capability"] = hex_of(nas);
      put_frame(f, "nas_capability_frame", ue.nas_caps_frame, opt_.files);
      emit(std::move(f));
    }
    if (e.procedure_code == 25 && e.pdu_type == 0) {  // PathSwitchRequest
      auto& w = st_->ues[ue.id];
      w.path_switch_pending = differ;
      w.path_switch_frame = pkt.ref();
      w.path_switch_caps = hex_of(*e.caps);
    }
    if (e.procedure_code == 25 && e.pdu_type == 1 && pu.path_switch_pending) {  // ...Acknowledge
      if (differ) {
        finding f = make("ngap.path_switch_caps_mismatch", pkt, &ue);
        put_frame(f, "path_switch_request_frame", pu.path_switch_frame, opt_.files);
        f.evidence["received_capability"] = pu.path_switch_caps;
        f.evidence["stored_capability"] = hex_of(nas);
        f.evidence["acknowledged_capability"] = hex_of(*e.caps);
        emit(std::move(f));
      }
      pu.path_switch_pending = false;
    }
  } else if (e.procedure_code == 25 && e.pdu_type == 1 && pu.path_switch_pending) {
    // Acknowledge without UE Security Capabilities: the AMF did not correct them.
    finding f = make("ngap.path_switch_caps_mismatch", pkt, &ue);
    put_frame(f, "path_switch_request_frame", pu.path_switch_frame, opt_.files);
    f.evidence["received_capability"] = pu.path_switch_caps;
    if (ue.nas_caps) f.evidence["stored_capability"] = hex_of(masked(*ue.nas_caps));
    emit(std::move(f));
    pu.path_switch_pending = false;
  }
  if (e.up_integrity_required) {
    auto& w = st_->ues[ue.id];
    if (w.up_required.size() < 16) w.up_required.emplace_back(e.pdu_session_id, pkt.ref());
  }
  if (e.up_integrity_not_performed) {
    auto it = std::find_if(pu.up_required.begin(), pu.up_required.end(),
                           [&](const auto& p) { return p.first == e.pdu_session_id; });
    if (it != pu.up_required.end()) {
      finding f = make("ngap.up_integrity_not_enforced", pkt, &ue);
      f.evidence["pdu_session_id"] = e.pdu_session_id;
      put_frame(f, "request_frame", it->second, opt_.files);
      f.evidence["integrity_protection_result"] = "not_performed";
      emit(std::move(f));
      pu.up_required.erase(it);
    }
  }
}

void engine::on_ue_end(const analysis::ue_context& ue) {
  if (auto k = st_->last_rand.find(ue.id); k != st_->last_rand.end()) st_->last_rand.erase(k);
  auto it = st_->ues.find(ue.id);
  if (it == st_->ues.end()) return;
  auto& pu = it->second;
  if (pu.null_caps_pending) {
    analysis::packet_meta pkt;
    pkt.frame = analysis::frame_of(pu.null_caps_frame);
    pkt.file = analysis::file_of(pu.null_caps_frame);
    pkt.time_ns = pu.null_caps_time;
    pkt.gnb = pu.gnb;
    pkt.amf = pu.amf;
    finding f = make("nas.ue_caps_null_only", pkt, &ue);
    f.evidence["ue_security_capability"] = pu.null_caps_hex;
    f.evidence["amf_response"] = "none";
    emit(std::move(f));
  }
  st_->ues.erase(it);
}

void engine::finish() {
  // Bursts still in progress at the end of the input end there.
  for (auto* m : {&st_->gnb_auth_failures, &st_->gnb_identity_requests, &st_->gnb_registrations,
                  &st_->sub_auth_failures, &st_->sub_identity_requests})
    close_all(*m, findings_, opt_.files);
  std::stable_sort(findings_.begin(), findings_.end(), [](const finding& a, const finding& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.frame != b.frame) return a.frame < b.frame;
    return a.rule->id < b.rule->id;
  });
}

}  // namespace sec5g::rules
