#include "synth/nas_build.hpp"

#include "sec5g/core/byte_writer.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"

namespace sec5g::synth::detail {

namespace nasb {

namespace {

constexpr std::uint8_t epd_5gmm = 0x7e;
constexpr std::uint8_t epd_5gsm = 0x2e;

// Appends octets one by one (initializer-list inserts trip g++ 12's -Warray-bounds).
template <typename... T>
void put(byte_buffer& b, T... v) {
  (b.push_back(static_cast<std::uint8_t>(v)), ...);
}

byte_buffer mm(std::uint8_t type) {
  byte_buffer b;
  b.reserve(64);
  b.push_back(epd_5gmm);
  b.push_back(0x00);  // plain 5GMM message, spare half octet
  b.push_back(type);
  return b;
}

void lv_e(byte_buffer& b, bytes_view v) {
  byte_writer w(b);
  w.u16(static_cast<std::uint16_t>(v.size()));
  w.bytes(v);
}
void tlv(byte_buffer& b, std::uint8_t iei, bytes_view v) {
  b.push_back(iei);
  b.push_back(static_cast<std::uint8_t>(v.size()));
  b.insert(b.end(), v.begin(), v.end());
}
void tlv_e(byte_buffer& b, std::uint8_t iei, bytes_view v) {
  b.push_back(iei);
  lv_e(b, v);
}
void caps_tlv(byte_buffer& b, const ue_caps& c) {
  const std::uint8_t v[4] = {c.ea, c.ia, c.eea, c.eia};
  tlv(b, 0x2E, v);
}

// DNN "internet" in the APN label encoding. Ref: TS 24.501 9.11.2.1B, TS 23.003 9.1.
constexpr std::uint8_t dnn_internet[] = {8, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't'};
// S-NSSAI SST 1 (eMBB). Ref: TS 24.501 9.11.2.8.
constexpr std::uint8_t snssai_embb[] = {0x01};

}  // namespace

byte_buffer registration_request(std::uint8_t ngksi, bytes_view mobile_identity,
                                 const ue_caps& caps, bool cleartext_only) {
  // Ref: TS 24.501 8.2.6.1; cleartext IEs 4.4.6.
  byte_buffer b = mm(0x41);
  // 5GS registration type (bits 1-4: FOR=1, initial registration) and ngKSI (bits 5-8).
  b.push_back(static_cast<std::uint8_t>(((ngksi & 0x0F) << 4) | 0x09));
  lv_e(b, mobile_identity);
  if (!cleartext_only) {
    const std::uint8_t mm_cap[] = {0x07};  // 5GMM capability: S1 mode, HO attach, LPP
    tlv(b, 0x10, mm_cap);
  }
  caps_tlv(b, caps);
  if (!cleartext_only) {
    const std::uint8_t requested_nssai[] = {0x01, 0x01};  // one S-NSSAI of length 1: SST 1
    tlv(b, 0x2F, requested_nssai);
  }
  return b;
}

byte_buffer authentication_request(std::uint8_t ngksi, std::span<const std::uint8_t, 16> rand,
                                   std::span<const std::uint8_t, 16> autn) {
  // Ref: TS 24.501 8.2.1.1.
  byte_buffer b = mm(0x56);
  b.push_back(ngksi & 0x0F);                     // ngKSI, spare half octet
  put(b, 0x02, 0x00, 0x00);         // ABBA (LV): 0x0000
  b.push_back(0x21);                             // RAND (TV)
  b.insert(b.end(), rand.begin(), rand.end());
  tlv(b, 0x20, autn);                            // AUTN (TLV)
  return b;
}

byte_buffer authentication_request_eap(std::uint8_t ngksi, bytes_view eap) {
  byte_buffer b = mm(0x56);
  b.push_back(ngksi & 0x0F);
  put(b, 0x02, 0x00, 0x00);
  tlv_e(b, 0x78, eap);
  return b;
}

byte_buffer authentication_response(std::span<const std::uint8_t, 16> res_star) {
  // Ref: TS 24.501 8.2.2.1.
  byte_buffer b = mm(0x57);
  tlv(b, 0x2D, res_star);
  return b;
}

byte_buffer authentication_response_eap(bytes_view eap) {
  byte_buffer b = mm(0x57);
  tlv_e(b, 0x78, eap);
  return b;
}

byte_buffer authentication_failure(std::uint8_t cause, std::optional<bytes_view> auts) {
  // Ref: TS 24.501 8.2.4.1.
  byte_buffer b = mm(0x59);
  b.push_back(cause);
  if (auts) tlv(b, 0x30, *auts);
  return b;
}

byte_buffer authentication_reject() { return mm(0x58); }

byte_buffer security_mode_command(std::uint8_t nea, std::uint8_t nia, std::uint8_t ngksi,
                                  const ue_caps& replayed, std::optional<bytes_view> eap) {
  // Ref: TS 24.501 8.2.25.1.
  byte_buffer b = mm(0x5D);
  b.push_back(static_cast<std::uint8_t>(((nea & 0x07) << 4) | (nia & 0x07)));
  b.push_back(ngksi & 0x0F);  // ngKSI, spare half octet
  b.push_back(4);             // replayed UE security capabilities (LV)
  put(b, replayed.ea, replayed.ia, replayed.eea, replayed.eia);
  b.push_back(0xE1);  // IMEISV request: requested
  const std::uint8_t add_info[] = {0x02};  // additional 5G security information: RINMR = 1
  tlv(b, 0x36, add_info);
  if (eap) tlv_e(b, 0x78, *eap);
  return b;
}

byte_buffer security_mode_complete(bytes_view imeisv_identity, bytes_view nas_container) {
  // Ref: TS 24.501 8.2.26.1.
  byte_buffer b = mm(0x5E);
  tlv_e(b, 0x77, imeisv_identity);
  tlv_e(b, 0x71, nas_container);
  return b;
}

byte_buffer security_mode_reject(std::uint8_t cause) {
  byte_buffer b = mm(0x5F);
  b.push_back(cause);
  return b;
}

byte_buffer identity_request(std::uint8_t type) {
  byte_buffer b = mm(0x5B);
  b.push_back(type & 0x07);  // identity type, spare half octet
  return b;
}

byte_buffer identity_response(bytes_view mobile_identity) {
  byte_buffer b = mm(0x5C);
  lv_e(b, mobile_identity);
  return b;
}

byte_buffer registration_accept(bytes_view guti_identity, std::span<const std::uint8_t, 3> plmn,
                                std::uint32_t tac) {
  // Ref: TS 24.501 8.2.7.1.
  byte_buffer b = mm(0x42);
  put(b, 0x01, 0x01);  // 5GS registration result (LV): 3GPP access
  tlv_e(b, 0x77, guti_identity);
  // TAI list: one list of type 00 with one TAC. Ref: TS 24.501 9.11.3.9.
  const std::uint8_t tai_list[] = {0x00,    plmn[0], plmn[1], plmn[2],
                                   static_cast<std::uint8_t>(tac >> 16),
                                   static_cast<std::uint8_t>(tac >> 8),
                                   static_cast<std::uint8_t>(tac)};
  tlv(b, 0x54, tai_list);
  const std::uint8_t allowed_nssai[] = {0x01, 0x01};
  tlv(b, 0x15, allowed_nssai);
  return b;
}

byte_buffer registration_complete() { return mm(0x43); }

byte_buffer registration_reject(std::uint8_t cause) {
  byte_buffer b = mm(0x44);
  b.push_back(cause);
  return b;
}

byte_buffer ul_nas_transport_sm(std::uint8_t psi, bytes_view sm, bool initial_request) {
  // Ref: TS 24.501 8.2.10.1.
  byte_buffer b = mm(0x67);
  b.push_back(0x01);  // payload container type: N1 SM information
  lv_e(b, sm);
  put(b, 0x12, psi);  // PDU session ID
  if (initial_request) {
    b.push_back(0x81);  // request type: initial request
    tlv(b, 0x22, snssai_embb);
    tlv(b, 0x25, dnn_internet);
  }
  return b;
}

byte_buffer dl_nas_transport_sm(std::uint8_t psi, bytes_view sm) {
  // Ref: TS 24.501 8.2.11.1.
  byte_buffer b = mm(0x68);
  b.push_back(0x01);
  lv_e(b, sm);
  put(b, 0x12, psi);
  return b;
}

byte_buffer service_request(std::uint8_t ngksi, std::uint8_t service_type, bytes_view s_tmsi) {
  // Ref: TS 24.501 8.2.16.1 (ngKSI bits 1-4, service type bits 5-8).
  byte_buffer b = mm(0x4C);
  b.push_back(static_cast<std::uint8_t>(((service_type & 0x0F) << 4) | (ngksi & 0x0F)));
  lv_e(b, s_tmsi);
  return b;
}

byte_buffer service_accept() { return mm(0x4E); }

byte_buffer deregistration_request(std::uint8_t ngksi, bytes_view guti_identity) {
  // Ref: TS 24.501 8.2.12.1 (de-registration type bits 1-4, ngKSI bits 5-8).
  byte_buffer b = mm(0x45);
  b.push_back(static_cast<std::uint8_t>(((ngksi & 0x0F) << 4) | 0x01));  // normal, 3GPP access
  lv_e(b, guti_identity);
  return b;
}

byte_buffer deregistration_accept() { return mm(0x46); }

byte_buffer pdu_session_establishment_request(std::uint8_t psi, std::uint8_t pti) {
  // Ref: TS 24.501 8.3.1.1.
  byte_buffer b;
  put(b, epd_5gsm, psi, pti, 0xC1);
  put(b, 0xFF, 0xFF);  // integrity protection maximum data rate: full rate
  b.push_back(0x91);                // PDU session type: IPv4
  b.push_back(0xA1);                // SSC mode 1
  return b;
}

byte_buffer pdu_session_establishment_accept(std::uint8_t psi, std::uint8_t pti,
                                             std::span<const std::uint8_t, 4> ue_ip) {
  // Ref: TS 24.501 8.3.2.1.
  byte_buffer b;
  put(b, epd_5gsm, psi, pti, 0xC2);
  b.push_back(0x11);  // selected PDU session type IPv4 (bits 1-4), SSC mode 1 (bits 5-8)
  // Authorized QoS rules (LV-E): rule 1, create, default rule, one match-all packet filter,
  // precedence 255, QFI 1. Ref: TS 24.501 9.11.4.13.
  const std::uint8_t rules[] = {0x01, 0x00, 0x06, 0x31, 0x31, 0x01, 0x01, 0xFF, 0x01};
  lv_e(b, rules);
  // Session-AMBR (LV): 100 Mbps both ways. Ref: TS 24.501 9.11.4.14.
  put(b, 0x06, 0x06, 0x00, 0x64, 0x06, 0x00, 0x64);
  const std::uint8_t addr[] = {0x01, ue_ip[0], ue_ip[1], ue_ip[2], ue_ip[3]};
  tlv(b, 0x29, addr);  // PDU address: IPv4
  tlv(b, 0x22, snssai_embb);
  tlv(b, 0x25, dnn_internet);
  return b;
}

}  // namespace nasb

bool protect(std::uint8_t sht, const nas_security& sec, std::uint32_t count, bool downlink,
             bytes_view plain, byte_buffer& out) {
  const std::uint8_t dir = downlink ? 1 : 0;
  const bool cipher = sht == 2 || sht == 4;
  out.clear();
  out.reserve(plain.size() + 7);
  out.push_back(0x7e);
  out.push_back(sht);
  out.insert(out.end(), 4, 0);  // MAC, filled below
  out.push_back(static_cast<std::uint8_t>(count));
  const std::size_t body = out.size();
  out.insert(out.end(), plain.begin(), plain.end());
  if (cipher) {
    auto r = crypto::nea_in_place(static_cast<crypto::nea_alg>(sec.nea), sec.k_enc.view(), count,
                                  nas_bearer_3gpp, dir, bytes_span(out).subspan(body),
                                  plain.size() * 8);
    if (!r) return false;
  }
  // The MAC covers the sequence number and the (ciphered) message. Ref: TS 24.501 4.4.3.3.
  const bytes_view mac_input = bytes_view(out).subspan(6);
  auto mac = crypto::nia(static_cast<crypto::nia_alg>(sec.nia), sec.k_int.view(), count,
                         nas_bearer_3gpp, dir, mac_input, mac_input.size() * 8);
  if (!mac) return false;
  for (std::size_t i = 0; i < 4; ++i) out[2 + i] = (*mac)[i];
  return true;
}

}  // namespace sec5g::synth::detail
