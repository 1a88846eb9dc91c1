// Narrow, bounds-checked extraction of the security-relevant fields of 5GMM messages.
// Ref: TS 24.501 8.2 (message contents), 9.1.1 (security protected message), 9.11 (IEs).
#include "sec5g/analysis/nas_info.hpp"

#include <algorithm>

#include "sec5g/core/byte_reader.hpp"

namespace sec5g::analysis {

namespace {

using result = std::expected<mm_fields, decode_error>;

/// Octets of a fixed-length type-3 (TV) optional IE, IEI included, for one message; 0 if the
/// IEI is not a TV IE of that message. Ref: TS 24.501 8.2.1, 8.2.6, 8.2.25.
std::size_t tv_length(std::uint8_t msg_type, std::uint8_t iei) noexcept {
  switch (static_cast<mm_type>(msg_type)) {
    case mm_type::authentication_request:
      return iei == 0x21 ? 17 : 0;  // RAND
    case mm_type::registration_request:
      return iei == 0x52 ? 7 : 0;  // last visited registered TAI
    case mm_type::security_mode_command:
      return iei == 0x57 ? 2 : 0;  // selected EPS NAS security algorithms
    case mm_type::deregistration_request_nw:
      return iei == 0x58 ? 2 : 0;  // 5GMM cause
    case mm_type::configuration_update_command:  // Ref: TS 24.501 8.2.19
      return iei == 0x46 ? 2 : iei == 0x47 ? 8 : 0;  // local time zone, universal time
    case mm_type::dl_nas_transport:
    case mm_type::ul_nas_transport:
      return (iei == 0x12 || iei == 0x58 || iei == 0x59) ? 2 : 0;
    default:
      return 0;
  }
}

/// One optional IE: IEI and value view.
struct opt_ie {
  std::uint8_t iei;       ///< full octet for TLV/TV; high nibble (<<4) for type 1
  bytes_view value;       ///< value without IEI and length (empty for type 1)
  std::uint8_t low = 0;   ///< type 1: the value nibble
};

/// Walks optional IEs: type 1 (IEI >= 0x80, one octet), TLV-E (0x70..0x7F), TV fixed
/// (per message), else TLV. Calls f for each; stops on error.
template <typename F>
std::expected<void, decode_error> walk_optional(byte_reader& r, std::uint8_t msg_type, F&& f) {
  while (!r.empty()) {
    auto iei = r.u8("nas.ie.iei");
    if (!iei) return std::unexpected(iei.error());
    if (*iei >= 0x80) {
      f(opt_ie{static_cast<std::uint8_t>(*iei & 0xf0), bytes_view{},
               static_cast<std::uint8_t>(*iei & 0x0f)});
      continue;
    }
    if (const std::size_t tv = tv_length(msg_type, *iei); tv != 0) {
      auto v = r.bytes(tv - 1, "nas.ie.tv");
      if (!v) return std::unexpected(v.error());
      f(opt_ie{*iei, *v, 0});
      continue;
    }
    std::size_t len = 0;
    if (*iei >= 0x70 && *iei <= 0x7f) {
      auto l = r.u16("nas.ie.length");
      if (!l) return std::unexpected(l.error());
      len = *l;
    } else {
      auto l = r.u8("nas.ie.length");
      if (!l) return std::unexpected(l.error());
      len = *l;
    }
    auto v = r.bytes(len, "nas.ie.value");
    if (!v) return std::unexpected(v.error());
    f(opt_ie{*iei, *v, 0});
  }
  return {};
}

std::optional<ue_sec_caps> caps_from(bytes_view v) noexcept {
  if (v.size() < 2) return std::nullopt;
  ue_sec_caps c;
  c.len = static_cast<std::uint8_t>(std::min<std::size_t>(v.size(), 8));
  for (std::size_t i = 0; i < 4 && i < v.size(); ++i) c.octets[i] = v[i];
  return c;
}

std::expected<identity_ref, decode_error> lve_identity(byte_reader& r) noexcept {
  auto len = r.u16("nas.mobile_identity.length");
  if (!len) return std::unexpected(len.error());
  auto v = r.bytes(*len, "nas.mobile_identity");
  if (!v) return std::unexpected(v.error());
  identity_ref id;
  id.value = *v;
  id.type = v->empty() ? 0 : static_cast<std::uint8_t>((*v)[0] & 0x07);
  return id;
}

identity_ref identity_of(bytes_view v) noexcept {
  identity_ref id;
  id.value = v;
  id.type = v.empty() ? 0 : static_cast<std::uint8_t>(v[0] & 0x07);
  return id;
}

template <std::size_t N>
std::optional<byte_array<N>> fixed(bytes_view v) noexcept {
  if (v.size() != N) return std::nullopt;
  byte_array<N> a{};
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}

void note_iei(mm_fields& m, std::uint8_t iei) noexcept {
  if (m.iei_count < m.ieis.size()) m.ieis[m.iei_count++] = iei;
}

}  // namespace

const char* to_string(mm_type t) noexcept { return mm_type_name(static_cast<std::uint8_t>(t)); }

const char* mm_type_name(std::uint8_t t) noexcept {
  switch (static_cast<mm_type>(t)) {
    case mm_type::registration_request: return "registration_request";
    case mm_type::registration_accept: return "registration_accept";
    case mm_type::registration_complete: return "registration_complete";
    case mm_type::registration_reject: return "registration_reject";
    case mm_type::deregistration_request_ue: return "deregistration_request_ue_originating";
    case mm_type::deregistration_accept_ue: return "deregistration_accept_ue_originating";
    case mm_type::deregistration_request_nw: return "deregistration_request_ue_terminated";
    case mm_type::deregistration_accept_nw: return "deregistration_accept_ue_terminated";
    case mm_type::service_request: return "service_request";
    case mm_type::service_reject: return "service_reject";
    case mm_type::service_accept: return "service_accept";
    case mm_type::configuration_update_command: return "configuration_update_command";
    case mm_type::configuration_update_complete: return "configuration_update_complete";
    case mm_type::authentication_request: return "authentication_request";
    case mm_type::authentication_response: return "authentication_response";
    case mm_type::authentication_reject: return "authentication_reject";
    case mm_type::authentication_failure: return "authentication_failure";
    case mm_type::authentication_result: return "authentication_result";
    case mm_type::identity_request: return "identity_request";
    case mm_type::identity_response: return "identity_response";
    case mm_type::security_mode_command: return "security_mode_command";
    case mm_type::security_mode_complete: return "security_mode_complete";
    case mm_type::security_mode_reject: return "security_mode_reject";
    case mm_type::status_5gmm: return "5gmm_status";
    case mm_type::notification: return "notification";
    case mm_type::notification_response: return "notification_response";
    case mm_type::ul_nas_transport: return "ul_nas_transport";
    case mm_type::dl_nas_transport: return "dl_nas_transport";
  }
  return "unknown";
}

bool ue_sec_caps::same_as(const ue_sec_caps& o) const noexcept {
  if (octets[0] != o.octets[0] || octets[1] != o.octets[1]) return false;
  // EPS octets: compared only when both sides carry them (TS 33.501 6.7.2 replays what the
  // UE sent; a missing EPS part on one side is not a mismatch of the 5G algorithms).
  if (len >= 4 && o.len >= 4) return octets[2] == o.octets[2] && octets[3] == o.octets[3];
  return true;
}

std::expected<nas_outer, decode_error> parse_outer(bytes_view pdu) noexcept {
  byte_reader r(pdu);
  nas_outer o;
  auto epd = r.u8("nas.epd");
  if (!epd) return std::unexpected(epd.error());
  o.epd = *epd;
  if (o.epd != epd_5gmm && o.epd != epd_5gsm)
    return std::unexpected(decode_error{decode_errc::bad_value, 0, "nas.epd"});
  auto h = r.u8("nas.security_header_type");
  if (!h) return std::unexpected(h.error());
  if (o.epd == epd_5gsm) return o;  // 5GSM: octet 2 is the PDU session identity
  o.header_type = static_cast<std::uint8_t>(*h & 0x0f);
  if (o.header_type == 0) return o;
  if (o.header_type > 4)
    return std::unexpected(decode_error{decode_errc::bad_value, 1, "nas.security_header_type"});
  protected_header p;
  p.header_type = o.header_type;
  auto mac = r.bytes(4, "nas.mac");
  if (!mac) return std::unexpected(mac.error());
  std::copy(mac->begin(), mac->end(), p.mac.begin());
  auto sqn = r.u8("nas.sequence_number");
  if (!sqn) return std::unexpected(sqn.error());
  p.sqn = *sqn;
  p.inner_offset = 7;
  o.protection = p;
  return o;
}

result parse_mm(bytes_view msg) noexcept {
  byte_reader r(msg);
  mm_fields m;
  auto epd = r.u8("nas.epd");
  if (!epd) return std::unexpected(epd.error());
  if (*epd != epd_5gmm) return std::unexpected(decode_error{decode_errc::bad_value, 0, "nas.epd"});
  auto sh = r.u8("nas.security_header_type");
  if (!sh) return std::unexpected(sh.error());
  if ((*sh & 0x0f) != 0)
    return std::unexpected(decode_error{decode_errc::bad_value, 1, "nas.security_header_type"});
  auto t = r.u8("nas.message_type");
  if (!t) return std::unexpected(t.error());
  m.type = *t;

  std::expected<void, decode_error> walked{};
  auto fail = [](const decode_error& e) { return result(std::unexpected(e)); };

  switch (static_cast<mm_type>(m.type)) {
    case mm_type::registration_request: {
      auto o4 = r.u8("nas.registration_type");
      if (!o4) return fail(o4.error());
      m.ngksi = static_cast<std::uint8_t>(*o4 >> 4);
      m.registration_type = static_cast<std::uint8_t>(*o4 & 0x07);
      m.follow_on = (*o4 & 0x08) != 0;
      m.emergency = m.registration_type == 4;
      auto id = lve_identity(r);
      if (!id) return fail(id.error());
      m.identity = *id;
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        note_iei(m, ie.iei);
        if (ie.iei == 0x2e) m.caps = caps_from(ie.value);
        if (ie.iei == 0x71) m.has_nas_container = true;
      });
      break;
    }
    case mm_type::service_request: {
      auto o4 = r.u8("nas.service_type");
      if (!o4) return fail(o4.error());
      m.ngksi = static_cast<std::uint8_t>(*o4 >> 4);
      auto id = lve_identity(r);
      if (!id) return fail(id.error());
      m.identity = *id;
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        note_iei(m, ie.iei);
        if (ie.iei == 0x71) m.has_nas_container = true;
      });
      break;
    }
    case mm_type::registration_accept: {
      auto len = r.u8("nas.registration_result.length");
      if (!len) return fail(len.error());
      if (auto s = r.skip(*len, "nas.registration_result"); !s) return fail(s.error());
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0x77) m.identity = identity_of(ie.value);
      });
      break;
    }
    case mm_type::configuration_update_command:
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0x77) m.identity = identity_of(ie.value);
      });
      break;
    case mm_type::registration_reject:
    case mm_type::security_mode_reject:
    case mm_type::service_reject:
    case mm_type::status_5gmm: {
      auto c = r.u8("nas.5gmm_cause");
      if (!c) return fail(c.error());
      m.cause = *c;
      r.take_rest();  // optional IEs (T3346, EAP, ...) are not needed
      break;
    }
    case mm_type::authentication_failure: {
      auto c = r.u8("nas.5gmm_cause");
      if (!c) return fail(c.error());
      m.cause = *c;
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0x30) m.auts = fixed<14>(ie.value);
      });
      break;
    }
    case mm_type::authentication_request: {
      auto o4 = r.u8("nas.ngksi");
      if (!o4) return fail(o4.error());
      m.ngksi = static_cast<std::uint8_t>(*o4 & 0x0f);
      auto alen = r.u8("nas.abba.length");
      if (!alen) return fail(alen.error());
      auto abba = r.bytes(*alen, "nas.abba");
      if (!abba) return fail(abba.error());
      m.abba = *abba;
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0x21) m.rand = fixed<16>(ie.value);
        if (ie.iei == 0x20) m.autn = fixed<16>(ie.value);
        if (ie.iei == 0x78) m.eap = ie.value;
      });
      break;
    }
    case mm_type::authentication_response:
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0x2d) m.res_star = fixed<16>(ie.value);
        if (ie.iei == 0x78) m.eap = ie.value;
      });
      break;
    case mm_type::authentication_result: {
      auto o4 = r.u8("nas.ngksi");
      if (!o4) return fail(o4.error());
      m.ngksi = static_cast<std::uint8_t>(*o4 & 0x0f);
      auto len = r.u16("nas.eap.length");
      if (!len) return fail(len.error());
      auto eap = r.bytes(*len, "nas.eap");
      if (!eap) return fail(eap.error());
      m.eap = *eap;
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0x38) m.abba = ie.value;
      });
      break;
    }
    case mm_type::authentication_reject:
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0x78) m.eap = ie.value;
      });
      break;
    case mm_type::identity_request: {
      auto o4 = r.u8("nas.identity_type");
      if (!o4) return fail(o4.error());
      m.identity_type_requested = static_cast<std::uint8_t>(*o4 & 0x07);
      break;
    }
    case mm_type::identity_response: {
      auto id = lve_identity(r);
      if (!id) return fail(id.error());
      m.identity = *id;
      r.take_rest();
      break;
    }
    case mm_type::security_mode_command: {
      auto alg = r.u8("nas.selected_algorithms");
      if (!alg) return fail(alg.error());
      m.nea = static_cast<std::uint8_t>(*alg >> 4);
      m.nia = static_cast<std::uint8_t>(*alg & 0x0f);
      auto k = r.u8("nas.ngksi");
      if (!k) return fail(k.error());
      m.ngksi = static_cast<std::uint8_t>(*k & 0x0f);
      auto clen = r.u8("nas.replayed_caps.length");
      if (!clen) return fail(clen.error());
      auto caps = r.bytes(*clen, "nas.replayed_caps");
      if (!caps) return fail(caps.error());
      m.caps = caps_from(*caps);
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0xe0) m.imeisv_requested = (ie.low & 0x07) == 1;
        if (ie.iei == 0x78) m.eap = ie.value;
        if (ie.iei == 0x38) m.abba = ie.value;
      });
      break;
    }
    case mm_type::security_mode_complete:
      walked = walk_optional(r, m.type, [&](const opt_ie& ie) {
        if (ie.iei == 0x77) m.identity = identity_of(ie.value);
        if (ie.iei == 0x71) m.has_nas_container = true;
      });
      break;
    case mm_type::deregistration_request_ue: {
      auto o4 = r.u8("nas.deregistration_type");
      if (!o4) return fail(o4.error());
      m.ngksi = static_cast<std::uint8_t>(*o4 >> 4);
      auto id = lve_identity(r);
      if (!id) return fail(id.error());
      m.identity = *id;
      break;
    }
    default:
      r.take_rest();
      break;
  }
  if (!walked) return fail(walked.error());
  return m;
}

}  // namespace sec5g::analysis
