// Domain-struct encoders (messages.hpp): each rebuilds a real PDU of the captures byte for byte,
// or (for messages absent from the captures) decodes back to the values given.

#include <gtest/gtest.h>

#include <deque>

#include "sec5g/core/hex.hpp"
#include "sec5g/nas/messages.hpp"

namespace sec5g::nas::msg {
namespace {

const byte_buffer& bytes(std::string_view h) {
  static std::deque<byte_buffer> store;
  store.push_back(*from_hex(h));
  return store.back();
}

identity::mobile_identity id_of(std::string_view h) {
  auto id = identity::decode_mobile_identity(bytes(h));
  EXPECT_TRUE(id.has_value()) << h;
  return id ? *id : identity::mobile_identity{};
}

template <class M>
std::string enc(const M& m) {
  byte_buffer out;
  auto r = encode(m, out);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ie);
  return to_hex(out);
}

TEST(NasMessages, SecurityModeCommandRebuildsTheCapturedPdu) {
  security_mode_command m;
  m.selected = {0, 2};
  m.ksi = {false, 2};
  m.replayed = {.ea = 0x80, .ia = 0x20, .eea = 0x00, .eia = 0x00};
  m.imeisv_request = true;
  m.additional_security_information = 0x02;
  EXPECT_EQ(enc(m), "7e005d02020480200000e1360102");
}

TEST(NasMessages, RegistrationRequestRebuildsTheCapturedPdu) {
  registration_request m;
  m.type = {true, 1};
  m.ksi = {false, 1};
  m.mobile_identity = id_of("0102f8590000000000000000" "13");
  m.gmm_capability = bytes("07");
  m.ue_security_capability = ue_security_capability{
      .ea = 0x80, .ia = 0x20, .eea = 0, .eia = 0, .extra = bytes("00000000")};
  EXPECT_EQ(enc(m), "7e004119000d0102f8590000000000000000131001072e088020000000000000");
}

TEST(NasMessages, AuthenticationMessagesRebuildTheCapturedPdus) {
  authentication_request req;
  req.ksi = {false, 2};
  req.abba = bytes("0000");
  req.rand.emplace();
  req.autn.emplace();
  from_hex_into("2ca7767ffcc09c46bc0ace6c8f91325e", *req.rand);
  from_hex_into("a8cc888e43508000ba8de722e0b4606d", *req.autn);
  EXPECT_EQ(enc(req),
            "7e005602020000212ca7767ffcc09c46bc0ace6c8f91325e2010a8cc888e43508000ba8de722e0b4606d");
  authentication_response resp;
  resp.res_star.emplace();
  from_hex_into("6a1a332a8b0910494a4ba710ab7f45d4", *resp.res_star);
  EXPECT_EQ(enc(resp), "7e00572d106a1a332a8b0910494a4ba710ab7f45d4");
  authentication_failure fail;
  fail.gmm_cause = 21;
  fail.auts.emplace();
  from_hex_into("ca20d87fc7fa84f7eb99b7a4b2fc", *fail.auts);
  EXPECT_EQ(enc(fail), "7e005915300eca20d87fc7fa84f7eb99b7a4b2fc");
  EXPECT_EQ(enc(authentication_reject{}), "7e0058");
  authentication_result res;
  res.ksi = {false, 1};
  res.eap_message = bytes("0301000406");
  res.abba = bytes("0000");
  EXPECT_EQ(enc(res), "7e005a01000503010004063802" "0000");
}

TEST(NasMessages, CauseOnlyAndEmptyMessages) {
  byte_buffer out;
  ASSERT_TRUE(encode(message_type::registration_reject, cause_only{23}, out));
  ASSERT_TRUE(encode(message_type::security_mode_reject, cause_only{23}, out));
  ASSERT_TRUE(encode(message_type::status_5gmm, cause_only{101}, out));
  ASSERT_TRUE(encode_empty(message_type::registration_complete, out));
  ASSERT_TRUE(encode_empty(message_type::deregistration_accept_ue_originating, out));
  EXPECT_EQ(to_hex(out), "7e004417" "7e005f17" "7e006465" "7e0043" "7e0046");
  EXPECT_FALSE(encode_empty(message_type::registration_reject, out).has_value());
}

TEST(NasMessages, IdentityDeregistrationAndServiceRebuildTheCapturedPdus) {
  EXPECT_EQ(enc(identity_request{identity::mobile_identity_type::suci}), "7e005b01");
  EXPECT_EQ(enc(identity_response{id_of("0199f907f0ff00000000203190")}),
            "7e005c000d0199f907f0ff00000000203190");
  deregistration_request_ue_originating d;
  d.type = {false, false, 1};
  d.ksi = {false, 2};
  d.mobile_identity = id_of("f202f85980004100000001");
  EXPECT_EQ(enc(d), "7e004521000bf202f85980004100000001");
  deregistration_request_ue_terminated t;
  t.type = {false, true, 1};
  t.gmm_cause = 11;
  EXPECT_EQ(enc(t), "7e004705580b");
  service_request s;
  s.ksi = {false, 1};
  s.s_tmsi = std::get<identity::s_tmsi_5g>(id_of("f40040e100553b"));
  EXPECT_EQ(enc(s), "7e004c010007f40040e100553b");
  service_accept a;
  a.pdu_session_status = bytes("2000");
  EXPECT_EQ(enc(a), "7e004e50022000");
}

TEST(NasMessages, TransportsRebuildTheCapturedPdus) {
  ul_nas_transport ul;
  ul.payload = bytes("2e0a01c1ffff91");
  ul.pdu_session_id = 10;
  ul.request_type = 1;
  ul.s_nssai = s_nssai{.sst = 1, .sd = 1};
  ul.dnn = bytes("046f6169");
  EXPECT_EQ(enc(ul), "7e00670100072e0a01c1ffff91120a812204010000012504046f6169");
  dl_nas_transport dl;
  dl.payload = bytes("2e0102d31a");
  dl.pdu_session_id = 1;
  EXPECT_EQ(enc(dl), "7e00680100052e0102d31a1201");
}

TEST(NasMessages, RegistrationAcceptAndConfigurationUpdateDecodeBack) {
  const s_nssai slices[] = {{.sst = 1}, {.sst = 1, .sd = 0x010203}};
  registration_accept acc;
  acc.result = {.value = 1};
  acc.guti = std::get<identity::guti_5g>(id_of("f202f85980004100000008"));
  acc.allowed_nssai = slices;
  acc.t3512_value = bytes("be");
  const std::string h = enc(acc);
  EXPECT_EQ(h, "7e0042010177000bf202f8598000410000000815070101040101020" "35e01be");
  auto m = decode(bytes(h));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->message.ie_count, 4);
  EXPECT_EQ(m->message.anomalies.count, 0);

  configuration_update_command cu;
  cu.indication = 1;
  cu.guti = acc.guti;
  const std::string c = enc(cu);
  auto cm = decode(bytes(c));
  ASSERT_TRUE(cm.has_value());
  EXPECT_STREQ(cm->message.name(), "ConfigurationUpdateCommand");
  EXPECT_EQ(cm->message.find_iei(0xd0)->half, 1);
  EXPECT_NE(cm->message.find(ie_kind::mobile_identity, "guti"), nullptr);
}

}  // namespace
}  // namespace sec5g::nas::msg
