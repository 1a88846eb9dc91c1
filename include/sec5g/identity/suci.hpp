#pragma once
/// SUPI and SUCI values and their text forms: the UDM API string form (TS 29.503 / TS 29.571
/// `suci-...`), the NAI form sent by the UE (TS 23.003 28.7.3) and the NAS encoding (through
/// mobile_identity.hpp). Parsing never throws; errors are named (suci_error).

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/identity/mobile_identity.hpp"

namespace sec5g::identity {

/// What went wrong with a SUPI/SUCI: parsing, concealment or de-concealment.
enum class suci_errc : std::uint8_t {
  bad_supi,             ///< not `imsi-<5..15 digits>` / `nai-<user>@<realm>`
  bad_digits,           ///< a digit field (MCC, MNC, routing indicator, MSIN) is not decimal
  bad_nai,              ///< the NAI form does not follow TS 23.003 28.7.3
  bad_suci_string,      ///< the `suci-...` string does not follow TS 29.503 / TS 29.571
  unsupported_scheme,   ///< protection scheme id (value) has no implementation here
  unknown_key_id,       ///< no home network private key with this public key id (value)
  output_too_short,     ///< scheme output shorter than the profile needs (value = scheme id)
  bad_ephemeral_key,    ///< the ephemeral public key is not a valid point / length
  mac_mismatch,         ///< the MAC tag does not verify
  bad_plaintext,        ///< MAC verified but the decrypted scheme input is not a valid MSIN
  bad_public_key,       ///< a home network public key given for concealment is invalid
  bad_private_key,      ///< a home network private key (raw or PEM) is invalid
  key_file,             ///< a key file cannot be read, or holds an unsupported key
  crypto_failure,       ///< an OpenSSL primitive failed (out of memory, internal error)
};

/// A SUCI/SUPI error: the code, a numeric detail (key id, scheme id) and a short static
/// detail text (a string literal, may be empty). Trivially copyable, no allocation.
struct suci_error {
  suci_errc code = suci_errc::bad_suci_string;
  std::uint32_t value = 0;
  const char* detail = "";
};

/// The error in words, stable for tests and the CLI, e.g. "MAC tag mismatch",
/// "unknown home network public key id 7", "scheme output too short for profile A",
/// "bad digits: MSIN", "bad NAI: missing realm".
std::string describe(const suci_error& e);

/// Type of a SUPI. Ref: TS 23.003 2.2A.
enum class supi_type : std::uint8_t {
  imsi = 0,  ///< `imsi-<MCC><MNC><MSIN>`
  nai = 1,   ///< `nai-<username>@<realm>` (network specific identifier, GCI or GLI)
};

/// A SUPI. For an IMSI `value` holds the digits (MCC, MNC, MSIN; 5 to 15 digits) and
/// `mnc_digits` says where the MNC ends (2 or 3; 0 = unknown); for a NAI `value` holds
/// `username@realm`. Ref: TS 23.003 2.2A, TS 29.571 Supi.
struct supi {
  supi_type type = supi_type::imsi;
  std::string value;
  std::uint8_t mnc_digits = 0;
  friend bool operator==(const supi& a, const supi& b) noexcept {
    return a.type == b.type && a.value == b.value;
  }
};

/// Parses `imsi-<digits>` or `nai-<username>@<realm>` (the TS 29.571 Supi pattern). The MNC
/// length of an IMSI is left unknown (0); set it with supi::mnc_digits.
std::expected<supi, suci_error> parse_supi(std::string_view text) noexcept;

/// `imsi-<digits>` or `nai-<username>@<realm>`.
std::string to_string(const supi& s);

/// A SUCI (owned; SUPI types of TS 23.003 2.2B). For `format == imsi` the PLMN is set; for the
/// NAI formats `home_network_identifier` holds the realm. `scheme_output`:
/// - null scheme, IMSI: the MSIN in packed BCD (TS 24.501 9.11.3.4);
/// - null scheme, NAI formats: the username, as octets of its UTF-8 text;
/// - ECIES profiles: ephemeral public key | ciphertext | 8-octet MAC tag (TS 33.501 C.3.3);
/// - other schemes: opaque octets.
struct suci {
  supi_format format = supi_format::imsi;
  plmn_id plmn;
  std::string home_network_identifier;
  routing_indicator routing;
  std::uint8_t protection_scheme_id = 0;
  std::uint8_t hn_public_key_id = 0;
  byte_buffer scheme_output;
  friend bool operator==(const suci&, const suci&) = default;
};

/// Octet sizes of the ECIES scheme output parts. Ref: TS 33.501 C.3.4.
inline constexpr std::size_t profile_a_public_key_len = 32;
inline constexpr std::size_t profile_b_public_key_len = 33;  ///< compressed point
inline constexpr std::size_t suci_mac_tag_len = 8;
/// Upper bound on a scheme output (a SUCI is at most a few hundred octets; this bounds work).
inline constexpr std::size_t max_scheme_output_len = 512;

/// Parses the UDM API string form (TS 29.503 Annex C, TS 29.571 Suci pattern):
/// `suci-0-<mcc>-<mnc>-<ri>-<scheme>-<key id>-<output>` or
/// `suci-<1..3>-<realm>-<ri>-<scheme>-<key id>-<output>`. Scheme is one hex digit, key id decimal
/// 0..255, output hex for schemes other than null; for the null scheme the MSIN digits (IMSI) or
/// the username as written (NAI formats; may contain '-'). A realm may contain '-': for a
/// protected output (hex, no '-') the fields are split from the right; for the null scheme at the
/// first `-<1..4 digits>-0-<decimal>-` that gives a valid SUCI. A null-scheme NAI SUCI whose realm
/// or username itself contains such a run is ambiguous in this form (use the NAI form).
std::expected<suci, suci_error> parse_suci_string(std::string_view text) noexcept;

/// Parses the NAI form (TS 23.003 28.7.3):
/// `type<t>.rid<ri>.schid<s>.userid<msin|username>@<realm>` (null scheme) or
/// `type<t>.rid<ri>.schid<s>.hnkey<id>.ecckey<hex>.cip<hex>.mac<hex>@<realm>` (profiles A/B) or
/// `...hnkey<id>.out<hex>@<realm>` (other schemes). For type 0 the realm must be
/// `5gc.mnc<MNC>.mcc<MCC>.3gppnetwork.org` (optionally `5gc.nid<NID>.` in front); the MNC is
/// taken with the 3 digits written there (the NAI does not carry the MNC length).
std::expected<suci, suci_error> parse_suci_nai(std::string_view text) noexcept;

/// Either form: `suci-...` as UDM string, anything else as NAI.
std::expected<suci, suci_error> parse_suci(std::string_view text) noexcept;

/// The UDM API string form. ECIES / other output in lowercase hex.
std::string to_udm_string(const suci& s);

/// The NAI form. Fails with output_too_short if an ECIES output cannot be split into its parts,
/// with unsupported_scheme never (other schemes use `.out<hex>`).
std::expected<std::string, suci_error> to_nai(const suci& s);

/// Converts a decoded NAS SUCI (views) into an owned SUCI (parsing the NAI for NAI formats).
std::expected<suci, suci_error> to_suci(const suci_value& v) noexcept;

/// Appends the 5GS mobile identity value of `s` (SUCI, TS 24.501 9.11.3.4) to `out`.
/// NAI formats are encoded in NAI form.
std::expected<void, suci_error> encode_suci(const suci& s, byte_buffer& out);

/// Short name of a SUPI format for JSON: "imsi", "network_specific_identifier", "gci", "gli".
const char* to_string(supi_format f) noexcept;

}  // namespace sec5g::identity
