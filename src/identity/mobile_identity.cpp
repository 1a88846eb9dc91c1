// 5GS mobile identity IE value codec. Ref: TS 24.501 9.11.3.4.
#include "sec5g/identity/mobile_identity.hpp"

#include <iterator>

#include <fmt/format.h>

#include "sec5g/core/byte_reader.hpp"
#include "sec5g/core/byte_writer.hpp"
#include "sec5g/core/hex.hpp"

namespace sec5g::identity {
namespace {

constexpr std::uint8_t filler = 0xF;

std::unexpected<decode_error> fail(decode_errc c, std::uint32_t off, const char* field) noexcept {
  return std::unexpected(decode_error{c, off, field});
}

// PLMN in three octets: MCC2|MCC1, MNC3|MCC3, MNC2|MNC1; MNC3 = F for a 2-digit MNC.
// Ref: TS 24.501 Figure 9.11.3.4.3 / 9.11.3.4.4 (and TS 24.008 10.5.1.3).
std::expected<plmn_id, decode_error> decode_plmn(byte_reader& r, const char* field) noexcept {
  const std::uint32_t at = r.offset();
  auto b = r.bytes(3, field);
  if (!b) return std::unexpected(b.error());
  const std::uint8_t n[6] = {
      static_cast<std::uint8_t>((*b)[0] & 0xF), static_cast<std::uint8_t>((*b)[0] >> 4),
      static_cast<std::uint8_t>((*b)[1] & 0xF), static_cast<std::uint8_t>((*b)[2] & 0xF),
      static_cast<std::uint8_t>((*b)[2] >> 4),  static_cast<std::uint8_t>((*b)[1] >> 4)};
  plmn_id p;
  for (int i = 0; i < 5; ++i)
    if (n[i] > 9) return fail(decode_errc::bad_value, at, field);
  if (n[5] != filler && n[5] > 9) return fail(decode_errc::bad_value, at, field);
  p.mcc.d = {static_cast<char>('0' + n[0]), static_cast<char>('0' + n[1]),
             static_cast<char>('0' + n[2])};
  p.mcc.len = 3;
  p.mnc.d[0] = static_cast<char>('0' + n[3]);
  p.mnc.d[1] = static_cast<char>('0' + n[4]);
  p.mnc.len = 2;
  if (n[5] != filler) {
    p.mnc.d[2] = static_cast<char>('0' + n[5]);
    p.mnc.len = 3;
  }
  return p;
}

std::uint8_t digit_at(std::string_view s, std::size_t i) noexcept {
  if (i >= s.size()) return filler;
  const char c = s[i];
  return (c >= '0' && c <= '9') ? static_cast<std::uint8_t>(c - '0') : filler;
}

void encode_plmn(const plmn_id& p, byte_writer& w) {
  const auto mcc = p.mcc.view();
  const auto mnc = p.mnc.view();
  w.u8(static_cast<std::uint8_t>(digit_at(mcc, 1) << 4 | digit_at(mcc, 0)));
  w.u8(static_cast<std::uint8_t>(digit_at(mnc, 2) << 4 | digit_at(mcc, 2)));
  w.u8(static_cast<std::uint8_t>(digit_at(mnc, 1) << 4 | digit_at(mnc, 0)));
}

// Routing indicator: 4 BCD digits in two octets, unused trailing digits 1111. At least one
// digit; a digit after a filler is an error. Ref: TS 24.501 Figure 9.11.3.4.3.
std::expected<routing_indicator, decode_error> decode_routing(byte_reader& r) noexcept {
  const std::uint32_t at = r.offset();
  auto b = r.bytes(2, "5gsmi.suci.routing_indicator");
  if (!b) return std::unexpected(b.error());
  const std::uint8_t n[4] = {static_cast<std::uint8_t>((*b)[0] & 0xF),
                             static_cast<std::uint8_t>((*b)[0] >> 4),
                             static_cast<std::uint8_t>((*b)[1] & 0xF),
                             static_cast<std::uint8_t>((*b)[1] >> 4)};
  routing_indicator ri;
  bool ended = false;
  for (std::uint8_t v : n) {
    if (v == filler) {
      ended = true;
      continue;
    }
    if (v > 9 || ended) return fail(decode_errc::bad_value, at, "5gsmi.suci.routing_indicator");
    ri.d[ri.len++] = static_cast<char>('0' + v);
  }
  if (ri.len == 0) return fail(decode_errc::bad_value, at, "5gsmi.suci.routing_indicator");
  return ri;
}

std::expected<mobile_identity, decode_error> decode_suci(byte_reader& r,
                                                         std::uint8_t octet1) noexcept {
  suci_value s;
  const auto fmt_bits = static_cast<std::uint8_t>((octet1 >> 4) & 0x7);
  if (fmt_bits > 3) return fail(decode_errc::unsupported, 0, "5gsmi.suci.supi_format");
  s.format = static_cast<supi_format>(fmt_bits);
  if (s.format != supi_format::imsi) {
    // SUCI in NAI form: octets 2..n. Ref: TS 24.501 Figure 9.11.3.4.3b.
    const std::uint32_t at = r.offset();
    const bytes_view rest = r.take_rest();
    if (rest.empty()) return fail(decode_errc::truncated, at, "5gsmi.suci.nai");
    for (std::uint8_t c : rest)
      if (c < 0x21 || c > 0x7E) return fail(decode_errc::bad_value, at, "5gsmi.suci.nai");
    s.nai = std::string_view(reinterpret_cast<const char*>(rest.data()), rest.size());
    return s;
  }
  auto plmn = decode_plmn(r, "5gsmi.suci.plmn");
  if (!plmn) return std::unexpected(plmn.error());
  s.plmn = *plmn;
  auto ri = decode_routing(r);
  if (!ri) return std::unexpected(ri.error());
  s.routing = *ri;
  auto scheme = r.u8("5gsmi.suci.protection_scheme_id");
  if (!scheme) return std::unexpected(scheme.error());
  s.protection_scheme_id = static_cast<std::uint8_t>(*scheme & 0xF);
  auto key = r.u8("5gsmi.suci.hn_public_key_id");
  if (!key) return std::unexpected(key.error());
  s.hn_public_key_id = *key;
  s.scheme_output = r.take_rest();
  return s;
}

// IMEI / IMEISV: digit 1 in octet 1 bits 5-8, odd/even in bit 4, then two digits per octet.
// Ref: TS 24.501 Figure 9.11.3.4.2.
template <std::size_t N>
std::expected<digit_string<N>, decode_error> decode_pei_digits(std::uint8_t octet1,
                                                               byte_reader& r,
                                                               const char* field) noexcept {
  const bool odd = (octet1 & 0x08) != 0;
  digit_string<N> ds;
  const auto first = static_cast<std::uint8_t>(octet1 >> 4);
  if (first > 9) return fail(decode_errc::bad_value, 0, field);
  ds.d[ds.len++] = static_cast<char>('0' + first);
  const std::uint32_t at = r.offset();
  const bytes_view rest = r.take_rest();
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const auto lo = static_cast<std::uint8_t>(rest[i] & 0xF);
    const auto hi = static_cast<std::uint8_t>(rest[i] >> 4);
    const bool last = i + 1 == rest.size();
    const auto off = static_cast<std::uint32_t>(at + i);
    if (lo > 9) return fail(decode_errc::bad_value, off, field);
    if (ds.len >= N) return fail(decode_errc::length_too_large, off, field);
    ds.d[ds.len++] = static_cast<char>('0' + lo);
    if (last && !odd) {
      if (hi != filler) return fail(decode_errc::bad_value, off, field);
      break;
    }
    if (hi > 9) return fail(decode_errc::bad_value, off, field);
    if (ds.len >= N) return fail(decode_errc::length_too_large, off, field);
    ds.d[ds.len++] = static_cast<char>('0' + hi);
  }
  if (ds.len != N) return fail(decode_errc::bad_value, at, field);
  return ds;
}

template <std::size_t N>
void encode_pei_digits(const digit_string<N>& ds, mobile_identity_type t, byte_writer& w) {
  const auto v = ds.view();
  const bool odd = (v.size() % 2) == 1;
  w.u8(static_cast<std::uint8_t>(digit_at(v, 0) << 4 | (odd ? 0x08 : 0x00) |
                                 static_cast<std::uint8_t>(t)));
  for (std::size_t i = 1; i < v.size(); i += 2)
    w.u8(static_cast<std::uint8_t>(digit_at(v, i + 1) << 4 | digit_at(v, i)));
}

std::string plmn_digits(const plmn_id& p) {
  std::string s(p.mcc.view());
  s += p.mnc.view();
  return s;
}

}  // namespace

mobile_identity_type type_of(const mobile_identity& id) noexcept {
  switch (id.index()) {
    case 0: return mobile_identity_type::no_identity;
    case 1: return mobile_identity_type::suci;
    case 2: return mobile_identity_type::guti;
    case 3: return mobile_identity_type::imei;
    case 4: return mobile_identity_type::s_tmsi;
    case 5: return mobile_identity_type::imeisv;
    case 6: return mobile_identity_type::mac_address;
    default: return mobile_identity_type::eui64;
  }
}

const char* to_string(mobile_identity_type t) noexcept {
  switch (t) {
    case mobile_identity_type::no_identity: return "no_identity";
    case mobile_identity_type::suci: return "suci";
    case mobile_identity_type::guti: return "5g_guti";
    case mobile_identity_type::imei: return "imei";
    case mobile_identity_type::s_tmsi: return "5g_s_tmsi";
    case mobile_identity_type::imeisv: return "imeisv";
    case mobile_identity_type::mac_address: return "mac_address";
    case mobile_identity_type::eui64: return "eui64";
  }
  return "unknown";
}

std::expected<mobile_identity, decode_error> decode_mobile_identity(bytes_view value) noexcept {
  if (value.size() > max_mobile_identity_len)
    return fail(decode_errc::length_too_large, 0, "5gsmi.length");
  byte_reader r(value);
  auto o1 = r.u8("5gsmi.type");
  if (!o1) return std::unexpected(o1.error());
  const std::uint8_t octet1 = *o1;
  const auto type = static_cast<mobile_identity_type>(octet1 & 0x7);
  switch (type) {
    case mobile_identity_type::no_identity:
      return no_identity{};
    case mobile_identity_type::suci:
      return decode_suci(r, octet1);
    case mobile_identity_type::guti: {
      // Ref: TS 24.501 Figure 9.11.3.4.1: octet 1 = 1111 0 010, length 11. Bits 5-8 are read
      // as Wireshark and UEs read them: not at all (free5GC of 2020 sends 0000; a GUTI refused
      // for it would lose the UE's identity). nas::decode_plain notes it (nas.identity_filler).
      guti_5g g;
      auto plmn = decode_plmn(r, "5gsmi.guti.plmn");
      if (!plmn) return std::unexpected(plmn.error());
      g.plmn = *plmn;
      auto region = r.u8("5gsmi.guti.amf_region_id");
      if (!region) return std::unexpected(region.error());
      auto set_ptr = r.u16("5gsmi.guti.amf_set_id");
      if (!set_ptr) return std::unexpected(set_ptr.error());
      auto tmsi = r.u32("5gsmi.guti.5g_tmsi");
      if (!tmsi) return std::unexpected(tmsi.error());
      if (auto e = r.expect_end("5gsmi.guti"); !e) return std::unexpected(e.error());
      g.amf_region_id = *region;
      g.amf_set_id = static_cast<std::uint16_t>(*set_ptr >> 6);
      g.amf_pointer = static_cast<std::uint8_t>(*set_ptr & 0x3F);
      g.tmsi = *tmsi;
      return g;
    }
    case mobile_identity_type::imei: {
      auto ds = decode_pei_digits<15>(octet1, r, "5gsmi.imei");
      if (!ds) return std::unexpected(ds.error());
      return imei{*ds};
    }
    case mobile_identity_type::imeisv: {
      auto ds = decode_pei_digits<16>(octet1, r, "5gsmi.imeisv");
      if (!ds) return std::unexpected(ds.error());
      return imeisv{*ds};
    }
    case mobile_identity_type::s_tmsi: {
      // Ref: TS 24.501 Figure 9.11.3.4.5: octet 1 = 1111 0 100, length 7 (bits 5-8 not read,
      // as for the 5G-GUTI).
      auto set_ptr = r.u16("5gsmi.s_tmsi.amf_set_id");
      if (!set_ptr) return std::unexpected(set_ptr.error());
      auto tmsi = r.u32("5gsmi.s_tmsi.5g_tmsi");
      if (!tmsi) return std::unexpected(tmsi.error());
      if (auto e = r.expect_end("5gsmi.s_tmsi"); !e) return std::unexpected(e.error());
      s_tmsi_5g s;
      s.amf_set_id = static_cast<std::uint16_t>(*set_ptr >> 6);
      s.amf_pointer = static_cast<std::uint8_t>(*set_ptr & 0x3F);
      s.tmsi = *tmsi;
      return s;
    }
    case mobile_identity_type::mac_address: {
      // Ref: TS 24.501 Figure 9.11.3.4.6: octet 1 bit 4 = MAURI, octets 2-7 the address.
      auto b = r.bytes(6, "5gsmi.mac_address");
      if (!b) return std::unexpected(b.error());
      if (auto e = r.expect_end("5gsmi.mac_address"); !e) return std::unexpected(e.error());
      mac_address m;
      std::copy(b->begin(), b->end(), m.octets.begin());
      m.usage_restricted = (octet1 & 0x08) != 0;
      return m;
    }
    case mobile_identity_type::eui64: {
      // Ref: TS 24.501 Figure 9.11.3.4.7: octets 2-9.
      auto b = r.bytes(8, "5gsmi.eui64");
      if (!b) return std::unexpected(b.error());
      if (auto e = r.expect_end("5gsmi.eui64"); !e) return std::unexpected(e.error());
      eui64 v;
      std::copy(b->begin(), b->end(), v.octets.begin());
      return v;
    }
  }
  return fail(decode_errc::bad_value, 0, "5gsmi.type");
}

void encode_mobile_identity(const mobile_identity& id, byte_buffer& out) {
  byte_writer w(out);
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, no_identity>) {
          w.u8(0x00);
        } else if constexpr (std::is_same_v<T, suci_value>) {
          w.u8(static_cast<std::uint8_t>((static_cast<std::uint8_t>(v.format) & 0x7) << 4 | 0x01));
          if (v.format != supi_format::imsi) {
            w.bytes(bytes_view(reinterpret_cast<const std::uint8_t*>(v.nai.data()), v.nai.size()));
            return;
          }
          encode_plmn(v.plmn, w);
          const auto ri = v.routing.view();
          w.u8(static_cast<std::uint8_t>(digit_at(ri, 1) << 4 | digit_at(ri, 0)));
          w.u8(static_cast<std::uint8_t>(digit_at(ri, 3) << 4 | digit_at(ri, 2)));
          w.u8(static_cast<std::uint8_t>(v.protection_scheme_id & 0xF));
          w.u8(v.hn_public_key_id);
          w.bytes(v.scheme_output);
        } else if constexpr (std::is_same_v<T, guti_5g>) {
          w.u8(0xF2);
          encode_plmn(v.plmn, w);
          w.u8(v.amf_region_id);
          w.u16(static_cast<std::uint16_t>((v.amf_set_id & 0x3FF) << 6 | (v.amf_pointer & 0x3F)));
          w.u32(v.tmsi);
        } else if constexpr (std::is_same_v<T, imei>) {
          encode_pei_digits(v.digits, mobile_identity_type::imei, w);
        } else if constexpr (std::is_same_v<T, imeisv>) {
          encode_pei_digits(v.digits, mobile_identity_type::imeisv, w);
        } else if constexpr (std::is_same_v<T, s_tmsi_5g>) {
          w.u8(0xF4);
          w.u16(static_cast<std::uint16_t>((v.amf_set_id & 0x3FF) << 6 | (v.amf_pointer & 0x3F)));
          w.u32(v.tmsi);
        } else if constexpr (std::is_same_v<T, mac_address>) {
          w.u8(static_cast<std::uint8_t>(0x06 | (v.usage_restricted ? 0x08 : 0x00)));
          w.bytes(v.octets);
        } else {
          w.u8(0x07);
          w.bytes(v.octets);
        }
      },
      id);
}

std::string to_string(const plmn_id& p) {
  return fmt::format("{}-{}", p.mcc.view(), p.mnc.view());
}

void assign_text(std::string& out, const guti_5g& g) {
  const std::uint32_t amf_id = std::uint32_t{g.amf_region_id} << 16 |
                               std::uint32_t(g.amf_set_id & 0x3FF) << 6 |
                               std::uint32_t(g.amf_pointer & 0x3F);
  // "5g-guti-" MCC MNC, the AMF ID in 6 and the 5G-TMSI in 8 lower-case hex digits (written
  // here instead of through fmt: once per UE on the audit's hot path).
  static constexpr char hex_digit[] = "0123456789abcdef";
  char h[14];
  for (int i = 0; i < 6; ++i) h[i] = hex_digit[(amf_id >> (20 - 4 * i)) & 0xFU];
  for (int i = 0; i < 8; ++i) h[6 + i] = hex_digit[(g.tmsi >> (28 - 4 * i)) & 0xFU];
  out.reserve(8 + 6 + sizeof h);
  out.assign("5g-guti-");
  out += plmn_digits(g.plmn);
  out.append(h, sizeof h);
}

std::string to_string(const guti_5g& g) {
  std::string s;
  assign_text(s, g);
  return s;
}

std::string to_string(const s_tmsi_5g& s) {
  const unsigned sp = (unsigned(s.amf_set_id) & 0x3FF) << 6 | (s.amf_pointer & 0x3F);
  return fmt::format("5g-s-tmsi-{:04x}{:08x}", sp, s.tmsi);
}

std::string to_string(const imei& v) { return fmt::format("imei-{}", v.digits.view()); }
std::string to_string(const imeisv& v) { return fmt::format("imeisv-{}", v.digits.view()); }

std::string to_string(const mac_address& v) {
  std::string s = "mac";
  for (auto b : v.octets) s += fmt::format("-{:02x}", b);
  if (v.usage_restricted) s += "-untrusted";  // TS 29.571 Pei: MAURI set
  return s;
}

std::string to_string(const eui64& v) {
  std::string s = "eui";
  for (auto b : v.octets) s += fmt::format("-{:02x}", b);
  return s;
}

std::string to_string(const suci_value& v) {
  if (v.format != supi_format::imsi) return std::string(v.nai);
  std::string out;
  if (v.protection_scheme_id == 0) {
    std::string msin;
    if (unpack_bcd(v.scheme_output, msin)) out = std::move(msin);
    else out = to_hex(v.scheme_output);
  } else {
    out = to_hex(v.scheme_output);
  }
  return fmt::format("suci-0-{}-{}-{}-{}-{}-{}", v.plmn.mcc.view(), v.plmn.mnc.view(),
                     v.routing.view(), v.protection_scheme_id, v.hn_public_key_id, out);
}

std::string to_string(const mobile_identity& id) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, no_identity>) return "no-identity";
        else return to_string(v);
      },
      id);
}

std::string to_string(const pei& p) {
  return std::visit([](const auto& v) { return to_string(v); }, p);
}

namespace {

int hex_nibble(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "-xx" repeated out.size() times.
bool parse_dashed_hex(std::string_view s, bytes_span out) noexcept {
  if (s.size() != out.size() * 3) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_nibble(s[3 * i + 1]);
    const int lo = hex_nibble(s[3 * i + 2]);
    if (s[3 * i] != '-' || hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool parse_hex_u32(std::string_view s, std::uint32_t& out) noexcept {
  out = 0;
  for (char c : s) {
    const int v = hex_nibble(c);
    if (v < 0) return false;
    out = out << 4 | static_cast<std::uint32_t>(v);
  }
  return true;
}

}  // namespace

std::optional<pei> parse_pei(std::string_view text) noexcept {
  if (text.starts_with("imeisv-")) {
    imeisv v;
    const auto d = text.substr(7);
    if (d.size() != 16 || !v.digits.assign(d)) return std::nullopt;
    return v;
  }
  if (text.starts_with("imei-")) {
    imei v;
    const auto d = text.substr(5);
    if (d.size() != 15 || !v.digits.assign(d)) return std::nullopt;
    return v;
  }
  if (text.starts_with("mac-")) {
    mac_address m;
    std::string_view rest = text.substr(3);
    if (rest.ends_with("-untrusted")) {
      m.usage_restricted = true;
      rest.remove_suffix(10);
    }
    if (!parse_dashed_hex(rest, m.octets)) return std::nullopt;
    return m;
  }
  if (text.starts_with("eui-")) {
    eui64 e;
    if (!parse_dashed_hex(text.substr(3), e.octets)) return std::nullopt;
    return e;
  }
  return std::nullopt;
}

std::optional<guti_5g> parse_guti(std::string_view text) noexcept {
  if (!text.starts_with("5g-guti-")) return std::nullopt;
  const auto v = text.substr(8);
  if (v.size() != 19 && v.size() != 20) return std::nullopt;
  const std::size_t mnc_len = v.size() - 17;
  guti_5g g;
  if (!g.plmn.mcc.assign(v.substr(0, 3)) || g.plmn.mcc.len != 3 ||
      !g.plmn.mnc.assign(v.substr(3, mnc_len)) || g.plmn.mnc.len != mnc_len)
    return std::nullopt;
  std::uint32_t amf_id = 0;
  std::uint32_t tmsi = 0;
  if (!parse_hex_u32(v.substr(3 + mnc_len, 6), amf_id) || !parse_hex_u32(v.substr(9 + mnc_len, 8), tmsi))
    return std::nullopt;
  g.amf_region_id = static_cast<std::uint8_t>(amf_id >> 16);
  g.amf_set_id = static_cast<std::uint16_t>((amf_id >> 6) & 0x3FF);
  g.amf_pointer = static_cast<std::uint8_t>(amf_id & 0x3F);
  g.tmsi = tmsi;
  return g;
}

bool pack_bcd(std::string_view digits, byte_buffer& out) {
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  for (std::size_t i = 0; i < digits.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(digit_at(digits, i + 1) << 4 | digit_at(digits, i)));
  return true;
}

bool unpack_bcd(bytes_view bcd, std::string& out) {
  const std::size_t start = out.size();
  for (std::size_t i = 0; i < bcd.size(); ++i) {
    const auto lo = static_cast<std::uint8_t>(bcd[i] & 0xF);
    const auto hi = static_cast<std::uint8_t>(bcd[i] >> 4);
    if (lo > 9) {
      out.resize(start);
      return false;
    }
    out.push_back(static_cast<char>('0' + lo));
    if (hi == filler && i + 1 == bcd.size()) break;
    if (hi > 9) {
      out.resize(start);
      return false;
    }
    out.push_back(static_cast<char>('0' + hi));
  }
  return true;
}

}  // namespace sec5g::identity
