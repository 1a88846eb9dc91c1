#pragma once
/// Domain types of the NGAP IEs that matter to security and to tracking UEs, with their
/// decoders (from an IE's open-type value, `protocol_ie::value`) and encoders (to the value
/// bytes that go into a protocol_ie). No ASN.1 type leaks out: the structs hold plain numbers,
/// fixed arrays and views.
///
/// Lifetimes: `bytes_view` / `std::string_view` members are views into the decoded bytes.
/// Decoders are noexcept and return std::expected<T, decode_error>; offsets in errors are
/// relative to the start of the value given. Encoders append to a byte_buffer and return
/// bad_value when a field is out of its ASN.1 range.
///
/// Ref: TS 38.413 9.3 (IE definitions), 9.4.5 (NGAP-IEs ASN.1).

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::ngap {

/// PLMNIdentity ::= OCTET STRING (SIZE(3)), TBCD as in TS 38.413 9.3.3.5.
using plmn_identity = byte_array<3>;

/// "MCC-MNC" of a PLMN identity, e.g. "208-93" or "001-01"; "invalid" for non-BCD digits.
std::string plmn_to_string(const plmn_identity& plmn);

/// UESecurityCapabilities: each algorithm set is a 16-bit bitmap, first bit of the BIT STRING
/// in the most significant bit: 0x8000 = 128-NEA1/NIA1 (EEA1/EIA1), 0x4000 = 128-NEA2/NIA2,
/// 0x2000 = 128-NEA3/NIA3. NEA0/NIA0 are implicit (always supported).
/// Ref: TS 38.413 9.3.1.86.
struct ue_security_capabilities {
  std::uint16_t nr_encryption = 0;
  std::uint16_t nr_integrity = 0;
  std::uint16_t eutra_encryption = 0;
  std::uint16_t eutra_integrity = 0;
  /// True when a bitmap on the wire was longer than 16 bits (extension); the first 16 are kept.
  bool extended_length = false;
  friend bool operator==(const ue_security_capabilities&,
                         const ue_security_capabilities&) = default;
};

/// True when algorithm `n` (1..3 for NEA1..3/NIA1..3, 0 always true) is set in `bitmap`.
constexpr bool has_algorithm(std::uint16_t bitmap, unsigned n) noexcept {
  return n == 0 || (n <= 16 && ((bitmap >> (16 - n)) & 1U) != 0);
}

/// SecurityContext: Next Hop Chaining Count (0..7) and the Next Hop (NH, 256 bits, a view of
/// 32 bytes into the PDU: copy it into a sec5g::secret when kept). Ref: TS 38.413 9.3.1.88.
struct security_context {
  std::uint8_t next_hop_chaining_count = 0;
  bytes_view next_hop;
};

/// GUAMI. Ref: TS 38.413 9.3.3.3.
struct guami {
  plmn_identity plmn{};
  std::uint8_t amf_region_id = 0; ///< 8 bits
  std::uint16_t amf_set_id = 0;   ///< 10 bits
  std::uint8_t amf_pointer = 0;   ///< 6 bits
  friend bool operator==(const guami&, const guami&) = default;
};

/// 5G-S-TMSI. Ref: TS 38.413 9.3.3.20.
struct five_g_s_tmsi {
  std::uint16_t amf_set_id = 0; ///< 10 bits
  std::uint8_t amf_pointer = 0; ///< 6 bits
  std::uint32_t five_g_tmsi = 0;
  friend bool operator==(const five_g_s_tmsi&, const five_g_s_tmsi&) = default;
};

/// TAI: PLMN + 24-bit TAC. Ref: TS 38.413 9.3.3.11.
struct tai {
  plmn_identity plmn{};
  std::uint32_t tac = 0;
  friend bool operator==(const tai&, const tai&) = default;
};

/// NR-CGI: PLMN + 36-bit NR cell identity. Ref: TS 38.413 9.3.1.7.
struct nr_cgi {
  plmn_identity plmn{};
  std::uint64_t nr_cell_identity = 0;
  friend bool operator==(const nr_cgi&, const nr_cgi&) = default;
};

/// EUTRA-CGI: PLMN + 28-bit E-UTRA cell identity. Ref: TS 38.413 9.3.1.9.
struct eutra_cgi {
  plmn_identity plmn{};
  std::uint32_t eutra_cell_identity = 0;
  friend bool operator==(const eutra_cgi&, const eutra_cgi&) = default;
};

/// UserLocationInformation (choice). NR and E-UTRA are decoded; N3IWF keeps the IP address
/// bits and port as views; a choice extension is kept as a raw view.
/// Ref: TS 38.413 9.3.1.16.
struct user_location_information {
  enum class kind : std::uint8_t { eutra = 0, nr = 1, n3iwf = 2, extension = 3 };
  kind type = kind::nr;
  nr_cgi nr{};                             ///< kind::nr
  eutra_cgi eutra{};                       ///< kind::eutra
  tai ta{};                                ///< kind::nr and kind::eutra
  std::optional<std::uint32_t> time_stamp; ///< TimeStamp (NTP seconds, 4 octets), if present
  bytes_view n3iwf_ip_address; ///< kind::n3iwf: TransportLayerAddress bits (octets, left-aligned)
  std::uint16_t n3iwf_ip_address_bits = 0;
  std::uint16_t n3iwf_port = 0;
  bytes_view extension_value; ///< kind::extension: the single container's value
  std::uint16_t extension_id = 0;
  /// True when the chosen SEQUENCE had iE-Extensions or extension additions (skipped).
  bool has_extensions = false;
};

/// RRCEstablishmentCause ::= ENUMERATED { emergency(0), highPriorityAccess(1), mt-Access(2),
/// mo-Signalling(3), mo-Data(4), mo-VoiceCall(5), mo-VideoCall(6), mo-SMS(7),
/// mps-PriorityAccess(8), mcs-PriorityAccess(9), ..., notAvailable(10), mo-ExceptionData(11) }.
/// Values >= 10 are extension values. Ref: TS 38.413 9.3.1.111.
using rrc_establishment_cause = std::uint8_t;
/// Spec name of an RRC establishment cause value, e.g. "mo-Signalling"; "unknown" otherwise.
const char* rrc_establishment_cause_name(rrc_establishment_cause v) noexcept;

/// Cause (choice of a group and a value in that group's enumeration). Values at or beyond the
/// root count of the group are extension values. Ref: TS 38.413 9.3.1.2.
struct cause {
  enum class group : std::uint8_t {
    radio_network = 0,
    transport = 1,
    nas = 2,
    protocol = 3,
    misc = 4,
    extension = 5
  };
  group type = group::misc;
  std::uint8_t value = 0;
  friend bool operator==(const cause&, const cause&) = default;
};
/// "radioNetwork" / "transport" / "nas" / "protocol" / "misc" / "choice-Extensions".
const char* cause_group_name(cause::group g) noexcept;
/// The spec name of a cause value in its group (TS 38.413 V16.3 enumerations, extension
/// values included), e.g. {nas, 1} -> "authentication-failure", {radio_network, 20} ->
/// "user-inactivity"; "unknown" for values beyond the table.
const char* cause_value_name(const cause& c) noexcept;

/// GlobalRANNodeID: gNB / ng-eNB / N3IWF with the node id and its length in bits
/// (gNB: 22..32; ng-eNB: 20 macro, 18 short macro, 21 long macro; N3IWF: 16).
/// Ref: TS 38.413 9.3.1.5.
struct global_ran_node_id {
  enum class kind : std::uint8_t { gnb = 0, ng_enb = 1, n3iwf = 2, extension = 3 };
  kind type = kind::gnb;
  plmn_identity plmn{};
  std::uint32_t node_id = 0;
  std::uint8_t node_id_bits = 0;
  friend bool operator==(const global_ran_node_id&, const global_ran_node_id&) = default;
};

/// S-NSSAI: SST and optional 24-bit SD. Ref: TS 38.413 9.3.1.24.
struct s_nssai {
  std::uint8_t sst = 0;
  std::optional<std::uint32_t> sd;
  friend bool operator==(const s_nssai&, const s_nssai&) = default;
};

/// One SupportedTAItem: TAC and its broadcast PLMNs with their slices. Ref: TS 38.413 9.3.3.x.
struct supported_ta_item {
  std::uint32_t tac = 0;
  struct broadcast_plmn {
    plmn_identity plmn{};
    std::vector<s_nssai> slices;
    friend bool operator==(const broadcast_plmn&, const broadcast_plmn&) = default;
  };
  std::vector<broadcast_plmn> broadcast_plmns;
  friend bool operator==(const supported_ta_item&, const supported_ta_item&) = default;
};

/// One PLMNSupportItem (NGSetupResponse): PLMN and its slice list.
struct plmn_support_item {
  plmn_identity plmn{};
  std::vector<s_nssai> slices;
  friend bool operator==(const plmn_support_item&, const plmn_support_item&) = default;
};

/// One ServedGUAMIItem (NGSetupResponse).
struct served_guami_item {
  guami value{};
  std::optional<std::string_view> backup_amf_name;
};

/// SecurityIndication of a PDU session (UP security policy). Ref: TS 38.413 9.3.1.27.
enum class up_protection_indication : std::uint8_t { required = 0, preferred = 1, not_needed = 2 };
/// "required" / "preferred" / "not-needed".
const char* to_string(up_protection_indication v) noexcept;
struct security_indication {
  up_protection_indication integrity = up_protection_indication::not_needed;
  up_protection_indication confidentiality = up_protection_indication::not_needed;
  /// MaximumIntegrityProtectedDataRate (UL): 0 = bitrate64kbs, 1 = maximum-UE-rate.
  std::optional<std::uint8_t> max_integrity_protected_data_rate_ul;
  friend bool operator==(const security_indication&, const security_indication&) = default;
};

/// SecurityResult of a PDU session (what the NG-RAN applied). Ref: TS 38.413 9.3.1.59.
enum class up_protection_result : std::uint8_t { performed = 0, not_performed = 1 };
/// "performed" / "not-performed".
const char* to_string(up_protection_result v) noexcept;
struct security_result {
  up_protection_result integrity = up_protection_result::not_performed;
  up_protection_result confidentiality = up_protection_result::not_performed;
  friend bool operator==(const security_result&, const security_result&) = default;
};

/// One item of a PDU session resource list IE (SetupListSUReq/CxtReq/SURes/CxtRes, ModReq,
/// ReleaseList RelCmd/RelRes, FailedToSetup lists, ToBeSwitchedDL/Switched, HO lists).
struct pdu_session_item {
  std::uint8_t pdu_session_id = 0;
  /// The item's NAS-PDU (SUReq, CxtReq, ModReq), a view; offset is from the start of the
  /// list IE's value (add protocol_ie::value_offset for the PDU offset).
  std::optional<bytes_view> nas_pdu;
  std::uint32_t nas_pdu_offset = 0;
  std::optional<s_nssai> snssai; ///< SUReq, CxtReq, HOReq
  /// The transfer (an octet string containing a ...Transfer encoding), a view.
  bytes_view transfer;
  std::uint32_t transfer_offset = 0;
};

/// GTPTunnel of an UPTransportLayerInformation: the transport layer address (IPv4 32 bits,
/// IPv6 128, both 160; the bits left-aligned in `address`) and the GTP-TEID.
/// Ref: TS 38.413 9.3.2.2 (UP Transport Layer Information), 9.3.2.4 (Transport Layer Address).
struct gtp_tunnel {
  byte_array<20> address{};
  std::uint8_t address_bits = 0; ///< 1..160; the encoder takes whole octets only
  std::uint32_t teid = 0;
  friend bool operator==(const gtp_tunnel&, const gtp_tunnel&) = default;
};

/// An IPv4 GTP tunnel endpoint.
gtp_tunnel ipv4_tunnel(std::span<const std::uint8_t, 4> ip, std::uint32_t teid) noexcept;

/// One QosFlowSetupRequestItem. QoS characteristics: the 5QI of a non-dynamic descriptor; a
/// dynamic descriptor is decoded only as `dynamic_5qi` and its optional 5QI, a GBR flow only as
/// `gbr` (the encoder refuses both). Ref: TS 38.413 9.3.4.1, 9.3.1.12 (QoS Flow Level QoS
/// Parameters), 9.3.1.19 (Allocation and Retention Priority).
struct qos_flow_setup_request_item {
  std::uint8_t qfi = 0;                 ///< QoS Flow Identifier, 0..63
  std::optional<std::uint8_t> five_qi;  ///< 5QI (mandatory for non-dynamic)
  bool dynamic_5qi = false;             ///< dynamic5QI descriptor (not modelled further)
  bool gbr = false;                     ///< gBR-QosInformation present (not modelled further)
  std::uint8_t arp_priority_level = 15; ///< 1 (highest) .. 15
  bool may_trigger_pre_emption = false; ///< pre-emptionCapability
  bool pre_emptable = false;            ///< pre-emptionVulnerability
  friend bool operator==(const qos_flow_setup_request_item&,
                         const qos_flow_setup_request_item&) = default;
};

/// PDUSessionResourceSetupRequestTransfer: the IEs this module models (other IEs are skipped
/// by the decoder). The encoder writes the present ones in the order of TS 38.413 9.3.4.1 with
/// criticality reject; UL tunnel, PDU session type and at least one QoS flow are mandatory.
struct setup_request_transfer {
  /// PDUSessionAggregateMaximumBitRate: downlink and uplink, bit/s.
  std::optional<std::uint64_t> session_ambr_dl;
  std::optional<std::uint64_t> session_ambr_ul;
  std::optional<gtp_tunnel> ul_tunnel; ///< UL-NGU-UP-TNLInformation (gTPTunnel)
  /// PDUSessionType: 0 ipv4, 1 ipv6, 2 ipv4v6, 3 ethernet, 4 unstructured.
  std::optional<std::uint8_t> pdu_session_type;
  std::optional<security_indication> security;
  std::vector<qos_flow_setup_request_item> qos_flows; ///< QosFlowSetupRequestList
  friend bool operator==(const setup_request_transfer&, const setup_request_transfer&) = default;
};

/// QosFlowPerTNLInformation: a tunnel and the QFIs associated with it (the QoS flow mapping
/// indication is not modelled). `tunnel` is empty for a choice extension.
struct qos_flow_per_tnl_information {
  std::optional<gtp_tunnel> tunnel;
  std::vector<std::uint8_t> qfis;
  friend bool operator==(const qos_flow_per_tnl_information&,
                         const qos_flow_per_tnl_information&) = default;
};

/// PDUSessionResourceSetupResponseTransfer: the DL tunnel and the SecurityResult (additional
/// DL tunnels and the failed-to-setup list are skipped / not modelled). Ref: TS 38.413 9.3.4.2.
struct setup_response_transfer {
  qos_flow_per_tnl_information dl; ///< dLQosFlowPerTNLInformation
  std::optional<security_result> security;
  friend bool operator==(const setup_response_transfer&, const setup_response_transfer&) = default;
};

/// PathSwitchRequestTransfer: the new DL tunnel, the UP security the target applies and the
/// accepted QoS flows. Ref: TS 38.413 9.3.4.8.
struct path_switch_request_transfer {
  std::optional<gtp_tunnel> dl_tunnel; ///< empty for a choice extension
  bool dl_tunnel_reused = false;       ///< dL-NGU-TNLInformationReused (true)
  /// userPlaneSecurityInformation: both present or both absent.
  std::optional<security_result> up_security_result;
  std::optional<security_indication> up_security_indication;
  std::vector<std::uint8_t> accepted_qfis; ///< QosFlowAcceptedList (1..64)
  friend bool operator==(const path_switch_request_transfer&,
                         const path_switch_request_transfer&) = default;
};

/// PathSwitchRequestAcknowledgeTransfer. Ref: TS 38.413 9.3.4.9.
struct path_switch_ack_transfer {
  std::optional<gtp_tunnel> ul_tunnel; ///< uL-NGU-UP-TNLInformation
  std::optional<security_indication> security;
  friend bool operator==(const path_switch_ack_transfer&,
                         const path_switch_ack_transfer&) = default;
};

// ---- decoders (input: an IE's value, i.e. protocol_ie::value) ----

/// AMF-UE-NGAP-ID ::= INTEGER (0..2^40-1).
std::expected<std::uint64_t, decode_error> decode_amf_ue_ngap_id(bytes_view v) noexcept;
/// RAN-UE-NGAP-ID ::= INTEGER (0..2^32-1).
std::expected<std::uint32_t, decode_error> decode_ran_ue_ngap_id(bytes_view v) noexcept;
/// NAS-PDU ::= OCTET STRING: the contents (a view) and the offset of its first byte in `v`.
struct octets_at {
  bytes_view bytes;
  std::uint32_t offset = 0;
};
std::expected<octets_at, decode_error> decode_nas_pdu(bytes_view v) noexcept;
std::expected<ue_security_capabilities, decode_error>
decode_ue_security_capabilities(bytes_view v) noexcept;
/// SecurityKey ::= BIT STRING (SIZE(256)): the 32-byte K_gNB view (copy into a secret).
std::expected<bytes_view, decode_error> decode_security_key(bytes_view v) noexcept;
std::expected<security_context, decode_error> decode_security_context(bytes_view v) noexcept;
std::expected<guami, decode_error> decode_guami(bytes_view v) noexcept;
std::expected<five_g_s_tmsi, decode_error> decode_five_g_s_tmsi(bytes_view v) noexcept;
std::expected<user_location_information, decode_error>
decode_user_location_information(bytes_view v) noexcept;
std::expected<rrc_establishment_cause, decode_error>
decode_rrc_establishment_cause(bytes_view v) noexcept;
std::expected<cause, decode_error> decode_cause(bytes_view v) noexcept;
std::expected<global_ran_node_id, decode_error> decode_global_ran_node_id(bytes_view v) noexcept;
/// RANNodeName / AMFName ::= PrintableString (SIZE(1..150, ...)): a view.
std::expected<std::string_view, decode_error> decode_printable_name(bytes_view v) noexcept;
std::expected<std::vector<supported_ta_item>, decode_error>
decode_supported_ta_list(bytes_view v) noexcept;
std::expected<std::vector<s_nssai>, decode_error> decode_allowed_nssai(bytes_view v) noexcept;
std::expected<std::vector<plmn_support_item>, decode_error>
decode_plmn_support_list(bytes_view v) noexcept;
std::expected<std::vector<served_guami_item>, decode_error>
decode_served_guami_list(bytes_view v) noexcept;
/// RelativeAMFCapacity ::= INTEGER (0..255).
std::expected<std::uint8_t, decode_error> decode_relative_amf_capacity(bytes_view v) noexcept;
/// PagingDRX ::= ENUMERATED { v32, v64, v128, v256, ... } -> 0..3 (extension values >= 4).
std::expected<std::uint8_t, decode_error> decode_paging_drx(bytes_view v) noexcept;
/// UEContextRequest ::= ENUMERATED { requested, ... } -> 0.
std::expected<std::uint8_t, decode_error> decode_ue_context_request(bytes_view v) noexcept;
/// A PDU session resource list; `list_ie_id` (one of the ie_id list ids) selects the item
/// layout. Errors with unsupported for other ids.
std::expected<std::vector<pdu_session_item>, decode_error>
decode_pdu_session_list(std::uint16_t list_ie_id, bytes_view v) noexcept;
/// PDUSessionResourceSetupRequestTransfer (also the HandoverRequest transfer).
std::expected<setup_request_transfer, decode_error>
decode_setup_request_transfer(bytes_view transfer) noexcept;
/// The SecurityIndication of a PDUSessionResourceSetupRequestTransfer (nullopt when absent)
/// and nothing else: the other IEs are skipped as open types, so a transfer whose other IEs
/// are malformed still yields it. An error when the IE container itself is malformed.
std::expected<std::optional<security_indication>, decode_error>
decode_setup_request_security(bytes_view transfer) noexcept;
/// PDUSessionResourceSetupResponseTransfer.
std::expected<setup_response_transfer, decode_error>
decode_setup_response_transfer(bytes_view transfer) noexcept;
/// PathSwitchRequestTransfer.
std::expected<path_switch_request_transfer, decode_error>
decode_path_switch_request_transfer(bytes_view transfer) noexcept;
/// PathSwitchRequestAcknowledgeTransfer.
std::expected<path_switch_ack_transfer, decode_error>
decode_path_switch_ack_transfer(bytes_view transfer) noexcept;
/// The Cause of the transfers that start with one, selected by the list IE carrying them:
/// PDUSessionResourceReleaseCommandTransfer (79), ...SetupUnsuccessfulTransfer (55, 58, 132),
/// ...ModifyUnsuccessfulTransfer (54), PathSwitchRequestSetupFailedTransfer (57),
/// PathSwitchRequestUnsuccessfulTransfer (68, 69), HandoverPreparationUnsuccessfulTransfer (78),
/// HandoverResourceAllocationUnsuccessfulTransfer (56). Other ids: unsupported.
std::expected<cause, decode_error> decode_transfer_cause(std::uint16_t list_ie_id,
                                                         bytes_view transfer) noexcept;

// ---- encoders (output: the value bytes of a protocol_ie) ----

std::expected<byte_buffer, decode_error> encode_amf_ue_ngap_id(std::uint64_t id);
std::expected<byte_buffer, decode_error> encode_ran_ue_ngap_id(std::uint64_t id);
std::expected<byte_buffer, decode_error> encode_nas_pdu(bytes_view nas);
std::expected<byte_buffer, decode_error>
encode_ue_security_capabilities(const ue_security_capabilities& c);
/// `key` must be 32 bytes.
std::expected<byte_buffer, decode_error> encode_security_key(bytes_view key);
std::expected<byte_buffer, decode_error> encode_security_context(const security_context& c);
std::expected<byte_buffer, decode_error> encode_guami(const guami& g);
std::expected<byte_buffer, decode_error> encode_five_g_s_tmsi(const five_g_s_tmsi& s);
/// NR and E-UTRA kinds only.
std::expected<byte_buffer, decode_error>
encode_user_location_information(const user_location_information& u);
std::expected<byte_buffer, decode_error> encode_rrc_establishment_cause(rrc_establishment_cause c);
std::expected<byte_buffer, decode_error> encode_cause(const cause& c);
std::expected<byte_buffer, decode_error> encode_global_ran_node_id(const global_ran_node_id& g);
std::expected<byte_buffer, decode_error> encode_printable_name(std::string_view name);
std::expected<byte_buffer, decode_error>
encode_supported_ta_list(std::span<const supported_ta_item> list);
std::expected<byte_buffer, decode_error> encode_allowed_nssai(std::span<const s_nssai> list);
std::expected<byte_buffer, decode_error>
encode_plmn_support_list(std::span<const plmn_support_item> list);
std::expected<byte_buffer, decode_error>
encode_served_guami_list(std::span<const served_guami_item> list);
std::expected<byte_buffer, decode_error> encode_relative_amf_capacity(std::uint8_t v);
std::expected<byte_buffer, decode_error> encode_paging_drx(std::uint8_t v);
std::expected<byte_buffer, decode_error> encode_ue_context_request();
/// The transfers (the octet strings of pdu_session_item::transfer), symmetric to the decoders
/// above: decode_...(encode_...(x)) == x for every x an encoder accepts. bad_value when a field
/// is out of range or a mandatory part is missing (see the structs).
std::expected<byte_buffer, decode_error>
encode_setup_request_transfer(const setup_request_transfer& t);
std::expected<byte_buffer, decode_error>
encode_setup_response_transfer(const setup_response_transfer& t);
std::expected<byte_buffer, decode_error>
encode_path_switch_request_transfer(const path_switch_request_transfer& t);
std::expected<byte_buffer, decode_error>
encode_path_switch_ack_transfer(const path_switch_ack_transfer& t);
/// Item layout chosen by `list_ie_id` as for decode_pdu_session_list; `nas_pdu_offset` and
/// `transfer_offset` are ignored.
std::expected<byte_buffer, decode_error>
encode_pdu_session_list(std::uint16_t list_ie_id, std::span<const pdu_session_item> items);

} // namespace sec5g::ngap
