// JSON rendering of decoded NAS messages (the "nas" objects of `sec5g decode --json`).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sec5g/core/hex.hpp"
#include "sec5g/nas/nas_json.hpp"

namespace sec5g::nas {
namespace {

nlohmann::json render(std::string_view h, bool null_decipher = false) {
  const auto b = from_hex(h);
  EXPECT_TRUE(b.has_value());
  return decode_to_json(*b, json_options{.null_decipher = null_decipher});
}

TEST(NasJson, SecurityModeCommandHasEnvelopeAlgorithmsAndCapabilities) {
  const auto j = render("7e03781c441a007e005d02020480200000e1360102");
  EXPECT_EQ(j["epd"], 126);
  EXPECT_EQ(j["security_header"], 3);
  EXPECT_EQ(j["mac"], "781c441a");
  EXPECT_EQ(j["sqn"], 0);
  EXPECT_EQ(j["message_type"], 0x5d);
  EXPECT_EQ(j["message"], "SecurityModeCommand");
  EXPECT_EQ(j["selected_nas_security_algorithms"]["ciphering"], 0);
  EXPECT_EQ(j["selected_nas_security_algorithms"]["integrity"], 2);
  EXPECT_EQ(j["ngksi"]["ksi"], 2);
  EXPECT_EQ(j["ngksi"]["tsc"], 0);
  EXPECT_EQ(j["replayed_ue_security_capabilities"]["ea"], 0x80);
  EXPECT_EQ(j["replayed_ue_security_capabilities"]["ia"], 0x20);
  EXPECT_EQ(j["replayed_ue_security_capabilities"]["eea"], 0);
  EXPECT_EQ(j["imeisv_request"], 1);
  EXPECT_EQ(j["additional_security_information"], "02");
  EXPECT_FALSE(j.contains("spare"));
  EXPECT_FALSE(j.contains("anomalies"));
}

TEST(NasJson, RegistrationRequestShowsSuciProtectionScheme) {
  // authanomalies_bidding_down.pcap frame 5: SUCI with ECIES profile A.
  const auto j = render(
      "7e00417900350100f1100000010181b870e31083083dd965f152a28932a01c729c735b686546b20a30fdf9b0"
      "a21690e8085c0615f3eaaa2a58a7392e0480808080");
  EXPECT_EQ(j["security_header"], 0);
  EXPECT_FALSE(j.contains("mac"));
  EXPECT_EQ(j["registration_type"]["value"], 1);
  const auto& id = j["mobile_identity"];
  EXPECT_EQ(id["type"], "suci");
  EXPECT_EQ(id["protection_scheme_id"], 1);
  EXPECT_EQ(id["home_network_public_key_id"], 1);
  EXPECT_EQ(id["mcc"], "001");
  EXPECT_EQ(id["mnc"], "01");
  EXPECT_EQ(j["ue_security_capability"]["ea"], 0x80);
}

TEST(NasJson, NestedContainersRenderAsNasObjectsOfTheSameShape) {
  // 5greplay_oai_registration.pcap frame 129: Security Mode Complete (header type 4) with the
  // Registration Request in its NAS message container.
  const auto smc = render(
      "7e045306a541007e005e77000215117100207e004119000d0102f8590000000000000000131001072e088020"
      "000000000000",
      true);
  EXPECT_EQ(smc["security_header"], 4);
  EXPECT_EQ(smc["message"], "SecurityModeComplete");
  const auto& inner = smc["nas_message_container"];
  ASSERT_TRUE(inner.is_object());
  EXPECT_EQ(inner["epd"], 126);
  EXPECT_EQ(inner["security_header"], 0);
  EXPECT_EQ(inner["message_type"], 0x41);
  EXPECT_EQ(inner["message"], "RegistrationRequest");
  EXPECT_EQ(inner["mobile_identity"]["protection_scheme_id"], 0);

  // 5greplay_oai_registration.pcap frame 149: UL NAS transport with a 5GSM message.
  const auto ul = render(
      "7e043e1945e3007e00670100072e0a01c1ffff91120a812204010000012504046f6169", true);
  EXPECT_EQ(ul["message"], "ULNASTransport");
  EXPECT_EQ(ul["payload_container_type"], 1);
  EXPECT_EQ(ul["pdu_session_id"], 10);
  EXPECT_EQ(ul["s_nssai"]["sst"], 1);
  EXPECT_EQ(ul["s_nssai"]["sd"], "000001");
  EXPECT_EQ(ul["dnn"], "046f6169");  // malformed DNN label kept as hex
  const auto& sm = ul["payload_container"];
  ASSERT_TRUE(sm.is_object());
  EXPECT_EQ(sm["epd"], 46);
  EXPECT_EQ(sm["message_type"], 0xc1);
  EXPECT_EQ(sm["message"], "PDUSessionEstablishmentRequest");
  EXPECT_EQ(sm["pdu_session_id"], 10);
  EXPECT_EQ(sm["pti"], 1);
  EXPECT_EQ(sm["pdu_session_type"], 1);
}

TEST(NasJson, CipheredMessageHasNullMessageTypeUnlessNullDeciphered) {
  const char* pdu =
      "7e02810b6714017e0042010177000bf202f8598000410000000854070002f85900a000151208de00007b0000"
      "0000080100000c00000000210201005e01be";
  const auto opaque = render(pdu);
  EXPECT_EQ(opaque["security_header"], 2);
  EXPECT_EQ(opaque["mac"], "810b6714");
  EXPECT_EQ(opaque["sqn"], 1);
  EXPECT_TRUE(opaque["message_type"].is_null());
  EXPECT_TRUE(opaque["message"].is_null());
  const auto plain = render(pdu, true);
  EXPECT_EQ(plain["message_type"], 0x42);
  EXPECT_EQ(plain["message"], "RegistrationAccept");
  EXPECT_EQ(plain["guti"]["type"], "5g_guti");
  EXPECT_EQ(plain["registration_result"]["value"], 1);
  EXPECT_TRUE(plain["allowed_nssai"].is_array());
  EXPECT_EQ(plain["t3512_value"], "be");
}

TEST(NasJson, AnomaliesErrorsAndUnknownIes) {
  const auto j = render("7e00433f02aabb");
  ASSERT_TRUE(j["unknown_ies"].is_array());
  EXPECT_EQ(j["unknown_ies"][0]["iei"], 0x3f);
  EXPECT_EQ(j["unknown_ies"][0]["value"], "aabb");
  EXPECT_EQ(j["anomalies"][0], "nas.unknown_ie");
  const auto e = render("7e0f41");
  EXPECT_EQ(e["error"], "bad_value");
  EXPECT_EQ(e["field"], "nas.security_header_type");
  EXPECT_EQ(e["offset"], 1);
  const auto gmm = render("7e005914");
  EXPECT_EQ(gmm["gmm_cause"], 20);
}

}  // namespace
}  // namespace sec5g::nas
