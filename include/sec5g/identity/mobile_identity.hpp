#pragma once
/// The 5GS mobile identity IE value (TS 24.501 9.11.3.4): decode and encode.
///
/// The codec works on the IE *value* (the octets after IEI and the 2-octet length). Decoding
/// never allocates and never throws; opaque parts (SUCI scheme output, SUCI NAI) are views into
/// the input, so a decoded identity must not outlive the bytes it was decoded from.
/// Ref: TS 24.501 9.11.3.4, TS 23.003 2.2B (SUCI), 2.10 (5G-GUTI), 6.2 (IMEI/IMEISV).

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::identity {

/// A short string of decimal digits held inline (no allocation): MCC, MNC, routing indicator,
/// IMEI, IMEISV. `len` digits of `d` are valid, each '0'..'9'.
template <std::size_t N>
struct digit_string {
  std::array<char, N> d{};
  std::uint8_t len = 0;

  /// The digits as text (a view into this object).
  [[nodiscard]] std::string_view view() const noexcept { return {d.data(), len}; }
  [[nodiscard]] bool empty() const noexcept { return len == 0; }
  /// Builds from text; returns false (and leaves *this empty) if `s` is longer than N or holds
  /// a character other than '0'..'9'.
  bool assign(std::string_view s) noexcept {
    len = 0;
    if (s.size() > N) return false;
    for (char c : s)
      if (c < '0' || c > '9') return false;
    for (std::size_t i = 0; i < s.size(); ++i) d[i] = s[i];
    len = static_cast<std::uint8_t>(s.size());
    return true;
  }
  friend bool operator==(const digit_string& a, const digit_string& b) noexcept {
    return a.view() == b.view();
  }
};

/// PLMN identity: 3-digit MCC, 2- or 3-digit MNC. Ref: TS 23.003 2.2, TS 24.501 9.11.3.4.
struct plmn_id {
  digit_string<3> mcc;
  digit_string<3> mnc;
  friend bool operator==(const plmn_id&, const plmn_id&) = default;
};

/// Routing indicator: 1 to 4 decimal digits. Ref: TS 23.003 2.2B, TS 24.501 9.11.3.4.
using routing_indicator = digit_string<4>;

/// SUPI format of a SUCI (octet 1 bits 5-7 of the SUCI encoding). Ref: TS 24.501 9.11.3.4,
/// TS 23.003 2.2B (SUPI type).
enum class supi_format : std::uint8_t {
  imsi = 0,              ///< IMSI-based SUPI: MCC/MNC, MSIN in the scheme input
  network_specific = 1,  ///< NAI (network specific identifier)
  gci = 2,               ///< Global Cable Identifier (wireline, NAI form)
  gli = 3,               ///< Global Line Identifier (wireline, NAI form)
};

/// Protection scheme identifiers. Ref: TS 33.501 Annex C.1 / C.3, TS 24.501 9.11.3.4.
enum class protection_scheme : std::uint8_t {
  null_scheme = 0,
  profile_a = 1,  ///< ECIES with X25519
  profile_b = 2,  ///< ECIES with secp256r1 (compressed ephemeral key)
};

/// Type of identity (octet 1 bits 1-3). Ref: TS 24.501 Table 9.11.3.4.1.
enum class mobile_identity_type : std::uint8_t {
  no_identity = 0,
  suci = 1,
  guti = 2,
  imei = 3,
  s_tmsi = 4,
  imeisv = 5,
  mac_address = 6,
  eui64 = 7,
};

/// "No identity" (type 000).
struct no_identity {
  friend bool operator==(const no_identity&, const no_identity&) = default;
};

/// A SUCI as carried in the mobile identity IE. For `format == imsi` the PLMN, routing
/// indicator, scheme id, key id and scheme output are set (`nai` empty). For the NAI-based formats
/// only `nai` is set: the SUCI in the NAI form of TS 23.003 28.7.3 (e.g.
/// `type1.rid84.schid0.userid...@realm`), to be parsed with identity::parse_suci_nai (suci.hpp).
/// `scheme_output` / `nai` are views into the decoded bytes.
/// Null scheme: scheme_output is the MSIN in packed BCD (first digit in the low nibble, F filler).
struct suci_value {
  supi_format format = supi_format::imsi;
  plmn_id plmn;
  routing_indicator routing;
  /// 0 null, 1 profile A, 2 profile B, others as received (4 bits on the wire).
  std::uint8_t protection_scheme_id = 0;
  std::uint8_t hn_public_key_id = 0;
  bytes_view scheme_output;
  std::string_view nai;
};

/// 5G-GUTI = GUAMI (PLMN, AMF Region ID 8 bits, AMF Set ID 10 bits, AMF Pointer 6 bits) +
/// 5G-TMSI (32 bits). Ref: TS 23.003 2.10.1.
struct guti_5g {
  plmn_id plmn;
  std::uint8_t amf_region_id = 0;
  std::uint16_t amf_set_id = 0;  ///< 10 bits
  std::uint8_t amf_pointer = 0;  ///< 6 bits
  std::uint32_t tmsi = 0;
  friend bool operator==(const guti_5g&, const guti_5g&) = default;
};

/// 5G-S-TMSI = AMF Set ID, AMF Pointer, 5G-TMSI. Ref: TS 23.003 2.11.
struct s_tmsi_5g {
  std::uint16_t amf_set_id = 0;  ///< 10 bits
  std::uint8_t amf_pointer = 0;  ///< 6 bits
  std::uint32_t tmsi = 0;
  friend bool operator==(const s_tmsi_5g&, const s_tmsi_5g&) = default;
};

/// IMEI: 15 digits (14 + check digit, sent as received, the check digit is not verified).
/// Ref: TS 23.003 6.2.1.
struct imei {
  digit_string<15> digits;
  friend bool operator==(const imei&, const imei&) = default;
};

/// IMEISV: 16 digits (14 + 2-digit software version). Ref: TS 23.003 6.2.2.
struct imeisv {
  digit_string<16> digits;
  friend bool operator==(const imeisv&, const imeisv&) = default;
};

/// MAC address (type 110), with the MAC address usage restriction indication (octet 1 bit 4).
/// Ref: TS 24.501 9.11.3.4.
struct mac_address {
  byte_array<6> octets{};
  bool usage_restricted = false;  ///< MAURI
  friend bool operator==(const mac_address&, const mac_address&) = default;
};

/// EUI-64 (type 111). Ref: TS 24.501 9.11.3.4.
struct eui64 {
  byte_array<8> octets{};
  friend bool operator==(const eui64&, const eui64&) = default;
};

/// One decoded 5GS mobile identity value.
using mobile_identity =
    std::variant<no_identity, suci_value, guti_5g, imei, s_tmsi_5g, imeisv, mac_address, eui64>;

/// The type of identity held.
mobile_identity_type type_of(const mobile_identity& id) noexcept;

/// Short name of a type: "no_identity", "suci", "5g_guti", "imei", "5g_s_tmsi", "imeisv",
/// "mac_address", "eui64".
const char* to_string(mobile_identity_type t) noexcept;

/// Upper bound on the mobile identity value length accepted (the IE is TLV-E; a SUCI NAI is
/// bounded by the NAI length limits of RFC 7542, 253 octets, plus the header).
inline constexpr std::size_t max_mobile_identity_len = 1024;

/// Decodes a 5GS mobile identity IE value. Errors (decode_error.field):
/// - truncated: fewer octets than the type needs ("5gsmi.type", "5gsmi.suci.plmn", ...);
/// - bad_value: a BCD digit outside 0-9 where digits are required, a filler nibble that is not
///   F, the 5G-GUTI/5G-S-TMSI octet 1 high nibble not 1111, a SUCI NAI that is not printable;
/// - trailing_bytes: fixed-size identities (GUTI 11 octets, S-TMSI 7, MAC 7, EUI-64 9) longer
///   than their size;
/// - length_too_large: value longer than max_mobile_identity_len;
/// - unsupported: SUPI format 4..7.
/// "No identity" accepts any length (octets after octet 1 are ignored).
/// The result holds views into `value`. Ref: TS 24.501 9.11.3.4.
std::expected<mobile_identity, decode_error> decode_mobile_identity(bytes_view value) noexcept;

/// Appends the IE value encoding of `id` to `out` (no IEI, no length). Digit strings must hold
/// only '0'..'9' (as produced by the decoder and digit_string::assign); 5G-GUTI / 5G-S-TMSI
/// AMF Set ID and Pointer are masked to 10 and 6 bits. Ref: TS 24.501 9.11.3.4.
void encode_mobile_identity(const mobile_identity& id, byte_buffer& out);

/// Text forms for JSON output and logs (stable; documented in docs/formats/identity.md):
/// - PLMN: "001-01" (MCC-MNC).
std::string to_string(const plmn_id& p);
/// - 5G-GUTI: TS 29.571 Guti form "5g-guti-<mcc><mnc><amf id 6 hex><5g-tmsi 8 hex>",
///   e.g. "5g-guti-00101cafe0100000001" (AMF ID = region 8 bits | set 10 bits | pointer 6 bits).
std::string to_string(const guti_5g& g);
/// The same text written into `out` (replacing its content; no allocation when its capacity
/// suffices, as when a UE record's GUTI is updated).
void assign_text(std::string& out, const guti_5g& g);
/// - 5G-S-TMSI: "5g-s-tmsi-<set 10 bits|pointer 6 bits as 4 hex><5g-tmsi 8 hex>".
std::string to_string(const s_tmsi_5g& s);
/// - PEI in the TS 29.571 Pei form: "imei-<15 digits>", "imeisv-<16 digits>",
///   "mac-xx-xx-xx-xx-xx-xx" (lowercase hex; "-untrusted" appended when the usage restriction
///   indication is set), "eui-xx-xx-xx-xx-xx-xx-xx-xx".
std::string to_string(const imei& v);
std::string to_string(const imeisv& v);
std::string to_string(const mac_address& v);
std::string to_string(const eui64& v);
/// - SUCI (NAS view) in the UDM string form of TS 29.503 (see suci.hpp: to_udm_string), or the
///   NAI text for the NAI formats. Null scheme IMSI: the scheme output printed as MSIN digits.
std::string to_string(const suci_value& v);
/// - Any mobile identity: the form above for its type; "no-identity" for no identity.
std::string to_string(const mobile_identity& id);

/// A PEI (Permanent Equipment Identifier): IMEI, IMEISV, MAC address or EUI-64.
/// Ref: TS 23.003 6.4, TS 29.571 Pei.
using pei = std::variant<imei, imeisv, mac_address, eui64>;

/// The TS 29.571 Pei text of a PEI (as to_string of its alternative).
std::string to_string(const pei& p);

/// Parses the TS 29.571 Pei text forms printed above ("imei-", "imeisv-", "mac-" with an
/// optional "-untrusted" suffix (sets usage_restricted), "eui-"); std::nullopt if malformed.
std::optional<pei> parse_pei(std::string_view text) noexcept;

/// Parses the TS 29.571 Guti text "5g-guti-<mcc><mnc><amf id 6 hex><5g-tmsi 8 hex>"; the MNC
/// length follows from the total length (2-digit MNC: 19 characters after the prefix, 3-digit:
/// 20). std::nullopt if malformed.
std::optional<guti_5g> parse_guti(std::string_view text) noexcept;

/// Packs decimal digits as BCD, first digit in the low nibble, F filler for an odd count
/// (appended to `out`). Returns false if a character is not '0'..'9' (out unchanged).
/// Ref: TS 24.501 Figure 9.11.3.4.3a, TS 33.501 C.4 (MSIN scheme input).
bool pack_bcd(std::string_view digits, byte_buffer& out);

/// Unpacks BCD (low nibble first) into digits; an F high nibble is accepted only in the last
/// octet (odd count). Returns false on any other nibble above 9. Appends to `out`.
bool unpack_bcd(bytes_view bcd, std::string& out);

}  // namespace sec5g::identity
