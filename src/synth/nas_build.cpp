#include "synth/nas_build.hpp"

#include <algorithm>

#include "sec5g/nas/messages.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"

namespace sec5g::synth::detail {

namespace nasb {

namespace {

namespace msg = nas::msg;

// The encoders refuse only values outside the TS 24.501 tables, which the synthesizer never
// chooses; a refusal yields an empty message that the engine stops on.
template <typename M>
byte_buffer encoded(const M& m) {
  byte_buffer b;
  b.reserve(64);
  if (!msg::encode(m, b)) b.clear();
  return b;
}

byte_buffer encoded_empty(nas::message_type type) {
  byte_buffer b;
  if (!msg::encode_empty(type, b)) b.clear();
  return b;
}

byte_buffer encoded_cause(nas::message_type type, std::uint8_t cause) {
  byte_buffer b;
  if (!msg::encode(type, msg::cause_only{cause}, b)) b.clear();
  return b;
}

nas::ue_security_capability nas_caps(const ue_caps& c) {
  nas::ue_security_capability n;
  n.ea = c.ea;
  n.ia = c.ia;
  n.eea = c.eea;
  n.eia = c.eia;
  return n;
}

// DNN "internet" in the APN label encoding. Ref: TS 24.501 9.11.2.1B, TS 23.003 9.1.
constexpr std::uint8_t dnn_internet[] = {8, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't'};
// S-NSSAI SST 1 (eMBB). Ref: TS 24.501 9.11.2.8.
const nas::s_nssai snssai_embb{1, std::nullopt, std::nullopt, std::nullopt};
// ABBA 0x0000. Ref: TS 33.501 A.7.1.
constexpr std::uint8_t abba_0000[] = {0x00, 0x00};

}  // namespace

byte_buffer registration_request(std::uint8_t ngksi, const identity::mobile_identity& id,
                                 const ue_caps& caps, bool cleartext_only) {
  // Ref: TS 24.501 8.2.6.1; cleartext IEs 4.4.6.
  const std::uint8_t mm_cap[] = {0x07};  // 5GMM capability: S1 mode, HO attach, LPP
  msg::registration_request m;
  m.type = nas::registration_type{true, 1};  // FOR, initial registration
  m.ksi = nas::ngksi::from_half(ngksi);
  m.mobile_identity = id;
  m.ue_security_capability = nas_caps(caps);
  if (!cleartext_only) {
    m.gmm_capability = mm_cap;
    m.requested_nssai = std::span(&snssai_embb, 1);
  }
  return encoded(m);
}

byte_buffer registration_request_periodic(std::uint8_t ngksi, const identity::guti_5g& guti,
                                          const ue_caps& caps, bytes_view pdu_session_status,
                                          bytes_view container) {
  // Ref: TS 24.501 8.2.6.1, 5.5.1.3.2 (periodic registration update initiation).
  msg::registration_request m;
  m.type = nas::registration_type{false, 3};  // no FOR, periodic registration updating
  m.ksi = nas::ngksi::from_half(ngksi);
  m.mobile_identity = guti;
  m.ue_security_capability = nas_caps(caps);
  m.pdu_session_status = pdu_session_status;
  m.nas_message_container = container;
  return encoded(m);
}

byte_buffer authentication_request(std::uint8_t ngksi, std::span<const std::uint8_t, 16> rand,
                                   std::span<const std::uint8_t, 16> autn) {
  // Ref: TS 24.501 8.2.1.1.
  msg::authentication_request m;
  m.ksi = nas::ngksi::from_half(ngksi);
  m.abba = abba_0000;
  m.rand.emplace();
  std::copy(rand.begin(), rand.end(), m.rand->begin());
  m.autn.emplace();
  std::copy(autn.begin(), autn.end(), m.autn->begin());
  return encoded(m);
}

byte_buffer authentication_request_eap(std::uint8_t ngksi, bytes_view eap) {
  msg::authentication_request m;
  m.ksi = nas::ngksi::from_half(ngksi);
  m.abba = abba_0000;
  m.eap_message = eap;
  return encoded(m);
}

byte_buffer authentication_response(std::span<const std::uint8_t, 16> res_star) {
  // Ref: TS 24.501 8.2.2.1.
  msg::authentication_response m;
  m.res_star.emplace();
  std::copy(res_star.begin(), res_star.end(), m.res_star->begin());
  return encoded(m);
}

byte_buffer authentication_response_eap(bytes_view eap) {
  msg::authentication_response m;
  m.eap_message = eap;
  return encoded(m);
}

byte_buffer authentication_failure(std::uint8_t cause,
                                   std::optional<std::span<const std::uint8_t, 14>> auts) {
  // Ref: TS 24.501 8.2.4.1.
  msg::authentication_failure m;
  m.gmm_cause = cause;
  if (auts) {
    m.auts.emplace();
    std::copy(auts->begin(), auts->end(), m.auts->begin());
  }
  return encoded(m);
}

byte_buffer authentication_reject() { return encoded(msg::authentication_reject{}); }

byte_buffer security_mode_command(std::uint8_t nea, std::uint8_t nia, std::uint8_t ngksi,
                                  const ue_caps& replayed, std::optional<bytes_view> eap) {
  // Ref: TS 24.501 8.2.25.1.
  msg::security_mode_command m;
  m.selected = nas::nas_security_algorithms{nea, nia};
  m.ksi = nas::ngksi::from_half(ngksi);
  m.replayed = nas_caps(replayed);
  m.imeisv_request = true;
  m.additional_security_information = 0x02;  // RINMR = 1
  if (eap) m.eap_message = *eap;
  return encoded(m);
}

byte_buffer security_mode_complete(const identity::imeisv& imeisv, bytes_view nas_container) {
  // Ref: TS 24.501 8.2.26.1.
  msg::security_mode_complete m;
  m.imeisv = imeisv;
  m.nas_message_container = nas_container;
  return encoded(m);
}

byte_buffer security_mode_reject(std::uint8_t cause) {
  return encoded_cause(nas::message_type::security_mode_reject, cause);
}

byte_buffer identity_request(identity::mobile_identity_type type) {
  return encoded(msg::identity_request{type});
}

byte_buffer identity_response(const identity::mobile_identity& id) {
  return encoded(msg::identity_response{id});
}

byte_buffer registration_accept(const identity::guti_5g& guti,
                                std::span<const std::uint8_t, 3> plmn, std::uint32_t tac) {
  // Ref: TS 24.501 8.2.7.1.
  // TAI list: one list of type 00 with one TAC. Ref: TS 24.501 9.11.3.9.
  const std::uint8_t tai_list[] = {0x00,    plmn[0], plmn[1], plmn[2],
                                   static_cast<std::uint8_t>(tac >> 16),
                                   static_cast<std::uint8_t>(tac >> 8),
                                   static_cast<std::uint8_t>(tac)};
  msg::registration_accept m;
  m.result.value = 1;  // 3GPP access
  m.guti = guti;
  m.tai_list = tai_list;
  m.allowed_nssai = std::span(&snssai_embb, 1);
  return encoded(m);
}

byte_buffer registration_complete() {
  return encoded_empty(nas::message_type::registration_complete);
}

byte_buffer registration_reject(std::uint8_t cause) {
  return encoded_cause(nas::message_type::registration_reject, cause);
}

byte_buffer ul_nas_transport_sm(std::uint8_t psi, bytes_view sm, bool initial_request) {
  // Ref: TS 24.501 8.2.10.1.
  msg::ul_nas_transport m;
  m.payload_type = nas::payload_container_type::n1_sm_information;
  m.payload = sm;
  m.pdu_session_id = psi;
  if (initial_request) {
    m.request_type = 1;
    m.s_nssai = snssai_embb;
    m.dnn = dnn_internet;
  }
  return encoded(m);
}

byte_buffer dl_nas_transport_sm(std::uint8_t psi, bytes_view sm) {
  // Ref: TS 24.501 8.2.11.1.
  msg::dl_nas_transport m;
  m.payload_type = nas::payload_container_type::n1_sm_information;
  m.payload = sm;
  m.pdu_session_id = psi;
  return encoded(m);
}

byte_buffer service_request(std::uint8_t ngksi, std::uint8_t service_type,
                            const identity::s_tmsi_5g& s_tmsi) {
  // Ref: TS 24.501 8.2.16.1.
  msg::service_request m;
  m.ksi = nas::ngksi::from_half(ngksi);
  m.service_type = service_type;
  m.s_tmsi = s_tmsi;
  return encoded(m);
}

byte_array<2> psi_bitmap(std::uint8_t psi) {
  // Ref: TS 24.501 9.11.3.44 / 9.11.3.57: octet 3 = PSI 7..0, octet 4 = PSI 15..8.
  const std::uint16_t bit = static_cast<std::uint16_t>(1u << (psi & 0x0f));
  return {static_cast<std::uint8_t>(bit & 0xff), static_cast<std::uint8_t>(bit >> 8)};
}

byte_buffer service_request_data(std::uint8_t ngksi, const identity::s_tmsi_5g& s_tmsi,
                                 std::uint8_t psi) {
  // Ref: TS 24.501 8.2.16.1.
  const byte_array<2> bits = psi_bitmap(psi);
  msg::service_request m;
  m.ksi = nas::ngksi::from_half(ngksi);
  m.service_type = 1;  // data
  m.s_tmsi = s_tmsi;
  m.uplink_data_status = bits;
  m.pdu_session_status = bits;
  return encoded(m);
}

byte_buffer service_request_container(std::uint8_t ngksi, const identity::s_tmsi_5g& s_tmsi,
                                      bytes_view container) {
  // Ref: TS 24.501 8.2.16.1, 8.2.16.4.
  msg::service_request m;
  m.ksi = nas::ngksi::from_half(ngksi);
  m.service_type = 1;  // data
  m.s_tmsi = s_tmsi;
  m.nas_message_container = container;
  return encoded(m);
}

byte_buffer service_accept() { return encoded(msg::service_accept{}); }

byte_buffer deregistration_request(std::uint8_t ngksi, const identity::guti_5g& guti) {
  // Ref: TS 24.501 8.2.12.1.
  msg::deregistration_request_ue_originating m;
  m.type = nas::deregistration_type{false, false, 1};  // normal de-registration, 3GPP access
  m.ksi = nas::ngksi::from_half(ngksi);
  m.mobile_identity = guti;
  return encoded(m);
}

byte_buffer deregistration_accept() {
  return encoded_empty(nas::message_type::deregistration_accept_ue_originating);
}

namespace {

byte_buffer encoded_5gsm(nas::message_type type, std::uint8_t psi, std::uint8_t pti,
                         std::span<const nas::ie_value> ies) {
  byte_buffer b;
  const nas::message_header h{nas::epd::session_management, static_cast<std::uint8_t>(type), psi,
                              pti};
  if (!nas::encode_message(h, ies, b)) b.clear();
  return b;
}

}  // namespace

byte_buffer pdu_session_establishment_request(std::uint8_t psi, std::uint8_t pti) {
  // Ref: TS 24.501 8.3.1.1.
  const std::uint8_t full_rate[] = {0xFF, 0xFF};  // integrity protection max data rate
  const nas::ie_value ies[] = {
      {"integrity_protection_maximum_data_rate", full_rate, 0},
      {"pdu_session_type", {}, 1},  // IPv4
      {"ssc_mode", {}, 1},          // SSC mode 1
  };
  return encoded_5gsm(nas::message_type::pdu_session_establishment_request, psi, pti, ies);
}

byte_buffer pdu_session_establishment_accept(std::uint8_t psi, std::uint8_t pti,
                                             std::span<const std::uint8_t, 4> ue_ip) {
  // Ref: TS 24.501 8.3.2.1.
  // Authorized QoS rules: rule 1, create, default rule, one match-all packet filter,
  // precedence 255, QFI 1. Ref: TS 24.501 9.11.4.13.
  const std::uint8_t rules[] = {0x01, 0x00, 0x06, 0x31, 0x31, 0x01, 0x01, 0xFF, 0x01};
  // Session-AMBR: 100 Mbps both ways. Ref: TS 24.501 9.11.4.14.
  const std::uint8_t ambr[] = {0x06, 0x00, 0x64, 0x06, 0x00, 0x64};
  const std::uint8_t addr[] = {0x01, ue_ip[0], ue_ip[1], ue_ip[2], ue_ip[3]};  // IPv4
  byte_buffer snssai;
  nas::encode_s_nssai(snssai_embb, snssai);
  const nas::ie_value ies[] = {
      {"selected_pdu_session_type", {}, 1},  // IPv4
      {"selected_ssc_mode", {}, 1},          // SSC mode 1
      {"authorized_qos_rules", rules, 0},
      {"session_ambr", ambr, 0},
      {"pdu_address", addr, 0},
      {"s_nssai", snssai, 0},
      {"dnn", dnn_internet, 0},
  };
  return encoded_5gsm(nas::message_type::pdu_session_establishment_accept, psi, pti, ies);
}

byte_buffer pdu_session_release_request(std::uint8_t psi, std::uint8_t pti) {
  // Ref: TS 24.501 8.3.12.1.
  return encoded_5gsm(nas::message_type::pdu_session_release_request, psi, pti, {});
}

byte_buffer pdu_session_release_command(std::uint8_t psi, std::uint8_t pti, std::uint8_t cause) {
  // Ref: TS 24.501 8.3.14.1.
  const std::uint8_t c[] = {cause};
  const nas::ie_value ies[] = {{"gsm_cause", c, 0}};
  return encoded_5gsm(nas::message_type::pdu_session_release_command, psi, pti, ies);
}

byte_buffer pdu_session_release_complete(std::uint8_t psi, std::uint8_t pti) {
  // Ref: TS 24.501 8.3.15.1.
  return encoded_5gsm(nas::message_type::pdu_session_release_complete, psi, pti, {});
}

}  // namespace nasb

bool protect(std::uint8_t sht, const nas_security& sec, std::uint32_t count, bool downlink,
             bytes_view plain, byte_buffer& out) {
  if (plain.empty()) return false;
  const std::uint8_t dir = downlink ? 1 : 0;
  const bool cipher = sht == 2 || sht == 4;
  out.clear();
  out.reserve(plain.size() + 7);
  // The envelope with a zero MAC, filled in once the (ciphered) message is in place.
  constexpr byte_array<4> no_mac{};
  nas::encode_protected(static_cast<nas::security_header_type>(sht), no_mac,
                        static_cast<std::uint8_t>(count), plain, out);
  constexpr std::size_t mac_at = 2;
  constexpr std::size_t sqn_at = 6;
  if (cipher) {
    auto r = crypto::nea_in_place(static_cast<crypto::nea_alg>(sec.nea), sec.k_enc.view(), count,
                                  nas_bearer_3gpp, dir, bytes_span(out).subspan(sqn_at + 1),
                                  plain.size() * 8);
    if (!r) return false;
  }
  // The MAC covers the sequence number and the (ciphered) message. Ref: TS 24.501 4.4.3.3.
  const bytes_view mac_input = bytes_view(out).subspan(sqn_at);
  auto mac = crypto::nia(static_cast<crypto::nia_alg>(sec.nia), sec.k_int.view(), count,
                         nas_bearer_3gpp, dir, mac_input, mac_input.size() * 8);
  if (!mac) return false;
  std::copy_n(mac->begin(), 4, out.begin() + mac_at);
  return true;
}

bool cipher_container(const nas_security& sec, std::uint32_t count, byte_buffer& msg) {
  if (sec.nea == 0 || msg.empty()) return true;
  return crypto::nea_in_place(static_cast<crypto::nea_alg>(sec.nea), sec.k_enc.view(), count,
                              nas_bearer_3gpp, 0, msg, msg.size() * 8)
      .has_value();
}

}  // namespace sec5g::synth::detail
