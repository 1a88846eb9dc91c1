#pragma once
/// Per-UE security-context tracking over N2: UE contexts keyed by association + RAN-UE-NGAP-ID,
/// linked by AMF-UE-NGAP-ID (also across associations: path switch, handover) and by 5G-TMSI
/// across connections. An N2 handover whose HandoverRequest gives the target a new
/// AMF-UE-NGAP-ID is linked by its Source to Target Transparent Container (copied by the AMF
/// from the source's HandoverRequired); the source side's ids stay aliases of the UE until the
/// source's UE context release. Identities (SUCI/SUPI/5G-GUTI); 5G-AKA runs; with subscriber keys the
/// key hierarchy (TS 33.501 Annex A), NAS COUNTs, deciphering (NEA1-3) and MAC verification
/// (NIA1-3) of every protected NAS message in both directions.
///
/// Input: one NGAP PDU at a time (with its frame number, capture time and association).
/// Output: events to an event_sink (the rules engine, the decipher writer, decode's annotator).
/// Memory is bounded by live UE contexts (idle expiry in capture time, max_ues cap with LRU
/// eviction), never by packets. Not thread-safe: one tracker per pipeline.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sec5g/analysis/nas_info.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/suci_source.hpp"
#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/identity/mobile_identity.hpp"

namespace sec5g::ngap {
struct pdu;
}  // namespace sec5g::ngap
namespace sec5g::identity {
class hn_key_store;
}  // namespace sec5g::identity

namespace sec5g::analysis {

/// A frame of a run over several input files: the file index in the top 24 bits, the 1-based
/// frame number (Wireshark numbers each file from 1) in the low 40. The tracker and the rules
/// keep these for evidence, so a frame of an earlier file is not mistaken for one of this file.
using frame_ref = std::uint64_t;
inline constexpr unsigned frame_ref_bits = 40;
constexpr std::uint64_t frame_of(frame_ref r) noexcept {
  return r & ((std::uint64_t{1} << frame_ref_bits) - 1);
}
constexpr frame_ref make_frame_ref(std::uint32_t file, std::uint64_t frame) noexcept {
  return (static_cast<std::uint64_t>(file) << frame_ref_bits) | frame_of(frame);
}
constexpr std::uint32_t file_of(frame_ref r) noexcept {
  return static_cast<std::uint32_t>(r >> frame_ref_bits);
}

/// Where a PDU came from. `gnb` / `amf` are stable text labels of the association's endpoints
/// (e.g. "10.0.0.2:9487"); views must stay valid for the duration of on_ngap().
struct packet_meta {
  std::uint64_t frame = 0;       ///< 1-based frame number (of the last packet of the message)
  std::int64_t time_ns = 0;      ///< capture time, ns since the Unix epoch
  std::uint32_t association = 0; ///< SCTP association index (stable within a run)
  std::uint32_t file = 0;        ///< index of the input file (runs over several files)
  std::string_view gnb;          ///< gNB endpoint label
  std::string_view amf;          ///< AMF endpoint label
  [[nodiscard]] constexpr frame_ref ref() const noexcept { return make_frame_ref(file, frame); }
};

/// NAS direction (TS 33.501 D.2.1: DIRECTION 0 uplink, 1 downlink).
enum class direction : std::uint8_t { uplink = 0, downlink = 1 };

/// MAC verdict of one NAS message.
enum class mac_verdict : std::uint8_t {
  not_protected,  ///< plain NAS message
  no_context,     ///< protected, but no security context is known (no keys, or before capture)
  ok,             ///< MAC verified
  failed,         ///< MAC did not verify at any plausible COUNT
};
const char* to_string(mac_verdict v) noexcept;

/// A compact SUPI: the IMSI digits ("imsi-" prefix implied) or empty.
struct supi_digits {
  std::array<char, 15> d{};
  std::uint8_t len = 0;
  [[nodiscard]] std::string_view view() const noexcept { return {d.data(), len}; }
  [[nodiscard]] bool empty() const noexcept { return len == 0; }
  void assign(std::string_view s) noexcept;
};

/// A SUCI kept in the octets it arrived in (the 5GS mobile identity's value, TS 24.501
/// 9.11.3.4): ~53 octets on the heap for a profile A SUCI, against ~114 for its text, in every
/// UE context that registered with one. text() writes the UDM string form (identity::to_string).
class packed_suci {
 public:
  packed_suci() = default;
  packed_suci(const packed_suci& o) { assign(o.octets()); }
  packed_suci& operator=(const packed_suci& o) {
    if (this != &o) assign(o.octets());
    return *this;
  }
  packed_suci(packed_suci&&) noexcept = default;
  packed_suci& operator=(packed_suci&&) noexcept = default;
  ~packed_suci() = default;

  [[nodiscard]] bool empty() const noexcept { return p_ == nullptr; }
  /// Keeps a copy of `value`, the value of a SUCI mobile identity (empty: clears).
  void assign(bytes_view value);
  /// The octets kept (empty if none).
  [[nodiscard]] bytes_view octets() const noexcept;
  /// The UDM string form ("suci-..."), empty when empty or not a decodable SUCI.
  [[nodiscard]] std::string text() const;
  void text_into(std::string& out) const;
  /// Octets held on the heap.
  [[nodiscard]] std::size_t heap_bytes() const noexcept;

 private:
  std::unique_ptr<std::uint8_t[]> p_;  ///< a 2-octet length (host order), then the octets
};

/// One UE as the tracker knows it. Rules read it; only the tracker changes it.
struct ue_context {
  // (Fields are grouped by size, not by topic, to keep the record small: see bytes_per_ue; the
  // ones read or written for every message of the UE come first, next to the tracker's own
  // per-message fields, so that a message touches few cache lines of its UE's record.)
  // --- bookkeeping ---
  std::int64_t last_seen_ns = 0;
  std::uint64_t id = 0;                    ///< unique id of this context within the run
  // --- procedure state read by the rules ---
  bool has_plmn = false;
  bool has_ran_id = false;
  bool has_amf_id = false;
  bool suci_null_scheme = false; ///< the last SUCI used the null scheme
  bool supi_from_suci = false;   ///< SUPI learnt by de-concealing a SUCI (or null scheme)
  bool emergency = false;                  ///< emergency registration requested
  bool security_active = false;            ///< a security context is in use on this connection
  bool smc_seen = false;                   ///< an SMC was sent on this connection
  std::uint8_t smc_nea = 0, smc_nia = 0;
  bool res_star_checked = false;           ///< an Authentication Response was checked with keys
  bool res_star_ok = false;                ///< RES* (5G-AKA) / AT_RES (EAP-AKA') matched
  bool auth_eap = false;                   ///< the last authentication used EAP-AKA'
  bool auts_checked = false;               ///< an AUTS (synchronisation failure) was checked with keys
  bool auts_ok = false;                    ///< its MAC-S verified
  bool registration_pending = false;       ///< initial/mobility registration awaiting Accept
  std::uint8_t registration_type = 0;
  bool keys_known = false;                 ///< the current (or pending) context has keys
  std::array<std::uint8_t, 3> plmn{};      ///< serving PLMN (NGAP TAI), for the SNN
  std::optional<ue_sec_caps> nas_caps;     ///< UE security capability from Registration Request
  // --- NGAP connection ---
  std::uint64_t amf_ue_ngap_id = 0;
  std::uint32_t association = 0;
  std::uint32_t ran_ue_ngap_id = 0;
  // --- identities ---
  packed_suci suci;              ///< last SUCI seen (suci.text(): the UDM string form)
  /// Last 5G-GUTI (kept in its 20 octets rather than as text: it is assigned on every
  /// Registration Accept; guti_text() writes the text).
  std::optional<identity::guti_5g> guti;
  supi_digits supi;              ///< known SUPI when it is an IMSI (digits)
  /// Known SUPI when it is a NAI ("nai-user@realm"); null otherwise. Points into the key file or
  /// the tracker's per-UE storage; valid while the context is live.
  const std::string* supi_nai = nullptr;
  std::optional<std::uint32_t> tmsi;  ///< 5G-TMSI of the last 5G-GUTI / 5G-S-TMSI
  // --- frames of the procedure steps read by the rules (file and frame: frame_ref) ---
  frame_ref nas_caps_frame = 0;
  frame_ref smc_frame = 0;
  frame_ref res_star_frame = 0;
  frame_ref auts_frame = 0;
  frame_ref registration_frame = 0;
  std::int64_t first_seen_ns = 0;
  frame_ref first_frame = 0;

  /// The last 5G-GUTI as text ("5g-guti-...", identity::to_string), empty if none.
  [[nodiscard]] std::string guti_text() const {
    std::string s;
    guti_text_into(s);
    return s;
  }
  /// The same, written into `out`.
  void guti_text_into(std::string& out) const {
    if (guti) identity::assign_text(out, *guti);
    else out.clear();
  }
  /// Whether the SUPI is known (IMSI or NAI).
  [[nodiscard]] bool has_supi() const noexcept { return !supi.empty() || supi_nai != nullptr; }
  /// The SUPI as text ("imsi-<digits>" / "nai-<user@realm>"), empty if unknown.
  [[nodiscard]] std::string supi_text() const {
    std::string s;
    supi_text_into(s);
    return s;
  }
  /// The same, written into `out` (a reused buffer: no allocation once it is large enough).
  void supi_text_into(std::string& out) const {
    if (!supi.empty()) {
      out.assign("imsi-");
      out.append(supi.view());
    } else if (supi_nai != nullptr) {
      out.assign(*supi_nai);
    } else {
      out.clear();
    }
  }
};

/// Counters for the summary.
struct tracker_stats {
  std::uint64_t ngap = 0;        ///< NGAP PDUs decoded
  std::uint64_t nas = 0;         ///< NAS PDUs seen
  std::uint64_t protected_nas = 0;
  std::uint64_t deciphered = 0;  ///< ciphered (NEA1-3) messages deciphered, NAS message containers included
  std::uint64_t mac_ok = 0;
  std::uint64_t mac_failed = 0;
  std::uint64_t no_context = 0;  ///< protected messages without a known context
  std::uint64_t malformed = 0;   ///< NGAP or NAS PDUs that failed to decode
  std::uint64_t ues = 0;         ///< UE contexts created
  std::uint64_t evicted = 0;     ///< contexts evicted by the max_ues cap
  std::uint64_t expired = 0;     ///< contexts expired idle
  std::uint64_t auth_identified = 0;  ///< subscribers identified by AUTN over candidate keys
};

/// One NAS message after the tracker's work.
struct nas_event {
  const packet_meta* pkt = nullptr;
  const ue_context* ue = nullptr;        ///< never null
  direction dir = direction::uplink;
  std::uint8_t procedure_code = 0;       ///< NGAP procedure carrying it
  bool initial_message = false;          ///< in an InitialUEMessage
  std::uint32_t offset = 0;              ///< offset of the NAS-PDU in the NGAP PDU
  std::uint32_t length = 0;              ///< its length
  std::int16_t pdu_session_id = -1;      ///< carried in a PDU session item
  std::uint8_t epd = 0;
  std::uint8_t header_type = 0;          ///< security header type (0 plain)
  bool ciphered = false;                 ///< header type 2/4 with a non-null algorithm
  bool deciphered = false;               ///< `plain` holds the deciphered message
  mac_verdict mac = mac_verdict::not_protected;
  std::optional<std::uint32_t> count;    ///< NAS COUNT used (protected messages)
  std::uint8_t nea = 0, nia = 0;         ///< algorithms of the context used (if any)
  bool count_replay = false;             ///< COUNT repeated or went back in this context
  std::uint32_t previous_count = 0;      ///< the last COUNT seen before (when count_replay)
  bool security_active_before = false;   ///< security was active on the connection before it
  /// The plain 5GMM/5GSM message (inner message; deciphered when it was ciphered); empty when
  /// unreadable. For a plain PDU, the PDU itself. Valid during the callback only.
  bytes_view plain;
  /// The fields of the plain 5GMM message, when readable and decodable.
  const mm_fields* mm = nullptr;
  bool malformed = false;                ///< the NAS PDU did not decode
  /// The NAS message container (IEI 0x71) of an integrity-protected uplink Registration or
  /// Service Request, in plain form: the complete initial message, which the UE ciphers with
  /// the current context's NEA, the uplink NAS COUNT and BEARER of the outer message
  /// (TS 24.501 4.4.6, TS 33.501 6.4.6). Set when the outer MAC verified (deciphered with
  /// NEA1-3), when the context uses 5G-EA0 (as on the wire), when the UE did not cipher it
  /// (container_in_clear) or when the outer message is plain (header type 0), and only when it
  /// is a plain 5GMM message of the outer message's type; empty otherwise. Valid during the
  /// callback only.
  bytes_view container_plain;
  std::uint32_t container_offset = 0;    ///< offset of the container value in the NAS PDU
  bool container_deciphered = false;     ///< `container_plain` was deciphered (NEA1-3)
  /// The fields of the message in `container_plain` (set with it).
  const mm_fields* container_mm = nullptr;
  /// The container was sent as a plain message although the current context ciphers
  /// (NEA1-3): its non-cleartext IEs travelled in clear (`container_plain` is the value as
  /// sent). Ref: TS 24.501 4.4.6, TS 33.501 6.4.6.
  bool container_in_clear = false;
};

/// Check of an access-stratum key the AMF sends on N2 against the UE's NAS security context.
enum class as_key_verdict : std::uint8_t {
  not_checked,  ///< no such IE, or no verified context with keys
  ok,           ///< equals the derivation
  mismatch,     ///< differs from the derivation
};
const char* to_string(as_key_verdict v) noexcept;

/// An NGAP-level event (after the tracker updated its state).
struct ngap_event {
  const packet_meta* pkt = nullptr;
  const ue_context* ue = nullptr;        ///< null for non-UE-associated messages
  const ngap::pdu* pdu = nullptr;
  std::uint8_t procedure_code = 0;
  std::uint8_t pdu_type = 0;             ///< 0 initiating, 1 successful, 2 unsuccessful
  bool reused_live_ran_id = false;       ///< InitialUEMessage reused a live RAN-UE-NGAP-ID
  frame_ref reused_first_frame = 0;      ///< first frame of the context it replaced
  bool security_key_present = false;     ///< SecurityKey IE (K_gNB) on the wire
  /// UE Security Capabilities IE (InitialContextSetupRequest, PathSwitchRequest, its Ack,
  /// HandoverRequest), 5G octets as NAS encodes them (EA bits, IA bits, EEA, EIA).
  std::optional<ue_sec_caps> caps;
  /// SecurityKey IE (K_gNB) against KDF(K_AMF, uplink NAS COUNT of the last uplink NAS
  /// message, 3GPP access). Ref: TS 33.501 A.9.
  as_key_verdict security_key = as_key_verdict::not_checked;
  std::uint32_t security_key_count = 0;  ///< the uplink NAS COUNT used (when checked)
  /// SecurityContext IE (NCC, NH) against the NH chain from the K_gNB of the last SecurityKey:
  /// NH(1) = KDF(K_AMF, K_gNB), NH(n+1) = KDF(K_AMF, NH(n)). Ref: TS 33.501 A.10.
  as_key_verdict next_hop = as_key_verdict::not_checked;
  std::uint8_t ncc = 0;                  ///< the NCC of the SecurityContext IE (when checked)
  bool up_integrity_required = false;    ///< PDU session setup request asked integrity "required"
  bool up_integrity_not_performed = false;  ///< response said integrity "not performed"
  std::uint8_t pdu_session_id = 0;
};

/// Receiver of tracker events.
class event_sink {
 public:
  virtual ~event_sink() = default;
  virtual void on_nas(const nas_event& e) = 0;
  virtual void on_ngap(const ngap_event& e) = 0;
  /// A context leaves the table (release, expiry, eviction, end of capture).
  virtual void on_ue_end(const ue_context& /*ue*/) {}
};

/// Tracker options.
struct tracker_options {
  std::size_t max_ues = 100'000;            ///< cap of the UE table (oldest evicted)
  /// Expiry of contexts without traffic, in capture time. 24 h: a UE in CM-IDLE keeps its NAS
  /// context while its periodic registration timer runs (T3512, 54 min by default, hours in
  /// some networks; TS 24.501 10.2); max_ues bounds the memory whatever the expiry.
  std::int64_t idle_timeout_ns = 24LL * 3600 * 1'000'000'000;
  std::string serving_network_name;         ///< --snn; empty = from the PLMN on N2
  std::uint8_t nas_bearer = 1;              ///< BEARER of NAS (see docs/RULES.md); 0 is tried too
  bool keep_plain = true;                   ///< decipher into nas_event::plain
  /// SUCI de-concealments computed elsewhere (e.g. ahead on other threads); null = the
  /// tracker's own SIDF. Must outlive the tracker.
  suci_source* suci_cache = nullptr;
};

/// The tracker. See the file comment.
class tracker {
 public:
  /// `keys` may be null (no subscriber keys: header-level analysis only); `hn_keys` may be null
  /// (no SUCI de-concealment). Both and `sink` must outlive the tracker.
  tracker(const tracker_options& opt, const subscriber_db* keys,
          const identity::hn_key_store* hn_keys, event_sink& sink);
  ~tracker();
  tracker(const tracker&) = delete;
  tracker& operator=(const tracker&) = delete;

  /// Processes one NGAP PDU. Never throws on bad input: malformed PDUs are counted.
  void on_ngap(const packet_meta& pkt, bytes_view ngap_pdu);

  /// Ends the run: every live context gets on_ue_end (deterministic order).
  void finish();

  [[nodiscard]] const tracker_stats& stats() const noexcept;
  /// Live UE contexts.
  [[nodiscard]] std::size_t live_ues() const noexcept;
  /// Approximate bytes held per live UE context (struct + index entries + heap strings).
  [[nodiscard]] std::size_t bytes_per_ue() const noexcept;
  /// The fixed storage of one UE context: the internal record (keys and counters included)
  /// and its link in the idle order.
  static std::size_t record_size() noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sec5g::analysis
