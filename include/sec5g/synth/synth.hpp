#pragma once
/// The traffic synthesizer: simulated UEs, gNBs and one AMF that run the real 5G procedures with
/// real crypto (MILENAGE, the TS 33.501 Annex A key hierarchy, 128-NEA/NIA, SUCI profiles A/B)
/// and emit the N2 traffic (NGAP over SCTP over IPv4 over Ethernet) packet by packet.
///
/// The engine streams: it keeps at most `options::window` UE contexts alive and hands every packet
/// to a sink as soon as it exists, so memory does not depend on the number of UEs. Output is a
/// pure function of the options (same seed -> identical bytes).
/// Ref: TS 23.502 4.2.2.2 (registration), 4.2.3 (service request), 4.2.2.3 (deregistration),
/// TS 24.501 5.4/5.5, TS 33.501 6.1/6.7/6.8, TS 38.413 8.

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sec5g/core/bytes.hpp"

namespace sec5g::synth {

/// What the synthesized traffic contains (ARCHITECTURE.md "Synthesizer scenarios").
enum class scenario : std::uint8_t {
  benign,                    ///< 5G-AKA, SMC, registration, PDU session, service request(s), deregistration
  benign_eap,                ///< the same with EAP-AKA'
  null_integrity,            ///< some UEs get 5G-IA0 in the SMC
  null_ciphering,            ///< some UEs get 5G-EA0 in the SMC
  suci_null_scheme,          ///< some UEs send a null-scheme SUCI
  suci_replay,               ///< a SUCI (same ephemeral key) is replayed by another "UE"
  bidding_down,              ///< the SMC replays reduced UE security capabilities (UE accepts)
  smc_reject,                ///< the UE rejects the SMC with cause #23
  smc_ciphered,              ///< the SMC is sent ciphered (security header type 4)
  unprotected_after_smc,     ///< a Registration Accept without integrity after the SMC
  nas_replay,                ///< an uplink NAS message replayed with the same COUNT
  mac_failure,               ///< an uplink NAS message altered in transit (MAC fails)
  auth_failure_storm,        ///< UEs answering every challenge with Authentication Failure
  registration_flood,        ///< a burst of Registration Requests on one gNB
  pei_before_security,       ///< Identity Request for the IMEI before the SMC
  path_switch_bidding_down,  ///< Xn handover whose PathSwitchRequest carries reduced caps
  caps_mismatch_ngap,        ///< InitialContextSetup caps differ from the NAS ones
  container_in_clear,        ///< a Service Request whose NAS message container is not ciphered
  mixed,                     ///< a realistic blend of all of the above among benign UEs
};

/// Every scenario, in the order above.
std::span<const scenario> all_scenarios() noexcept;
/// The command-line name, e.g. "null-integrity".
std::string_view to_string(scenario s) noexcept;
/// Parses a command-line name; nullopt when unknown.
std::optional<scenario> parse_scenario(std::string_view name) noexcept;

/// SUCI protection scheme used by the UEs. Ref: TS 33.501 C.3.
enum class suci_profile : std::uint8_t { null_scheme = 0, profile_a = 1, profile_b = 2 };

/// The largest `options::cycles`.
inline constexpr std::uint32_t max_cycles = 10000;

/// Options of one run. Algorithms are the 4-bit identifiers of TS 24.501 9.11.3.34.
struct options {
  scenario what = scenario::benign;
  std::uint64_t ues = 10;           ///< UEs to simulate (benign + attacking)
  std::uint64_t seed = 1;           ///< every random choice derives from it
  std::uint8_t nea = 2;             ///< ciphering algorithm the AMF selects (0..3)
  std::uint8_t nia = 2;             ///< integrity algorithm the AMF selects (0..3)
  suci_profile profile = suci_profile::profile_a;
  std::uint32_t gnbs = 1;           ///< gNBs, one SCTP association each
  std::uint32_t window = 4096;      ///< most UE contexts alive at once (memory bound)
  std::uint8_t hn_key_id = 1;       ///< home network public key id written in the SUCIs
  /// Connected/idle cycles of each benign UE before it deregisters (1..max_cycles). Cycle 1 is
  /// the registration's connected period (with PDU session 1), the release to CM-IDLE and a
  /// Service Request; every further cycle is a connected period (sometimes with a second PDU
  /// session established and released), the release to CM-IDLE, every third cycle a periodic
  /// registration update while idle, and a Service Request in a new N2 connection. 1 = the
  /// registration-storm traffic of earlier versions, byte for byte. Attacking UEs run 1.
  /// Ref: TS 23.502 4.2.3.2, 4.2.6, 4.2.2.2.2 (periodic), 4.3.2 / 4.3.4 (PDU session).
  std::uint32_t cycles = 1;
  /// Start of the capture, ns since the Unix epoch (fixed default: 2026-01-01T00:00:00Z).
  std::int64_t start_time_ns = 1767225600LL * 1000000000LL;
};

/// A subscriber of the run, for the key file (`supi,k,opc`). Secrets are given as hex text
/// because their only use is to be written to the file the user asked for.
struct subscriber {
  std::string supi;  ///< "imsi-<digits>"
  std::string k_hex;
  std::string opc_hex;
};

/// A finding the traffic is built to produce (what `sec5g audit` must report).
struct truth_finding {
  std::string rule;             ///< rule id of the catalogue, e.g. "nas.null_integrity"
  std::uint64_t frame = 0;      ///< the frame that proves it (1-based, capture order)
  std::vector<std::uint64_t> frames;  ///< all evidence frames (includes `frame`)
  std::uint64_t ue = 0;         ///< UE index in the run (0-based); 0 with no_ue for gNB findings
  bool no_ue = false;           ///< a finding about a gNB (e.g. registration flood)
  std::string supi;             ///< "imsi-..." (empty for gNB findings)
  std::uint32_t gnb = 0;        ///< index of the gNB (0-based)
  std::optional<std::uint32_t> ran_ue_ngap_id;
  std::optional<std::uint64_t> amf_ue_ngap_id;
};

/// Counters of a finished run.
struct run_stats {
  std::uint64_t frames = 0;
  std::uint64_t ngap_messages = 0;
  std::uint64_t nas_messages = 0;
  std::uint64_t ues = 0;
  std::uint64_t attacking_ues = 0;
  std::uint64_t truth_findings = 0;
  std::uint64_t bytes = 0;           ///< frame bytes handed to the sink
  std::int64_t last_time_ns = 0;
};

/// Where the engine puts what it makes. Frames are numbered 1, 2, ... in call order.
class sink {
 public:
  virtual ~sink() = default;
  /// One Ethernet frame with its capture time and an optional comment. The view is valid only
  /// during the call.
  virtual void on_frame(std::int64_t time_ns, bytes_view frame, std::string_view comment) = 0;
  /// A subscriber, once, when its UE is created.
  virtual void on_subscriber(const subscriber& s) = 0;
  /// A finding the traffic proves; emitted after its last evidence frame.
  virtual void on_truth(const truth_finding& f) = 0;
};

/// Why a run could not be made.
struct synth_error {
  std::string message;
};

/// Runs the simulation, feeding `out`. Errors: invalid options, a crypto back end failure.
/// Never throws on its own account (allocation failure aside).
std::expected<run_stats, synth_error> run(const options& opt, sink& out);

/// The home-network key pair the run uses for `profile` (derived from the seed), as the PEM text
/// of the private key in the form Open5GS reads (PKCS#8 X25519 for profile A, SEC1 EC private key
/// on prime256v1 for profile B). Errors: profile null, OpenSSL failure.
std::expected<std::string, synth_error> home_network_key_pem(const options& opt);

/// The truth as one JSON object (a line of `--truth-out`): {"type":"truth","rule","frame",
/// "frames":[...],"ue":{"index","supi","ran_ue_ngap_id","amf_ue_ngap_id"},"gnb"}.
std::string to_json_line(const truth_finding& f);

}  // namespace sec5g::synth
