#pragma once
/// A decoded NGAP message in domain terms: the envelope plus every security- or UE-tracking-
/// relevant IE that the message carries, typed; every other IE kept raw (id, criticality,
/// value view) in wire order. One struct serves every message of TS 38.413 (NGSetup,
/// InitialUEMessage, Downlink/Uplink NAS Transport, InitialContextSetup, UEContextRelease,
/// UEContextModification, PDUSessionResourceSetup/Release/Modify, PathSwitchRequest,
/// Handover*, ErrorIndication, NGReset, Paging ...): the fields a message does not carry
/// stay empty.
///
/// Encoding goes the other way: set `type`, `procedure_code` and the fields of the message,
/// and `encode_message` emits the IEs in the order of the message's definition in
/// TS 38.413 9.4.4 with the criticality the spec assigns to each IE (raw `other_ies` keep
/// their own criticality and are placed by the same order). For PDUs that follow the spec
/// order (all real implementations we have seen) decode -> encode is byte-identical.
///
/// Lifetimes: views into the decoded PDU bytes; a message must not outlive them.
/// Ref: TS 38.413 9.2 (message functional definitions), 9.4.4 (PDU contents).

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"
#include "sec5g/ngap/ies.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::ngap {

/// A PDU session resource list IE (ie_id::pdu_session_resource_*) with its items.
struct pdu_session_list {
  std::uint16_t ie_id = 0;
  std::vector<pdu_session_item> items;
};

/// UE-NGAP-IDs choice of UEContextReleaseCommand (pair or AMF id only).
struct ue_ngap_id_choice {
  std::uint64_t amf_ue_ngap_id = 0;
  std::optional<std::uint32_t> ran_ue_ngap_id; ///< set for the pair alternative
};

/// A decoded (or to-be-encoded) NGAP message. See the file comment.
struct message {
  pdu_type type = pdu_type::initiating;
  std::uint8_t procedure_code = 0;
  /// Envelope criticality; encode_message uses procedure_criticality() when unset.
  std::optional<criticality> crit;

  std::optional<std::uint64_t> amf_ue_ngap_id;        ///< IE 10
  std::optional<std::uint32_t> ran_ue_ngap_id;        ///< IE 85
  std::optional<std::uint64_t> source_amf_ue_ngap_id; ///< IE 100 (PathSwitchRequest)
  std::optional<ue_ngap_id_choice> ue_ngap_ids;       ///< IE 114 (UEContextReleaseCommand)
  /// IE 38 NAS-PDU; on decode, `offset` is from the first byte of the PDU.
  std::optional<octets_at> nas_pdu;
  std::optional<ngap::ue_security_capabilities> ue_security_capabilities; ///< IE 119
  /// IE 94 SecurityKey (K_gNB, 32 bytes): a view into the PDU.
  std::optional<bytes_view> security_key;
  std::optional<ngap::security_context> security_context;                   ///< IE 93 (NCC, NH)
  std::optional<ngap::guami> guami;                                         ///< IE 28
  std::optional<ngap::five_g_s_tmsi> five_g_s_tmsi;                         ///< IE 26
  std::optional<ngap::user_location_information> user_location_information; ///< IE 121
  std::optional<ngap::rrc_establishment_cause> rrc_establishment_cause;     ///< IE 90
  std::optional<ngap::cause> cause;                                         ///< IE 15
  std::optional<ngap::global_ran_node_id> global_ran_node_id;               ///< IE 27
  std::optional<std::string_view> ran_node_name;                            ///< IE 82
  std::optional<std::string_view> amf_name;                                 ///< IE 1
  std::optional<std::vector<supported_ta_item>> supported_ta_list;          ///< IE 102
  std::optional<std::uint8_t> default_paging_drx;                           ///< IE 21
  std::optional<std::vector<served_guami_item>> served_guami_list;          ///< IE 96
  std::optional<std::uint8_t> relative_amf_capacity;                        ///< IE 86
  std::optional<std::vector<plmn_support_item>> plmn_support_list;          ///< IE 80
  std::optional<std::vector<s_nssai>> allowed_nssai;                        ///< IE 0
  std::optional<std::uint8_t> ue_context_request; ///< IE 112 (0 = requested)
  /// PDU session resource lists (IEs 55, 57, 58, 59, 61, 64, 65, 68, 70, 71, 72, 73, 74, 75,
  /// 76, 77, 79), in wire order.
  std::vector<pdu_session_list> pdu_session_lists;
  /// Every other IE, raw, in wire order (value_offset is from the first byte of the PDU).
  std::vector<protocol_ie> other_ies;
  /// The IEs' wire order and criticalities as decoded (decode_message fills it). When
  /// non-empty, encode_message follows it (IEs not listed go after, in spec order), which
  /// makes decode -> encode byte-identical even for implementations that deviate from the
  /// spec's order or criticalities. Leave it empty to encode in spec order.
  std::vector<std::pair<std::uint16_t, criticality>> ie_order;

  /// The list with `ie_id`, or nullptr.
  [[nodiscard]] const pdu_session_list* find_list(std::uint16_t ie_id) const noexcept;
};

/// Decodes the typed IEs of an envelope. A malformed typed IE is an error (field names the
/// IE); unknown IEs never are. Allocates (vectors) once per list, never per byte.
std::expected<message, decode_error> decode_message(const pdu& p) noexcept;

/// decode_pdu + decode_message.
std::expected<message, decode_error> decode_message(bytes_view bytes) noexcept;

/// Encodes a message into a complete NGAP PDU (see the file comment for IE order and
/// criticality). Errors: bad_value for a field outside its ASN.1 range.
std::expected<byte_buffer, decode_error> encode_message(const message& m);

} // namespace sec5g::ngap
