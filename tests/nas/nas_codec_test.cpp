// Unit tests of the NAS-5GS codec: envelope, headers, every message table, IE codecs,
// anomalies, errors and the table-driven encoder. PDUs are real ones from the shared captures
// (named by capture and frame) unless said otherwise.

#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <set>
#include <string>

#include "sec5g/core/hex.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/nas/ies.hpp"
#include "sec5g/nas/nas.hpp"

namespace sec5g::nas {
namespace {

byte_buffer hex(std::string_view h) {
  auto b = from_hex(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b ? *b : byte_buffer{};
}

nas_message must_decode(const byte_buffer& pdu, bool null_decipher = false) {
  auto m = decode(pdu, decode_options{.null_decipher = null_decipher});
  EXPECT_TRUE(m.has_value()) << to_hex(pdu) << ": " << (m ? "" : describe(m.error()));
  return m ? *m : nas_message{};
}

// Decoded messages view their input: the PDUs of a test stay alive here until the process ends.
const byte_buffer& keep(byte_buffer b) {
  static std::deque<byte_buffer> store;
  store.push_back(std::move(b));
  return store.back();
}

// Decodes, checks the round trip, returns the message (whose views stay valid).
nas_message round_trip(std::string_view h, bool null_decipher = false) {
  const byte_buffer& pdu = keep(hex(h));
  nas_message m = must_decode(pdu, null_decipher);
  byte_buffer out;
  encode(m, out);
  EXPECT_EQ(to_hex(out), to_hex(pdu));
  EXPECT_EQ(m.message.anomalies.count, 0) << h;
  return m;
}

std::string hex_of(const ie* e) { return e ? to_hex(e->value) : std::string("<absent>"); }

// --- security envelope -------------------------------------------------------------------

TEST(NasEnvelope, IntegrityProtectedWithNewContextGivesMacSqnAndMacInput) {
  // 5greplay_oai_registration.pcap frame 128: Security Mode Command, header type 3.
  const byte_buffer pdu = hex("7e03781c441a007e005d02020480200000e1360102");
  const nas_message m = must_decode(pdu);
  EXPECT_EQ(m.epd, epd::mobility_management);
  EXPECT_EQ(m.security_header, security_header_type::integrity_protected_new_context);
  EXPECT_EQ(to_hex(m.mac), "781c441a");
  EXPECT_EQ(m.sqn, 0);
  // The MAC covers the sequence number and the inner message. Ref: TS 24.501 4.4.3.3
  EXPECT_EQ(m.mac_input.data(), pdu.data() + 6);
  EXPECT_EQ(m.mac_input.size(), pdu.size() - 6);
  EXPECT_EQ(m.inner.data(), pdu.data() + 7);
  ASSERT_TRUE(m.has_message);
  EXPECT_FALSE(m.null_deciphered);
  EXPECT_EQ(m.message.message_type, static_cast<std::uint8_t>(message_type::security_mode_command));
  EXPECT_STREQ(m.message.name(), "SecurityModeCommand");
}

TEST(NasEnvelope, CipheredPayloadStaysOpaqueUnlessNullDeciphered) {
  // 5greplay_oai_registration.pcap frame 130: Registration Accept, header type 2 under 5G-EA0.
  const byte_buffer pdu = hex(
      "7e02810b6714017e0042010177000bf202f8598000410000000854070002f85900a000151208de00007b000000"
      "00080100000c00000000210201005e01be");
  const nas_message opaque = must_decode(pdu);
  EXPECT_EQ(opaque.security_header, security_header_type::integrity_protected_ciphered);
  EXPECT_FALSE(opaque.has_message);
  EXPECT_EQ(opaque.sqn, 1);
  byte_buffer out;
  encode(opaque, out);
  EXPECT_EQ(to_hex(out), to_hex(pdu));

  const nas_message plain = must_decode(pdu, true);
  ASSERT_TRUE(plain.has_message);
  EXPECT_TRUE(plain.null_deciphered);
  EXPECT_STREQ(plain.message.name(), "RegistrationAccept");
}

TEST(NasEnvelope, NullDecipherFailureIsAnAnomalyNotAnError) {
  // oai_ueransim_registration.pcap frame 50: really ciphered with 128-5G-EA1.
  const byte_buffer pdu = hex(
      "7e0216ed4d61014dade224af5f54325fb8c1e9a22021f76527149cfa39f5278558a119a345fdb361cb62990da4"
      "66c8d895a42d90a0073c9dccb93e53802c");
  const nas_message m = must_decode(pdu, true);
  EXPECT_FALSE(m.has_message);
  ASSERT_EQ(m.message.anomalies.count, 1);
  EXPECT_EQ(m.message.anomalies.items[0].kind, anomaly::null_decipher_failed);
  EXPECT_STREQ(to_string(anomaly::null_decipher_failed), "nas.null_decipher_failed");
}

TEST(NasEnvelope, ReservedSecurityHeaderTypesAreErrors) {
  // tuc_fuzz_open5gs captures: security header type 15.
  for (std::uint8_t t = 5; t < 16; ++t) {
    byte_buffer pdu = hex("7e0f4119000d0100f1100000000000000000102e088020000000000000");
    pdu[1] = t;
    auto m = decode(pdu);
    ASSERT_FALSE(m.has_value());
    EXPECT_EQ(m.error().code, decode_errc::bad_value);
    EXPECT_STREQ(m.error().field, "nas.security_header_type");
    EXPECT_EQ(m.error().offset, 1u);
  }
}

TEST(NasEnvelope, UnknownEpdAndTruncatedHeadersAreErrors) {
  EXPECT_EQ(decode(hex("")).error().code, decode_errc::truncated);
  EXPECT_EQ(decode(hex("7f0041")).error().code, decode_errc::bad_value);
  EXPECT_STREQ(decode(hex("7f0041")).error().field, "nas.epd");
  EXPECT_EQ(decode(hex("7e")).error().code, decode_errc::truncated);
  EXPECT_EQ(decode(hex("7e00")).error().code, decode_errc::truncated);
  EXPECT_STREQ(decode(hex("7e01aabbcc")).error().field, "nas.mac");
  EXPECT_STREQ(decode(hex("7e01aabbccdd")).error().field, "nas.sqn");
  // Protected, but nothing inside: the inner message is truncated.
  EXPECT_EQ(decode(hex("7e01aabbccdd00")).error().code, decode_errc::truncated);
  EXPECT_EQ(decode(hex("2e0101")).error().code, decode_errc::truncated);
}

TEST(NasEnvelope, EncodeProtectedBuildsTheEnvelopeAroundTheInnerMessage) {
  const byte_buffer inner = hex("7e005d02020480200000e1360102");
  const byte_array<4> mac{0x78, 0x1c, 0x44, 0x1a};
  byte_buffer out;
  encode_protected(security_header_type::integrity_protected_new_context, mac, 0, inner, out);
  EXPECT_EQ(to_hex(out), "7e03781c441a007e005d02020480200000e1360102");
}

TEST(NasEnvelope, InnerMessageWithNonZeroHeaderNibbleDecodesWithAnomaly) {
  // telekom_free5gc_registration.pcap frame 171: free5GC sets header type 2 in the inner
  // Registration Accept; Wireshark decodes it as plain, so do we (with an anomaly).
  const byte_buffer pdu = hex(
      "7e02d073aba4017e0242010177000b0202f839cafe000000000154070002f839000001150a04010102030401"
      "1122335e010616012c");
  const nas_message m = must_decode(pdu, true);
  ASSERT_TRUE(m.has_message);
  EXPECT_STREQ(m.message.name(), "RegistrationAccept");
  EXPECT_EQ(m.message.header_nibble, 2);
  ASSERT_EQ(m.message.anomalies.count, 2);
  EXPECT_EQ(m.message.anomalies.items[0].kind, anomaly::inner_security_header);
  // Its 5G-GUTI starts 0x02 instead of 0xf2: read, and noted at the IE's offset.
  EXPECT_EQ(m.message.anomalies.items[1].kind, anomaly::identity_filler);
  EXPECT_EQ(m.message.anomalies.items[1].iei, 0x77);
  EXPECT_EQ(m.message.anomalies.items[1].offset, 12u);
  byte_buffer out;
  encode(m, out);
  EXPECT_EQ(to_hex(out), to_hex(pdu));
}

// --- 5GMM messages -----------------------------------------------------------------------

TEST(Nas5gmm, RegistrationRequestWithNullSchemeSuci) {
  // 5greplay_oai_registration.pcap frame 101.
  const auto m = round_trip("7e004119000d0102f8590000000000000000131001072e088020000000000000");
  const plain_message& r = m.message;
  EXPECT_STREQ(r.name(), "RegistrationRequest");
  const ie* type = r.find(ie_kind::registration_type);
  ASSERT_NE(type, nullptr);
  EXPECT_TRUE(registration_type::from_half(type->half).follow_on_request);
  EXPECT_EQ(registration_type::from_half(type->half).value, 1);
  const ie* ksi = r.find(ie_kind::ngksi);
  ASSERT_NE(ksi, nullptr);
  EXPECT_EQ(ngksi::from_half(ksi->half).ksi, 1);
  const ie* id = r.find(ie_kind::mobile_identity);
  ASSERT_NE(id, nullptr);
  auto mi = identity::decode_mobile_identity(id->value);
  ASSERT_TRUE(mi.has_value());
  const auto* suci = std::get_if<identity::suci_value>(&*mi);
  ASSERT_NE(suci, nullptr);
  EXPECT_EQ(suci->protection_scheme_id, 0);
  EXPECT_EQ(hex_of(r.find_iei(0x10)), "07");
  auto caps = decode_ue_security_capability(r.find(ie_kind::ue_security_capability)->value);
  ASSERT_TRUE(caps.has_value());
  EXPECT_EQ(caps->ea, 0x80);
  EXPECT_EQ(caps->ia, 0x20);
  EXPECT_TRUE(caps->supports_ea(0));
  EXPECT_TRUE(caps->supports_ia(2));
  EXPECT_FALSE(caps->supports_ia(1));
  EXPECT_EQ(caps->eea, 0);
  EXPECT_EQ(caps->eia, 0);
}

TEST(Nas5gmm, RegistrationRequestInIntegrityProtectedEnvelopeWithNestedContainer) {
  // open5gs_testregistration.pcapng frame 141: header type 1, Registration Request with a
  // NAS message container that holds the full Registration Request.
  const auto m = round_trip(
      "7e01f8d9d52f037e00410a000bf209f107020040c7004bb31001032e02f0f02f0201015209f1070000011707"
      "f0f0c0400180301801017100337e00410a000bf209f107020040c7004bb31001032e02f0f02f020101520"
      "9f1070000011707f0f0c04001803040022000180101");
  EXPECT_EQ(m.security_header, security_header_type::integrity_protected);
  const ie* c = m.message.find(ie_kind::nas_message_container);
  ASSERT_NE(c, nullptr);
  auto inner = decode_plain(c->value);
  ASSERT_TRUE(inner.has_value());
  EXPECT_STREQ(inner->name(), "RegistrationRequest");
  EXPECT_EQ(hex_of(m.message.find_iei(0x52)), "09f107000001");  // TV 7, no length octet
  const ie* nssai_ie = m.message.find(ie_kind::nssai, "requested_nssai");
  ASSERT_NE(nssai_ie, nullptr);
  auto list = decode_nssai(nssai_ie->value);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->count, 1);
  EXPECT_EQ(list->items[0].sst, 1);
}

TEST(Nas5gmm, RegistrationAcceptCompleteAndReject) {
  const auto acc = round_trip(
      "7e0042010177000bf202f8598000410000000854070002f85900a000151208de00007b00000000080100000c"
      "00000000210201005e01be");
  auto res = decode_registration_result(acc.message.find(ie_kind::registration_result)->value);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->value, 1);
  const ie* guti = acc.message.find(ie_kind::mobile_identity, "guti");
  ASSERT_NE(guti, nullptr);
  auto g = identity::decode_mobile_identity(guti->value);
  ASSERT_TRUE(g.has_value());
  EXPECT_TRUE(std::holds_alternative<identity::guti_5g>(*g));
  EXPECT_NE(acc.message.find(ie_kind::nssai, "allowed_nssai"), nullptr);
  EXPECT_EQ(hex_of(acc.message.find_iei(0x5e)), "be");

  const auto done = round_trip("7e0043");
  EXPECT_STREQ(done.message.name(), "RegistrationComplete");
  EXPECT_EQ(done.message.ie_count, 0);

  const auto rej = round_trip("7e004417");  // authanomalies_bidding_down.pcap frame 6
  EXPECT_STREQ(rej.message.name(), "RegistrationReject");
  EXPECT_EQ(hex_of(rej.message.find(ie_kind::cause_5gmm)), "17");
}

TEST(Nas5gmm, AuthenticationRequestResponseFailureReject) {
  // 5greplay_oai_registration.pcap frames 125, 127.
  const auto req = round_trip(
      "7e005602020000212ca7767ffcc09c46bc0ace6c8f91325e2010a8cc888e43508000ba8de722e0b4606d");
  const plain_message& r = req.message;
  EXPECT_EQ(ngksi::from_half(r.find(ie_kind::ngksi)->half).ksi, 2);
  EXPECT_EQ(hex_of(r.find(ie_kind::abba)), "0000");
  auto rand = decode_rand(r.find(ie_kind::rand)->value);
  ASSERT_TRUE(rand.has_value());
  EXPECT_EQ(to_hex(*rand), "2ca7767ffcc09c46bc0ace6c8f91325e");
  auto autn = decode_autn(r.find(ie_kind::autn)->value);
  ASSERT_TRUE(autn.has_value());
  EXPECT_EQ(to_hex(*autn), "a8cc888e43508000ba8de722e0b4606d");

  const auto resp = round_trip("7e00572d106a1a332a8b0910494a4ba710ab7f45d4");
  auto res = decode_res_star(resp.message.find(ie_kind::res_star)->value);
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(to_hex(*res), "6a1a332a8b0910494a4ba710ab7f45d4");

  // montimage_attack_ngap.pcap frame 116 (inner): synch failure with AUTS.
  const auto fail = round_trip("7e005915300eca20d87fc7fa84f7eb99b7a4b2fc");
  EXPECT_EQ(hex_of(fail.message.find(ie_kind::cause_5gmm)), "15");
  auto auts = decode_auts(fail.message.find(ie_kind::auts)->value);
  ASSERT_TRUE(auts.has_value());
  EXPECT_EQ(to_hex(*auts), "ca20d87fc7fa84f7eb99b7a4b2fc");

  EXPECT_STREQ(round_trip("7e0058").message.name(), "AuthenticationReject");
  EXPECT_EQ(hex_of(round_trip("7e005914").message.find(ie_kind::cause_5gmm)), "14");
}

TEST(Nas5gmm, SecurityModeCommandCompleteReject) {
  const auto smc = round_trip("7e03781c441a007e005d02020480200000e1360102");
  const plain_message& c = smc.message;
  auto algs = decode_nas_security_algorithms(c.find(ie_kind::nas_security_algorithms)->value);
  ASSERT_TRUE(algs.has_value());
  EXPECT_EQ(algs->ciphering, 0);
  EXPECT_EQ(algs->integrity, 2);
  EXPECT_EQ(ngksi::from_half(c.find(ie_kind::ngksi)->half).ksi, 2);
  auto caps = decode_ue_security_capability(c.find(ie_kind::ue_security_capability)->value);
  ASSERT_TRUE(caps.has_value());
  EXPECT_EQ(caps->ea, 0x80);
  EXPECT_EQ(caps->ia, 0x20);
  EXPECT_EQ(c.find(ie_kind::imeisv_request)->half, 1);
  EXPECT_EQ(hex_of(c.find_iei(0x36)), "02");

  // telekom_free5gc_registration.pcap frame 76: SMC complete with IMEISV and container.
  const auto done = round_trip(
      "7e022e599d08007e005e77000915110000000000000071001f7e004119000c0102f839f0ff000000004778100"
      "1072e08ffffffff00000000",
      true);
  const ie* imeisv = done.message.find(ie_kind::mobile_identity, "imeisv");
  ASSERT_NE(imeisv, nullptr);
  // Type of identity 5 (IMEISV). free5GC fills the last octet with 0 instead of the F filler,
  // which sec5g::identity rejects as bad_value.
  ASSERT_FALSE(imeisv->value.empty());
  EXPECT_EQ(imeisv->value[0] & 0x07, 5);
  EXPECT_FALSE(identity::decode_mobile_identity(imeisv->value).has_value());
  EXPECT_NE(done.message.find(ie_kind::nas_message_container), nullptr);

  const auto rej = round_trip("7e005f17");  // rub_hold_ue_30min_quectel.pcapng frame 142
  EXPECT_STREQ(rej.message.name(), "SecurityModeReject");
  EXPECT_EQ(hex_of(rej.message.find(ie_kind::cause_5gmm)), "17");
}

TEST(Nas5gmm, IdentityRequestAndResponse) {
  const auto req = round_trip("7e005b01");  // open5gs_5g_roaming_hr.pcapng frame 1345
  EXPECT_EQ(req.message.find(ie_kind::identity_type)->half, 1);
  const auto resp = round_trip("7e005c000d0199f907f0ff00000000203190");
  const ie* id = resp.message.find(ie_kind::mobile_identity);
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->value.size(), 13u);
}

TEST(Nas5gmm, DeregistrationUeOriginatingRequestAndAccept) {
  // oai_dstest_basic_fqdn.pcap frames 707, 708.
  const auto req = round_trip("7e0133bf5f2c057e004521000bf202f85980004100000001");
  const auto d = deregistration_type::from_half(req.message.find(ie_kind::deregistration_type)->half);
  EXPECT_FALSE(d.switch_off);
  EXPECT_EQ(d.access_type, 1);
  EXPECT_EQ(ngksi::from_half(req.message.find(ie_kind::ngksi)->half).ksi, 2);
  EXPECT_EQ(req.message.find(ie_kind::mobile_identity)->value.size(), 11u);
  EXPECT_STREQ(round_trip("7e0046").message.name(), "DeregistrationAcceptUEOriginating");
}

TEST(Nas5gmm, ServiceRequestAndAccept) {
  // open5gs_testregistration.pcapng frames 2801 (ngKSI 1 in bits 1-4, service type 0 in 5-8)
  // and 331.
  const auto sr = round_trip("7e004c010007f40040e100553b");
  EXPECT_EQ(ngksi::from_half(sr.message.find(ie_kind::ngksi)->half).ksi, 1);
  EXPECT_EQ(sr.message.find(ie_kind::service_type)->half, 0);
  const ie* tmsi = sr.message.find(ie_kind::mobile_identity, "s_tmsi");
  ASSERT_NE(tmsi, nullptr);
  auto id = identity::decode_mobile_identity(tmsi->value);
  ASSERT_TRUE(id.has_value());
  EXPECT_TRUE(std::holds_alternative<identity::s_tmsi_5g>(*id));
  const auto acc = round_trip("7e02c0db0820047e004e50022000", true);
  EXPECT_EQ(hex_of(acc.message.find_iei(0x50)), "2000");
}

TEST(Nas5gmm, ConfigurationUpdateCommandWithNetworkNamesAndTimeZones) {
  // authanomalies_bidding_down.pcap frame 80 (inner).
  const auto m = round_trip(
      "7e0054430f90004f00700065006e00350047005346004762408022255000490100");
  EXPECT_NE(m.message.find_iei(0x43), nullptr);
  EXPECT_EQ(hex_of(m.message.find_iei(0x46)), "00");            // TV 2
  EXPECT_EQ(hex_of(m.message.find_iei(0x47)), "62408022255000");  // TV 8
  EXPECT_EQ(hex_of(m.message.find_iei(0x49)), "00");
}

TEST(Nas5gmm, StatusMessage) {
  const auto m = round_trip("7e006465");  // open5gs_testregistration.pcapng frame 4053
  EXPECT_STREQ(m.message.name(), "5GMMStatus");
  EXPECT_EQ(hex_of(m.message.find(ie_kind::cause_5gmm)), "65");
}

TEST(Nas5gmm, UlNasTransportCarriesPduSessionEstablishmentRequest) {
  // 5greplay_oai_registration.pcap frame 149 (inner).
  const auto m = round_trip(
      "7e00670100072e0a01c1ffff91120a812204010000012504046f6169");
  const plain_message& t = m.message;
  EXPECT_EQ(t.find(ie_kind::payload_container_type)->half, 1);
  EXPECT_EQ(hex_of(t.find(ie_kind::pdu_session_id, "pdu_session_id")), "0a");
  EXPECT_EQ(t.find_iei(0x80)->half, 1);  // request type: initial request
  auto s = decode_s_nssai(t.find(ie_kind::s_nssai)->value);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->sst, 1);
  EXPECT_EQ(s->sd, 1u);
  // OAI's gNBsim writes the DNN "oai" with a label length of 4 for 3 octets: the IE decodes
  // (its length is right), its value does not.
  std::array<char, 128> dnn{};
  EXPECT_EQ(to_hex(t.find(ie_kind::dnn)->value), "046f6169");
  EXPECT_FALSE(decode_dnn(t.find(ie_kind::dnn)->value, dnn).has_value());
  auto sm = decode_plain(t.find(ie_kind::payload_container)->value);
  ASSERT_TRUE(sm.has_value());
  EXPECT_EQ(sm->epd, epd::session_management);
  EXPECT_EQ(sm->pdu_session_id, 10);
  EXPECT_EQ(sm->pti, 1);
  EXPECT_STREQ(sm->name(), "PDUSessionEstablishmentRequest");
  EXPECT_EQ(hex_of(sm->find(ie_kind::octets, "integrity_protection_maximum_data_rate")), "ffff");
  EXPECT_EQ(sm->find(ie_kind::pdu_session_type)->half, 1);
}

TEST(Nas5gmm, DlNasTransportCarriesPduSessionReleaseCommand) {
  // oai_dstest_basic_fqdn.pcap frame 674 (inner).
  const auto m = round_trip("7e00680100052e0102d31a1201");
  auto sm = decode_plain(m.message.find(ie_kind::payload_container)->value);
  ASSERT_TRUE(sm.has_value());
  EXPECT_STREQ(sm->name(), "PDUSessionReleaseCommand");
  EXPECT_EQ(hex_of(sm->find(ie_kind::cause_5gsm)), "1a");
}

// --- 5GSM --------------------------------------------------------------------------------

TEST(Nas5gsm, PduSessionEstablishmentAcceptFromUlDlTransport) {
  // Built with the encoder (no accept is readable in clear in the captures' NGAP NAS-PDUs
  // apart from inside DL NAS transports) and decoded back.
  const byte_buffer qos = hex("0100063101010203");
  const byte_buffer ambr = hex("060001060001");
  const byte_buffer addr = hex("010a2d0002");
  const ie_value ies[] = {
      {"selected_pdu_session_type", {}, 1},
      {"selected_ssc_mode", {}, 1},
      {"authorized_qos_rules", qos},
      {"session_ambr", ambr},
      {"pdu_address", addr},
  };
  byte_buffer out;
  ASSERT_TRUE(encode_message({epd::session_management,
                              static_cast<std::uint8_t>(message_type::pdu_session_establishment_accept),
                              5, 1},
                             ies, out));
  EXPECT_EQ(to_hex(out), "2e0501c211000801000631010102030606000106000129" "05010a2d0002");
  const auto m = round_trip(to_hex(out));
  EXPECT_EQ(m.message.pdu_session_id, 5);
  EXPECT_EQ(m.message.pti, 1);
  EXPECT_EQ(hex_of(m.message.find_iei(0x29)), "010a2d0002");
}

// --- anomalies and robustness --------------------------------------------------------------

TEST(NasAnomalies, UnknownIesAreSkippedByTheirFormatAndReported) {
  // Registration Complete + unknown TLV (0x3f), unknown type 1 (0x9- is not in its table) and
  // unknown TLV-E (0x7f).
  const byte_buffer pdu = hex("7e00433f02aabb957f0001cc");
  const nas_message m = must_decode(pdu);
  ASSERT_EQ(m.message.ie_count, 3);
  EXPECT_EQ(m.message.ies()[0].format, ie_format::tlv);
  EXPECT_EQ(to_hex(m.message.ies()[0].value), "aabb");
  EXPECT_EQ(m.message.ies()[1].format, ie_format::tv_half);
  EXPECT_EQ(m.message.ies()[1].half, 5);
  EXPECT_EQ(m.message.ies()[2].format, ie_format::tlv_e);
  EXPECT_EQ(to_hex(m.message.ies()[2].value), "cc");
  ASSERT_EQ(m.message.anomalies.count, 3);
  for (const auto& a : m.message.anomalies.view()) EXPECT_EQ(a.kind, anomaly::unknown_ie);
  EXPECT_EQ(m.message.anomalies.items[0].offset, 3u);
  EXPECT_EQ(m.message.anomalies.items[0].iei, 0x3f);
  EXPECT_STREQ(to_string(anomaly::unknown_ie), "nas.unknown_ie");
  byte_buffer out;
  encode(m, out);
  EXPECT_EQ(to_hex(out), to_hex(pdu));
}

TEST(NasAnomalies, DuplicateOutOfOrderAndBadLengthIesAreReported) {
  // Authentication Response with RES* of 3 octets, then an EAP message, then RES* again.
  const nas_message m = must_decode(hex("7e00572d03010203780001aa2d03010203"));
  std::set<anomaly> kinds;
  for (const auto& a : m.message.anomalies.view()) kinds.insert(a.kind);
  EXPECT_TRUE(kinds.count(anomaly::ie_length_out_of_range));
  EXPECT_TRUE(kinds.count(anomaly::duplicate_ie));
  EXPECT_TRUE(kinds.count(anomaly::ie_out_of_order));
  EXPECT_FALSE(decode_res_star(m.message.find(ie_kind::res_star)->value).has_value());
}

TEST(NasAnomalies, UnknownMessageTypeKeepsTheBodyRaw) {
  const byte_buffer pdu = hex("7e0073aabbcc");
  const nas_message m = must_decode(pdu);
  ASSERT_TRUE(m.has_message);
  EXPECT_EQ(m.message.spec, nullptr);
  EXPECT_EQ(m.message.message_type, 0x73);
  EXPECT_EQ(to_hex(m.message.body), "aabbcc");
  EXPECT_EQ(m.message.anomalies.items[0].kind, anomaly::unknown_message_type);
  byte_buffer out;
  encode(m, out);
  EXPECT_EQ(to_hex(out), to_hex(pdu));
}

TEST(NasErrors, LengthsPastTheEndAreTruncationErrors) {
  auto m = decode(hex("7e004119000d01"));  // mobile identity LV-E claims 13 octets
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code, decode_errc::truncated);
  auto t = decode(hex("7e0043780005aa"));  // TLV-E running past the end
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, decode_errc::truncated);
  auto tv = decode(hex("7e0067010001aa1201"));  // TV 2 with the value missing... present
  EXPECT_TRUE(tv.has_value());
  auto tv2 = decode(hex("7e0067010001aa12"));  // TV 2 with the value missing
  ASSERT_FALSE(tv2.has_value());
  EXPECT_EQ(tv2.error().code, decode_errc::truncated);
}

TEST(NasErrors, MoreIesThanTheCapacityIsAnError) {
  byte_buffer pdu = hex("7e0043");
  for (std::size_t i = 0; i <= plain_message::max_ies; ++i) pdu.push_back(0x95);
  auto m = decode(pdu);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code, decode_errc::length_too_large);
  EXPECT_STREQ(m.error().field, "nas.ies");
}

// --- encoder -------------------------------------------------------------------------------

TEST(NasEncoder, BuildsSecurityModeCommandFromDomainValuesInTableOrder) {
  byte_buffer caps;
  encode_ue_security_capability({.ea = 0x80, .ia = 0x20, .eea = 0x00, .eia = 0x00}, caps);
  const std::uint8_t algs[] = {nas_security_algorithms{0, 2}.to_octet()};
  const std::uint8_t info[] = {0x02};
  const ie_value ies[] = {
      // Deliberately out of table order.
      {"additional_security_information", info},
      {"imeisv_request", {}, 1},
      {"replayed_ue_security_capabilities", caps},
      {"ngksi", {}, ngksi{false, 2}.to_half()},
      {"selected_nas_security_algorithms", algs},
  };
  byte_buffer out;
  ASSERT_TRUE(encode_message({epd::mobility_management,
                              static_cast<std::uint8_t>(message_type::security_mode_command)},
                             ies, out));
  EXPECT_EQ(to_hex(out), "7e005d02020480200000e1360102");
}

TEST(NasEncoder, BuildsRegistrationRequestAndAuthenticationMessages) {
  const byte_buffer suci = hex("0102f8590000000000000000" "13");
  byte_buffer caps;
  encode_ue_security_capability({.ea = 0x80, .ia = 0x20, .eea = 0, .eia = 0,
                                 .extra = hex("00000000")}, caps);
  const std::uint8_t cap5gmm[] = {0x07};
  const ie_value reg[] = {
      {"registration_type", {}, registration_type{true, 1}.to_half()},
      {"ngksi", {}, ngksi{false, 1}.to_half()},
      {"mobile_identity", suci},
      {"gmm_capability", cap5gmm},
      {"ue_security_capability", caps},
  };
  byte_buffer out;
  ASSERT_TRUE(encode_message({epd::mobility_management, 0x41}, reg, out));
  EXPECT_EQ(to_hex(out), "7e004119000d0102f8590000000000000000131001072e088020000000000000");

  const byte_buffer abba = hex("0000");
  const byte_buffer rand = hex("2ca7767ffcc09c46bc0ace6c8f91325e");
  const byte_buffer autn = hex("a8cc888e43508000ba8de722e0b4606d");
  const ie_value auth[] = {{"ngksi", {}, 2}, {"abba", abba}, {"rand", rand}, {"autn", autn}};
  out.clear();
  ASSERT_TRUE(encode_message({epd::mobility_management, 0x56}, auth, out));
  EXPECT_EQ(to_hex(out),
            "7e005602020000212ca7767ffcc09c46bc0ace6c8f91325e2010a8cc888e43508000ba8de722e0b4606d");
}

TEST(NasEncoder, BuildsEveryRemainingMessageAndDecodesItBack) {
  const std::uint8_t cause[] = {0x0b};
  const byte_buffer eap = hex("0301000406");
  const byte_buffer abba = hex("0000");
  const byte_buffer tmsi = hex("f40040e100553b");
  struct build {
    std::uint8_t type;
    std::vector<ie_value> ies;
    const char* expect_hex;
  };
  const std::vector<build> cases = {
      {0x47, {{"deregistration_type", {}, 0x9}, {"gmm_cause", cause}}, "7e004709580b"},
      {0x48, {}, "7e0048"},
      {0x4d, {{"gmm_cause", cause}}, "7e004d0b"},
      {0x4c, {{"ngksi", {}, 1}, {"service_type", {}, 2}, {"s_tmsi", tmsi}},
       "7e004c210007f40040e100553b"},
      {0x55, {}, "7e0055"},
      {0x5a, {{"ngksi", {}, 1}, {"eap_message", eap}, {"abba", abba}},
       "7e005a0100050301000406380200" "00"},
      {0x58, {{"eap_message", eap}}, "7e0058780005" "0301000406"},
      {0x64, {{"gmm_cause", cause}}, "7e00640b"},
  };
  for (const auto& c : cases) {
    byte_buffer out;
    auto r = encode_message({epd::mobility_management, c.type}, c.ies, out);
    ASSERT_TRUE(r.has_value()) << std::hex << int{c.type} << " " << to_string(r.error().code)
                               << " " << r.error().ie;
    EXPECT_EQ(to_hex(out), c.expect_hex);
    round_trip(to_hex(out));
  }
}

TEST(NasEncoder, RefusesInvalidInput) {
  byte_buffer out = hex("aa");
  const std::uint8_t cause[] = {0x0b};
  const std::uint8_t two[] = {1, 2};
  EXPECT_EQ(encode_message({epd::mobility_management, 0x73}, {}, out).error().code,
            encode_errc::unknown_message);
  EXPECT_EQ(encode_message({epd::mobility_management, 0x44}, {}, out).error().code,
            encode_errc::missing_mandatory_ie);
  const ie_value wrong[] = {{"gmm_cause", cause}, {"rand", cause}};
  const auto e = encode_message({epd::mobility_management, 0x44}, wrong, out);
  EXPECT_EQ(e.error().code, encode_errc::not_in_message);
  EXPECT_STREQ(e.error().ie, "rand");
  const ie_value long_cause[] = {{"gmm_cause", two}};
  EXPECT_EQ(encode_message({epd::mobility_management, 0x44}, long_cause, out).error().code,
            encode_errc::length_out_of_range);
  const ie_value big_half[] = {{"identity_type", {}, 16}};
  EXPECT_EQ(encode_message({epd::mobility_management, 0x5b}, big_half, out).error().code,
            encode_errc::value_out_of_range);
  EXPECT_EQ(to_hex(out), "aa");  // nothing appended on failure
  EXPECT_STREQ(to_string(encode_errc::missing_mandatory_ie), "missing_mandatory_ie");
}

// --- IE codecs -----------------------------------------------------------------------------

TEST(NasIes, UeSecurityCapabilityLengthsAndEncoding) {
  EXPECT_FALSE(decode_ue_security_capability(hex("80")).has_value());
  EXPECT_FALSE(decode_ue_security_capability(hex("808080808080808080")).has_value());
  auto two = decode_ue_security_capability(hex("f070"));
  ASSERT_TRUE(two.has_value());
  EXPECT_FALSE(two->eea.has_value());
  EXPECT_TRUE(two->supports_ia(3));
  EXPECT_FALSE(two->supports_ia(0));
  byte_buffer out;
  encode_ue_security_capability(*two, out);
  EXPECT_EQ(to_hex(out), "f070");
  auto four = decode_ue_security_capability(hex("f0f0f0f0"));
  ASSERT_TRUE(four.has_value());
  EXPECT_EQ(four->eia, 0xf0);
}

TEST(NasIes, NssaiAndSnssaiForms) {
  auto l = decode_nssai(hex("0101" "0401000001" "020203" "050100000209" "080100000102000003"));
  ASSERT_TRUE(l.has_value());
  ASSERT_EQ(l->count, 5);
  EXPECT_FALSE(l->items[0].sd.has_value());
  EXPECT_EQ(l->items[1].sd, 1u);
  EXPECT_EQ(l->items[2].mapped_sst, 3);
  EXPECT_EQ(l->items[3].mapped_sst, 9);
  EXPECT_EQ(l->items[4].mapped_sd, 3u);
  byte_buffer out;
  encode_nssai(l->view(), out);
  EXPECT_EQ(to_hex(out), "0101" "0401000001" "020203" "050100000209" "080100000102000003");
  EXPECT_FALSE(decode_nssai(hex("0301")).has_value());
  EXPECT_FALSE(decode_nssai(hex("03010203")).has_value());  // length 3 is not an S-NSSAI form
  byte_buffer many;
  for (int i = 0; i < 17; ++i) {
    many.push_back(1);
    many.push_back(1);
  }
  EXPECT_EQ(decode_nssai(many).error().code, decode_errc::length_too_large);
}

TEST(NasIes, HalfOctetAndOneOctetCodecs) {
  EXPECT_EQ(ngksi::from_half(0xf).ksi, 7);
  EXPECT_TRUE(ngksi::from_half(0xf).tsc);
  EXPECT_EQ((ngksi{true, 3}.to_half()), 0xb);
  EXPECT_EQ((nas_security_algorithms{2, 1}.to_octet()), 0x21);
  EXPECT_EQ(nas_security_algorithms::from_octet(0x21).ciphering, 2);
  EXPECT_EQ((deregistration_type{true, false, 3}.to_half()), 0xb);
  auto rr = decode_registration_result(hex("09"));
  ASSERT_TRUE(rr.has_value());
  EXPECT_TRUE(rr->sms_allowed);
  byte_buffer out;
  encode_registration_result(*rr, out);
  EXPECT_EQ(to_hex(out), "09");
  EXPECT_EQ(decode_rand(hex("00")).error().code, decode_errc::truncated);
  EXPECT_EQ(decode_auts(hex("000000000000000000000000000000")).error().code,
            decode_errc::trailing_bytes);
  std::array<char, 128> buf{};
  EXPECT_FALSE(decode_dnn(hex("0561"), buf).has_value());
  auto n = decode_dnn(hex("08696e7465726e6574036e6574"), buf);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(std::string(buf.data(), *n), "internet.net");
}

// --- tables --------------------------------------------------------------------------------

TEST(NasTables, EveryTableIsWellFormed) {
  std::size_t messages = 0;
  for (const message_spec& m : all_message_specs()) {
    ++messages;
    EXPECT_EQ(find_message_spec(m.epd, m.type), &m);
    EXPECT_STREQ(message_name(m.epd, m.type), m.name);
    std::set<std::string> names;
    std::set<std::uint8_t> ieis;
    bool optional_seen = false;
    std::size_t halves = 0;
    for (const ie_spec& s : m.ies) {
      EXPECT_TRUE(names.insert(s.name).second || s.kind == ie_kind::spare_half)
          << m.name << " repeats " << s.name;
      if (s.presence == presence::mandatory) {
        EXPECT_FALSE(optional_seen) << m.name << ": mandatory " << s.name << " after optional";
        EXPECT_EQ(s.iei, 0) << m.name << " " << s.name;
        halves += s.format == ie_format::v_half ? 1 : 0;
      } else {
        optional_seen = true;
        EXPECT_TRUE(ieis.insert(s.iei).second) << m.name << " repeats IEI " << int{s.iei};
        // Type 1 IEIs have bit 8 set and their value in bits 1-4; the rest do not.
        EXPECT_EQ((s.iei & 0x80) != 0, s.format == ie_format::tv_half) << m.name << " " << s.name;
        if (s.format == ie_format::tv_half) {
          EXPECT_EQ(s.iei & 0x0f, 0);
        }
        // Type 6 (TLV-E) IEIs are 0x7X in 5GS, which is how unknown IEs are skipped.
        EXPECT_EQ((s.iei & 0xf0) == 0x70, s.format == ie_format::tlv_e) << m.name << " " << s.name;
      }
      EXPECT_LE(s.min_len, s.max_len) << m.name << " " << s.name;
    }
    EXPECT_EQ(halves % 2, 0u) << m.name << ": half-octet IEs come in pairs";
  }
  EXPECT_EQ(messages, 44u);
  EXPECT_STREQ(message_name(epd::mobility_management, 0x4f), "ControlPlaneServiceRequest");
  EXPECT_EQ(message_name(epd::mobility_management, 0x73), nullptr);
  EXPECT_EQ(message_name(epd::session_management, 0x41), nullptr);
  EXPECT_EQ(find_message_spec(epd::session_management, 0x41), nullptr);
}

}  // namespace
}  // namespace sec5g::nas
