// NGAP IE codecs (aligned PER). Ref: TS 38.413 9.4.5 (NGAP-IEs), ITU-T X.691.
#include "sec5g/ngap/ies.hpp"

#include <algorithm>
#include <string>

#include "ngap/aper.hpp"
#include "ngap/internal.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::ngap {

using aper::reader;
using aper::writer;

namespace detail {

std::expected<bool, decode_error> read_preamble(reader& r, unsigned n_opt, std::uint32_t& opt,
                                                const char* field) noexcept {
  SEC5G_TRY(ext, r.bit(field));
  SEC5G_TRY(bits, r.bits(n_opt, field));
  opt = static_cast<std::uint32_t>(*bits);
  return *ext;
}

std::expected<void, decode_error> finish_sequence(reader& r, bool has_ie_ext, bool ext,
                                                  const char* field) noexcept {
  if (has_ie_ext) SEC5G_TRY_VOID(r.skip_extension_container(field));
  if (ext) SEC5G_TRY_VOID(r.skip_extension_additions(field));
  return {};
}

std::expected<std::uint64_t, decode_error> read_amf_ue_ngap_id(reader& r) noexcept {
  return r.constrained(0, 1099511627775ULL, "ngap.amf_ue_ngap_id");
}

std::expected<std::uint32_t, decode_error> read_ran_ue_ngap_id(reader& r) noexcept {
  SEC5G_TRY(v, r.constrained(0, 4294967295ULL, "ngap.ran_ue_ngap_id"));
  return static_cast<std::uint32_t>(*v);
}

std::expected<std::uint32_t, decode_error> read_list_count(reader& r) noexcept {
  return r.size(1, 256, "ngap.pdu_session_list.count");
}

} // namespace detail

namespace {

using detail::finish_sequence;
using detail::read_preamble;

// ---- reading helpers ----

std::expected<plmn_identity, decode_error> read_plmn(reader& r) noexcept {
  SEC5G_TRY(o, r.octets(3, "ngap.plmn_identity"));
  return plmn_identity{o->bytes[0], o->bytes[1], o->bytes[2]};
}

std::expected<s_nssai, decode_error> read_s_nssai(reader& r) noexcept {
  constexpr const char* f = "ngap.s_nssai";
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 2, opt, f));
  s_nssai s;
  SEC5G_TRY(sst, r.bits(8, f)); // OCTET STRING (SIZE(1)): not octet-aligned
  s.sst = static_cast<std::uint8_t>(*sst);
  if ((opt & 2U) != 0) {
    SEC5G_TRY(sd, r.octets(3, f));
    s.sd = (std::uint32_t{sd->bytes[0]} << 16) | (std::uint32_t{sd->bytes[1]} << 8) | sd->bytes[2];
  }
  SEC5G_TRY_VOID(finish_sequence(r, (opt & 1U) != 0, *ext, f));
  return s;
}

// SliceSupportList ::= SEQUENCE (SIZE(1..1024)) OF SliceSupportItem { s-NSSAI, iE-Ext, ... }
std::expected<std::vector<s_nssai>, decode_error> read_slice_support_list(reader& r) noexcept {
  constexpr const char* f = "ngap.slice_support_list";
  SEC5G_TRY(n, r.size(1, 1024, f));
  std::vector<s_nssai> out;
  for (std::uint32_t i = 0; i < *n; ++i) {
    std::uint32_t opt = 0;
    SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
    SEC5G_TRY(s, read_s_nssai(r));
    out.push_back(*s);
    SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  }
  return out;
}

std::expected<tai, decode_error> read_tai(reader& r) noexcept {
  constexpr const char* f = "ngap.tai";
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  tai t;
  SEC5G_TRY(plmn, read_plmn(r));
  t.plmn = *plmn;
  SEC5G_TRY(tac, r.octets(3, f));
  t.tac =
      (std::uint32_t{tac->bytes[0]} << 16) | (std::uint32_t{tac->bytes[1]} << 8) | tac->bytes[2];
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return t;
}

// A fixed-size BIT STRING of more than 16 bits: octet-aligned, no length.
std::expected<std::uint64_t, decode_error> read_fixed_bits_aligned(reader& r, unsigned n,
                                                                   const char* f) noexcept {
  r.align();
  return r.bits(n, f);
}

// TransportLayerAddress ::= BIT STRING (SIZE(1..160, ...)).
std::expected<aper::octets_view, decode_error>
read_transport_layer_address(reader& r, std::uint16_t& n_bits) noexcept {
  constexpr const char* f = "ngap.transport_layer_address";
  SEC5G_TRY(ext, r.bit(f));
  std::uint32_t n = 0;
  if (*ext) {
    SEC5G_TRY(len, r.length(f));
    n = *len;
  } else {
    SEC5G_TRY(len, r.size(1, 160, f));
    n = *len;
  }
  if (n > 160 * 8) return std::unexpected(r.error(decode_errc::length_too_large, f));
  n_bits = static_cast<std::uint16_t>(n);
  SEC5G_TRY(o, r.octets(bits_to_bytes(n), f));
  return *o;
}

// ProtocolIE-SingleContainer: id, criticality, open type.
struct single_container {
  std::uint16_t id = 0;
  aper::octets_view value;
};
std::expected<single_container, decode_error> read_single_container(reader& r,
                                                                    const char* f) noexcept {
  SEC5G_TRY(id, r.constrained(0, 65535, f));
  SEC5G_TRY(crit, r.bits(2, f));
  SEC5G_TRY(v, r.open_type(f));
  return single_container{static_cast<std::uint16_t>(*id), *v};
}

// INTEGER (lb..ub, ...): a root value as a constrained whole number, an extension value as
// length + octets. Ref: X.691 12.1, 12.2.
std::expected<std::uint64_t, decode_error> read_ext_int(reader& r, std::uint64_t lb,
                                                        std::uint64_t ub, const char* f) noexcept {
  SEC5G_TRY(ext, r.bit(f));
  if (!*ext) return r.constrained(lb, ub, f);
  SEC5G_TRY(len, r.length(f));
  if (*len == 0 || *len > 8) return std::unexpected(r.error(decode_errc::bad_value, f));
  SEC5G_TRY(o, r.octets(*len, f));
  std::uint64_t v = 0;
  for (const std::uint8_t b : o->bytes)
    v = (v << 8) | b;
  return v;
}

// QosFlowIdentifier ::= INTEGER (0..63, ...).
std::expected<std::uint8_t, decode_error> read_qfi(reader& r) noexcept {
  constexpr const char* f = "ngap.qos_flow_identifier";
  SEC5G_TRY(q, read_ext_int(r, 0, 63, f));
  if (*q > 255) return std::unexpected(r.error(decode_errc::unsupported, f));
  return static_cast<std::uint8_t>(*q);
}

// BitRate ::= INTEGER (0..4000000000000, ...).
constexpr std::uint64_t max_bit_rate = 4'000'000'000'000ULL;
std::expected<std::uint64_t, decode_error> read_bit_rate(reader& r) noexcept {
  return read_ext_int(r, 0, max_bit_rate, "ngap.bit_rate");
}

// UPTransportLayerInformation ::= CHOICE { gTPTunnel, choice-Extensions }; empty for the
// choice extension. GTPTunnel ::= SEQUENCE { transportLayerAddress, gTP-TEID, iE-Ext, ... }.
std::expected<std::optional<gtp_tunnel>, decode_error>
read_up_transport_layer_information(reader& r) noexcept {
  constexpr const char* f = "ngap.up_transport_layer_information";
  SEC5G_TRY(c, r.choice(2, false, f));
  if (*c == 1) {
    SEC5G_TRY_VOID(read_single_container(r, f));
    return std::optional<gtp_tunnel>{};
  }
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  std::uint16_t bits = 0;
  SEC5G_TRY(address, read_transport_layer_address(r, bits));
  gtp_tunnel t;
  if (bits > t.address.size() * 8) return std::unexpected(r.error(decode_errc::unsupported, f));
  t.address_bits = static_cast<std::uint8_t>(bits);
  std::copy(address->bytes.begin(), address->bytes.end(), t.address.begin());
  SEC5G_TRY(teid, r.octets(4, f)); // GTP-TEID
  t.teid = load_be32(teid->bytes.data());
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return std::optional<gtp_tunnel>{t};
}

// QosFlowPerTNLInformation ::= SEQUENCE { uPTransportLayerInformation,
//   associatedQosFlowList, iE-Extensions OPTIONAL, ... }
std::expected<qos_flow_per_tnl_information, decode_error>
read_qos_flow_per_tnl_information(reader& r) noexcept {
  constexpr const char* f = "ngap.qos_flow_per_tnl_information";
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  qos_flow_per_tnl_information out;
  SEC5G_TRY(tunnel, read_up_transport_layer_information(r));
  out.tunnel = *tunnel;
  SEC5G_TRY(n, r.size(1, 64, f));
  for (std::uint32_t i = 0; i < *n; ++i) {
    std::uint32_t iopt = 0;
    SEC5G_TRY(iext, read_preamble(r, 2, iopt, f));
    SEC5G_TRY(q, read_qfi(r));
    out.qfis.push_back(*q);
    if ((iopt & 2U) != 0) SEC5G_TRY_VOID(r.enumerated(2, true, f)); // qosFlowMappingIndication
    SEC5G_TRY_VOID(finish_sequence(r, (iopt & 1U) != 0, *iext, f));
  }
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return out;
}

// SecurityIndication ::= SEQUENCE { integrityProtectionIndication,
//   confidentialityProtectionIndication, maximumIntegrityProtectedDataRate-UL OPTIONAL,
//   iE-Extensions OPTIONAL, ... }. Ref: TS 38.413 9.3.1.27.
std::expected<security_indication, decode_error> read_security_indication(reader& r) noexcept {
  constexpr const char* f = "ngap.security_indication";
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 2, opt, f));
  SEC5G_TRY(ip, r.enumerated(3, true, f));
  SEC5G_TRY(cp, r.enumerated(3, true, f));
  if (*ip > 2 || *cp > 2) return std::unexpected(r.error(decode_errc::unsupported, f));
  security_indication si;
  si.integrity = static_cast<up_protection_indication>(*ip);
  si.confidentiality = static_cast<up_protection_indication>(*cp);
  if ((opt & 2U) != 0) {
    SEC5G_TRY(rate, r.enumerated(2, true, f));
    si.max_integrity_protected_data_rate_ul = static_cast<std::uint8_t>(*rate & 0xFFU);
  }
  SEC5G_TRY_VOID(finish_sequence(r, (opt & 1U) != 0, *ext, f));
  return si;
}

// SecurityResult ::= SEQUENCE { integrityProtectionResult, confidentialityProtectionResult,
//   iE-Extensions OPTIONAL, ... }. Ref: TS 38.413 9.3.1.59.
std::expected<security_result, decode_error> read_security_result(reader& r) noexcept {
  constexpr const char* f = "ngap.security_result";
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  SEC5G_TRY(ip, r.enumerated(2, true, f));
  SEC5G_TRY(cp, r.enumerated(2, true, f));
  if (*ip > 1 || *cp > 1) return std::unexpected(r.error(decode_errc::unsupported, f));
  security_result sr;
  sr.integrity = static_cast<up_protection_result>(*ip);
  sr.confidentiality = static_cast<up_protection_result>(*cp);
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return sr;
}

// GBR-QosInformation ::= SEQUENCE { maximumFlowBitRateDL, maximumFlowBitRateUL,
//   guaranteedFlowBitRateDL, guaranteedFlowBitRateUL, notificationControl OPTIONAL,
//   maximumPacketLossRateDL OPTIONAL, maximumPacketLossRateUL OPTIONAL, iE-Ext OPTIONAL, ... }
std::expected<void, decode_error> skip_gbr_qos_information(reader& r) noexcept {
  constexpr const char* f = "ngap.gbr_qos_information";
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 4, opt, f));
  for (int i = 0; i < 4; ++i)
    SEC5G_TRY_VOID(read_bit_rate(r));
  if ((opt & 8U) != 0) SEC5G_TRY_VOID(r.enumerated(1, true, f));
  if ((opt & 4U) != 0) SEC5G_TRY_VOID(read_ext_int(r, 0, 1000, f));
  if ((opt & 2U) != 0) SEC5G_TRY_VOID(read_ext_int(r, 0, 1000, f));
  return finish_sequence(r, (opt & 1U) != 0, *ext, f);
}

// QosCharacteristics ::= CHOICE { nonDynamic5QI, dynamic5QI, choice-Extensions }.
// Ref: TS 38.413 9.3.1.18 (Non Dynamic 5QI Descriptor), 9.3.1.18 (Dynamic 5QI Descriptor).
std::expected<void, decode_error>
read_qos_characteristics(reader& r, qos_flow_setup_request_item& out) noexcept {
  constexpr const char* f = "ngap.qos_characteristics";
  SEC5G_TRY(c, r.choice(3, false, f));
  if (*c == 2) {
    SEC5G_TRY_VOID(read_single_container(r, f));
    return {};
  }
  const auto read_five_qi = [&]() -> std::expected<void, decode_error> {
    SEC5G_TRY(q, read_ext_int(r, 0, 255, f));
    if (*q > 255) return std::unexpected(r.error(decode_errc::unsupported, f));
    out.five_qi = static_cast<std::uint8_t>(*q);
    return {};
  };
  std::uint32_t opt = 0;
  if (*c == 0) {
    // NonDynamic5QIDescriptor ::= SEQUENCE { fiveQI, priorityLevelQos OPTIONAL,
    //   averagingWindow OPTIONAL, maximumDataBurstVolume OPTIONAL, iE-Ext OPTIONAL, ... }
    SEC5G_TRY(ext, read_preamble(r, 4, opt, f));
    SEC5G_TRY_VOID(read_five_qi());
    if ((opt & 8U) != 0) SEC5G_TRY_VOID(read_ext_int(r, 1, 127, f));
    if ((opt & 4U) != 0) SEC5G_TRY_VOID(read_ext_int(r, 0, 4095, f));
    if ((opt & 2U) != 0) SEC5G_TRY_VOID(read_ext_int(r, 0, 4095, f));
    return finish_sequence(r, (opt & 1U) != 0, *ext, f);
  }
  // Dynamic5QIDescriptor ::= SEQUENCE { priorityLevelQos, packetDelayBudget, packetErrorRate,
  //   fiveQI OPTIONAL, delayCritical OPTIONAL, averagingWindow OPTIONAL,
  //   maximumDataBurstVolume OPTIONAL, iE-Ext OPTIONAL, ... }
  out.dynamic_5qi = true;
  SEC5G_TRY(ext, read_preamble(r, 5, opt, f));
  SEC5G_TRY_VOID(read_ext_int(r, 1, 127, f));  // PriorityLevelQos
  SEC5G_TRY_VOID(read_ext_int(r, 0, 1023, f)); // PacketDelayBudget
  std::uint32_t eopt = 0;                      // PacketErrorRate { scalar, exponent, iE-Ext }
  SEC5G_TRY(eext, read_preamble(r, 1, eopt, f));
  SEC5G_TRY_VOID(read_ext_int(r, 0, 9, f));
  SEC5G_TRY_VOID(read_ext_int(r, 0, 9, f));
  SEC5G_TRY_VOID(finish_sequence(r, eopt != 0, *eext, f));
  if ((opt & 16U) != 0) SEC5G_TRY_VOID(read_five_qi());
  if ((opt & 8U) != 0) SEC5G_TRY_VOID(r.enumerated(2, true, f));
  if ((opt & 4U) != 0) SEC5G_TRY_VOID(read_ext_int(r, 0, 4095, f));
  if ((opt & 2U) != 0) SEC5G_TRY_VOID(read_ext_int(r, 0, 4095, f));
  return finish_sequence(r, (opt & 1U) != 0, *ext, f);
}

// QosFlowSetupRequestItem ::= SEQUENCE { qosFlowIdentifier, qosFlowLevelQosParameters,
//   e-RAB-ID OPTIONAL, iE-Ext OPTIONAL, ... }; QosFlowLevelQosParameters ::= SEQUENCE {
//   qosCharacteristics, allocationAndRetentionPriority, gBR-QosInformation OPTIONAL,
//   reflectiveQosAttribute OPTIONAL, additionalQosFlowInformation OPTIONAL, iE-Ext OPTIONAL,
//   ... }. Ref: TS 38.413 9.3.1.12, 9.3.1.19.
std::expected<qos_flow_setup_request_item, decode_error>
read_qos_flow_setup_request_item(reader& r) noexcept {
  constexpr const char* f = "ngap.qos_flow_setup_request_item";
  qos_flow_setup_request_item out;
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 2, opt, f));
  SEC5G_TRY(q, read_qfi(r));
  out.qfi = *q;
  std::uint32_t popt = 0;
  SEC5G_TRY(pext, read_preamble(r, 4, popt, f));
  SEC5G_TRY_VOID(read_qos_characteristics(r, out));
  std::uint32_t aopt = 0; // AllocationAndRetentionPriority
  SEC5G_TRY(aext, read_preamble(r, 1, aopt, f));
  SEC5G_TRY(level, r.constrained(1, 15, f));
  SEC5G_TRY(cap, r.enumerated(2, true, f));
  SEC5G_TRY(vul, r.enumerated(2, true, f));
  out.arp_priority_level = static_cast<std::uint8_t>(*level);
  out.may_trigger_pre_emption = *cap == 1;
  out.pre_emptable = *vul == 1;
  SEC5G_TRY_VOID(finish_sequence(r, aopt != 0, *aext, f));
  if ((popt & 8U) != 0) {
    out.gbr = true;
    SEC5G_TRY_VOID(skip_gbr_qos_information(r));
  }
  if ((popt & 4U) != 0) SEC5G_TRY_VOID(r.enumerated(1, true, f)); // reflectiveQosAttribute
  if ((popt & 2U) != 0) SEC5G_TRY_VOID(r.enumerated(1, true, f)); // additionalQosFlowInformation
  SEC5G_TRY_VOID(finish_sequence(r, (popt & 1U) != 0, *pext, f));
  if ((opt & 2U) != 0) SEC5G_TRY_VOID(read_ext_int(r, 0, 15, f)); // E-RAB-ID
  SEC5G_TRY_VOID(finish_sequence(r, (opt & 1U) != 0, *ext, f));
  return out;
}

std::expected<std::uint16_t, decode_error> read_bits16_ext(reader& r, bool& extended,
                                                           const char* f) noexcept {
  SEC5G_TRY(ext, r.bit(f));
  if (!*ext) {
    SEC5G_TRY(v, r.bits(16, f));
    return static_cast<std::uint16_t>(*v);
  }
  SEC5G_TRY(len, r.length(f));
  SEC5G_TRY(o, r.octets(bits_to_bytes(*len), f));
  extended = true;
  std::uint16_t v = 0;
  if (o->bytes.size() >= 1) v = static_cast<std::uint16_t>(o->bytes[0] << 8);
  if (o->bytes.size() >= 2) v = static_cast<std::uint16_t>(v | o->bytes[1]);
  if (*len < 16) v = static_cast<std::uint16_t>(v & (0xFFFFU << (16 - *len)));
  return v;
}

template <class T, class F>
std::expected<T, decode_error> decode_whole(bytes_view v, F&& f) noexcept {
  reader r(v);
  return f(r);
}

// ---- writing helpers ----

decode_error enc_error(const char* field) noexcept {
  return decode_error{decode_errc::bad_value, 0, field};
}

void write_plmn(writer& w, const plmn_identity& p) {
  w.octets(p);
}

std::expected<void, decode_error> write_s_nssai(writer& w, const s_nssai& s) {
  if (s.sd && *s.sd > 0xFFFFFFU) return std::unexpected(enc_error("ngap.s_nssai.sd"));
  w.bit(false);
  w.bit(s.sd.has_value());
  w.bit(false);
  w.bits(s.sst, 8);
  if (s.sd) {
    const std::uint8_t sd[3] = {static_cast<std::uint8_t>(*s.sd >> 16),
                                static_cast<std::uint8_t>(*s.sd >> 8),
                                static_cast<std::uint8_t>(*s.sd)};
    w.octets(sd);
  }
  return {};
}

std::expected<void, decode_error> write_slice_support_list(writer& w, std::span<const s_nssai> l) {
  if (l.empty() || l.size() > 1024) return std::unexpected(enc_error("ngap.slice_support_list"));
  w.constrained(l.size(), 1, 1024);
  for (const auto& s : l) {
    w.bit(false);
    w.bit(false);
    SEC5G_TRY_VOID(write_s_nssai(w, s));
  }
  return {};
}

std::expected<void, decode_error> write_tai(writer& w, const tai& t) {
  if (t.tac > 0xFFFFFFU) return std::unexpected(enc_error("ngap.tai.tac"));
  w.bit(false);
  w.bit(false);
  write_plmn(w, t.plmn);
  const std::uint8_t tac[3] = {static_cast<std::uint8_t>(t.tac >> 16),
                               static_cast<std::uint8_t>(t.tac >> 8),
                               static_cast<std::uint8_t>(t.tac)};
  w.octets(tac);
  return {};
}

void write_printable(writer& w, std::string_view s) {
  w.bit(false);
  w.constrained(s.size(), 1, 150);
  w.octets(bytes_view(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

} // namespace

// ---- names ----

std::string plmn_to_string(const plmn_identity& p) {
  const unsigned d[6] = {p[0] & 0xFU, unsigned{p[0]} >> 4U, p[1] & 0xFU,
                         p[2] & 0xFU, unsigned{p[2]} >> 4U, unsigned{p[1]} >> 4U};
  std::string s;
  for (int i = 0; i < 3; ++i) {
    if (d[i] > 9) return "invalid";
    s.push_back(static_cast<char>('0' + d[i]));
  }
  s.push_back('-');
  for (int i = 3; i < 6; ++i) {
    if (i == 5 && d[i] == 0xF) break;
    if (d[i] > 9) return "invalid";
    s.push_back(static_cast<char>('0' + d[i]));
  }
  return s;
}

const char* rrc_establishment_cause_name(rrc_establishment_cause v) noexcept {
  static constexpr const char* names[] = {
      "emergency",    "highPriorityAccess", "mt-Access", "mo-Signalling",      "mo-Data",
      "mo-VoiceCall", "mo-VideoCall",       "mo-SMS",    "mps-PriorityAccess", "mcs-PriorityAccess",
      "notAvailable", "mo-ExceptionData"};
  return v < std::size(names) ? names[v] : "unknown";
}

const char* cause_group_name(cause::group g) noexcept {
  switch (g) {
  case cause::group::radio_network: return "radioNetwork";
  case cause::group::transport: return "transport";
  case cause::group::nas: return "nas";
  case cause::group::protocol: return "protocol";
  case cause::group::misc: return "misc";
  case cause::group::extension: return "choice-Extensions";
  }
  return "unknown";
}

const char* cause_value_name(const cause& c) noexcept {
  // Ref: TS 38.413 9.4.5 CauseRadioNetwork, CauseTransport, CauseNas, CauseProtocol, CauseMisc.
  static constexpr const char* radio_network[] = {
      "unspecified", "txnrelocoverall-expiry", "successful-handover",
      "release-due-to-ngran-generated-reason", "release-due-to-5gc-generated-reason",
      "handover-cancelled", "partial-handover",
      "ho-failure-in-target-5GC-ngran-node-or-target-system", "ho-target-not-allowed",
      "tngrelocoverall-expiry", "tngrelocprep-expiry", "cell-not-available", "unknown-targetID",
      "no-radio-resources-available-in-target-cell", "unknown-local-UE-NGAP-ID",
      "inconsistent-remote-UE-NGAP-ID", "handover-desirable-for-radio-reason",
      "time-critical-handover", "resource-optimisation-handover", "reduce-load-in-serving-cell",
      "user-inactivity", "radio-connection-with-ue-lost", "radio-resources-not-available",
      "invalid-qos-combination", "failure-in-radio-interface-procedure",
      "interaction-with-other-procedure", "unknown-PDU-session-ID", "unkown-qos-flow-ID",
      "multiple-PDU-session-ID-instances", "multiple-qos-flow-ID-instances",
      "encryption-and-or-integrity-protection-algorithms-not-supported",
      "ng-intra-system-handover-triggered", "ng-inter-system-handover-triggered",
      "xn-handover-triggered", "not-supported-5QI-value", "ue-context-transfer",
      "ims-voice-eps-fallback-or-rat-fallback-triggered", "up-integrity-protection-not-possible",
      "up-confidentiality-protection-not-possible", "slice-not-supported",
      "ue-in-rrc-inactive-state-not-reachable", "redirection",
      "resources-not-available-for-the-slice", "ue-max-integrity-protected-data-rate-reason",
      "release-due-to-cn-detected-mobility",
      // extension values
      "n26-interface-not-available", "release-due-to-pre-emption",
      "multiple-location-reporting-reference-ID-instances", "rsn-not-available-for-the-up",
      "npn-access-denied", "cag-only-access-denied"};
  static constexpr const char* transport[] = {"transport-resource-unavailable", "unspecified"};
  static constexpr const char* nas[] = {"normal-release", "authentication-failure", "deregister",
                                        "unspecified"};
  static constexpr const char* protocol[] = {"transfer-syntax-error",
                                             "abstract-syntax-error-reject",
                                             "abstract-syntax-error-ignore-and-notify",
                                             "message-not-compatible-with-receiver-state",
                                             "semantic-error",
                                             "abstract-syntax-error-falsely-constructed-message",
                                             "unspecified"};
  static constexpr const char* misc[] = {"control-processing-overload",
                                         "not-enough-user-plane-processing-resources",
                                         "hardware-failure",
                                         "om-intervention",
                                         "unknown-PLMN",
                                         "unspecified"};
  auto pick = [&](const auto& table) -> const char* {
    return c.value < std::size(table) ? table[c.value] : "unknown";
  };
  switch (c.type) {
  case cause::group::radio_network: return pick(radio_network);
  case cause::group::transport: return pick(transport);
  case cause::group::nas: return pick(nas);
  case cause::group::protocol: return pick(protocol);
  case cause::group::misc: return pick(misc);
  case cause::group::extension: break;
  }
  return "unknown";
}

const char* to_string(up_protection_indication v) noexcept {
  switch (v) {
  case up_protection_indication::required: return "required";
  case up_protection_indication::preferred: return "preferred";
  case up_protection_indication::not_needed: return "not-needed";
  }
  return "unknown";
}

const char* to_string(up_protection_result v) noexcept {
  return v == up_protection_result::performed ? "performed" : "not-performed";
}

// ---- decoders ----

std::expected<std::uint64_t, decode_error> decode_amf_ue_ngap_id(bytes_view v) noexcept {
  reader r(v);
  return detail::read_amf_ue_ngap_id(r);
}

std::expected<std::uint32_t, decode_error> decode_ran_ue_ngap_id(bytes_view v) noexcept {
  reader r(v);
  return detail::read_ran_ue_ngap_id(r);
}

std::expected<octets_at, decode_error> decode_nas_pdu(bytes_view v) noexcept {
  reader r(v);
  SEC5G_TRY(o, r.octet_string("ngap.nas_pdu"));
  return octets_at{o->bytes, o->offset};
}

std::expected<ue_security_capabilities, decode_error>
decode_ue_security_capabilities(bytes_view v) noexcept {
  constexpr const char* f = "ngap.ue_security_capabilities";
  reader r(v);
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  ue_security_capabilities c;
  bool x = false;
  SEC5G_TRY(a, read_bits16_ext(r, x, f));
  SEC5G_TRY(b, read_bits16_ext(r, x, f));
  SEC5G_TRY(d, read_bits16_ext(r, x, f));
  SEC5G_TRY(e, read_bits16_ext(r, x, f));
  c.nr_encryption = *a;
  c.nr_integrity = *b;
  c.eutra_encryption = *d;
  c.eutra_integrity = *e;
  c.extended_length = x;
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return c;
}

std::expected<bytes_view, decode_error> decode_security_key(bytes_view v) noexcept {
  reader r(v);
  SEC5G_TRY(o, r.octets(32, "ngap.security_key"));
  return o->bytes;
}

std::expected<security_context, decode_error> decode_security_context(bytes_view v) noexcept {
  constexpr const char* f = "ngap.security_context";
  reader r(v);
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  security_context c;
  SEC5G_TRY(ncc, r.constrained(0, 7, f));
  c.next_hop_chaining_count = static_cast<std::uint8_t>(*ncc);
  SEC5G_TRY(nh, r.octets(32, f));
  c.next_hop = nh->bytes;
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return c;
}

namespace {
std::expected<guami, decode_error> read_guami(reader& r) noexcept {
  constexpr const char* f = "ngap.guami";
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  guami g;
  SEC5G_TRY(plmn, read_plmn(r));
  g.plmn = *plmn;
  SEC5G_TRY(region, r.bits(8, f));
  SEC5G_TRY(set, r.bits(10, f));
  SEC5G_TRY(ptr, r.bits(6, f));
  g.amf_region_id = static_cast<std::uint8_t>(*region);
  g.amf_set_id = static_cast<std::uint16_t>(*set);
  g.amf_pointer = static_cast<std::uint8_t>(*ptr);
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return g;
}
} // namespace

std::expected<guami, decode_error> decode_guami(bytes_view v) noexcept {
  reader r(v);
  return read_guami(r);
}

std::expected<five_g_s_tmsi, decode_error> decode_five_g_s_tmsi(bytes_view v) noexcept {
  constexpr const char* f = "ngap.five_g_s_tmsi";
  reader r(v);
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  five_g_s_tmsi s;
  SEC5G_TRY(set, r.bits(10, f));
  SEC5G_TRY(ptr, r.bits(6, f));
  SEC5G_TRY(tmsi, r.octets(4, f));
  s.amf_set_id = static_cast<std::uint16_t>(*set);
  s.amf_pointer = static_cast<std::uint8_t>(*ptr);
  s.five_g_tmsi = load_be32(tmsi->bytes.data());
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return s;
}

std::expected<user_location_information, decode_error>
decode_user_location_information(bytes_view v) noexcept {
  // The usual form, read octet by octet: userLocationInformationNR without extensions
  // (choice 1, extension bits and iE-Extensions absent, timeStamp optional). Bit layout:
  // octet 0 = choice(2) ext(1) timeStamp?(1) iE-Ext?(1) | NR-CGI ext(1) iE-Ext?(1) pad(1);
  // 1..3 PLMN; 4..8 = nRCellIdentity(36) | TAI ext(1) iE-Ext?(1) pad(2); 9..11 PLMN; 12..14
  // TAC; 15..18 timeStamp. Anything else goes through the general decoder below, which gives
  // the same result for this form (tested).
  // The result is filled in place (both returns return `out`): one built aside and copied
  // out stalled on store forwarding for most of this function's time.
  std::expected<user_location_information, decode_error> out(std::in_place);
  if (v.size() >= 15 && (v[0] & 0xeeU) == 0x40U && (v[8] & 0x0cU) == 0) {
    const bool ts = (v[0] & 0x10U) != 0;
    if (!ts || v.size() >= 19) {
      user_location_information& u = *out;
      u.type = user_location_information::kind::nr;
      u.nr.plmn = plmn_identity{v[1], v[2], v[3]};
      u.nr.nr_cell_identity = ((std::uint64_t{v[4]} << 32) | (std::uint64_t{v[5]} << 24) |
                               (std::uint64_t{v[6]} << 16) | (std::uint64_t{v[7]} << 8) | v[8]) >>
                              4;
      u.ta.plmn = plmn_identity{v[9], v[10], v[11]};
      u.ta.tac = (std::uint32_t{v[12]} << 16) | (std::uint32_t{v[13]} << 8) | v[14];
      if (ts) u.time_stamp = load_be32(v.data() + 15);
      return out;
    }
  }
  out = detail::decode_user_location_information_general(v);
  return out;
}

namespace detail {
std::expected<user_location_information, decode_error>
decode_user_location_information_general(bytes_view v) noexcept {
  constexpr const char* f = "ngap.user_location_information";
  reader r(v);
  user_location_information u;
  SEC5G_TRY(c, r.choice(4, false, f));
  u.type = static_cast<user_location_information::kind>(*c);
  switch (u.type) {
  case user_location_information::kind::eutra:
  case user_location_information::kind::nr: {
    const bool nr = u.type == user_location_information::kind::nr;
    std::uint32_t opt = 0;
    SEC5G_TRY(ext, read_preamble(r, 2, opt, f));
    std::uint32_t copt = 0;
    SEC5G_TRY(cext, read_preamble(r, 1, copt, f));
    SEC5G_TRY(plmn, read_plmn(r));
    SEC5G_TRY(cell, read_fixed_bits_aligned(r, nr ? 36 : 28, f));
    if (nr) {
      u.nr.plmn = *plmn;
      u.nr.nr_cell_identity = *cell;
    } else {
      u.eutra.plmn = *plmn;
      u.eutra.eutra_cell_identity = static_cast<std::uint32_t>(*cell);
    }
    SEC5G_TRY_VOID(finish_sequence(r, copt != 0, *cext, f));
    SEC5G_TRY(t, read_tai(r));
    u.ta = *t;
    if ((opt & 2U) != 0) {
      SEC5G_TRY(ts, r.octets(4, f));
      u.time_stamp = load_be32(ts->bytes.data());
    }
    u.has_extensions = (opt & 1U) != 0 || *ext || copt != 0 || *cext;
    SEC5G_TRY_VOID(finish_sequence(r, (opt & 1U) != 0, *ext, f));
    break;
  }
  case user_location_information::kind::n3iwf: {
    std::uint32_t opt = 0;
    SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
    SEC5G_TRY(ip, read_transport_layer_address(r, u.n3iwf_ip_address_bits));
    u.n3iwf_ip_address = ip->bytes;
    SEC5G_TRY(port, r.bits(16, f)); // PortNumber ::= OCTET STRING (SIZE(2)): unaligned
    u.n3iwf_port = static_cast<std::uint16_t>(*port);
    u.has_extensions = opt != 0 || *ext;
    SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
    break;
  }
  case user_location_information::kind::extension: {
    SEC5G_TRY(sc, read_single_container(r, f));
    u.extension_id = sc->id;
    u.extension_value = sc->value.bytes;
    break;
  }
  }
  return u;
}

} // namespace detail

std::expected<rrc_establishment_cause, decode_error>
decode_rrc_establishment_cause(bytes_view v) noexcept {
  reader r(v);
  SEC5G_TRY(e, r.enumerated(10, true, "ngap.rrc_establishment_cause"));
  if (*e > 255)
    return std::unexpected(r.error(decode_errc::bad_value, "ngap.rrc_establishment_cause"));
  return static_cast<rrc_establishment_cause>(*e);
}

namespace {
constexpr std::uint32_t cause_roots[5] = {45, 2, 4, 7, 6};
}

namespace {
std::expected<cause, decode_error> read_cause(reader& r) noexcept {
  constexpr const char* f = "ngap.cause";
  SEC5G_TRY(c, r.choice(6, false, f));
  cause out;
  out.type = static_cast<cause::group>(*c);
  if (*c == 5) {
    SEC5G_TRY(sc, read_single_container(r, f));
    out.value = 0;
    return out;
  }
  SEC5G_TRY(e, r.enumerated(cause_roots[*c], true, f));
  if (*e > 255) return std::unexpected(r.error(decode_errc::bad_value, f));
  out.value = static_cast<std::uint8_t>(*e);
  return out;
}
} // namespace

std::expected<cause, decode_error> decode_cause(bytes_view v) noexcept {
  reader r(v);
  return read_cause(r);
}

std::expected<cause, decode_error> decode_transfer_cause(std::uint16_t list_ie_id,
                                                         bytes_view transfer) noexcept {
  reader r(transfer);
  unsigned n_opt = 0;
  switch (list_ie_id) {
  case ie_id::pdu_session_resource_to_release_list_rel_cmd:
  case ie_id::pdu_session_resource_failed_to_setup_list_ps_req:
  case ie_id::pdu_session_resource_released_list_ps_ack:
  case 69: // ReleasedListPSFail
  case ie_id::pdu_session_resource_to_release_list_ho_cmd:
    n_opt = 1; // { cause, iE-Extensions OPTIONAL, ... }
    break;
  case 54: // FailedToModifyListModRes
  case ie_id::pdu_session_resource_failed_to_setup_list_cxt_res:
  case 56: // FailedToSetupListHOAck
  case ie_id::pdu_session_resource_failed_to_setup_list_su_res:
  case 132:    // FailedToSetupListCxtFail
    n_opt = 2; // { cause, criticalityDiagnostics OPTIONAL, iE-Extensions OPTIONAL, ... }
    break;
  default: return std::unexpected(r.error(decode_errc::unsupported, "ngap.transfer_cause"));
  }
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, n_opt, opt, "ngap.transfer_cause"));
  (void)ext;
  return read_cause(r);
}

std::expected<global_ran_node_id, decode_error> decode_global_ran_node_id(bytes_view v) noexcept {
  constexpr const char* f = "ngap.global_ran_node_id";
  reader r(v);
  SEC5G_TRY(c, r.choice(4, false, f));
  global_ran_node_id g;
  g.type = static_cast<global_ran_node_id::kind>(*c);
  if (*c == 3) {
    SEC5G_TRY(sc, read_single_container(r, f));
    return g;
  }
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
  SEC5G_TRY(plmn, read_plmn(r));
  g.plmn = *plmn;
  if (*c == 0) { // GNB-ID ::= CHOICE { gNB-ID BIT STRING (SIZE(22..32)), choice-Extensions }
    SEC5G_TRY(k, r.choice(2, false, f));
    if (*k == 1) {
      SEC5G_TRY(sc, read_single_container(r, f));
    } else {
      SEC5G_TRY(n, r.size(22, 32, f));
      SEC5G_TRY(id, read_fixed_bits_aligned(r, *n, f));
      g.node_id = static_cast<std::uint32_t>(*id);
      g.node_id_bits = static_cast<std::uint8_t>(*n);
    }
  } else if (*c == 1) { // NgENB-ID: macro 20, shortMacro 18, longMacro 21 bits
    SEC5G_TRY(k, r.choice(4, false, f));
    if (*k == 3) {
      SEC5G_TRY(sc, read_single_container(r, f));
    } else {
      static constexpr unsigned widths[3] = {20, 18, 21};
      SEC5G_TRY(id, read_fixed_bits_aligned(r, widths[*k], f));
      g.node_id = static_cast<std::uint32_t>(*id);
      g.node_id_bits = static_cast<std::uint8_t>(widths[*k]);
    }
  } else { // N3IWF-ID ::= CHOICE { n3IWF-ID BIT STRING (SIZE(16)), choice-Extensions }
    SEC5G_TRY(k, r.choice(2, false, f));
    if (*k == 1) {
      SEC5G_TRY(sc, read_single_container(r, f));
    } else {
      SEC5G_TRY(id, r.bits(16, f));
      g.node_id = static_cast<std::uint32_t>(*id);
      g.node_id_bits = 16;
    }
  }
  SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  return g;
}

namespace {
std::expected<std::string_view, decode_error> read_printable(reader& r) noexcept {
  constexpr const char* f = "ngap.printable_string";
  SEC5G_TRY(ext, r.bit(f));
  std::uint32_t n = 0;
  if (*ext) {
    SEC5G_TRY(len, r.length(f));
    n = *len;
  } else {
    SEC5G_TRY(len, r.size(1, 150, f));
    n = *len;
  }
  SEC5G_TRY(o, r.octets(n, f));
  return std::string_view(reinterpret_cast<const char*>(o->bytes.data()), o->bytes.size());
}
} // namespace

std::expected<std::string_view, decode_error> decode_printable_name(bytes_view v) noexcept {
  reader r(v);
  return read_printable(r);
}

std::expected<std::vector<supported_ta_item>, decode_error>
decode_supported_ta_list(bytes_view v) noexcept {
  constexpr const char* f = "ngap.supported_ta_list";
  reader r(v);
  SEC5G_TRY(n, r.size(1, 256, f));
  std::vector<supported_ta_item> out;
  for (std::uint32_t i = 0; i < *n; ++i) {
    std::uint32_t opt = 0;
    SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
    supported_ta_item item;
    SEC5G_TRY(tac, r.octets(3, f));
    item.tac =
        (std::uint32_t{tac->bytes[0]} << 16) | (std::uint32_t{tac->bytes[1]} << 8) | tac->bytes[2];
    SEC5G_TRY(nb, r.size(1, 12, f));
    for (std::uint32_t j = 0; j < *nb; ++j) {
      std::uint32_t bopt = 0;
      SEC5G_TRY(bext, read_preamble(r, 1, bopt, f));
      supported_ta_item::broadcast_plmn bp;
      SEC5G_TRY(plmn, read_plmn(r));
      bp.plmn = *plmn;
      SEC5G_TRY(sl, read_slice_support_list(r));
      bp.slices = std::move(*sl);
      SEC5G_TRY_VOID(finish_sequence(r, bopt != 0, *bext, f));
      item.broadcast_plmns.push_back(std::move(bp));
    }
    SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
    out.push_back(std::move(item));
  }
  return out;
}

std::expected<std::vector<s_nssai>, decode_error> decode_allowed_nssai(bytes_view v) noexcept {
  constexpr const char* f = "ngap.allowed_nssai";
  reader r(v);
  SEC5G_TRY(n, r.size(1, 8, f));
  std::vector<s_nssai> out;
  for (std::uint32_t i = 0; i < *n; ++i) {
    std::uint32_t opt = 0;
    SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
    SEC5G_TRY(s, read_s_nssai(r));
    out.push_back(*s);
    SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
  }
  return out;
}

std::expected<std::vector<plmn_support_item>, decode_error>
decode_plmn_support_list(bytes_view v) noexcept {
  constexpr const char* f = "ngap.plmn_support_list";
  reader r(v);
  SEC5G_TRY(n, r.size(1, 12, f));
  std::vector<plmn_support_item> out;
  for (std::uint32_t i = 0; i < *n; ++i) {
    std::uint32_t opt = 0;
    SEC5G_TRY(ext, read_preamble(r, 1, opt, f));
    plmn_support_item item;
    SEC5G_TRY(plmn, read_plmn(r));
    item.plmn = *plmn;
    SEC5G_TRY(sl, read_slice_support_list(r));
    item.slices = std::move(*sl);
    SEC5G_TRY_VOID(finish_sequence(r, opt != 0, *ext, f));
    out.push_back(std::move(item));
  }
  return out;
}

std::expected<std::vector<served_guami_item>, decode_error>
decode_served_guami_list(bytes_view v) noexcept {
  constexpr const char* f = "ngap.served_guami_list";
  reader r(v);
  SEC5G_TRY(n, r.size(1, 256, f));
  std::vector<served_guami_item> out;
  for (std::uint32_t i = 0; i < *n; ++i) {
    std::uint32_t opt = 0;
    SEC5G_TRY(ext, read_preamble(r, 2, opt, f));
    served_guami_item item;
    SEC5G_TRY(g, read_guami(r));
    item.value = *g;
    if ((opt & 2U) != 0) {
      SEC5G_TRY(name, read_printable(r));
      item.backup_amf_name = *name;
    }
    SEC5G_TRY_VOID(finish_sequence(r, (opt & 1U) != 0, *ext, f));
    out.push_back(item);
  }
  return out;
}

std::expected<std::uint8_t, decode_error> decode_relative_amf_capacity(bytes_view v) noexcept {
  reader r(v);
  SEC5G_TRY(c, r.constrained(0, 255, "ngap.relative_amf_capacity"));
  return static_cast<std::uint8_t>(*c);
}

std::expected<std::uint8_t, decode_error> decode_paging_drx(bytes_view v) noexcept {
  reader r(v);
  SEC5G_TRY(e, r.enumerated(4, true, "ngap.paging_drx"));
  if (*e > 255) return std::unexpected(r.error(decode_errc::bad_value, "ngap.paging_drx"));
  return static_cast<std::uint8_t>(*e);
}

std::expected<std::uint8_t, decode_error> decode_ue_context_request(bytes_view v) noexcept {
  reader r(v);
  SEC5G_TRY(e, r.enumerated(1, true, "ngap.ue_context_request"));
  if (*e > 255) return std::unexpected(r.error(decode_errc::bad_value, "ngap.ue_context_request"));
  return static_cast<std::uint8_t>(*e);
}

// ---- PDU session lists ----

namespace detail {

list_layout layout_of(std::uint16_t id) noexcept {
  switch (id) {
  case ie_id::pdu_session_resource_setup_list_su_req:
  case ie_id::pdu_session_resource_setup_list_cxt_req: return list_layout::id_nas_snssai_transfer;
  case ie_id::pdu_session_resource_modify_list_mod_req: return list_layout::id_nas_transfer;
  case ie_id::pdu_session_resource_setup_list_ho_req: return list_layout::id_snssai_transfer;
  case ie_id::pdu_session_resource_list_cxt_rel_cpl:
  case 133: // PDUSessionResourceListCxtRelReq
    return list_layout::id_only;
  case 54: // FailedToModifyListModRes
  case ie_id::pdu_session_resource_failed_to_setup_list_cxt_res:
  case ie_id::pdu_session_resource_failed_to_setup_list_ps_req:
  case ie_id::pdu_session_resource_failed_to_setup_list_su_res:
  case ie_id::pdu_session_resource_handover_list:
  case ie_id::pdu_session_resource_list_ho_rqd:
  case ie_id::pdu_session_resource_modify_list_mod_res:
  case ie_id::pdu_session_resource_released_list_ps_ack:
  case 69: // ReleasedListPSFail
  case ie_id::pdu_session_resource_released_list_rel_res:
  case ie_id::pdu_session_resource_setup_list_cxt_res:
  case ie_id::pdu_session_resource_setup_list_su_res:
  case ie_id::pdu_session_resource_to_be_switched_dl_list:
  case ie_id::pdu_session_resource_switched_list:
  case ie_id::pdu_session_resource_to_release_list_ho_cmd:
  case ie_id::pdu_session_resource_to_release_list_rel_cmd:
  case 132: // FailedToSetupListCxtFail
  case 56:  // FailedToSetupListHOAck
    return list_layout::id_transfer;
  default: return list_layout::unknown;
  }
}

std::expected<std::uint32_t, decode_error> read_list_count(reader& r) noexcept;

std::expected<void, decode_error> read_pdu_session_item(reader& r, list_layout layout,
                                                        pdu_session_item& out) noexcept {
  constexpr const char* f = "ngap.pdu_session_item";
  const bool has_nas =
      layout == list_layout::id_nas_snssai_transfer || layout == list_layout::id_nas_transfer;
  const bool has_snssai =
      layout == list_layout::id_nas_snssai_transfer || layout == list_layout::id_snssai_transfer;
  const bool has_transfer = layout != list_layout::id_only;
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, has_nas ? 2 : 1, opt, f));
  SEC5G_TRY(id, r.constrained(0, 255, f));
  out.pdu_session_id = static_cast<std::uint8_t>(*id);
  if (has_nas && (opt & 2U) != 0) {
    SEC5G_TRY(nas, r.octet_string(f));
    out.nas_pdu = nas->bytes;
    out.nas_pdu_offset = nas->offset;
  }
  if (has_snssai) {
    SEC5G_TRY(s, read_s_nssai(r));
    out.snssai = *s;
  }
  if (has_transfer) {
    SEC5G_TRY(t, r.octet_string(f));
    out.transfer = t->bytes;
    out.transfer_offset = t->offset;
  }
  return finish_sequence(r, (opt & 1U) != 0, *ext, f);
}

} // namespace detail

std::expected<std::vector<pdu_session_item>, decode_error>
decode_pdu_session_list(std::uint16_t list_ie_id, bytes_view v) noexcept {
  const auto layout = detail::layout_of(list_ie_id);
  reader r(v);
  if (layout == detail::list_layout::unknown) {
    return std::unexpected(r.error(decode_errc::unsupported, "ngap.pdu_session_list"));
  }
  SEC5G_TRY(n, detail::read_list_count(r));
  std::vector<pdu_session_item> out;
  for (std::uint32_t i = 0; i < *n; ++i) {
    pdu_session_item item;
    SEC5G_TRY_VOID(detail::read_pdu_session_item(r, layout, item));
    out.push_back(item);
  }
  return out;
}

namespace {

// The IEs of a PDUSessionResourceSetupRequestTransfer into `out`. `security_only`: the
// SecurityIndication alone is decoded, the other IEs are skipped as open types (the tracker's
// rules read nothing else, and the QoS flow list was most of the decoding).
std::expected<void, decode_error>
read_setup_request_transfer(bytes_view transfer, bool security_only,
                            setup_request_transfer& out) noexcept {
  constexpr const char* f = "ngap.setup_request_transfer";
  reader r(transfer);
  SEC5G_TRY(ext, r.bit(f));
  SEC5G_TRY(n, r.constrained(0, 65535, f));
  for (std::uint64_t i = 0; i < *n; ++i) {
    SEC5G_TRY(id, r.constrained(0, 65535, f));
    SEC5G_TRY(crit, r.bits(2, f));
    SEC5G_TRY(val, r.open_type(f));
    if (security_only && *id != ie_id::security_indication) continue;
    reader s(val->bytes, val->offset);
    switch (*id) {
    case ie_id::pdu_session_aggregate_maximum_bit_rate: {
      // PDUSessionAggregateMaximumBitRate ::= SEQUENCE { dL, uL, iE-Ext OPTIONAL, ... }
      constexpr const char* g = "ngap.pdu_session_aggregate_maximum_bit_rate";
      std::uint32_t opt = 0;
      SEC5G_TRY(aext, read_preamble(s, 1, opt, g));
      SEC5G_TRY(dl, read_bit_rate(s));
      SEC5G_TRY(ul, read_bit_rate(s));
      SEC5G_TRY_VOID(finish_sequence(s, opt != 0, *aext, g));
      out.session_ambr_dl = *dl;
      out.session_ambr_ul = *ul;
      break;
    }
    case ie_id::ul_ngu_up_tnl_information: {
      SEC5G_TRY(t, read_up_transport_layer_information(s));
      out.ul_tunnel = *t;
      break;
    }
    case ie_id::pdu_session_type: {
      SEC5G_TRY(t, s.enumerated(5, true, "ngap.pdu_session_type"));
      out.pdu_session_type = static_cast<std::uint8_t>(*t & 0xFFU);
      break;
    }
    case ie_id::security_indication: {
      SEC5G_TRY(si, read_security_indication(s));
      out.security = *si;
      break;
    }
    case ie_id::qos_flow_setup_request_list: {
      SEC5G_TRY(k, s.size(1, 64, "ngap.qos_flow_setup_request_list"));
      out.qos_flows.clear();
      for (std::uint32_t j = 0; j < *k; ++j) {
        SEC5G_TRY(item, read_qos_flow_setup_request_item(s));
        out.qos_flows.push_back(*item);
      }
      break;
    }
    default: break; // not modelled
    }
  }
  (void)ext;
  return {};
}

}  // namespace

std::expected<setup_request_transfer, decode_error>
decode_setup_request_transfer(bytes_view transfer) noexcept {
  setup_request_transfer out;
  SEC5G_TRY_VOID(read_setup_request_transfer(transfer, false, out));
  return out;
}

std::expected<std::optional<security_indication>, decode_error>
decode_setup_request_security(bytes_view transfer) noexcept {
  setup_request_transfer out;
  SEC5G_TRY_VOID(read_setup_request_transfer(transfer, true, out));
  return out.security;
}

std::expected<setup_response_transfer, decode_error>
decode_setup_response_transfer(bytes_view transfer) noexcept {
  constexpr const char* f = "ngap.setup_response_transfer";
  reader r(transfer);
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 4, opt, f));
  setup_response_transfer out;
  SEC5G_TRY(dl, read_qos_flow_per_tnl_information(r));
  out.dl = std::move(*dl);
  if ((opt & 8U) != 0) { // additionalDLQosFlowPerTNLInformation SIZE(1..3)
    SEC5G_TRY(n, r.size(1, 3, f));
    for (std::uint32_t i = 0; i < *n; ++i) {
      std::uint32_t iopt = 0;
      SEC5G_TRY(iext, read_preamble(r, 1, iopt, f));
      SEC5G_TRY_VOID(read_qos_flow_per_tnl_information(r));
      SEC5G_TRY_VOID(finish_sequence(r, iopt != 0, *iext, f));
    }
  }
  if ((opt & 4U) != 0) {
    SEC5G_TRY(sr, read_security_result(r));
    out.security = *sr;
  }
  (void)ext; // the remaining components are not needed
  return out;
}

std::expected<path_switch_request_transfer, decode_error>
decode_path_switch_request_transfer(bytes_view transfer) noexcept {
  constexpr const char* f = "ngap.path_switch_request_transfer";
  reader r(transfer);
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 3, opt, f));
  path_switch_request_transfer out;
  SEC5G_TRY(dl, read_up_transport_layer_information(r));
  out.dl_tunnel = *dl;
  if ((opt & 4U) != 0) { // DL-NGU-TNLInformationReused ::= ENUMERATED { true, ... }
    SEC5G_TRY_VOID(r.enumerated(1, true, f));
    out.dl_tunnel_reused = true;
  }
  if ((opt & 2U) != 0) {
    // UserPlaneSecurityInformation ::= SEQUENCE { securityResult, securityIndication,
    //   iE-Ext OPTIONAL, ... }
    std::uint32_t uopt = 0;
    SEC5G_TRY(uext, read_preamble(r, 1, uopt, f));
    SEC5G_TRY(sr, read_security_result(r));
    SEC5G_TRY(si, read_security_indication(r));
    SEC5G_TRY_VOID(finish_sequence(r, uopt != 0, *uext, f));
    out.up_security_result = *sr;
    out.up_security_indication = *si;
  }
  SEC5G_TRY(n, r.size(1, 64, f)); // QosFlowAcceptedList
  for (std::uint32_t i = 0; i < *n; ++i) {
    std::uint32_t iopt = 0;
    SEC5G_TRY(iext, read_preamble(r, 1, iopt, f));
    SEC5G_TRY(q, read_qfi(r));
    out.accepted_qfis.push_back(*q);
    SEC5G_TRY_VOID(finish_sequence(r, iopt != 0, *iext, f));
  }
  SEC5G_TRY_VOID(finish_sequence(r, (opt & 1U) != 0, *ext, f));
  return out;
}

std::expected<path_switch_ack_transfer, decode_error>
decode_path_switch_ack_transfer(bytes_view transfer) noexcept {
  constexpr const char* f = "ngap.path_switch_ack_transfer";
  reader r(transfer);
  std::uint32_t opt = 0;
  SEC5G_TRY(ext, read_preamble(r, 3, opt, f));
  path_switch_ack_transfer out;
  if ((opt & 4U) != 0) {
    SEC5G_TRY(ul, read_up_transport_layer_information(r));
    out.ul_tunnel = *ul;
  }
  if ((opt & 2U) != 0) {
    SEC5G_TRY(si, read_security_indication(r));
    out.security = *si;
  }
  SEC5G_TRY_VOID(finish_sequence(r, (opt & 1U) != 0, *ext, f));
  return out;
}

// ---- encoders ----

std::expected<byte_buffer, decode_error> encode_amf_ue_ngap_id(std::uint64_t id) {
  if (id > 1099511627775ULL) return std::unexpected(enc_error("ngap.amf_ue_ngap_id"));
  byte_buffer out;
  writer w(out);
  w.constrained(id, 0, 1099511627775ULL);
  return out;
}

std::expected<byte_buffer, decode_error> encode_ran_ue_ngap_id(std::uint64_t id) {
  if (id > 4294967295ULL) return std::unexpected(enc_error("ngap.ran_ue_ngap_id"));
  byte_buffer out;
  writer w(out);
  w.constrained(id, 0, 4294967295ULL);
  return out;
}

std::expected<byte_buffer, decode_error> encode_nas_pdu(bytes_view nas) {
  if (nas.size() >= 16384) return std::unexpected(enc_error("ngap.nas_pdu"));
  byte_buffer out;
  writer w(out);
  w.octet_string(nas);
  return out;
}

std::expected<byte_buffer, decode_error>
encode_ue_security_capabilities(const ue_security_capabilities& c) {
  byte_buffer out;
  writer w(out);
  w.bit(false);
  w.bit(false);
  for (std::uint16_t v : {c.nr_encryption, c.nr_integrity, c.eutra_encryption, c.eutra_integrity}) {
    w.bit(false);
    w.bits(v, 16);
  }
  return out;
}

std::expected<byte_buffer, decode_error> encode_security_key(bytes_view key) {
  if (key.size() != 32) return std::unexpected(enc_error("ngap.security_key"));
  byte_buffer out;
  writer w(out);
  w.octets(key);
  return out;
}

std::expected<byte_buffer, decode_error> encode_security_context(const security_context& c) {
  if (c.next_hop_chaining_count > 7 || c.next_hop.size() != 32) {
    return std::unexpected(enc_error("ngap.security_context"));
  }
  byte_buffer out;
  writer w(out);
  w.bit(false);
  w.bit(false);
  w.constrained(c.next_hop_chaining_count, 0, 7);
  w.octets(c.next_hop);
  return out;
}

namespace {
std::expected<void, decode_error> write_guami(writer& w, const guami& g) {
  if (g.amf_set_id > 1023 || g.amf_pointer > 63) return std::unexpected(enc_error("ngap.guami"));
  w.bit(false);
  w.bit(false);
  write_plmn(w, g.plmn);
  w.bits(g.amf_region_id, 8);
  w.bits(g.amf_set_id, 10);
  w.bits(g.amf_pointer, 6);
  return {};
}
} // namespace

std::expected<byte_buffer, decode_error> encode_guami(const guami& g) {
  byte_buffer out;
  writer w(out);
  SEC5G_TRY_VOID(write_guami(w, g));
  return out;
}

std::expected<byte_buffer, decode_error> encode_five_g_s_tmsi(const five_g_s_tmsi& s) {
  if (s.amf_set_id > 1023 || s.amf_pointer > 63) {
    return std::unexpected(enc_error("ngap.five_g_s_tmsi"));
  }
  byte_buffer out;
  writer w(out);
  w.bit(false);
  w.bit(false);
  w.bits(s.amf_set_id, 10);
  w.bits(s.amf_pointer, 6);
  std::uint8_t t[4];
  store_be32(t, s.five_g_tmsi);
  w.octets(t);
  return out;
}

std::expected<byte_buffer, decode_error>
encode_user_location_information(const user_location_information& u) {
  const bool nr = u.type == user_location_information::kind::nr;
  if (!nr && u.type != user_location_information::kind::eutra) {
    return std::unexpected(enc_error("ngap.user_location_information.kind"));
  }
  if ((nr && u.nr.nr_cell_identity >= (std::uint64_t{1} << 36)) ||
      (!nr && u.eutra.eutra_cell_identity >= (1U << 28))) {
    return std::unexpected(enc_error("ngap.user_location_information.cell"));
  }
  byte_buffer out;
  writer w(out);
  w.constrained(static_cast<std::uint64_t>(u.type), 0, 3);
  w.bit(false);
  w.bit(u.time_stamp.has_value());
  w.bit(false);
  w.bit(false); // CGI: extension bit
  w.bit(false); // CGI: iE-Extensions absent
  write_plmn(w, nr ? u.nr.plmn : u.eutra.plmn);
  w.align();
  if (nr) {
    w.bits(u.nr.nr_cell_identity, 36);
  } else {
    w.bits(u.eutra.eutra_cell_identity, 28);
  }
  SEC5G_TRY_VOID(write_tai(w, u.ta));
  if (u.time_stamp) {
    std::uint8_t ts[4];
    store_be32(ts, *u.time_stamp);
    w.octets(ts);
  }
  return out;
}

std::expected<byte_buffer, decode_error> encode_rrc_establishment_cause(rrc_establishment_cause c) {
  if (c > 11) return std::unexpected(enc_error("ngap.rrc_establishment_cause"));
  byte_buffer out;
  writer w(out);
  w.enumerated(c, 10, true);
  return out;
}

std::expected<byte_buffer, decode_error> encode_cause(const cause& c) {
  if (c.type == cause::group::extension) return std::unexpected(enc_error("ngap.cause"));
  byte_buffer out;
  writer w(out);
  const auto g = static_cast<unsigned>(c.type);
  w.constrained(g, 0, 5);
  w.enumerated(c.value, cause_roots[g], true);
  return out;
}

std::expected<byte_buffer, decode_error> encode_global_ran_node_id(const global_ran_node_id& g) {
  byte_buffer out;
  writer w(out);
  const auto k = static_cast<unsigned>(g.type);
  if (k > 2) return std::unexpected(enc_error("ngap.global_ran_node_id.kind"));
  const bool fits = g.node_id_bits >= 32 || (g.node_id >> g.node_id_bits) == 0;
  w.constrained(k, 0, 3);
  w.bit(false);
  w.bit(false);
  write_plmn(w, g.plmn);
  if (g.type == global_ran_node_id::kind::gnb) {
    if (g.node_id_bits < 22 || g.node_id_bits > 32 || !fits) {
      return std::unexpected(enc_error("ngap.global_ran_node_id.gnb_id"));
    }
    w.bit(false);
    w.constrained(g.node_id_bits, 22, 32);
    w.align();
    w.bits(g.node_id, g.node_id_bits);
  } else if (g.type == global_ran_node_id::kind::ng_enb) {
    unsigned alt = 0;
    if (g.node_id_bits == 20)
      alt = 0;
    else if (g.node_id_bits == 18)
      alt = 1;
    else if (g.node_id_bits == 21)
      alt = 2;
    else
      return std::unexpected(enc_error("ngap.global_ran_node_id.ng_enb_id"));
    if (!fits) return std::unexpected(enc_error("ngap.global_ran_node_id.ng_enb_id"));
    w.constrained(alt, 0, 3);
    w.align();
    w.bits(g.node_id, g.node_id_bits);
  } else {
    if (g.node_id_bits != 16 || !fits) {
      return std::unexpected(enc_error("ngap.global_ran_node_id.n3iwf_id"));
    }
    w.bit(false);
    w.bits(g.node_id, 16);
  }
  return out;
}

std::expected<byte_buffer, decode_error> encode_printable_name(std::string_view name) {
  if (name.empty() || name.size() > 150) return std::unexpected(enc_error("ngap.printable_string"));
  byte_buffer out;
  writer w(out);
  write_printable(w, name);
  return out;
}

std::expected<byte_buffer, decode_error>
encode_supported_ta_list(std::span<const supported_ta_item> list) {
  if (list.empty() || list.size() > 256)
    return std::unexpected(enc_error("ngap.supported_ta_list"));
  byte_buffer out;
  writer w(out);
  w.constrained(list.size(), 1, 256);
  for (const auto& item : list) {
    if (item.tac > 0xFFFFFFU || item.broadcast_plmns.empty() || item.broadcast_plmns.size() > 12) {
      return std::unexpected(enc_error("ngap.supported_ta_list.item"));
    }
    w.bit(false);
    w.bit(false);
    const std::uint8_t tac[3] = {static_cast<std::uint8_t>(item.tac >> 16),
                                 static_cast<std::uint8_t>(item.tac >> 8),
                                 static_cast<std::uint8_t>(item.tac)};
    w.octets(tac);
    w.constrained(item.broadcast_plmns.size(), 1, 12);
    for (const auto& bp : item.broadcast_plmns) {
      w.bit(false);
      w.bit(false);
      write_plmn(w, bp.plmn);
      SEC5G_TRY_VOID(write_slice_support_list(w, bp.slices));
    }
  }
  return out;
}

std::expected<byte_buffer, decode_error> encode_allowed_nssai(std::span<const s_nssai> list) {
  if (list.empty() || list.size() > 8) return std::unexpected(enc_error("ngap.allowed_nssai"));
  byte_buffer out;
  writer w(out);
  w.constrained(list.size(), 1, 8);
  for (const auto& s : list) {
    w.bit(false);
    w.bit(false);
    SEC5G_TRY_VOID(write_s_nssai(w, s));
  }
  return out;
}

std::expected<byte_buffer, decode_error>
encode_plmn_support_list(std::span<const plmn_support_item> list) {
  if (list.empty() || list.size() > 12) return std::unexpected(enc_error("ngap.plmn_support_list"));
  byte_buffer out;
  writer w(out);
  w.constrained(list.size(), 1, 12);
  for (const auto& item : list) {
    w.bit(false);
    w.bit(false);
    write_plmn(w, item.plmn);
    SEC5G_TRY_VOID(write_slice_support_list(w, item.slices));
  }
  return out;
}

std::expected<byte_buffer, decode_error>
encode_served_guami_list(std::span<const served_guami_item> list) {
  if (list.empty() || list.size() > 256)
    return std::unexpected(enc_error("ngap.served_guami_list"));
  byte_buffer out;
  writer w(out);
  w.constrained(list.size(), 1, 256);
  for (const auto& item : list) {
    w.bit(false);
    w.bit(item.backup_amf_name.has_value());
    w.bit(false);
    SEC5G_TRY_VOID(write_guami(w, item.value));
    if (item.backup_amf_name) {
      if (item.backup_amf_name->empty() || item.backup_amf_name->size() > 150) {
        return std::unexpected(enc_error("ngap.served_guami_list.backup_amf_name"));
      }
      write_printable(w, *item.backup_amf_name);
    }
  }
  return out;
}

std::expected<byte_buffer, decode_error> encode_relative_amf_capacity(std::uint8_t v) {
  byte_buffer out;
  writer w(out);
  w.constrained(v, 0, 255);
  return out;
}

std::expected<byte_buffer, decode_error> encode_paging_drx(std::uint8_t v) {
  byte_buffer out;
  writer w(out);
  w.enumerated(v, 4, true);
  return out;
}

std::expected<byte_buffer, decode_error> encode_ue_context_request() {
  byte_buffer out;
  writer w(out);
  w.enumerated(0, 1, true);
  return out;
}

std::expected<byte_buffer, decode_error>
encode_pdu_session_list(std::uint16_t list_ie_id, std::span<const pdu_session_item> items) {
  using detail::list_layout;
  const auto layout = detail::layout_of(list_ie_id);
  if (layout == list_layout::unknown || items.empty() || items.size() > 256) {
    return std::unexpected(enc_error("ngap.pdu_session_list"));
  }
  const bool has_nas =
      layout == list_layout::id_nas_snssai_transfer || layout == list_layout::id_nas_transfer;
  const bool has_snssai =
      layout == list_layout::id_nas_snssai_transfer || layout == list_layout::id_snssai_transfer;
  const bool has_transfer = layout != list_layout::id_only;
  byte_buffer out;
  writer w(out);
  w.constrained(items.size(), 1, 256);
  for (const auto& it : items) {
    if ((it.nas_pdu && it.nas_pdu->size() >= 16384) || it.transfer.size() >= 16384 ||
        (has_snssai && !it.snssai)) {
      return std::unexpected(enc_error("ngap.pdu_session_item"));
    }
    w.bit(false);
    if (has_nas) w.bit(it.nas_pdu.has_value());
    w.bit(false);
    w.constrained(it.pdu_session_id, 0, 255);
    if (has_nas && it.nas_pdu) w.octet_string(*it.nas_pdu);
    if (has_snssai) SEC5G_TRY_VOID(write_s_nssai(w, *it.snssai));
    if (has_transfer) w.octet_string(it.transfer);
  }
  return out;
}

// ---- transfer encoders ----

gtp_tunnel ipv4_tunnel(std::span<const std::uint8_t, 4> ip, std::uint32_t teid) noexcept {
  gtp_tunnel t;
  std::copy(ip.begin(), ip.end(), t.address.begin());
  t.address_bits = 32;
  t.teid = teid;
  return t;
}

namespace {

// A root value of an INTEGER (lb..ub, ...); the caller checked the range.
void write_ext_int(writer& w, std::uint64_t v, std::uint64_t lb, std::uint64_t ub) {
  w.bit(false);
  w.constrained(v, lb, ub);
}

// A complete encoding is at least one octet. Ref: X.691 11.1.3.
byte_buffer complete(byte_buffer b) {
  if (b.empty()) b.push_back(0);
  return b;
}

// UPTransportLayerInformation: gTPTunnel (whole-octet addresses only).
std::expected<void, decode_error> write_up_transport_layer_information(writer& w,
                                                                       const gtp_tunnel& t) {
  if (t.address_bits == 0 || t.address_bits > t.address.size() * 8 || t.address_bits % 8 != 0) {
    return std::unexpected(enc_error("ngap.gtp_tunnel.address"));
  }
  w.constrained(0, 0, 1); // choice gTPTunnel
  w.bit(false);           // GTPTunnel extension
  w.bit(false);           // iE-Extensions absent
  w.bit(false);           // TransportLayerAddress: size within the root
  w.constrained(t.address_bits, 1, 160);
  w.octets(bytes_view(t.address).first(t.address_bits / 8U));
  std::uint8_t teid[4];
  store_be32(teid, t.teid);
  w.octets(teid);
  return {};
}

std::expected<void, decode_error> write_qfi(writer& w, std::uint8_t qfi) {
  if (qfi > 63) return std::unexpected(enc_error("ngap.qos_flow_identifier"));
  write_ext_int(w, qfi, 0, 63);
  return {};
}

std::expected<void, decode_error> write_security_indication(writer& w,
                                                            const security_indication& si) {
  const auto ip = static_cast<unsigned>(si.integrity);
  const auto cp = static_cast<unsigned>(si.confidentiality);
  const auto& rate = si.max_integrity_protected_data_rate_ul;
  if (ip > 2 || cp > 2 || (rate && *rate > 1)) {
    return std::unexpected(enc_error("ngap.security_indication"));
  }
  w.bit(false);
  w.bit(rate.has_value());
  w.bit(false); // iE-Extensions absent
  w.enumerated(ip, 3, true);
  w.enumerated(cp, 3, true);
  if (rate) w.enumerated(*rate, 2, true);
  return {};
}

std::expected<void, decode_error> write_security_result(writer& w, const security_result& sr) {
  const auto ip = static_cast<unsigned>(sr.integrity);
  const auto cp = static_cast<unsigned>(sr.confidentiality);
  if (ip > 1 || cp > 1) return std::unexpected(enc_error("ngap.security_result"));
  w.bit(false);
  w.bit(false); // iE-Extensions absent
  w.enumerated(ip, 2, true);
  w.enumerated(cp, 2, true);
  return {};
}

// QosFlowSetupRequestItem with a non-dynamic 5QI, no GBR information, no E-RAB ID.
std::expected<void, decode_error>
write_qos_flow_setup_request_item(writer& w, const qos_flow_setup_request_item& q) {
  if (!q.five_qi || q.dynamic_5qi || q.gbr || q.arp_priority_level < 1 ||
      q.arp_priority_level > 15) {
    return std::unexpected(enc_error("ngap.qos_flow_setup_request_item"));
  }
  w.bit(false); // extension
  w.bit(false); // e-RAB-ID absent
  w.bit(false); // iE-Extensions absent
  SEC5G_TRY_VOID(write_qfi(w, q.qfi));
  w.bit(false);           // QosFlowLevelQosParameters: extension
  w.bits(0, 4);           //   gBR, reflective, additional, iE-Extensions absent
  w.constrained(0, 0, 2); //   QosCharacteristics: nonDynamic5QI
  w.bit(false);           //   NonDynamic5QIDescriptor: extension
  w.bits(0, 4);           //     priority, averaging window, MDBV, iE-Extensions absent
  write_ext_int(w, *q.five_qi, 0, 255);
  w.bit(false); //   AllocationAndRetentionPriority: extension
  w.bit(false); //     iE-Extensions absent
  w.constrained(q.arp_priority_level, 1, 15);
  w.enumerated(q.may_trigger_pre_emption ? 1 : 0, 2, true);
  w.enumerated(q.pre_emptable ? 1 : 0, 2, true);
  return {};
}

// QosFlowPerTNLInformation with a GTP tunnel and 1..64 QFIs.
std::expected<void, decode_error>
write_qos_flow_per_tnl_information(writer& w, const qos_flow_per_tnl_information& q) {
  if (!q.tunnel || q.qfis.empty() || q.qfis.size() > 64) {
    return std::unexpected(enc_error("ngap.qos_flow_per_tnl_information"));
  }
  w.bit(false); // extension
  w.bit(false); // iE-Extensions absent
  SEC5G_TRY_VOID(write_up_transport_layer_information(w, *q.tunnel));
  w.constrained(q.qfis.size(), 1, 64);
  for (const std::uint8_t qfi : q.qfis) {
    w.bit(false); // extension
    w.bit(false); // qosFlowMappingIndication absent
    w.bit(false); // iE-Extensions absent
    SEC5G_TRY_VOID(write_qfi(w, qfi));
  }
  return {};
}

} // namespace

std::expected<byte_buffer, decode_error>
encode_setup_request_transfer(const setup_request_transfer& t) {
  // Ref: TS 38.413 9.3.4.1: a ProtocolIE-Container, IEs in the order of the table.
  if (!t.ul_tunnel || !t.pdu_session_type || *t.pdu_session_type > 4 || t.qos_flows.empty() ||
      t.qos_flows.size() > 64 || t.session_ambr_dl.has_value() != t.session_ambr_ul.has_value() ||
      (t.session_ambr_dl &&
       (*t.session_ambr_dl > max_bit_rate || *t.session_ambr_ul > max_bit_rate))) {
    return std::unexpected(enc_error("ngap.setup_request_transfer"));
  }
  struct field {
    std::uint16_t id;
    byte_buffer value;
  };
  std::vector<field> ies;
  if (t.session_ambr_dl) {
    byte_buffer v;
    writer w(v);
    w.bit(false); // extension
    w.bit(false); // iE-Extensions absent
    write_ext_int(w, *t.session_ambr_dl, 0, max_bit_rate);
    write_ext_int(w, *t.session_ambr_ul, 0, max_bit_rate);
    ies.push_back({ie_id::pdu_session_aggregate_maximum_bit_rate, complete(std::move(v))});
  }
  {
    byte_buffer v;
    writer w(v);
    SEC5G_TRY_VOID(write_up_transport_layer_information(w, *t.ul_tunnel));
    ies.push_back({ie_id::ul_ngu_up_tnl_information, complete(std::move(v))});
  }
  {
    byte_buffer v;
    writer w(v);
    w.enumerated(*t.pdu_session_type, 5, true);
    ies.push_back({ie_id::pdu_session_type, complete(std::move(v))});
  }
  if (t.security) {
    byte_buffer v;
    writer w(v);
    SEC5G_TRY_VOID(write_security_indication(w, *t.security));
    ies.push_back({ie_id::security_indication, complete(std::move(v))});
  }
  {
    byte_buffer v;
    writer w(v);
    w.constrained(t.qos_flows.size(), 1, 64);
    for (const auto& q : t.qos_flows)
      SEC5G_TRY_VOID(write_qos_flow_setup_request_item(w, q));
    ies.push_back({ie_id::qos_flow_setup_request_list, complete(std::move(v))});
  }
  byte_buffer out;
  writer w(out);
  w.bit(false); // extension of the transfer SEQUENCE
  w.constrained(ies.size(), 0, 65535);
  for (const auto& f : ies) {
    w.constrained(f.id, 0, 65535);
    w.bits(0, 2); // criticality reject
    w.octet_string(f.value);
  }
  return out;
}

std::expected<byte_buffer, decode_error>
encode_setup_response_transfer(const setup_response_transfer& t) {
  // Ref: TS 38.413 9.3.4.2.
  byte_buffer out;
  writer w(out);
  w.bit(false); // extension
  // optionals: additionalDLQosFlowPerTNLInformation, securityResult, qosFlowFailedToSetupList,
  // iE-Extensions
  w.bit(false);
  w.bit(t.security.has_value());
  w.bit(false);
  w.bit(false);
  SEC5G_TRY_VOID(write_qos_flow_per_tnl_information(w, t.dl));
  if (t.security) SEC5G_TRY_VOID(write_security_result(w, *t.security));
  return complete(std::move(out));
}

std::expected<byte_buffer, decode_error>
encode_path_switch_request_transfer(const path_switch_request_transfer& t) {
  // Ref: TS 38.413 9.3.4.8.
  const bool up_security = t.up_security_result.has_value();
  if (!t.dl_tunnel || up_security != t.up_security_indication.has_value() ||
      t.accepted_qfis.empty() || t.accepted_qfis.size() > 64) {
    return std::unexpected(enc_error("ngap.path_switch_request_transfer"));
  }
  byte_buffer out;
  writer w(out);
  w.bit(false); // extension
  w.bit(t.dl_tunnel_reused);
  w.bit(up_security);
  w.bit(false); // iE-Extensions absent
  SEC5G_TRY_VOID(write_up_transport_layer_information(w, *t.dl_tunnel));
  if (t.dl_tunnel_reused) w.enumerated(0, 1, true);
  if (up_security) {
    w.bit(false); // UserPlaneSecurityInformation: extension
    w.bit(false); //   iE-Extensions absent
    SEC5G_TRY_VOID(write_security_result(w, *t.up_security_result));
    SEC5G_TRY_VOID(write_security_indication(w, *t.up_security_indication));
  }
  w.constrained(t.accepted_qfis.size(), 1, 64);
  for (const std::uint8_t qfi : t.accepted_qfis) {
    w.bit(false); // extension
    w.bit(false); // iE-Extensions absent
    SEC5G_TRY_VOID(write_qfi(w, qfi));
  }
  return complete(std::move(out));
}

std::expected<byte_buffer, decode_error>
encode_path_switch_ack_transfer(const path_switch_ack_transfer& t) {
  // Ref: TS 38.413 9.3.4.9.
  byte_buffer out;
  writer w(out);
  w.bit(false); // extension
  w.bit(t.ul_tunnel.has_value());
  w.bit(t.security.has_value());
  w.bit(false); // iE-Extensions absent
  if (t.ul_tunnel) SEC5G_TRY_VOID(write_up_transport_layer_information(w, *t.ul_tunnel));
  if (t.security) SEC5G_TRY_VOID(write_security_indication(w, *t.security));
  return complete(std::move(out));
}

} // namespace sec5g::ngap
