#pragma once
/// The EAP-AKA' packets that travel in 5G NAS (EAP message IE of the Authentication Request,
/// Response and Result, TS 24.501 9.11.2.2): the attributes the auditor needs to follow an
/// EAP-AKA' authentication with subscriber keys (RAND, AUTN, the network name of AT_KDF_INPUT,
/// AT_KDF, RES, AUTS, the AT_MAC value and its position).
///
/// Ref: RFC 9048 3 (EAP-AKA'), RFC 4187 8 / 10 (packet format, attributes), RFC 3748 4
/// (EAP header). A narrow, bounds-checked reader: views point into the packet; never allocates.

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::analysis {

/// EAP codes (values: crypto::eap_aka::code_*). Ref: RFC 3748 4.
enum class eap_code : std::uint8_t { request = 1, response = 2, success = 3, failure = 4 };

/// EAP method type of EAP-AKA' (= crypto::eap_aka::type_aka_prime). Ref: RFC 9048.
inline constexpr std::uint8_t eap_type_aka_prime = 50;

/// EAP-AKA' subtypes. Ref: RFC 4187 11 (shared with EAP-AKA').
enum class eap_aka_subtype : std::uint8_t {
  challenge = 1,
  authentication_reject = 2,
  synchronization_failure = 4,
  identity = 5,
  notification = 12,
  reauthentication = 13,
  client_error = 14,
};

/// One EAP packet with the EAP-AKA' attributes the auditor reads. For Success/Failure packets
/// and other methods only the header fields are set.
struct eap_aka_packet {
  eap_code code = eap_code::request;
  std::uint8_t identifier = 0;
  std::uint8_t type = 0;                   ///< method type (requests/responses), 0 otherwise
  std::uint8_t subtype = 0;                ///< EAP-AKA' subtype (type 50 only)
  std::optional<byte_array<16>> rand;      ///< AT_RAND
  std::optional<byte_array<16>> autn;      ///< AT_AUTN
  std::optional<byte_array<14>> auts;      ///< AT_AUTS
  bytes_view res;                          ///< AT_RES value (res_bits / 8 octets, rounded up)
  std::uint16_t res_bits = 0;              ///< AT_RES length in bits
  std::optional<std::uint16_t> kdf;        ///< first AT_KDF value (1 = CK'/IK' per RFC 9048 3.3)
  std::string_view network_name;           ///< AT_KDF_INPUT value (the serving network name)
  std::optional<std::uint32_t> mac_offset; ///< offset of the 16-octet AT_MAC value in the packet
};

/// Largest EAP packet accepted (the NAS EAP message IE carries at most 1500 octets).
inline constexpr std::size_t max_eap_packet = 1500;

/// Reads an EAP packet (`eap` = the EAP message IE value). Errors: truncated, bad_value (length
/// field not matching, attribute length 0), length_too_large.
std::expected<eap_aka_packet, decode_error> parse_eap_aka(bytes_view eap) noexcept;

} // namespace sec5g::analysis
