// SUPI / SUCI text forms. Ref: TS 23.003 2.2A, 2.2B, 28.7.3; TS 29.503 Annex C; TS 29.571.
#include "sec5g/identity/suci.hpp"

#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "sec5g/core/hex.hpp"

namespace sec5g::identity {
namespace {

std::unexpected<suci_error> err(suci_errc c, const char* detail = "", std::uint32_t v = 0) noexcept {
  return std::unexpected(suci_error{c, v, detail});
}

bool all_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool all_hex(std::string_view s) noexcept {
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) return false;
  }
  return true;
}

// Decimal 0..max without sign or spaces.
bool parse_dec(std::string_view s, std::uint32_t max, std::uint32_t& out) noexcept {
  if (s.empty() || s.size() > 10 || !all_digits(s)) return false;
  std::uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  if (v > max) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A printable NAI character set (RFC 7542 utf8-username/realm, restricted to visible ASCII).
bool printable(std::string_view s) noexcept {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7E) return false;
  }
  return true;
}

bool valid_realm(std::string_view realm) noexcept {
  if (realm.empty() || realm.size() > 253 || !printable(realm)) return false;
  for (char c : realm)
    if (c == '@') return false;
  return true;
}

std::expected<void, suci_error> set_routing(routing_indicator& ri, std::string_view s) noexcept {
  if (s.empty() || s.size() > 4 || !ri.assign(s)) return err(suci_errc::bad_digits, "routing indicator");
  return {};
}

std::expected<void, suci_error> set_plmn(plmn_id& p, std::string_view mcc,
                                         std::string_view mnc) noexcept {
  if (mcc.size() != 3 || !p.mcc.assign(mcc)) return err(suci_errc::bad_digits, "MCC");
  if (mnc.size() < 2 || mnc.size() > 3 || !p.mnc.assign(mnc)) return err(suci_errc::bad_digits, "MNC");
  return {};
}

std::size_t ecies_key_len(std::uint8_t scheme) noexcept {
  if (scheme == 1) return profile_a_public_key_len;
  if (scheme == 2) return profile_b_public_key_len;
  return 0;
}

// Null-scheme output from text: MSIN digits (IMSI) or the username (NAI formats).
std::expected<void, suci_error> set_null_output(suci& s, std::string_view text) noexcept {
  s.scheme_output.clear();
  if (text.size() > max_scheme_output_len) return err(suci_errc::bad_suci_string, "scheme output too long");
  if (s.format == supi_format::imsi) {
    if (!all_digits(text) || text.size() > 10) return err(suci_errc::bad_digits, "MSIN");
    pack_bcd(text, s.scheme_output);
    return {};
  }
  if (text.empty() || !printable(text) || text.find('@') != std::string_view::npos)
    return err(suci_errc::bad_nai, "bad username");
  s.scheme_output.assign(text.begin(), text.end());
  return {};
}

std::expected<void, suci_error> append_hex(std::string_view text, byte_buffer& out,
                                           suci_errc code, const char* what) noexcept {
  if (text.size() % 2 != 0 || !all_hex(text)) return err(code, what);
  if (out.size() + text.size() / 2 > max_scheme_output_len) return err(code, "scheme output too long");
  for (std::size_t i = 0; i < text.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(hex_value(text[i]) << 4 | hex_value(text[i + 1])));
  return {};
}

// Does `t` start with "<1..4 digits>-<hex digit>-<decimal>-"? (the tail after a realm)
bool looks_like_tail(std::string_view t) noexcept {
  std::size_t i = 0;
  while (i < t.size() && i < 5 && t[i] >= '0' && t[i] <= '9') ++i;
  if (i == 0 || i > 4 || i >= t.size() || t[i] != '-') return false;
  ++i;
  if (i + 1 >= t.size() || hex_value(t[i]) < 0 || t[i + 1] != '-') return false;
  i += 2;
  const std::size_t k0 = i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  return i > k0 && i - k0 <= 3 && i < t.size() && t[i] == '-';
}

// Splits the next '-'-terminated field off `rest`.
bool next_field(std::string_view& rest, std::string_view& field) noexcept {
  const auto dash = rest.find('-');
  if (dash == std::string_view::npos) return false;
  field = rest.substr(0, dash);
  rest.remove_prefix(dash + 1);
  return true;
}

}  // namespace

std::string describe(const suci_error& e) {
  const std::string_view d = e.detail != nullptr ? e.detail : "";
  auto with = [&](std::string_view base) {
    return d.empty() ? std::string(base) : fmt::format("{}: {}", base, d);
  };
  switch (e.code) {
    case suci_errc::bad_supi: return with("bad SUPI");
    case suci_errc::bad_digits: return with("bad digits");
    case suci_errc::bad_nai: return with("bad NAI");
    case suci_errc::bad_suci_string: return with("bad SUCI string");
    case suci_errc::unsupported_scheme:
      return fmt::format("unsupported protection scheme id {}", e.value);
    case suci_errc::unknown_key_id:
      return fmt::format("unknown home network public key id {}", e.value);
    case suci_errc::output_too_short:
      if (e.value == 1) return "scheme output too short for profile A";
      if (e.value == 2) return "scheme output too short for profile B";
      return fmt::format("scheme output too short for protection scheme {}", e.value);
    case suci_errc::bad_ephemeral_key: return with("invalid ephemeral public key");
    case suci_errc::mac_mismatch: return "MAC tag mismatch";
    case suci_errc::bad_plaintext: return with("bad decrypted scheme input");
    case suci_errc::bad_public_key: return with("invalid home network public key");
    case suci_errc::bad_private_key: return with("invalid home network private key");
    case suci_errc::key_file: return with("key file");
    case suci_errc::crypto_failure: return with("crypto failure");
  }
  return "SUCI error";
}

const char* to_string(supi_format f) noexcept {
  switch (f) {
    case supi_format::imsi: return "imsi";
    case supi_format::network_specific: return "network_specific_identifier";
    case supi_format::gci: return "gci";
    case supi_format::gli: return "gli";
  }
  return "unknown";
}

std::expected<supi, suci_error> parse_supi(std::string_view text) noexcept {
  supi s;
  if (text.starts_with("imsi-")) {
    const auto d = text.substr(5);
    if (d.size() < 5 || d.size() > 15 || !all_digits(d)) return err(suci_errc::bad_supi, "IMSI must be 5 to 15 digits");
    s.type = supi_type::imsi;
    s.value = std::string(d);
    return s;
  }
  if (text.starts_with("nai-")) {
    const auto n = text.substr(4);
    const auto at = n.rfind('@');
    if (at == std::string_view::npos || at == 0) return err(suci_errc::bad_supi, "NAI must be user@realm");
    if (!printable(n) || !valid_realm(n.substr(at + 1)) || n.substr(0, at).find('@') != std::string_view::npos)
      return err(suci_errc::bad_supi, "bad NAI characters or realm");
    if (n.size() > 253) return err(suci_errc::bad_supi, "NAI too long");
    s.type = supi_type::nai;
    s.value = std::string(n);
    return s;
  }
  return err(suci_errc::bad_supi, "expected imsi-DIGITS or nai-USER@REALM");
}

std::string to_string(const supi& s) {
  return (s.type == supi_type::imsi ? "imsi-" : "nai-") + s.value;
}

namespace {

// "<ri>-<scheme>-<key id>-<output>" into s.
std::expected<suci, suci_error> parse_tail(suci s, std::string_view rest) noexcept {
  std::string_view ri, scheme, key;
  if (!next_field(rest, ri) || !next_field(rest, scheme) || !next_field(rest, key))
    return err(suci_errc::bad_suci_string, "missing routing indicator, scheme or key id");
  if (auto r = set_routing(s.routing, ri); !r) return std::unexpected(r.error());
  if (scheme.size() != 1 || hex_value(scheme[0]) < 0)
    return err(suci_errc::bad_suci_string, "protection scheme id must be one hex digit");
  s.protection_scheme_id = static_cast<std::uint8_t>(hex_value(scheme[0]));
  std::uint32_t key_id = 0;
  if (!parse_dec(key, 255, key_id)) return err(suci_errc::bad_suci_string, "key id must be 0..255");
  s.hn_public_key_id = static_cast<std::uint8_t>(key_id);
  // Ref: TS 29.571 Suci pattern: the null scheme is written "0-0-<output>".
  if (s.protection_scheme_id == 0 && key_id != 0)
    return err(suci_errc::bad_suci_string, "null scheme needs key id 0");
  if (rest.empty()) return err(suci_errc::bad_suci_string, "empty scheme output");
  if (s.protection_scheme_id == 0) {
    if (auto r = set_null_output(s, rest); !r) return std::unexpected(r.error());
  } else {
    if (auto r = append_hex(rest, s.scheme_output, suci_errc::bad_suci_string, "scheme output must be hex"); !r)
      return std::unexpected(r.error());
  }
  return s;
}

}  // namespace

std::expected<suci, suci_error> parse_suci_string(std::string_view text) noexcept {
  if (!text.starts_with("suci-")) return err(suci_errc::bad_suci_string, "missing suci- prefix");
  if (text.size() > 2 * max_scheme_output_len + 300) return err(suci_errc::bad_suci_string, "too long");
  std::string_view rest = text.substr(5);
  std::string_view f;
  suci s;
  if (!next_field(rest, f) || f.size() != 1 || f[0] < '0' || f[0] > '3')
    return err(suci_errc::bad_suci_string, "SUPI type must be 0..3");
  s.format = static_cast<supi_format>(f[0] - '0');
  if (s.format == supi_format::imsi) {
    std::string_view mcc, mnc;
    if (!next_field(rest, mcc) || !next_field(rest, mnc)) return err(suci_errc::bad_suci_string, "missing MCC/MNC");
    if (auto r = set_plmn(s.plmn, mcc, mnc); !r) return std::unexpected(r.error());
    return parse_tail(std::move(s), rest);
  }
  // The realm may contain '-'. Candidate ends of the realm, tried in order:
  // 1. a protected (non-null) output is hex without '-', so the last four '-' delimit
  //    RI, scheme, key id and output: split from the right;
  // 2. a null-scheme username may itself contain '-': every position, left to right, whose tail
  //    reads RI-0-key-.
  // Only a null-scheme SUCI whose realm or username contains such a run is ambiguous.
  std::optional<suci_error> first_error;
  auto attempt = [&](std::size_t cut) -> std::optional<suci> {
    const auto realm = rest.substr(0, cut);
    if (!valid_realm(realm)) {
      if (!first_error) first_error = suci_error{suci_errc::bad_suci_string, 0, "bad home network identifier"};
      return std::nullopt;
    }
    suci c = s;
    c.home_network_identifier = std::string(realm);
    auto r = parse_tail(std::move(c), rest.substr(cut + 1));
    if (r) return std::move(*r);
    if (!first_error) first_error = r.error();
    return std::nullopt;
  };
  {
    std::size_t dashes[4];
    std::size_t n = 0;
    for (std::size_t i = rest.size(); i-- > 0 && n < 4;)
      if (rest[i] == '-') dashes[n++] = i;
    if (n == 4 && dashes[3] > 0 && dashes[2] + 2 == dashes[1] && hex_value(rest[dashes[2] + 1]) > 0 &&
        looks_like_tail(rest.substr(dashes[3] + 1))) {
      if (auto r = attempt(dashes[3])) return std::move(*r);
    }
  }
  for (std::size_t i = 1; i < rest.size(); ++i) {
    if (rest[i] != '-') continue;
    const auto tail = rest.substr(i + 1);
    if (!looks_like_tail(tail) || tail[tail.find('-') + 1] != '0') continue;
    if (auto r = attempt(i)) return std::move(*r);
  }
  if (first_error) return std::unexpected(*first_error);
  return err(suci_errc::bad_suci_string, "missing fields after realm");
}

std::expected<suci, suci_error> parse_suci_nai(std::string_view text) noexcept {
  if (text.size() > 2 * max_scheme_output_len + 300) return err(suci_errc::bad_nai, "too long");
  if (!printable(text)) return err(suci_errc::bad_nai, "non-printable character");
  const auto at = text.rfind('@');
  if (at == std::string_view::npos) return err(suci_errc::bad_nai, "missing realm");
  const auto realm = text.substr(at + 1);
  std::string_view user = text.substr(0, at);
  if (!valid_realm(realm)) return err(suci_errc::bad_nai, "bad realm");
  suci s;
  auto take = [&user](std::string_view label, std::string_view& value) noexcept {
    if (!user.starts_with(label)) return false;
    user.remove_prefix(label.size());
    const auto dot = user.find('.');
    value = user.substr(0, dot);
    user.remove_prefix(dot == std::string_view::npos ? user.size() : dot + 1);
    return true;
  };
  std::string_view type, rid, schid;
  if (!take("type", type) || type.size() != 1 || type[0] < '0' || type[0] > '3')
    return err(suci_errc::bad_nai, "missing or bad type<0..3>");
  s.format = static_cast<supi_format>(type[0] - '0');
  if (!take("rid", rid)) return err(suci_errc::bad_nai, "missing rid");
  if (auto r = set_routing(s.routing, rid); !r) return std::unexpected(r.error());
  std::uint32_t scheme = 0;
  if (!take("schid", schid) || !parse_dec(schid, 15, scheme)) return err(suci_errc::bad_nai, "missing or bad schid");
  s.protection_scheme_id = static_cast<std::uint8_t>(scheme);

  if (s.format == supi_format::imsi) {
    // 5gc.[nid<NID>.]mnc<MNC>.mcc<MCC>.3gppnetwork.org  Ref: TS 23.003 28.7.3, 28.2.
    std::string_view r = realm;
    if (!r.starts_with("5gc.")) return err(suci_errc::bad_nai, "type0 realm must be 5gc.mnc<MNC>.mcc<MCC>.3gppnetwork.org");
    r.remove_prefix(4);
    if (r.starts_with("nid")) {
      const auto dot = r.find('.');
      if (dot == std::string_view::npos) return err(suci_errc::bad_nai, "bad nid label");
      r.remove_prefix(dot + 1);
    }
    if (!r.starts_with("mnc") || r.size() < 13 || r.substr(6, 4) != ".mcc" ||
        r.substr(13) != ".3gppnetwork.org")
      return err(suci_errc::bad_nai, "type0 realm must be 5gc.mnc<MNC>.mcc<MCC>.3gppnetwork.org");
    if (auto p = set_plmn(s.plmn, r.substr(10, 3), r.substr(3, 3)); !p) return std::unexpected(p.error());
  } else {
    s.home_network_identifier = std::string(realm);
  }

  std::string_view v;
  if (s.protection_scheme_id == 0) {
    if (!user.starts_with("userid")) return err(suci_errc::bad_nai, "null scheme needs userid<...>");
    user.remove_prefix(6);  // the username may itself contain '.'
    if (user.empty()) return err(suci_errc::bad_nai, "empty userid");
    if (auto r = set_null_output(s, user); !r) return std::unexpected(r.error());
    return s;
  }
  std::uint32_t key_id = 0;
  if (!take("hnkey", v) || !parse_dec(v, 255, key_id)) return err(suci_errc::bad_nai, "missing or bad hnkey");
  s.hn_public_key_id = static_cast<std::uint8_t>(key_id);
  if (user.starts_with("out")) {
    if (!take("out", v) || !user.empty()) return err(suci_errc::bad_nai, "bad out<...>");
    if (auto r = append_hex(v, s.scheme_output, suci_errc::bad_nai, "out must be hex"); !r)
      return std::unexpected(r.error());
    return s;
  }
  std::string_view ecc, cip, mac;
  if (!take("ecckey", ecc) || !take("cip", cip) || !take("mac", mac) || !user.empty())
    return err(suci_errc::bad_nai, "ECIES needs ecckey<hex>.cip<hex>.mac<hex>");
  if (auto r = append_hex(ecc, s.scheme_output, suci_errc::bad_nai, "ecckey must be hex"); !r)
    return std::unexpected(r.error());
  if (const auto klen = ecies_key_len(s.protection_scheme_id); klen != 0 && s.scheme_output.size() != klen)
    return err(suci_errc::bad_nai, "ecckey has the wrong length for the profile");
  if (auto r = append_hex(cip, s.scheme_output, suci_errc::bad_nai, "cip must be hex"); !r)
    return std::unexpected(r.error());
  if (mac.size() != 2 * suci_mac_tag_len) return err(suci_errc::bad_nai, "mac must be 16 hex digits");
  if (auto r = append_hex(mac, s.scheme_output, suci_errc::bad_nai, "mac must be hex"); !r)
    return std::unexpected(r.error());
  return s;
}

std::expected<suci, suci_error> parse_suci(std::string_view text) noexcept {
  if (text.starts_with("suci-")) return parse_suci_string(text);
  return parse_suci_nai(text);
}

namespace {

std::string null_output_text(const suci& s) {
  if (s.format == supi_format::imsi) {
    std::string msin;
    if (unpack_bcd(s.scheme_output, msin)) return msin;
    return to_hex(s.scheme_output);
  }
  return std::string(s.scheme_output.begin(), s.scheme_output.end());
}

}  // namespace

std::string to_udm_string(const suci& s) {
  const std::string out =
      s.protection_scheme_id == 0 ? null_output_text(s) : to_hex(s.scheme_output);
  if (s.format == supi_format::imsi)
    return fmt::format("suci-0-{}-{}-{}-{:x}-{}-{}", s.plmn.mcc.view(), s.plmn.mnc.view(),
                       s.routing.view(), s.protection_scheme_id, s.hn_public_key_id, out);
  return fmt::format("suci-{}-{}-{}-{:x}-{}-{}", static_cast<int>(s.format),
                     s.home_network_identifier, s.routing.view(), s.protection_scheme_id,
                     s.hn_public_key_id, out);
}

std::expected<std::string, suci_error> to_nai(const suci& s) {
  std::string realm;
  if (s.format == supi_format::imsi) {
    // A 2-digit MNC is written with a leading zero. Ref: TS 23.003 28.2.
    const auto mnc = s.plmn.mnc.view();
    realm = fmt::format("5gc.mnc{}{}.mcc{}.3gppnetwork.org", mnc.size() == 2 ? "0" : "", mnc,
                        s.plmn.mcc.view());
  } else {
    realm = s.home_network_identifier;
  }
  std::string user = fmt::format("type{}.rid{}.schid{}", static_cast<int>(s.format),
                                 s.routing.view(), s.protection_scheme_id);
  if (s.protection_scheme_id == 0) {
    user += ".userid" + null_output_text(s);
  } else if (const auto klen = ecies_key_len(s.protection_scheme_id); klen != 0) {
    if (s.scheme_output.size() < klen + suci_mac_tag_len)
      return std::unexpected(suci_error{suci_errc::output_too_short, s.protection_scheme_id, ""});
    const bytes_view o(s.scheme_output);
    user += fmt::format(".hnkey{}.ecckey{}.cip{}.mac{}", s.hn_public_key_id, to_hex(o.first(klen)),
                        to_hex(o.subspan(klen, o.size() - klen - suci_mac_tag_len)),
                        to_hex(o.last(suci_mac_tag_len)));
  } else {
    user += fmt::format(".hnkey{}.out{}", s.hn_public_key_id, to_hex(s.scheme_output));
  }
  return user + "@" + realm;
}

std::expected<suci, suci_error> to_suci(const suci_value& v) noexcept {
  if (v.format != supi_format::imsi) {
    auto s = parse_suci_nai(v.nai);
    if (s && s->format != v.format) return err(suci_errc::bad_nai, "type differs from the SUPI format");
    return s;
  }
  if (v.scheme_output.size() > max_scheme_output_len)
    return err(suci_errc::bad_suci_string, "scheme output too long");
  suci s;
  s.format = v.format;
  s.plmn = v.plmn;
  s.routing = v.routing;
  s.protection_scheme_id = v.protection_scheme_id;
  s.hn_public_key_id = v.hn_public_key_id;
  s.scheme_output.assign(v.scheme_output.begin(), v.scheme_output.end());
  return s;
}

std::expected<void, suci_error> encode_suci(const suci& s, byte_buffer& out) {
  suci_value v;
  v.format = s.format;
  std::string nai;
  if (s.format != supi_format::imsi) {
    auto n = to_nai(s);
    if (!n) return std::unexpected(n.error());
    nai = std::move(*n);
    v.nai = nai;
  } else {
    v.plmn = s.plmn;
    v.routing = s.routing;
    v.protection_scheme_id = s.protection_scheme_id;
    v.hn_public_key_id = s.hn_public_key_id;
    v.scheme_output = s.scheme_output;
  }
  encode_mobile_identity(mobile_identity{v}, out);
  return {};
}

}  // namespace sec5g::identity
