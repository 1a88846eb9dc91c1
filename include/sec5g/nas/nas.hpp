#pragma once
/// NAS-5GS (TS 24.501) decoder and encoder: security header types 0-4, 5GMM and 5GSM headers,
/// and every message body driven by one IE table per message (IEI, format, value length bounds,
/// presence, clause). Decoded messages hold views into the input: a decoded message must not
/// outlive the bytes it was decoded from. Decoding never throws, never allocates, never reads
/// past its input. Ref: TS 24.501 8, 9; TS 24.007 11.2.

#include <array>
#include <cstdint>
#include <expected>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::nas {

/// Extended protocol discriminator. Ref: TS 24.007 11.2.3.1.1A
enum class epd : std::uint8_t {
  session_management = 0x2e,   ///< 5GSM (46)
  mobility_management = 0x7e,  ///< 5GMM (126)
};

/// Security header type (low nibble of octet 2 of a 5GMM message). Ref: TS 24.501 9.3.1
enum class security_header_type : std::uint8_t {
  plain = 0,                                   ///< not security protected
  integrity_protected = 1,                     ///< integrity protected
  integrity_protected_ciphered = 2,            ///< integrity protected and ciphered
  integrity_protected_new_context = 3,         ///< ... with new 5G NAS security context
  integrity_protected_ciphered_new_context = 4 ///< ... and ciphered, with new context
};

/// True for header types 2 and 4 (the inner message is ciphered).
constexpr bool is_ciphered(security_header_type t) noexcept {
  return t == security_header_type::integrity_protected_ciphered ||
         t == security_header_type::integrity_protected_ciphered_new_context;
}

/// Message types of 5GMM (0x41-0x68) and 5GSM (0xc1-0xd6). Ref: TS 24.501 9.7
enum class message_type : std::uint8_t {
  registration_request = 0x41,
  registration_accept = 0x42,
  registration_complete = 0x43,
  registration_reject = 0x44,
  deregistration_request_ue_originating = 0x45,
  deregistration_accept_ue_originating = 0x46,
  deregistration_request_ue_terminated = 0x47,
  deregistration_accept_ue_terminated = 0x48,
  service_request = 0x4c,
  service_reject = 0x4d,
  service_accept = 0x4e,
  control_plane_service_request = 0x4f,
  network_slice_specific_authentication_command = 0x50,
  network_slice_specific_authentication_complete = 0x51,
  network_slice_specific_authentication_result = 0x52,
  configuration_update_command = 0x54,
  configuration_update_complete = 0x55,
  authentication_request = 0x56,
  authentication_response = 0x57,
  authentication_reject = 0x58,
  authentication_failure = 0x59,
  authentication_result = 0x5a,
  identity_request = 0x5b,
  identity_response = 0x5c,
  security_mode_command = 0x5d,
  security_mode_complete = 0x5e,
  security_mode_reject = 0x5f,
  status_5gmm = 0x64,
  notification = 0x65,
  notification_response = 0x66,
  ul_nas_transport = 0x67,
  dl_nas_transport = 0x68,
  relay_key_request = 0x69,
  relay_key_accept = 0x6a,
  relay_key_reject = 0x6b,
  relay_authentication_request = 0x6c,
  relay_authentication_response = 0x6d,
  pdu_session_establishment_request = 0xc1,
  pdu_session_establishment_accept = 0xc2,
  pdu_session_establishment_reject = 0xc3,
  pdu_session_authentication_command = 0xc5,
  pdu_session_authentication_complete = 0xc6,
  pdu_session_authentication_result = 0xc7,
  pdu_session_modification_request = 0xc9,
  pdu_session_modification_reject = 0xca,
  pdu_session_modification_command = 0xcb,
  pdu_session_modification_complete = 0xcc,
  pdu_session_modification_command_reject = 0xcd,
  pdu_session_release_request = 0xd1,
  pdu_session_release_reject = 0xd2,
  pdu_session_release_command = 0xd3,
  pdu_session_release_complete = 0xd4,
  status_5gsm = 0xd6,
};

/// Name of a message type, as used in JSON ("RegistrationRequest", "SecurityModeCommand",
/// "PDUSessionEstablishmentRequest", "5GMMStatus"), or nullptr when `type` is not a message
/// type of `protocol`. Ref: TS 24.501 9.7
const char* message_name(epd protocol, std::uint8_t type) noexcept;

/// Wire format of an information element. Ref: TS 24.007 11.2.1.1
enum class ie_format : std::uint8_t {
  v_half,   ///< type 1, mandatory half octet (first of a pair = bits 1-4, second = bits 5-8)
  v,        ///< mandatory fixed-length value
  lv,       ///< mandatory, 1-octet length + value
  lv_e,     ///< mandatory, 2-octet length + value
  tv_half,  ///< type 1 optional: IEI in bits 5-8, value in bits 1-4
  t,        ///< type 2 optional: IEI only (one octet)
  tv,       ///< type 3 optional: IEI + fixed-length value
  tlv,      ///< type 4 optional: IEI + 1-octet length + value
  tlv_e,    ///< type 6 optional: IEI + 2-octet length + value
};

/// How the value of an IE is interpreted (the codec), independent of where it appears.
enum class ie_kind : std::uint8_t {
  octets,                   ///< opaque value, rendered as hex
  half,                     ///< a 4-bit value rendered as an integer
  spare_half,               ///< spare half octet (kept for byte-exact re-encoding)
  ngksi,                    ///< NAS key set identifier, TS 24.501 9.11.3.32
  registration_type,        ///< 5GS registration type, 9.11.3.7
  registration_result,      ///< 5GS registration result, 9.11.3.6
  mobile_identity,          ///< 5GS mobile identity, 9.11.3.4 (value: sec5g::identity)
  ue_security_capability,   ///< 9.11.3.54
  nas_security_algorithms,  ///< 9.11.3.34 (one octet)
  eps_nas_security_algorithms, ///< TS 24.301 9.9.3.23 (one octet)
  abba,                     ///< 9.11.3.10
  rand,                     ///< authentication parameter RAND, 9.11.3.16 (16 octets)
  autn,                     ///< authentication parameter AUTN, 9.11.3.15 (16 octets)
  res_star,                 ///< authentication response parameter (RES*), 9.11.3.17
  auts,                     ///< authentication failure parameter (AUTS), 9.11.3.14
  eap_message,              ///< 9.11.2.2
  cause_5gmm,               ///< 5GMM cause, 9.11.3.2 (one octet)
  cause_5gsm,               ///< 5GSM cause, 9.11.4.2 (one octet)
  nas_message_container,    ///< 9.11.3.33: a complete NAS message
  payload_container,        ///< 9.11.3.39: contents depend on the payload container type
  payload_container_type,   ///< 9.11.3.40 (half octet)
  imeisv_request,           ///< 9.11.3.28 (half octet)
  nssai,                    ///< requested / allowed / configured NSSAI, 9.11.3.37
  s_nssai,                  ///< a single S-NSSAI, 9.11.2.8
  pdu_session_id,           ///< 9.11.3.41 (one octet)
  identity_type,            ///< 5GS identity type, 9.11.3.3 (half octet)
  deregistration_type,      ///< 9.11.3.20 (half octet)
  service_type,             ///< 9.11.3.50 (half octet)
  dnn,                      ///< 9.11.2.1B (APN encoding of TS 23.003)
  pdu_session_type,         ///< 9.11.4.11 (half octet)
  ssc_mode,                 ///< 9.11.4.16 (half octet)
};

/// Presence requirement in a message table. Ref: TS 24.007 11.2.5
enum class presence : std::uint8_t { mandatory, optional, conditional };

/// One row of a message table. Lengths are of the VALUE part (without IEI and length
/// octets), in octets; half-octet IEs have 0/0. Ref: TS 24.501 8.
struct ie_spec {
  std::uint8_t iei;          ///< 0 for mandatory IEs; type 1 IEIs as 0xN0 (high nibble)
  ie_format format;
  std::uint16_t min_len;     ///< minimum value length
  std::uint16_t max_len;     ///< maximum value length (65535 = "n")
  nas::presence presence;
  ie_kind kind;
  const char* name;          ///< snake_case name, the JSON key (e.g. "ue_security_capability")
  const char* clause;        ///< IE definition, e.g. "9.11.3.54"
};

/// The table of one message. Ref: TS 24.501 8.2 (5GMM), 8.3 (5GSM)
struct message_spec {
  nas::epd epd;
  std::uint8_t type;
  const char* name;          ///< e.g. "RegistrationRequest"
  const char* clause;        ///< e.g. "8.2.6"
  std::span<const ie_spec> ies;
  const char* id;            ///< snake_case name, e.g. "registration_request", "5gmm_status"
  std::uint16_t mandatory_count = 0;  ///< leading mandatory rows of `ies` (the positional part)
};

/// The table for a message type, or nullptr when none is known (header-only decoding).
const message_spec* find_message_spec(epd protocol, std::uint8_t type) noexcept;

/// Every message table (for tests, documentation and tools).
std::span<const message_spec> all_message_specs() noexcept;

/// Named anomalies: the message decoded, but something is off. Names are stable ids.
enum class anomaly : std::uint8_t {
  unknown_ie,              ///< "nas.unknown_ie": optional IE not in the table, skipped by format
  unknown_message_type,    ///< "nas.unknown_message_type": header only, body kept raw
  ie_length_out_of_range,  ///< "nas.ie_length_out_of_range": length outside the table bounds
  duplicate_ie,            ///< "nas.duplicate_ie": an optional IE repeated
  ie_out_of_order,         ///< "nas.ie_out_of_order": optional IEs not in table order
  null_decipher_failed,    ///< "nas.null_decipher_failed": ciphered payload did not parse as plain
  inner_security_header,   ///< "nas.inner_security_header": a plain 5GMM message whose security
                           ///< header type nibble is not 0 (decoded as plain, as Wireshark does)
  identity_filler,         ///< "nas.identity_filler": a 5G-GUTI or 5G-S-TMSI mobile identity whose
                           ///< octet 1 bits 5-8 are not 1111 (decoded, as Wireshark does)
};

/// Stable name of an anomaly, e.g. "nas.unknown_ie".
const char* to_string(anomaly a) noexcept;

/// One anomaly occurrence: kind, offset within the decoded PDU, IEI involved (0 if none).
struct anomaly_record {
  anomaly kind;
  std::uint8_t iei;
  std::uint32_t offset;
};

/// A bounded list of anomalies (no allocation). `dropped` counts those beyond the capacity.
struct anomaly_list {
  static constexpr std::size_t capacity = 8;
  std::array<anomaly_record, capacity> items{};
  std::uint8_t count = 0;
  std::uint16_t dropped = 0;
  /// Records an anomaly (or counts it in `dropped` when full).
  void add(anomaly kind, std::uint8_t iei, std::uint32_t offset) noexcept;
  /// The recorded anomalies.
  [[nodiscard]] std::span<const anomaly_record> view() const noexcept { return {items.data(), count}; }
};

/// One decoded IE occurrence, in wire order.
struct ie {
  const ie_spec* spec = nullptr;  ///< the table row; nullptr for an unknown IE
  ie_format format = ie_format::v;
  std::uint8_t iei = 0;           ///< 0 for mandatory IEs; type 1 IEIs as 0xN0
  std::uint8_t half = 0;          ///< the 4-bit value of half-octet IEs (v_half, tv_half)
  std::uint32_t offset = 0;       ///< offset of the IE's first octet within the decoded PDU
  bytes_view value;               ///< value part, without IEI and length (empty for half IEs)
  /// The IE's kind (ie_kind::octets for unknown IEs).
  [[nodiscard]] ie_kind kind() const noexcept { return spec ? spec->kind : ie_kind::octets; }
};

/// The IE walk under decode_plain: yields the IEs of one message body one at a time, in wire
/// order, driven by the message table (mandatory IEs positional, then IEI-tagged optional IEs;
/// unknown IEs skipped by the TS 24.007 11.2.4 format rules). decode_plain collects every IE
/// into a plain_message; a reader that needs a few fields walks only as far as it needs (e.g.
/// the mandatory part) and never reads nor rejects the rest. Never allocates, never reads past
/// `body`; the IEs' views point into `body`. Ref: TS 24.007 11.2.5; TS 24.501 8
class ie_walker {
 public:
  /// `body` is the message after its header, `body_offset` its offset in the PDU (IE offsets and
  /// errors). Anomalies (unknown, duplicate, out-of-order IEs, lengths out of the table's
  /// bounds) are added to `anomalies` when it is not null.
  ie_walker(const message_spec& spec, bytes_view body, std::uint32_t body_offset = 0,
            anomaly_list* anomalies = nullptr) noexcept;
  /// Reads the next IE into `out`: true, or false at the end of the body; or the decode error
  /// (truncated value or length octets), after which the walk must stop.
  std::expected<bool, decode_error> next(ie& out) noexcept;
  /// Whether every mandatory IE has been returned (what follows is the optional part).
  [[nodiscard]] bool in_optional_part() const noexcept {
    return !pending_half_ && index_ >= first_optional_;
  }
  /// Absolute offset of the next unread octet.
  [[nodiscard]] std::uint32_t offset() const noexcept {
    return base_ + static_cast<std::uint32_t>(pos_);
  }

 private:
  std::expected<bool, decode_error> next_optional(ie& out) noexcept;
  void note(anomaly kind, std::uint8_t iei, std::uint32_t at) noexcept {
    if (anomalies_ != nullptr) anomalies_->add(kind, iei, at);
  }
  [[nodiscard]] decode_error truncated(const char* field) const noexcept {
    return decode_error{decode_errc::truncated, offset(), field};
  }
  std::span<const ie_spec> table_;
  bytes_view body_;
  std::size_t pos_ = 0;
  std::uint32_t base_ = 0;
  anomaly_list* anomalies_ = nullptr;
  std::size_t index_ = 0;           ///< next table row of the mandatory part
  std::size_t first_optional_ = 0;  ///< first row that is not mandatory
  std::uint64_t seen_lo_ = 0;       ///< optional rows seen (duplicate detection)
  std::uint64_t seen_hi_ = 0;
  std::ptrdiff_t last_index_ = -1;  ///< last optional row seen (order check)
  bool pending_half_ = false;       ///< second half octet of a v_half pair not yet returned
  std::uint8_t pending_octet_ = 0;
  std::uint32_t pending_offset_ = 0;
};

/// A plain (not security protected) 5GMM or 5GSM message.
struct plain_message {
  /// Maximum IEs per message (a message with more fails with length_too_large "nas.ies").
  static constexpr std::size_t max_ies = 64;
  nas::epd epd = epd::mobility_management;
  std::uint8_t message_type = 0;
  std::uint8_t pdu_session_id = 0;  ///< 5GSM only, TS 24.501 9.4
  std::uint8_t pti = 0;             ///< 5GSM only: procedure transaction identity, 9.6
  std::uint8_t spare_half = 0;      ///< 5GMM only: bits 5-8 of octet 2 (spare)
  /// 5GMM only: bits 1-4 of octet 2, the security header type; 0 in a well-formed plain
  /// message (else anomaly nas.inner_security_header). Kept for byte-exact re-encoding.
  std::uint8_t header_nibble = 0;
  const message_spec* spec = nullptr;  ///< nullptr: unknown type (IEs not decoded, body raw)
  bytes_view raw;                   ///< the whole message
  bytes_view body;                  ///< everything after the header
  std::array<ie, max_ies> ies_storage{};
  std::uint8_t ie_count = 0;
  anomaly_list anomalies;

  /// IEs in wire order.
  [[nodiscard]] std::span<const ie> ies() const noexcept { return {ies_storage.data(), ie_count}; }
  /// First IE whose table row has `kind` (and `name`, when given), or nullptr.
  [[nodiscard]] const ie* find(ie_kind kind, const char* name = nullptr) const noexcept;
  /// First IE with this IEI (optional IEs; type 1 as 0xN0), or nullptr.
  [[nodiscard]] const ie* find_iei(std::uint8_t iei) const noexcept;
  /// The message name (or nullptr for unknown types).
  [[nodiscard]] const char* name() const noexcept { return spec ? spec->name : nullptr; }
};

/// Decoder options.
struct decode_options {
  /// Decode ciphered payloads (header types 2, 4) as plain where they parse, as Wireshark's
  /// nas-5gs.null_decipher does for 5G-EA0 networks.
  bool null_decipher = false;
};

/// A NAS PDU: the security envelope (if any) and the plain message (if readable).
struct nas_message {
  nas::epd epd = epd::mobility_management;
  security_header_type security_header = security_header_type::plain;
  std::uint8_t spare_half = 0; ///< bits 5-8 of octet 2 of a protected PDU (spare)
  byte_array<4> mac{};        ///< message authentication code (header types 1-4)
  std::uint8_t sqn = 0;       ///< NAS sequence number (header types 1-4)
  /// The bytes the MAC covers: sequence number + inner message (header types 1-4; empty for
  /// plain messages). Ref: TS 24.501 4.4.3.3, TS 33.501 D.3
  bytes_view mac_input;
  /// The inner message as on the wire (possibly ciphered); the whole PDU for plain messages.
  bytes_view inner;
  /// True when `message` holds the decoded plain message; false for a ciphered payload that
  /// was not (null-)deciphered.
  bool has_message = false;
  plain_message message;
  /// Whether `message` was decoded from a ciphered payload by null deciphering.
  bool null_deciphered = false;
};

/// Octet 2 of a 5GMM PDU and, for header types 1-4, the MAC and sequence number that follow.
/// Ref: TS 24.501 9.1.1 (Figure 9.1.1-2), 9.3.1
struct security_header {
  security_header_type type = security_header_type::plain;
  std::uint8_t spare_half = 0;  ///< bits 5-8 of octet 2
  byte_array<4> mac{};          ///< header types 1-4
  std::uint8_t sqn = 0;         ///< header types 1-4
  /// Offset of the inner message: 7 for header types 1-4; 0 for a plain message (which
  /// starts at the EPD).
  std::size_t inner_offset = 0;
};

/// Reads the security header of a 5GMM PDU (EPD 126): the first step of decode() for 5GMM.
/// Reads at most 7 octets. Errors: bad_value (EPD not 5GMM, reserved header type 5-15),
/// truncated.
std::expected<security_header, decode_error> decode_security_header(bytes_view pdu) noexcept;

/// Decodes a NAS PDU (5GMM with any security header type 0-4, or 5GSM). A reserved header type
/// (5-15) or unknown EPD is an error (bad_value). A ciphered payload stays undecoded unless
/// `opt.null_decipher` is set and it parses (else anomaly nas.null_decipher_failed in
/// `message.anomalies`, has_message false). Ref: TS 24.501 9.1-9.3
std::expected<nas_message, decode_error> decode(bytes_view pdu,
                                                const decode_options& opt = {}) noexcept;

/// Decodes a plain 5GMM (security header type 0) or 5GSM message. Offsets in IEs and anomalies
/// are relative to `msg` plus `base_offset`. A 5GMM message whose security header type is not 0
/// is still decoded as plain, with anomaly nas.inner_security_header (some cores send inner
/// messages so); use decode() for PDUs that may carry a security header.
std::expected<plain_message, decode_error> decode_plain(bytes_view msg,
                                                        std::uint32_t base_offset = 0) noexcept;

/// Same as decode_plain, writing into `out` (no large return copy; the hot path).
std::expected<void, decode_error> decode_plain_into(bytes_view msg, plain_message& out,
                                                    std::uint32_t base_offset = 0) noexcept;

/// Same as decode, writing into `out`.
std::expected<void, decode_error> decode_into(bytes_view pdu, nas_message& out,
                                              const decode_options& opt = {}) noexcept;

// ---------------------------------------------------------------------------------------------
// Encoding

/// Why an encoder refused its input.
enum class encode_errc : std::uint8_t {
  unknown_message,       ///< no table for the message type
  not_in_message,        ///< an IE whose name is not in the message's table
  missing_mandatory_ie,  ///< a mandatory IE was not given
  length_out_of_range,   ///< a value length outside the table's bounds
  value_out_of_range,    ///< e.g. a half-octet value above 15
};

/// An encoder error: code and the IE name involved (a string literal, or "" if none).
struct encode_error {
  encode_errc code;
  const char* ie = "";
};

/// Short name of an encode error code, e.g. "missing_mandatory_ie".
const char* to_string(encode_errc code) noexcept;

/// Re-encodes a decoded plain message: header and IEs in their decoded order, with the
/// formats they were decoded with. For canonical input the output equals `m.raw`.
void encode(const plain_message& m, byte_buffer& out);

/// Re-encodes a decoded NAS PDU (envelope + inner bytes as decoded). Equals the input PDU.
void encode(const nas_message& m, byte_buffer& out);

/// An IE value to encode, named by its table name (ie_spec::name, e.g. "ue_security_capability").
/// For half-octet IEs set `half`; otherwise `value` is the value part (no IEI, no length).
struct ie_value {
  const char* name;
  bytes_view value{};
  std::uint8_t half = 0;
};

/// Header of a message to encode.
struct message_header {
  nas::epd epd = epd::mobility_management;
  std::uint8_t message_type = 0;
  std::uint8_t pdu_session_id = 0;  ///< 5GSM only
  std::uint8_t pti = 0;             ///< 5GSM only
};

/// Builds a plain message from IE values, driven by the message table: IEs are written in
/// table order with the table's IEI and format, whatever order they are given in; mandatory
/// IEs must all be given (a missing spare half octet is written as 0). Appends to `out`.
/// Ref: TS 24.501 8; TS 24.007 11.2
std::expected<void, encode_error> encode_message(const message_header& h,
                                                 std::span<const ie_value> ies, byte_buffer& out);

/// Wraps an inner message (plain, or already ciphered) in the security protected envelope:
/// EPD 126, header type, MAC, sequence number, inner. The MAC is computed by the caller over
/// sqn || inner (nas_message::mac_input after decoding). Ref: TS 24.501 9.1.1
void encode_protected(security_header_type type, std::span<const std::uint8_t, 4> mac,
                      std::uint8_t sqn, bytes_view inner, byte_buffer& out);

}  // namespace sec5g::nas
