#pragma once
/// Typed codecs of NAS-5GS IE *values* (the part after IEI and length), used by the JSON
/// renderer, the analysis and the synthesizer. Decoders are noexcept and take the value view
/// of a decoded nas::ie; encoders append the value part to a buffer (to pass as ie_value).
/// The 5GS mobile identity value is decoded by sec5g::identity, not here.

#include <array>
#include <cstdint>
#include <expected>
#include <optional>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"
#include "sec5g/nas/nas.hpp"

namespace sec5g::nas {

/// NAS key set identifier (half octet). Ref: TS 24.501 9.11.3.32
struct ngksi {
  bool tsc = false;        ///< type of security context: true = mapped, false = native
  std::uint8_t ksi = 7;    ///< 0-6; 7 = no key available
  static constexpr ngksi from_half(std::uint8_t h) noexcept {
    return {(h & 0x8) != 0, static_cast<std::uint8_t>(h & 0x7)};
  }
  [[nodiscard]] constexpr std::uint8_t to_half() const noexcept {
    return static_cast<std::uint8_t>((tsc ? 0x8 : 0) | (ksi & 0x7));
  }
};

/// 5GS registration type (half octet). Ref: TS 24.501 9.11.3.7
struct registration_type {
  bool follow_on_request = false;  ///< FOR bit
  std::uint8_t value = 1;          ///< 1 initial, 2 mobility, 3 periodic, 4 emergency, 5 SNPN onboarding
  static constexpr registration_type from_half(std::uint8_t h) noexcept {
    return {(h & 0x8) != 0, static_cast<std::uint8_t>(h & 0x7)};
  }
  [[nodiscard]] constexpr std::uint8_t to_half() const noexcept {
    return static_cast<std::uint8_t>((follow_on_request ? 0x8 : 0) | (value & 0x7));
  }
};

/// De-registration type (half octet). Ref: TS 24.501 9.11.3.20
struct deregistration_type {
  bool switch_off = false;
  bool reregistration_required = false;  ///< network to UE only
  std::uint8_t access_type = 1;          ///< 1 3GPP, 2 non-3GPP, 3 both
  static constexpr deregistration_type from_half(std::uint8_t h) noexcept {
    return {(h & 0x8) != 0, (h & 0x4) != 0, static_cast<std::uint8_t>(h & 0x3)};
  }
  [[nodiscard]] constexpr std::uint8_t to_half() const noexcept {
    return static_cast<std::uint8_t>((switch_off ? 0x8 : 0) | (reregistration_required ? 0x4 : 0) |
                                     (access_type & 0x3));
  }
};

/// 5GS registration result (1 octet value). Ref: TS 24.501 9.11.3.6
struct registration_result {
  std::uint8_t value = 1;  ///< 1 3GPP access, 2 non-3GPP, 3 both
  bool sms_allowed = false;
  bool nssaa_performed = false;
  bool emergency_registered = false;
  bool disaster_roaming = false;
};
/// Decodes the first value octet (truncated if empty).
std::expected<registration_result, decode_error> decode_registration_result(bytes_view v) noexcept;
/// Appends the one-octet value.
void encode_registration_result(const registration_result& r, byte_buffer& out);

/// UE security capability: one bit per algorithm, bit 8 of each octet = algorithm 0
/// (5G-EA0 / 5G-IA0 / EEA0 / EIA0). Ref: TS 24.501 9.11.3.54
struct ue_security_capability {
  std::uint8_t ea = 0;                 ///< 5G-EA0..7 (bit 8 = 5G-EA0)
  std::uint8_t ia = 0;                 ///< 5G-IA0..7
  std::optional<std::uint8_t> eea;     ///< EEA0..7, if octet 5 is present
  std::optional<std::uint8_t> eia;     ///< EIA0..7, if octet 6 is present
  bytes_view extra;                    ///< octets 7.. (spare), kept as a view
  /// Whether 5G-EAn (n = 0..7) is supported.
  [[nodiscard]] bool supports_ea(unsigned n) const noexcept { return n < 8 && (ea >> (7 - n)) & 1; }
  /// Whether 5G-IAn (n = 0..7) is supported.
  [[nodiscard]] bool supports_ia(unsigned n) const noexcept { return n < 8 && (ia >> (7 - n)) & 1; }
};
/// Decodes 2..8 value octets (EEA needs 3, EIA 4).
std::expected<ue_security_capability, decode_error> decode_ue_security_capability(bytes_view v) noexcept;
/// Appends 2, 3 or 4 octets (+ extra): EIA is written only when EEA is present.
void encode_ue_security_capability(const ue_security_capability& c, byte_buffer& out);

/// Selected NAS security algorithms (1 octet). Ref: TS 24.501 9.11.3.34
struct nas_security_algorithms {
  std::uint8_t ciphering = 0;  ///< 0 = 5G-EA0, 1 = 128-5G-EA1, 2 = 128-5G-EA2, 3 = 128-5G-EA3 ...
  std::uint8_t integrity = 0;  ///< 0 = 5G-IA0, 1 = 128-5G-IA1 ...
  static constexpr nas_security_algorithms from_octet(std::uint8_t o) noexcept {
    return {static_cast<std::uint8_t>((o >> 4) & 0x7), static_cast<std::uint8_t>(o & 0x7)};
  }
  [[nodiscard]] constexpr std::uint8_t to_octet() const noexcept {
    return static_cast<std::uint8_t>(((ciphering & 0x7) << 4) | (integrity & 0x7));
  }
};
/// Decodes the first value octet (truncated if empty).
std::expected<nas_security_algorithms, decode_error> decode_nas_security_algorithms(bytes_view v) noexcept;

/// S-NSSAI. Ref: TS 24.501 9.11.2.8
struct s_nssai {
  std::uint8_t sst = 0;
  std::optional<std::uint32_t> sd;          ///< 24 bits
  std::optional<std::uint8_t> mapped_sst;   ///< mapped HPLMN SST
  std::optional<std::uint32_t> mapped_sd;   ///< mapped HPLMN SD
};
/// Decodes an S-NSSAI value of 1, 2, 4, 5 or 8 octets.
std::expected<s_nssai, decode_error> decode_s_nssai(bytes_view v) noexcept;
/// Appends the S-NSSAI value (length follows from the fields present).
void encode_s_nssai(const s_nssai& s, byte_buffer& out);

/// NSSAI: up to 16 S-NSSAIs (the spec allows 8 in requested/allowed and 16 in configured).
/// Ref: TS 24.501 9.11.3.37
struct nssai {
  static constexpr std::size_t capacity = 16;
  std::array<s_nssai, capacity> items{};
  std::uint8_t count = 0;
  [[nodiscard]] std::span<const s_nssai> view() const noexcept { return {items.data(), count}; }
};
/// Decodes the list of length-prefixed S-NSSAIs; more than 16 fails with length_too_large.
std::expected<nssai, decode_error> decode_nssai(bytes_view v) noexcept;
/// Appends each S-NSSAI as length + value (the NSSAI IE value).
void encode_nssai(std::span<const s_nssai> list, byte_buffer& out);

/// Payload container types. Ref: TS 24.501 9.11.3.40
enum class payload_container_type : std::uint8_t {
  n1_sm_information = 1,
  sms = 2,
  lpp = 3,
  sor_transparent_container = 4,
  ue_policy_container = 5,
  ue_parameters_update = 6,
  location_services = 7,
  ciot_user_data = 8,
  multiple_payloads = 15,
};

/// Fixed-size authentication values; a view of the right size or bad_value / truncated.
/// RAND: TV, 16 octets (9.11.3.16). AUTN: 16 octets (9.11.3.15). RES*: 16 octets (9.11.3.17).
/// AUTS: 14 octets (9.11.3.14).
/// RAND value as a fixed-size view.
std::expected<std::span<const std::uint8_t, 16>, decode_error> decode_rand(bytes_view v) noexcept;
/// AUTN value as a fixed-size view.
std::expected<std::span<const std::uint8_t, 16>, decode_error> decode_autn(bytes_view v) noexcept;
/// RES* (authentication response parameter) value as a fixed-size view.
std::expected<std::span<const std::uint8_t, 16>, decode_error> decode_res_star(bytes_view v) noexcept;
/// AUTS (authentication failure parameter) value as a fixed-size view.
std::expected<std::span<const std::uint8_t, 14>, decode_error> decode_auts(bytes_view v) noexcept;

/// A DNN (APN-style labels, TS 23.003 9.1) rendered as dotted text into `out` (<= 100 chars).
/// Fails on a label running past the value.
std::expected<std::size_t, decode_error> decode_dnn(bytes_view v, std::span<char, 128> out) noexcept;

}  // namespace sec5g::nas
