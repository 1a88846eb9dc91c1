#pragma once
/// NGAP (TS 38.413) PDU envelope: NGAP-PDU choice, procedure code, criticality and the
/// ProtocolIE-Container of every message, with each IE value kept as a view (open type).
///
/// Decoding is aligned PER (ITU-T X.691) by hand; no ASN.1 type appears in this API.
/// Lifetimes: a decoded `pdu` holds views into the bytes given to `decode_pdu`; it must not
/// outlive them. Copy what you keep.
///
/// Ref: TS 38.413 9.4 (ASN.1), ITU-T X.691 (aligned variant).

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::ngap {

/// NGAP-PDU choice. Ref: TS 38.413 9.4.2 (NGAP-PDU-Descriptions).
enum class pdu_type : std::uint8_t { initiating = 0, successful = 1, unsuccessful = 2 };

/// Criticality ::= ENUMERATED { reject, ignore, notify }. Ref: TS 38.413 9.4.5.
enum class criticality : std::uint8_t { reject = 0, ignore = 1, notify = 2 };

/// "initiating" / "successful" / "unsuccessful" (the JSON spelling of the CLI contract).
const char* to_string(pdu_type t) noexcept;
/// "reject" / "ignore" / "notify".
const char* to_string(criticality c) noexcept;

/// Procedure codes (ProcedureCode ::= INTEGER (0..255)). Ref: TS 38.413 9.4.7 (NGAP-Constants).
namespace procedure {
inline constexpr std::uint8_t amf_configuration_update = 0;
inline constexpr std::uint8_t amf_status_indication = 1;
inline constexpr std::uint8_t cell_traffic_trace = 2;
inline constexpr std::uint8_t deactivate_trace = 3;
inline constexpr std::uint8_t downlink_nas_transport = 4;
inline constexpr std::uint8_t downlink_non_ue_associated_nrppa_transport = 5;
inline constexpr std::uint8_t downlink_ran_configuration_transfer = 6;
inline constexpr std::uint8_t downlink_ran_status_transfer = 7;
inline constexpr std::uint8_t downlink_ue_associated_nrppa_transport = 8;
inline constexpr std::uint8_t error_indication = 9;
inline constexpr std::uint8_t handover_cancel = 10;
inline constexpr std::uint8_t handover_notification = 11;
inline constexpr std::uint8_t handover_preparation = 12;
inline constexpr std::uint8_t handover_resource_allocation = 13;
inline constexpr std::uint8_t initial_context_setup = 14;
inline constexpr std::uint8_t initial_ue_message = 15;
inline constexpr std::uint8_t location_reporting_control = 16;
inline constexpr std::uint8_t location_reporting_failure_indication = 17;
inline constexpr std::uint8_t location_report = 18;
inline constexpr std::uint8_t nas_non_delivery_indication = 19;
inline constexpr std::uint8_t ng_reset = 20;
inline constexpr std::uint8_t ng_setup = 21;
inline constexpr std::uint8_t overload_start = 22;
inline constexpr std::uint8_t overload_stop = 23;
inline constexpr std::uint8_t paging = 24;
inline constexpr std::uint8_t path_switch_request = 25;
inline constexpr std::uint8_t pdu_session_resource_modify = 26;
inline constexpr std::uint8_t pdu_session_resource_modify_indication = 27;
inline constexpr std::uint8_t pdu_session_resource_release = 28;
inline constexpr std::uint8_t pdu_session_resource_setup = 29;
inline constexpr std::uint8_t pdu_session_resource_notify = 30;
inline constexpr std::uint8_t private_message = 31;
inline constexpr std::uint8_t pws_cancel = 32;
inline constexpr std::uint8_t pws_failure_indication = 33;
inline constexpr std::uint8_t pws_restart_indication = 34;
inline constexpr std::uint8_t ran_configuration_update = 35;
inline constexpr std::uint8_t reroute_nas_request = 36;
inline constexpr std::uint8_t rrc_inactive_transition_report = 37;
inline constexpr std::uint8_t trace_failure_indication = 38;
inline constexpr std::uint8_t trace_start = 39;
inline constexpr std::uint8_t ue_context_modification = 40;
inline constexpr std::uint8_t ue_context_release = 41;
inline constexpr std::uint8_t ue_context_release_request = 42;
inline constexpr std::uint8_t ue_radio_capability_check = 43;
inline constexpr std::uint8_t ue_radio_capability_info_indication = 44;
inline constexpr std::uint8_t ue_tnla_binding_release = 45;
inline constexpr std::uint8_t uplink_nas_transport = 46;
inline constexpr std::uint8_t uplink_non_ue_associated_nrppa_transport = 47;
inline constexpr std::uint8_t uplink_ran_configuration_transfer = 48;
inline constexpr std::uint8_t uplink_ran_status_transfer = 49;
inline constexpr std::uint8_t uplink_ue_associated_nrppa_transport = 50;
inline constexpr std::uint8_t write_replace_warning = 51;
inline constexpr std::uint8_t secondary_rat_data_usage_report = 52;
inline constexpr std::uint8_t uplink_rim_information_transfer = 53;
inline constexpr std::uint8_t downlink_rim_information_transfer = 54;
inline constexpr std::uint8_t retrieve_ue_information = 55;
inline constexpr std::uint8_t ue_information_transfer = 56;
inline constexpr std::uint8_t ran_cp_relocation_indication = 57;
inline constexpr std::uint8_t ue_context_resume = 58;
inline constexpr std::uint8_t ue_context_suspend = 59;
inline constexpr std::uint8_t ue_radio_capability_id_mapping = 60;
inline constexpr std::uint8_t handover_success = 61;
inline constexpr std::uint8_t uplink_ran_early_status_transfer = 62;
inline constexpr std::uint8_t downlink_ran_early_status_transfer = 63;
inline constexpr std::uint8_t amf_cp_relocation_indication = 64;
inline constexpr std::uint8_t connection_establishment_indication = 65;
} // namespace procedure

/// Protocol IE ids used by this module (ProtocolIE-ID ::= INTEGER (0..65535)).
/// Every id of TS 38.413 has a name through `ie_name`. Ref: TS 38.413 9.4.7.
namespace ie_id {
inline constexpr std::uint16_t allowed_nssai = 0;
inline constexpr std::uint16_t amf_name = 1;
inline constexpr std::uint16_t amf_set_id = 3;
inline constexpr std::uint16_t amf_ue_ngap_id = 10;
inline constexpr std::uint16_t cause = 15;
inline constexpr std::uint16_t criticality_diagnostics = 19;
inline constexpr std::uint16_t default_paging_drx = 21;
inline constexpr std::uint16_t five_g_s_tmsi = 26;
inline constexpr std::uint16_t global_ran_node_id = 27;
inline constexpr std::uint16_t guami = 28;
inline constexpr std::uint16_t handover_type = 29;
inline constexpr std::uint16_t index_to_rfsp = 31;
inline constexpr std::uint16_t masked_imeisv = 34;
inline constexpr std::uint16_t mobility_restriction_list = 36;
inline constexpr std::uint16_t nasc = 37;
inline constexpr std::uint16_t nas_pdu = 38;
inline constexpr std::uint16_t new_security_context_ind = 41;
inline constexpr std::uint16_t old_amf = 48;
inline constexpr std::uint16_t paging_drx = 50;
inline constexpr std::uint16_t paging_priority = 52;
inline constexpr std::uint16_t pdu_session_resource_failed_to_setup_list_cxt_res = 55;
inline constexpr std::uint16_t pdu_session_resource_failed_to_setup_list_ps_req = 57;
inline constexpr std::uint16_t pdu_session_resource_failed_to_setup_list_su_res = 58;
inline constexpr std::uint16_t pdu_session_resource_handover_list = 59;
inline constexpr std::uint16_t pdu_session_resource_list_cxt_rel_cpl = 60;
inline constexpr std::uint16_t pdu_session_resource_list_ho_rqd = 61;
inline constexpr std::uint16_t pdu_session_resource_modify_list_mod_req = 64;
inline constexpr std::uint16_t pdu_session_resource_modify_list_mod_res = 65;
inline constexpr std::uint16_t pdu_session_resource_released_list_ps_ack = 68;
inline constexpr std::uint16_t pdu_session_resource_released_list_rel_res = 70;
inline constexpr std::uint16_t pdu_session_resource_setup_list_cxt_req = 71;
inline constexpr std::uint16_t pdu_session_resource_setup_list_cxt_res = 72;
inline constexpr std::uint16_t pdu_session_resource_setup_list_ho_req = 73;
inline constexpr std::uint16_t pdu_session_resource_setup_list_su_req = 74;
inline constexpr std::uint16_t pdu_session_resource_setup_list_su_res = 75;
inline constexpr std::uint16_t pdu_session_resource_to_be_switched_dl_list = 76;
inline constexpr std::uint16_t pdu_session_resource_switched_list = 77;
inline constexpr std::uint16_t pdu_session_resource_to_release_list_ho_cmd = 78;
inline constexpr std::uint16_t pdu_session_resource_to_release_list_rel_cmd = 79;
inline constexpr std::uint16_t plmn_support_list = 80;
inline constexpr std::uint16_t ran_node_name = 82;
inline constexpr std::uint16_t ran_paging_priority = 83;
inline constexpr std::uint16_t ran_ue_ngap_id = 85;
inline constexpr std::uint16_t relative_amf_capacity = 86;
inline constexpr std::uint16_t reset_type = 88;
inline constexpr std::uint16_t rrc_establishment_cause = 90;
inline constexpr std::uint16_t security_context = 93;
inline constexpr std::uint16_t security_key = 94;
inline constexpr std::uint16_t served_guami_list = 96;
inline constexpr std::uint16_t source_amf_ue_ngap_id = 100;
inline constexpr std::uint16_t source_to_target_transparent_container = 101;
inline constexpr std::uint16_t supported_ta_list = 102;
inline constexpr std::uint16_t tai_list_for_paging = 103;
inline constexpr std::uint16_t target_id = 105;
inline constexpr std::uint16_t target_to_source_transparent_container = 106;
inline constexpr std::uint16_t time_to_wait = 107;
inline constexpr std::uint16_t ue_aggregate_maximum_bit_rate = 110;
inline constexpr std::uint16_t ue_context_request = 112;
inline constexpr std::uint16_t ue_ngap_ids = 114;
inline constexpr std::uint16_t ue_paging_identity = 115;
inline constexpr std::uint16_t ue_radio_capability = 117;
inline constexpr std::uint16_t ue_security_capabilities = 119;
inline constexpr std::uint16_t user_location_information = 121;
inline constexpr std::uint16_t pdu_session_aggregate_maximum_bit_rate = 130;
inline constexpr std::uint16_t pdu_session_type = 134;
inline constexpr std::uint16_t qos_flow_setup_request_list = 136;
inline constexpr std::uint16_t security_indication = 138;
inline constexpr std::uint16_t ul_ngu_up_tnl_information = 139;
inline constexpr std::uint16_t ue_retention_information = 147;
} // namespace ie_id

/// Name of an elementary procedure as in the spec's ASN.1 without the "id-" prefix,
/// e.g. "InitialContextSetup", "HandoverPreparation"; "unknown" for codes not in TS 38.413
/// (codes 0..75 of V17.1.1 and the Rel-18 codes 76..80 are named).
const char* procedure_name(std::uint8_t procedure_code) noexcept;

/// Name of the message carried for (pdu type, procedure code), as in NGAP-PDU-Contents,
/// e.g. (initiating, 14) -> "InitialContextSetupRequest", (successful, 12) -> "HandoverCommand",
/// (unsuccessful, 25) -> "PathSwitchRequestFailure". Returns "unknown" when the procedure has
/// no message of that type (class 2 procedures have only an initiating message) and for the
/// Rel-18 procedures 76..80, whose messages are not in the table yet.
/// The CLI's JSON "procedure" field is this message name.
const char* message_name(pdu_type type, std::uint8_t procedure_code) noexcept;

/// Name of a protocol IE id as in the spec without "id-", e.g. 10 -> "AMF-UE-NGAP-ID";
/// "unknown" for ids not in the table (TS 38.413 V17.1.1 ids 0..359).
const char* ie_name(std::uint16_t id) noexcept;

/// One ProtocolIE-Field: id, criticality and the open-type value as a view.
struct protocol_ie {
  std::uint16_t id = 0;
  criticality crit = criticality::reject;
  /// The encoded value (the open type's contents), a view into the PDU.
  bytes_view value;
  /// Offset in bytes of value[0] from the first byte of the PDU.
  std::uint32_t value_offset = 0;
};

/// Capacity of a decoded PDU's IE list. A message with more IEs fails with length_too_large
/// (field "ngap.ies"); real messages carry fewer than 40.
inline constexpr std::size_t max_ies = 64;

/// A decoded NGAP PDU envelope. Holds views into the decoded bytes; must not outlive them.
struct pdu {
  pdu_type type = pdu_type::initiating;
  std::uint8_t procedure_code = 0;
  /// The criticality field of the envelope.
  criticality crit = criticality::reject;
  /// The PDU's encoding, excluding trailing bytes after its end.
  bytes_view bytes;
  /// Number of bytes that followed the end of the encoding in the input (tolerated, not an
  /// error: some captures pad SCTP DATA chunks). 0 normally.
  std::uint32_t trailing_len = 0;
  /// The message value (open type contents) and its offset in the PDU.
  bytes_view value;
  std::uint32_t value_offset = 0;
  /// True when the message SEQUENCE's extension bit was set (additions are not decoded).
  bool extended = false;
  /// True when the message is a PrivateMessage: its PrivateIE-Container is not decoded and
  /// `ies()` is empty.
  bool private_ies = false;

  std::uint16_t ie_count = 0;
  std::array<protocol_ie, max_ies> ie_storage{};
  /// Bit i set: an IE with id i (< 256) is in ie_storage. Kept by decode_pdu with
  /// ie_storage; find() answers "absent" from it without a scan (code that fills ie_storage
  /// itself must set the bits too).
  std::array<std::uint64_t, 4> ids_below_256{};

  /// The IEs in wire order.
  [[nodiscard]] std::span<const protocol_ie> ies() const noexcept {
    return {ie_storage.data(), ie_count};
  }
  /// The first IE with `id`, or nullptr.
  [[nodiscard]] const protocol_ie* find(std::uint16_t id) const noexcept;
  /// procedure_name(procedure_code).
  [[nodiscard]] const char* procedure_name() const noexcept;
  /// message_name(type, procedure_code).
  [[nodiscard]] const char* message_name() const noexcept;
};

/// Decodes an NGAP-PDU (envelope and IE container; IE values stay raw views).
/// Errors: truncated, length_too_large (a length beyond its container or > max_ies IEs),
/// unsupported (an NGAP-PDU choice extension, fragmented lengths >= 16K), bad_value.
/// Offsets in errors are bytes from the start of `bytes`. Trailing bytes are tolerated
/// and counted in `trailing_len`.
std::expected<pdu, decode_error> decode_pdu(bytes_view bytes) noexcept;

/// As above, into `out` (no 2 KiB return copy; for hot loops). `out` is overwritten.
std::expected<void, decode_error> decode_pdu(bytes_view bytes, pdu& out) noexcept;

/// A NAS-PDU carried in an NGAP PDU.
struct nas_pdu_ref {
  /// The NAS message (octet string contents), a view into the PDU.
  bytes_view bytes;
  /// Offset in bytes of bytes[0] from the first byte of the NGAP PDU. The contents of APER
  /// octet strings of unconstrained size are octet-aligned, so a same-length replacement
  /// can be written at this offset in place.
  std::uint32_t offset = 0;
  /// The IE that carries it: ie_id::nas_pdu, ie_id::nasc, or the PDU session list IE
  /// (e.g. ie_id::pdu_session_resource_setup_list_su_req) for a pDUSessionNAS-PDU.
  std::uint16_t ie_id = 0;
  /// The PDU session id of the list item carrying it; -1 for a top-level NAS-PDU.
  std::int16_t pdu_session_id = -1;
};

/// Finds every NAS-PDU in `p`, in wire order: the NAS-PDU IE (38), the NASC IE (37), and the
/// per-item NAS-PDU of PDUSessionResourceSetupListSUReq (74), ...SetupListCxtReq (71) and
/// ...ModifyListModReq (64). Writes the first out.size() into `out` and returns how many
/// there are in total (may exceed out.size()). Errors when a carrying IE is malformed.
std::expected<std::size_t, decode_error> collect_nas_pdus(const pdu& p,
                                                          std::span<nas_pdu_ref> out) noexcept;

/// The UE's NGAP ids as far as the PDU carries them: AMF-UE-NGAP-ID (10) and RAN-UE-NGAP-ID
/// (85), else the UE-NGAP-IDs choice (114, UEContextReleaseCommand), else
/// SourceAMF-UE-NGAP-ID (100, PathSwitchRequest) for the AMF id.
struct ue_ngap_ids {
  std::optional<std::uint64_t> amf_ue_ngap_id; ///< 0 .. 2^40-1
  std::optional<std::uint32_t> ran_ue_ngap_id; ///< 0 .. 2^32-1
};

/// Extracts the UE's NGAP ids (see ue_ngap_ids). Errors when a carrying IE is malformed.
std::expected<ue_ngap_ids, decode_error> ue_ids(const pdu& p) noexcept;

/// Encodes an NGAP PDU envelope around already-encoded IE values (in the order given).
/// `ies[i].value` is copied; `value_offset` is ignored. Errors: bad_value when an IE value
/// is >= 16384 bytes (fragmentation is not produced) or there are more than 65535 IEs.
std::expected<byte_buffer, decode_error> encode_pdu(pdu_type type, std::uint8_t procedure_code,
                                                    criticality crit,
                                                    std::span<const protocol_ie> ies);

/// The criticality the spec assigns to a procedure (the envelope's field), e.g. reject for
/// InitialContextSetup, ignore for InitialUEMessage and UplinkNASTransport.
criticality procedure_criticality(std::uint8_t procedure_code) noexcept;

} // namespace sec5g::ngap
