#pragma once
/// The security-relevant view of a 5GS NAS message that the tracker and the rules need:
/// the security protected header (TS 24.501 9.1.1, 9.3.1) and the fields of the plain 5GMM
/// messages that security rules read (algorithms, capabilities, identities, RAND/AUTN, causes).
///
/// A narrow view built on the NAS-5GS codec (sec5g::nas: its security header reader, message
/// tables and IE walk; no message layout of its own): it reads only the IEs the rules need,
/// walks a message no further than they are, bounds-checks everything and never allocates.
/// Views point into the decoded bytes.

#include <array>
#include <cstdint>
#include <expected>
#include <optional>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"
#include "sec5g/nas/nas.hpp"

namespace sec5g::analysis {

/// Extended protocol discriminators as octets (the codec's nas::epd). Ref: TS 24.007 11.2.3.1.1A.
inline constexpr auto epd_5gmm = static_cast<std::uint8_t>(nas::epd::mobility_management);
inline constexpr auto epd_5gsm = static_cast<std::uint8_t>(nas::epd::session_management);

/// 5GMM message types: the codec's (TS 24.501 9.7 Table 9.7.1), one list for both.
using mm_type = nas::message_type;

/// Short name, e.g. "security_mode_command"; "unknown" for other values.
const char* to_string(mm_type t) noexcept;
/// Name of any 5GMM message type byte ("unknown_0x.." is not produced: "unknown"). The names
/// are the nas tables' message ids (nas::message_spec::id).
const char* mm_type_name(std::uint8_t t) noexcept;

/// Security header types. Ref: TS 24.501 9.3.1.
enum class sec_header : std::uint8_t {
  plain = 0,
  integrity = 1,
  integrity_ciphered = 2,
  integrity_new_ctx = 3,
  integrity_ciphered_new_ctx = 4,
};

/// The outer header of a security protected 5GMM message. Ref: TS 24.501 9.1.1 (Figure 9.1.1-2).
struct protected_header {
  std::uint8_t header_type = 0;     ///< 1..4
  byte_array<4> mac{};              ///< message authentication code
  std::uint8_t sqn = 0;             ///< 8-bit NAS sequence number
  std::size_t inner_offset = 7;     ///< offset of the inner (plain or ciphered) message
};

/// The first octets of a NAS PDU: protected (with its header) or plain.
struct nas_outer {
  std::uint8_t epd = 0;
  std::uint8_t header_type = 0;               ///< low nibble of octet 2 (0 for plain / 5GSM)
  std::optional<protected_header> protection; ///< set for header types 1..4 of 5GMM
};

/// Reads the outer header. Errors: truncated, bad_value (EPD not 5GMM/5GSM, header type > 4).
std::expected<nas_outer, decode_error> parse_outer(bytes_view pdu) noexcept;

/// UE security capability (TS 24.501 9.11.3.54) reduced to the octets compared by the rules:
/// 5G-EA (octet 3), 5G-IA (octet 4), EEA (octet 5), EIA (octet 6) where present.
struct ue_sec_caps {
  std::array<std::uint8_t, 4> octets{};  ///< absent octets are 0
  std::uint8_t len = 0;                  ///< number of octets present (2..8 on the wire)
  /// 5G-EA0 is bit 8 of octet 1; "only null" = no bit other than EA0/IA0 set in 5G octets.
  [[nodiscard]] bool only_null() const noexcept {
    return (octets[0] & 0x7f) == 0 && (octets[1] & 0x7f) == 0;
  }
  /// Compares the 5G octets (and the EPS octets when both sides carry them).
  [[nodiscard]] bool same_as(const ue_sec_caps& o) const noexcept;
  friend bool operator==(const ue_sec_caps&, const ue_sec_caps&) = default;
};

/// A 5GS mobile identity IE value (TLV-E / LV-E contents) as a view, with its type (3 bits).
struct identity_ref {
  std::uint8_t type = 0;  ///< TS 24.501 Table 9.11.3.4.1 (1 SUCI, 2 GUTI, 3 IMEI, 4 S-TMSI, 5 IMEISV)
  bytes_view value;       ///< the IE value (decode with identity::decode_mobile_identity)
};

/// Fields of a plain 5GMM message that the rules read. Only the fields of `type` are set.
struct mm_fields {
  std::uint8_t type = 0;                 ///< message type octet
  std::uint8_t ngksi = 0x07;             ///< NAS key set identifier (TSC bit 3 | value 0..6; 7 none)
  std::optional<identity_ref> identity;  ///< Registration Req / Identity Resp / Service Req / SM Complete IMEISV / Registration Accept GUTI
  std::optional<ue_sec_caps> caps;       ///< Registration Request UE sec caps, SMC replayed caps
  std::uint8_t registration_type = 0;    ///< Registration Request 5GS registration type (3 bits)
  bool follow_on = false;
  bool has_nas_container = false;        ///< Registration/Service Request, SM Complete (0x71)
  bytes_view nas_container;              ///< the value of that NAS message container (0x71)
  std::uint8_t nea = 0, nia = 0;         ///< SMC selected NAS security algorithms
  bool imeisv_requested = false;         ///< SMC IMEISV request
  std::uint8_t cause = 0;                ///< reject / failure causes (5GMM cause)
  std::uint8_t identity_type_requested = 0;  ///< Identity Request: type of identity
  std::optional<byte_array<16>> rand;    ///< Authentication Request RAND
  std::optional<byte_array<16>> autn;    ///< Authentication Request AUTN
  std::optional<byte_array<14>> auts;    ///< Authentication Failure AUTS (cause #21)
  std::optional<byte_array<16>> res_star;  ///< Authentication Response RES*
  bytes_view abba;                       ///< Authentication Request / SMC ABBA value
  bytes_view eap;                        ///< EAP message (Authentication Request/Response/Result, SMC)
  /// IEIs of the optional IEs present, in order (Registration/Service Request cleartext check).
  std::array<std::uint8_t, 32> ieis{};
  std::uint8_t iei_count = 0;
  bool emergency = false;                ///< Registration type "emergency registration"
};

/// Extracts the fields of a plain 5GMM message (`msg` starts at the EPD; its security header
/// type, 0 in a plain message, is not read). Errors: truncated (a message shorter than its
/// three header octets, or an IE past the end) / bad_value / length_too_large; unknown
/// message types decode with only `type` set. Views point into `msg`.
std::expected<mm_fields, decode_error> parse_mm(bytes_view msg) noexcept;

}  // namespace sec5g::analysis
