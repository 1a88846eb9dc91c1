// The security-relevant fields of 5GMM messages, read with the NAS-5GS codec (sec5g::nas): its
// security header reader, its message tables and its IE walk. This file holds no message
// layout of its own; it only says which IE of which message goes into which mm_fields member.
// Ref: TS 24.501 8.2 (message contents), 9.1.1 (security protected message), 9.11 (IEs).
#include "sec5g/analysis/nas_info.hpp"

#include <algorithm>
#include <cstring>

#include "sec5g/nas/ies.hpp"
#include "sec5g/nas/nas.hpp"

namespace sec5g::analysis {

namespace {

using result = std::expected<mm_fields, decode_error>;
constexpr auto mm_epd = nas::epd::mobility_management;

/// The mm_fields member an IE goes into.
enum class field : std::uint8_t {
  none,
  identity,          ///< identity (type from the first value octet)
  caps,              ///< caps (UE security capability)
  nas_container,     ///< has_nas_container
  algorithms,        ///< nea, nia
  ngksi,             ///< ngksi (the whole half octet: TSC and value)
  registration_type, ///< registration_type, follow_on, emergency
  imeisv_request,    ///< imeisv_requested
  cause,             ///< cause
  identity_type,     ///< identity_type_requested
  rand,
  autn,
  auts,
  res_star,
  abba,
  eap,
};

/// One IE the rules read: message type, the IE's name in the message's nas table
/// (nas::ie_spec::name), and where it goes.
struct pick {
  mm_type message;
  const char* ie;
  field to;
};

// What the tracker and the rules read, message by message. Positions, formats and lengths come
// from the nas tables. A message's optional part is read only when a field below is in it (or
// its IEIs are listed), and a message without any field here is not read past its type: the
// extractor never rejects a message for bytes it does not need.
constexpr pick picks[] = {
    {mm_type::registration_request, "registration_type", field::registration_type},
    {mm_type::registration_request, "ngksi", field::ngksi},
    {mm_type::registration_request, "mobile_identity", field::identity},
    {mm_type::registration_request, "ue_security_capability", field::caps},
    {mm_type::registration_request, "nas_message_container", field::nas_container},
    {mm_type::service_request, "ngksi", field::ngksi},
    {mm_type::service_request, "s_tmsi", field::identity},
    {mm_type::service_request, "nas_message_container", field::nas_container},
    {mm_type::registration_accept, "guti", field::identity},
    {mm_type::configuration_update_command, "guti", field::identity},
    {mm_type::registration_reject, "gmm_cause", field::cause},
    {mm_type::security_mode_reject, "gmm_cause", field::cause},
    {mm_type::service_reject, "gmm_cause", field::cause},
    {mm_type::status_5gmm, "gmm_cause", field::cause},
    {mm_type::authentication_failure, "gmm_cause", field::cause},
    {mm_type::authentication_failure, "auts", field::auts},
    {mm_type::authentication_request, "ngksi", field::ngksi},
    {mm_type::authentication_request, "abba", field::abba},
    {mm_type::authentication_request, "rand", field::rand},
    {mm_type::authentication_request, "autn", field::autn},
    {mm_type::authentication_request, "eap_message", field::eap},
    {mm_type::authentication_response, "res_star", field::res_star},
    {mm_type::authentication_response, "eap_message", field::eap},
    {mm_type::authentication_result, "ngksi", field::ngksi},
    {mm_type::authentication_result, "eap_message", field::eap},
    {mm_type::authentication_result, "abba", field::abba},
    {mm_type::authentication_reject, "eap_message", field::eap},
    {mm_type::identity_request, "identity_type", field::identity_type},
    {mm_type::identity_response, "mobile_identity", field::identity},
    {mm_type::security_mode_command, "selected_nas_security_algorithms", field::algorithms},
    {mm_type::security_mode_command, "ngksi", field::ngksi},
    {mm_type::security_mode_command, "replayed_ue_security_capabilities", field::caps},
    {mm_type::security_mode_command, "imeisv_request", field::imeisv_request},
    {mm_type::security_mode_command, "eap_message", field::eap},
    {mm_type::security_mode_command, "abba", field::abba},
    {mm_type::security_mode_complete, "imeisv", field::identity},
    {mm_type::security_mode_complete, "nas_message_container", field::nas_container},
    {mm_type::deregistration_request_ue_originating, "ngksi", field::ngksi},
    {mm_type::deregistration_request_ue_originating, "mobile_identity", field::identity},
};

/// Messages whose optional IEIs are listed in mm_fields::ieis (the cleartext IE rule of initial
/// NAS messages, TS 24.501 4.4.6 / TS 33.501 6.4.6).
constexpr mm_type iei_listed[] = {mm_type::registration_request, mm_type::service_request};

/// How one message type is read: the field of each row of its nas table.
struct plan {
  static constexpr std::size_t max_rows = 96;
  bool read = false;          ///< some field is read: walk the body
  bool optional_part = false; ///< ... and it is in the optional part (or IEIs are listed)
  bool list_ieis = false;
  std::array<field, max_rows> row{};
};

/// Plans of the 5GMM message types 0x40-0x7f (index: type & 0x3f), resolved once against the
/// nas tables.
struct plans {
  std::array<plan, 64> by_type{};
};

plans make_plans() noexcept {
  plans p;
  for (const pick& k : picks) {
    const auto type = static_cast<std::uint8_t>(k.message);
    const nas::message_spec* spec = nas::find_message_spec(mm_epd, type);
    if (spec == nullptr) continue;
    plan& pl = p.by_type[type & 0x3f];
    for (std::size_t i = 0; i < spec->ies.size() && i < plan::max_rows; ++i) {
      const nas::ie_spec& s = spec->ies[i];
      if (std::strcmp(s.name, k.ie) != 0) continue;
      pl.row[i] = k.to;
      pl.read = true;
      if (s.presence != nas::presence::mandatory) pl.optional_part = true;
    }
  }
  for (const mm_type t : iei_listed) {
    plan& pl = p.by_type[static_cast<std::uint8_t>(t) & 0x3f];
    pl.read = pl.optional_part = pl.list_ieis = true;
  }
  return p;
}

const plans& the_plans() noexcept {
  static const plans p = make_plans();
  return p;
}

std::optional<ue_sec_caps> caps_from(bytes_view v) noexcept {
  // The rules compare octets 3-6 (5G-EA, 5G-IA, EEA, EIA); octets past the 8 the IE may hold
  // are ignored rather than refused.
  const std::size_t n = std::min<std::size_t>(v.size(), 8);
  auto c = nas::decode_ue_security_capability(v.first(n));
  if (!c) return std::nullopt;
  ue_sec_caps out;
  out.len = static_cast<std::uint8_t>(n);
  out.octets = {c->ea, c->ia, c->eea.value_or(0), c->eia.value_or(0)};
  return out;
}

identity_ref identity_of(bytes_view v) noexcept {
  identity_ref id;
  id.value = v;
  // Type of identity: bits 1-3 of the first value octet. Ref: TS 24.501 9.11.3.4
  id.type = v.empty() ? 0 : static_cast<std::uint8_t>(v[0] & 0x07);
  return id;
}

template <std::size_t N>
std::optional<byte_array<N>>
copy_of(const std::expected<std::span<const std::uint8_t, N>, decode_error>& v) noexcept {
  if (!v) return std::nullopt;
  byte_array<N> a{};
  std::copy(v->begin(), v->end(), a.begin());
  return a;
}

void note_iei(mm_fields& m, std::uint8_t iei) noexcept {
  if (m.iei_count < m.ieis.size()) m.ieis[m.iei_count++] = iei;
}

/// Stores one IE. A repeated IE overwrites the earlier one.
void store(mm_fields& m, field f, const nas::ie& e) noexcept {
  const bytes_view v = e.value;
  switch (f) {
  case field::none: break;
  case field::identity: m.identity = identity_of(v); break;
  case field::caps: m.caps = caps_from(v); break;
  case field::nas_container:
    m.has_nas_container = true;
    m.nas_container = v;
    break;
  case field::algorithms:
    // Type of ciphering algorithm: bits 5-8; integrity: bits 1-4. Ref: TS 24.501 9.11.3.34
    if (!v.empty()) {
      m.nea = static_cast<std::uint8_t>(v[0] >> 4);
      m.nia = static_cast<std::uint8_t>(v[0] & 0x0f);
    }
    break;
  case field::ngksi: m.ngksi = e.half; break;
  case field::registration_type: {
    const auto t = nas::registration_type::from_half(e.half);
    m.registration_type = t.value;
    m.follow_on = t.follow_on_request;
    m.emergency = t.value == 4; // emergency registration
    break;
  }
  case field::imeisv_request: m.imeisv_requested = (e.half & 0x07) == 1; break;
  case field::cause:
    if (!v.empty()) m.cause = v[0];
    break;
  case field::identity_type:
    m.identity_type_requested = static_cast<std::uint8_t>(e.half & 0x07);
    break;
  case field::rand: m.rand = copy_of<16>(nas::decode_rand(v)); break;
  case field::autn: m.autn = copy_of<16>(nas::decode_autn(v)); break;
  case field::auts: m.auts = copy_of<14>(nas::decode_auts(v)); break;
  case field::res_star: m.res_star = copy_of<16>(nas::decode_res_star(v)); break;
  case field::abba: m.abba = v; break;
  case field::eap: m.eap = v; break;
  }
}

} // namespace

const char* to_string(mm_type t) noexcept {
  return mm_type_name(static_cast<std::uint8_t>(t));
}

const char* mm_type_name(std::uint8_t t) noexcept {
  // The nas tables cover exactly the 5GMM message types of mm_type.
  const nas::message_spec* s = nas::find_message_spec(mm_epd, t);
  return s != nullptr ? s->id : "unknown";
}

bool ue_sec_caps::same_as(const ue_sec_caps& o) const noexcept {
  if (octets[0] != o.octets[0] || octets[1] != o.octets[1]) return false;
  // EPS octets: compared only when both sides carry them (TS 33.501 6.7.2 replays what the
  // UE sent; a missing EPS part on one side is not a mismatch of the 5G algorithms).
  if (len >= 4 && o.len >= 4) return octets[2] == o.octets[2] && octets[3] == o.octets[3];
  return true;
}

std::expected<nas_outer, decode_error> parse_outer(bytes_view pdu) noexcept {
  nas_outer o;
  if (pdu.empty()) return std::unexpected(decode_error{decode_errc::truncated, 0, "nas.epd"});
  o.epd = pdu[0];
  if (o.epd == epd_5gsm) {
    // 5GSM: octet 2 is the PDU session identity. Ref: TS 24.501 9.4
    if (pdu.size() < 2) {
      return std::unexpected(decode_error{decode_errc::truncated, 1, "nas.pdu_session_identity"});
    }
    return o;
  }
  auto h = nas::decode_security_header(pdu);
  if (!h) return std::unexpected(h.error());
  o.header_type = static_cast<std::uint8_t>(h->type);
  if (o.header_type == 0) return o;
  protected_header p;
  p.header_type = o.header_type;
  p.mac = h->mac;
  p.sqn = h->sqn;
  p.inner_offset = h->inner_offset;
  o.protection = p;
  return o;
}

namespace {

/// parse_mm into `m` (which starts default-constructed).
std::expected<void, decode_error> read_mm(bytes_view msg, mm_fields& m) noexcept {
  // Header: EPD, security header type 0 (plain), message type. Ref: TS 24.501 9.1.1. The
  // header type is not read: a plain message inside a protected one that says 2 there (free5GC
  // of 2020) is read as plain, as nas::decode_plain (nas.inner_security_header) and Wireshark
  // read it; callers that guess whether octets are plain check it themselves.
  if (msg.empty()) return std::unexpected(decode_error{decode_errc::truncated, 0, "nas.epd"});
  if (msg[0] != epd_5gmm) {
    return std::unexpected(decode_error{decode_errc::bad_value, 0, "nas.epd"});
  }
  if (msg.size() < 3) {
    return std::unexpected(decode_error{decode_errc::truncated, 2, "nas.message_type"});
  }
  m.type = msg[2];

  const nas::message_spec* spec = nas::find_message_spec(mm_epd, m.type);
  if (spec == nullptr) return {}; // not a 5GMM message type: only `type`
  const plan& pl = the_plans().by_type[m.type & 0x3f];
  if (!pl.read) return {};

  nas::ie_walker walk(*spec, msg.subspan(3), 3);
  nas::ie e;
  for (;;) {
    if (!pl.optional_part && walk.in_optional_part()) return {};
    auto more = walk.next(e);
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    const bool optional = e.spec == nullptr || e.spec->presence != nas::presence::mandatory;
    if (pl.list_ieis && optional) note_iei(m, e.iei);
    if (e.spec == nullptr) continue; // unknown IE, skipped by its format
    const auto row = static_cast<std::size_t>(e.spec - spec->ies.data());
    if (row < plan::max_rows) store(m, pl.row[row], e);
  }
}

} // namespace

result parse_mm(bytes_view msg) noexcept {
  result out{std::in_place};
  if (auto r = read_mm(msg, *out); !r) out = std::unexpected(r.error());
  return out;
}

} // namespace sec5g::analysis
