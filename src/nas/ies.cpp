// Typed codecs of NAS-5GS IE values. Ref: TS 24.501 9.11

#include "sec5g/core/byte_writer.hpp"
#include "sec5g/nas/ies.hpp"

namespace sec5g::nas {
namespace {

decode_error err(decode_errc c, std::size_t off, const char* field) noexcept {
  return decode_error{c, static_cast<std::uint32_t>(off), field};
}

std::uint32_t load_be24(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
}

template <std::size_t N>
std::expected<std::span<const std::uint8_t, N>, decode_error> fixed(bytes_view v,
                                                                   const char* field) noexcept {
  if (v.size() < N) return std::unexpected(err(decode_errc::truncated, v.size(), field));
  if (v.size() > N) return std::unexpected(err(decode_errc::trailing_bytes, N, field));
  return std::span<const std::uint8_t, N>(v.data(), N);
}

}  // namespace

std::expected<registration_result, decode_error> decode_registration_result(bytes_view v) noexcept {
  if (v.empty()) return std::unexpected(err(decode_errc::truncated, 0, "nas.registration_result"));
  const std::uint8_t o = v[0];
  registration_result r;
  r.value = o & 0x07;
  r.sms_allowed = (o & 0x08) != 0;
  r.nssaa_performed = (o & 0x10) != 0;
  r.emergency_registered = (o & 0x20) != 0;
  r.disaster_roaming = (o & 0x40) != 0;
  return r;
}

void encode_registration_result(const registration_result& r, byte_buffer& out) {
  out.push_back(static_cast<std::uint8_t>((r.value & 0x07) | (r.sms_allowed ? 0x08 : 0) |
                                          (r.nssaa_performed ? 0x10 : 0) |
                                          (r.emergency_registered ? 0x20 : 0) |
                                          (r.disaster_roaming ? 0x40 : 0)));
}

std::expected<ue_security_capability, decode_error> decode_ue_security_capability(
    bytes_view v) noexcept {
  // Ref: TS 24.501 9.11.3.54: octets 3 (5G-EA), 4 (5G-IA) mandatory; 5 (EEA), 6 (EIA) optional.
  if (v.size() < 2) {
    return std::unexpected(err(decode_errc::truncated, v.size(), "nas.ue_security_capability"));
  }
  if (v.size() > 8) {
    return std::unexpected(
        err(decode_errc::length_too_large, 8, "nas.ue_security_capability"));
  }
  ue_security_capability c;
  c.ea = v[0];
  c.ia = v[1];
  if (v.size() >= 3) c.eea = v[2];
  if (v.size() >= 4) c.eia = v[3];
  if (v.size() > 4) c.extra = v.subspan(4);
  return c;
}

void encode_ue_security_capability(const ue_security_capability& c, byte_buffer& out) {
  out.push_back(c.ea);
  out.push_back(c.ia);
  if (c.eea) {
    out.push_back(*c.eea);
    if (c.eia) {
      out.push_back(*c.eia);
      out.insert(out.end(), c.extra.begin(), c.extra.end());
    }
  }
}

std::expected<nas_security_algorithms, decode_error> decode_nas_security_algorithms(
    bytes_view v) noexcept {
  if (v.empty()) {
    return std::unexpected(err(decode_errc::truncated, 0, "nas.nas_security_algorithms"));
  }
  return nas_security_algorithms::from_octet(v[0]);
}

std::expected<s_nssai, decode_error> decode_s_nssai(bytes_view v) noexcept {
  // Ref: TS 24.501 9.11.2.8: lengths 1 (SST), 2 (SST + mapped SST), 4 (SST + SD),
  // 5 (SST + SD + mapped SST), 8 (SST + SD + mapped SST + mapped SD).
  s_nssai s;
  switch (v.size()) {
    case 1:
      s.sst = v[0];
      break;
    case 2:
      s.sst = v[0];
      s.mapped_sst = v[1];
      break;
    case 4:
      s.sst = v[0];
      s.sd = load_be24(v.data() + 1);
      break;
    case 5:
      s.sst = v[0];
      s.sd = load_be24(v.data() + 1);
      s.mapped_sst = v[4];
      break;
    case 8:
      s.sst = v[0];
      s.sd = load_be24(v.data() + 1);
      s.mapped_sst = v[4];
      s.mapped_sd = load_be24(v.data() + 5);
      break;
    default:
      return std::unexpected(err(decode_errc::bad_value, 0, "nas.s_nssai.length"));
  }
  return s;
}

void encode_s_nssai(const s_nssai& s, byte_buffer& out) {
  out.push_back(s.sst);
  const auto put24 = [&](std::uint32_t x) {
    out.push_back(static_cast<std::uint8_t>(x >> 16));
    out.push_back(static_cast<std::uint8_t>(x >> 8));
    out.push_back(static_cast<std::uint8_t>(x));
  };
  if (s.sd) put24(*s.sd);
  if (s.mapped_sst) out.push_back(*s.mapped_sst);
  if (s.sd && s.mapped_sst && s.mapped_sd) put24(*s.mapped_sd);
}

std::expected<nssai, decode_error> decode_nssai(bytes_view v) noexcept {
  nssai list;
  std::size_t pos = 0;
  while (pos < v.size()) {
    const std::size_t len = v[pos];
    if (len > v.size() - pos - 1) {
      return std::unexpected(err(decode_errc::truncated, pos, "nas.nssai.s_nssai"));
    }
    if (list.count >= nssai::capacity) {
      return std::unexpected(err(decode_errc::length_too_large, pos, "nas.nssai"));
    }
    auto s = decode_s_nssai(v.subspan(pos + 1, len));
    if (!s) {
      return std::unexpected(err(s.error().code, pos, s.error().field));
    }
    list.items[list.count++] = *s;
    pos += 1 + len;
  }
  return list;
}

void encode_nssai(std::span<const s_nssai> list, byte_buffer& out) {
  for (const s_nssai& s : list) {
    const std::size_t at = out.size();
    out.push_back(0);
    encode_s_nssai(s, out);
    out[at] = static_cast<std::uint8_t>(out.size() - at - 1);
  }
}

std::expected<std::span<const std::uint8_t, 16>, decode_error> decode_rand(bytes_view v) noexcept {
  return fixed<16>(v, "nas.rand");
}
std::expected<std::span<const std::uint8_t, 16>, decode_error> decode_autn(bytes_view v) noexcept {
  return fixed<16>(v, "nas.autn");
}
std::expected<std::span<const std::uint8_t, 16>, decode_error> decode_res_star(
    bytes_view v) noexcept {
  return fixed<16>(v, "nas.res_star");
}
std::expected<std::span<const std::uint8_t, 14>, decode_error> decode_auts(bytes_view v) noexcept {
  return fixed<14>(v, "nas.auts");
}

std::expected<std::size_t, decode_error> decode_dnn(bytes_view v,
                                                    std::span<char, 128> out) noexcept {
  // Ref: TS 23.003 9.1: length-prefixed labels, joined with '.'.
  std::size_t pos = 0;
  std::size_t n = 0;
  while (pos < v.size()) {
    const std::size_t len = v[pos];
    if (len > v.size() - pos - 1) return std::unexpected(err(decode_errc::truncated, pos, "nas.dnn"));
    if (n + len + 1 > out.size()) {
      return std::unexpected(err(decode_errc::length_too_large, pos, "nas.dnn"));
    }
    if (n != 0) out[n++] = '.';
    for (std::size_t i = 0; i < len; ++i) {
      const std::uint8_t c = v[pos + 1 + i];
      out[n++] = (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
    }
    pos += 1 + len;
  }
  return n;
}

}  // namespace sec5g::nas
