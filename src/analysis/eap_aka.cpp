// EAP-AKA' packet reader. Ref: RFC 3748 4 (header), RFC 4187 10 (attributes), RFC 9048 3.1/3.2.
#include "sec5g/analysis/eap_aka.hpp"

#include <algorithm>

#include "sec5g/core/byte_reader.hpp"
#include "sec5g/crypto/eap_aka_prime.hpp"

namespace sec5g::analysis {

namespace {

using namespace crypto::eap_aka; // attribute types

template <std::size_t N>
std::expected<byte_array<N>, decode_error> fixed(byte_reader& r, std::size_t reserved,
                                                 const char* field) noexcept {
  if (auto s = r.skip(reserved, field); !s) return std::unexpected(s.error());
  auto v = r.bytes(N, field);
  if (!v) return std::unexpected(v.error());
  byte_array<N> out{};
  std::copy(v->begin(), v->end(), out.begin());
  return out;
}

} // namespace

std::expected<eap_aka_packet, decode_error> parse_eap_aka(bytes_view eap) noexcept {
  if (eap.size() > max_eap_packet) {
    return std::unexpected(decode_error{decode_errc::length_too_large, 0, "eap.length"});
  }
  byte_reader r(eap);
  eap_aka_packet p;
  auto code = r.u8("eap.code");
  auto id = code ? r.u8("eap.identifier") : std::unexpected(code.error());
  auto len = id ? r.u16("eap.length") : std::unexpected(id.error());
  if (!len) return std::unexpected(len.error());
  if (*code < 1 || *code > 4)
    return std::unexpected(decode_error{decode_errc::bad_value, 0, "eap.code"});
  if (*len < 4 || *len > eap.size()) {
    return std::unexpected(decode_error{decode_errc::bad_value, 2, "eap.length"});
  }
  p.code = static_cast<eap_code>(*code);
  p.identifier = *id;
  if (p.code == eap_code::success || p.code == eap_code::failure) return p;
  byte_reader body(eap.subspan(4, *len - 4u), 4);
  auto type = body.u8("eap.type");
  if (!type) return std::unexpected(type.error());
  p.type = *type;
  if (p.type != eap_type_aka_prime) return p;
  auto sub = body.u8("eap_aka.subtype");
  if (!sub) return std::unexpected(sub.error());
  p.subtype = *sub;
  if (auto s = body.skip(2, "eap_aka.reserved"); !s) return std::unexpected(s.error());
  while (!body.empty()) {
    const std::uint32_t at_offset = body.offset();
    auto at = body.u8("eap_aka.attribute.type");
    auto at_len = at ? body.u8("eap_aka.attribute.length") : std::unexpected(at.error());
    if (!at_len) return std::unexpected(at_len.error());
    if (*at_len == 0) {
      return std::unexpected(
          decode_error{decode_errc::bad_value, at_offset + 1, "eap_aka.attribute.length"});
    }
    auto value = body.child(std::size_t{*at_len} * 4 - 2, "eap_aka.attribute.value");
    if (!value) return std::unexpected(value.error());
    switch (*at) {
    case at_rand: {
      auto v = fixed<16>(*value, 2, "eap_aka.at_rand");
      if (!v) return std::unexpected(v.error());
      p.rand = *v;
      break;
    }
    case at_autn: {
      auto v = fixed<16>(*value, 2, "eap_aka.at_autn");
      if (!v) return std::unexpected(v.error());
      p.autn = *v;
      break;
    }
    case at_auts: {
      auto v = fixed<14>(*value, 0, "eap_aka.at_auts");
      if (!v) return std::unexpected(v.error());
      p.auts = *v;
      break;
    }
    case at_res: {
      auto bits = value->u16("eap_aka.at_res.length");
      if (!bits) return std::unexpected(bits.error());
      auto v = value->bytes((std::size_t{*bits} + 7) / 8, "eap_aka.at_res.value");
      if (!v) return std::unexpected(v.error());
      p.res_bits = *bits;
      p.res = *v;
      break;
    }
    case at_mac: {
      if (auto s = value->skip(2, "eap_aka.at_mac"); !s) return std::unexpected(s.error());
      const std::uint32_t mac_at = value->offset();
      if (auto v = value->bytes(16, "eap_aka.at_mac"); !v) return std::unexpected(v.error());
      p.mac_offset = mac_at;
      break;
    }
    case at_kdf_input: {
      auto n = value->u16("eap_aka.at_kdf_input.length");
      if (!n) return std::unexpected(n.error());
      auto v = value->bytes(*n, "eap_aka.at_kdf_input.value");
      if (!v) return std::unexpected(v.error());
      p.network_name = std::string_view(reinterpret_cast<const char*>(v->data()), v->size());
      break;
    }
    case at_kdf: {
      auto k = value->u16("eap_aka.at_kdf");
      if (!k) return std::unexpected(k.error());
      if (!p.kdf) p.kdf = *k; // the first AT_KDF is the one in use (RFC 9048 3.2)
      break;
    }
    default: break; // skippable or not needed here
    }
  }
  return p;
}

} // namespace sec5g::analysis
