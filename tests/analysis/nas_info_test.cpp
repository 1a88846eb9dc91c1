#include "sec5g/analysis/nas_info.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>

#include "sec5g/core/hex.hpp"
#include "support/hex.hpp"

namespace sec5g::analysis {
namespace {

using sec5g::test::hex;

TEST(nas_info, parses_a_protected_header) {
  const auto b = hex("7e02a1b2c3d4057e0042");
  auto o = parse_outer(b);
  ASSERT_TRUE(o.has_value());
  ASSERT_TRUE(o->protection.has_value());
  EXPECT_EQ(o->protection->header_type, 2);
  EXPECT_EQ(o->protection->sqn, 5);
  EXPECT_EQ(o->protection->mac[0], 0xa1);
  EXPECT_FALSE(parse_outer(hex("7e02a1b2")).has_value());       // truncated
  EXPECT_FALSE(parse_outer(hex("7e0fa1b2c3d4057e")).has_value());  // header type 15
  EXPECT_FALSE(parse_outer(hex("0702")).has_value());           // EPS EPD
}

TEST(nas_info, registration_request_identity_caps_and_ieis) {
  // Null-scheme SUCI 001-01 MSIN 0000000003, UE security capability f0f0, requested NSSAI.
  const auto b = hex("7e004179000d0100f110000000000000000030" "2e02f0f0" "2f020101");
  auto m = parse_mm(b);
  ASSERT_TRUE(m.has_value()) << describe(m.error());
  EXPECT_EQ(m->type, 0x41);
  EXPECT_EQ(m->registration_type, 1);
  EXPECT_EQ(m->ngksi, 7);
  ASSERT_TRUE(m->identity.has_value());
  EXPECT_EQ(m->identity->type, 1);
  ASSERT_TRUE(m->caps.has_value());
  EXPECT_EQ(m->caps->octets[0], 0xf0);
  EXPECT_FALSE(m->caps->only_null());
  ASSERT_EQ(m->iei_count, 2);
  EXPECT_EQ(m->ieis[1], 0x2f);
}

TEST(nas_info, smc_algorithms_and_replayed_caps) {
  const auto b = hex("7e005d1201" "02f0f0" "e1");
  auto m = parse_mm(b);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->nea, 1);
  EXPECT_EQ(m->nia, 2);
  EXPECT_EQ(m->ngksi, 1);
  EXPECT_TRUE(m->imeisv_requested);
  ASSERT_TRUE(m->caps.has_value());
  EXPECT_EQ(m->caps->len, 2);
}

TEST(nas_info, authentication_request_rand_autn) {
  const auto b = hex("7e00560002000021" "00112233445566778899aabbccddeeff" "2010"
                     "0102030405068000aabbccddeeff0011");
  auto m = parse_mm(b);
  ASSERT_TRUE(m.has_value()) << describe(m.error());
  ASSERT_TRUE(m->rand && m->autn);
  EXPECT_EQ((*m->rand)[15], 0xff);
  EXPECT_EQ((*m->autn)[6], 0x80);
  EXPECT_EQ(m->abba.size(), 2u);
}

TEST(nas_info, failure_cause_and_truncation) {
  auto m = parse_mm(hex("7e0059153010" "0102030405060708090a0b0c0d0e0f10"));
  ASSERT_TRUE(m.has_value());  // an AUTS IE of 16 octets decodes, but is not an AUTS (14)
  EXPECT_EQ(m->cause, 21);
  EXPECT_FALSE(m->auts.has_value());
  auto a = parse_mm(hex("7e005915300e" "0102030405060708090a0b0c0d0e"));
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->auts.has_value());
  EXPECT_FALSE(parse_mm(hex("7e0059140e")).has_value());  // IE without its length octet
  EXPECT_FALSE(parse_mm(hex("7e00591430ff01")).has_value());  // length past the end
  auto f = parse_mm(hex("7e005914"));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->cause, 20);
}

TEST(nas_info, message_type_names_are_the_nas_table_ids) {
  const std::pair<mm_type, const char*> names[] = {
      {mm_type::registration_request, "registration_request"},
      {mm_type::registration_accept, "registration_accept"},
      {mm_type::registration_complete, "registration_complete"},
      {mm_type::registration_reject, "registration_reject"},
      {mm_type::deregistration_request_ue_originating, "deregistration_request_ue_originating"},
      {mm_type::deregistration_accept_ue_originating, "deregistration_accept_ue_originating"},
      {mm_type::deregistration_request_ue_terminated, "deregistration_request_ue_terminated"},
      {mm_type::deregistration_accept_ue_terminated, "deregistration_accept_ue_terminated"},
      {mm_type::service_request, "service_request"},
      {mm_type::service_reject, "service_reject"},
      {mm_type::service_accept, "service_accept"},
      {mm_type::configuration_update_command, "configuration_update_command"},
      {mm_type::configuration_update_complete, "configuration_update_complete"},
      {mm_type::authentication_request, "authentication_request"},
      {mm_type::authentication_response, "authentication_response"},
      {mm_type::authentication_reject, "authentication_reject"},
      {mm_type::authentication_failure, "authentication_failure"},
      {mm_type::authentication_result, "authentication_result"},
      {mm_type::identity_request, "identity_request"},
      {mm_type::identity_response, "identity_response"},
      {mm_type::security_mode_command, "security_mode_command"},
      {mm_type::security_mode_complete, "security_mode_complete"},
      {mm_type::security_mode_reject, "security_mode_reject"},
      {mm_type::status_5gmm, "5gmm_status"},
      {mm_type::notification, "notification"},
      {mm_type::notification_response, "notification_response"},
      {mm_type::ul_nas_transport, "ul_nas_transport"},
      {mm_type::dl_nas_transport, "dl_nas_transport"},
  };
  int named = 0;
  for (const auto& [t, name] : names) {
    EXPECT_STREQ(to_string(t), name);
    EXPECT_STREQ(mm_type_name(static_cast<std::uint8_t>(t)), name);
  }
  for (unsigned t = 0; t < 256; ++t) {
    if (std::string_view(mm_type_name(static_cast<std::uint8_t>(t))) != "unknown") ++named;
  }
  EXPECT_EQ(named, 28);  // exactly the types of mm_type
  EXPECT_STREQ(mm_type_name(0x4f), "unknown");  // Control Plane Service Request: not read
  EXPECT_STREQ(mm_type_name(0xc1), "unknown");  // a 5GSM type
}

TEST(nas_info, outer_header_of_5gsm_and_plain_messages) {
  auto sm = parse_outer(hex("2e0101c1"));
  ASSERT_TRUE(sm.has_value());
  EXPECT_EQ(sm->epd, epd_5gsm);
  EXPECT_EQ(sm->header_type, 0);
  EXPECT_FALSE(sm->protection.has_value());
  EXPECT_FALSE(parse_outer(hex("2e")).has_value());
  auto plain = parse_outer(hex("7e0041"));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->header_type, 0);
  EXPECT_FALSE(plain->protection.has_value());
  auto p = parse_outer(hex("7e01a1b2c3d407"));  // integrity protected, empty inner message
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(p->protection.has_value());
  EXPECT_EQ(p->protection->inner_offset, 7u);
  EXPECT_EQ(p->protection->sqn, 7);
}

TEST(nas_info, registration_request_reads_the_current_ksi_and_the_suci_not_the_extras) {
  // ngKSI 7 + FOR + initial registration, SUCI; then non-current native KSI 1 (C1), UE security
  // capability, additional GUTI (IEI 77): neither replaces ngKSI nor the identity.
  const auto b = hex("7e004179000d0100f110000000000000000030" "c1" "2e02f0f0"
                     "77000bf200f11001020304050607");
  auto m = parse_mm(b);
  ASSERT_TRUE(m.has_value()) << describe(m.error());
  EXPECT_EQ(m->ngksi, 7);
  EXPECT_EQ(m->registration_type, 1);
  EXPECT_TRUE(m->follow_on);
  EXPECT_FALSE(m->emergency);
  ASSERT_TRUE(m->identity.has_value());
  EXPECT_EQ(m->identity->type, 1);
  EXPECT_EQ(m->identity->value.data(), b.data() + 6);
  ASSERT_EQ(m->iei_count, 3);
  EXPECT_EQ(m->ieis[0], 0xc0);
  EXPECT_EQ(m->ieis[1], 0x2e);
  EXPECT_EQ(m->ieis[2], 0x77);
  EXPECT_FALSE(parse_mm(hex("7e004179000d0100f110000000000000000030" "2e05f0f0")).has_value());
}

TEST(nas_info, service_request_ksi_in_bits_1_to_4_and_container) {
  // Octet 4: service type 1 (data) in bits 5-8, ngKSI 2 in bits 1-4 (TS 24.501 8.2.16).
  const auto b = hex("7e004c12" "0007f4004101020304" "40020000" "7100037e004c");
  auto m = parse_mm(b);
  ASSERT_TRUE(m.has_value()) << describe(m.error());
  EXPECT_EQ(m->ngksi, 2);
  ASSERT_TRUE(m->identity.has_value());
  EXPECT_EQ(m->identity->type, 4);  // 5G-S-TMSI
  EXPECT_TRUE(m->has_nas_container);
  ASSERT_EQ(m->iei_count, 2);
  EXPECT_EQ(m->ieis[0], 0x40);
  EXPECT_EQ(m->ieis[1], 0x71);
}

TEST(nas_info, reads_no_further_than_the_fields_it_needs) {
  // Registration Reject: cause #22, then bytes that are not a valid IE: the cause is read.
  auto rej = parse_mm(hex("7e00441603ff"));
  ASSERT_TRUE(rej.has_value());
  EXPECT_EQ(rej->cause, 22);
  // UL NAS Transport with a payload container running past the end: only the type is read.
  auto ul = parse_mm(hex("7e0067010005"));
  ASSERT_TRUE(ul.has_value());
  EXPECT_EQ(ul->type, 0x67);
  // Identity Response: the identity, then trailing bytes.
  auto idr = parse_mm(hex("7e005c0001f1ee"));
  ASSERT_TRUE(idr.has_value());
  ASSERT_TRUE(idr->identity.has_value());
  EXPECT_EQ(idr->identity->type, 1);
  // ... but a field it needs must be there.
  EXPECT_FALSE(parse_mm(hex("7e0044")).has_value());
  EXPECT_FALSE(parse_mm(hex("7e005c0005f1")).has_value());
  // Header errors.
  EXPECT_FALSE(parse_mm(hex("7e01")).has_value());
  EXPECT_FALSE(parse_mm(hex("7e0156")).has_value());  // not plain
  EXPECT_FALSE(parse_mm(hex("2e0101c1")).has_value());  // 5GSM
  auto unknown = parse_mm(hex("7e004f0102"));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->type, 0x4f);
}

TEST(nas_info, registration_accept_guti_and_smc_complete_imeisv) {
  // Registration Accept: result, 5G-GUTI, EAP (not read in this message).
  auto acc = parse_mm(hex("7e0042" "0101" "77000bf200f11001020304050607" "78000403010004"));
  ASSERT_TRUE(acc.has_value()) << describe(acc.error());
  ASSERT_TRUE(acc->identity.has_value());
  EXPECT_EQ(acc->identity->type, 2);
  EXPECT_TRUE(acc->eap.empty());
  // Security Mode Complete: IMEISV (IEI 77) is the identity; a non-IMEISV PEI (78) is not.
  auto smc = parse_mm(hex("7e005e" "770009351122334455667788" "7100037e0041"));
  ASSERT_TRUE(smc.has_value());
  ASSERT_TRUE(smc->identity.has_value());
  EXPECT_EQ(smc->identity->type, 5);
  EXPECT_TRUE(smc->has_nas_container);
  auto pei = parse_mm(hex("7e005e" "78000833112233445566f7"));
  ASSERT_TRUE(pei.has_value());
  EXPECT_FALSE(pei->identity.has_value());
}

TEST(nas_info, authentication_result_and_response) {
  const auto r = hex("7e005a" "02" "000403010004" "38020000");
  auto res = parse_mm(r);
  ASSERT_TRUE(res.has_value()) << describe(res.error());
  EXPECT_EQ(res->ngksi, 2);
  EXPECT_EQ(res->eap.size(), 4u);
  EXPECT_EQ(res->eap.data(), r.data() + 6);
  EXPECT_EQ(res->abba.size(), 2u);
  auto resp = parse_mm(hex("7e0057" "2d10" "00112233445566778899aabbccddeeff"));
  ASSERT_TRUE(resp.has_value());
  ASSERT_TRUE(resp->res_star.has_value());
  EXPECT_EQ((*resp->res_star)[15], 0xff);
  auto smc = parse_mm(hex("7e005d" "20" "00" "0480a08080"));  // NEA2, NIA0, ngKSI 0, 4 octets
  ASSERT_TRUE(smc.has_value());
  EXPECT_EQ(smc->nea, 2);
  EXPECT_EQ(smc->nia, 0);
  ASSERT_TRUE(smc->caps.has_value());
  EXPECT_EQ(smc->caps->len, 4);
  EXPECT_EQ(smc->caps->octets[3], 0x80);
  EXPECT_FALSE(smc->imeisv_requested);
}

TEST(nas_info, every_field_is_found_in_its_message) {
  // One message per remaining (message, IE) the extractor reads: a renamed IE in the nas
  // tables would leave the field unset.
  auto dereg = parse_mm(hex("7e004531" "000bf200f11001020304050607"));
  ASSERT_TRUE(dereg.has_value());
  EXPECT_EQ(dereg->ngksi, 3);
  ASSERT_TRUE(dereg->identity.has_value());
  EXPECT_EQ(dereg->identity->type, 2);
  auto cuc = parse_mm(hex("7e0054" "77000bf200f11001020304050607"));
  ASSERT_TRUE(cuc.has_value() && cuc->identity.has_value());
  EXPECT_EQ(cuc->identity->type, 2);
  EXPECT_EQ(parse_mm(hex("7e005f18")).value_or(mm_fields{}).cause, 24);  // Security Mode Reject
  EXPECT_EQ(parse_mm(hex("7e004d0a")).value_or(mm_fields{}).cause, 10);  // Service Reject
  EXPECT_EQ(parse_mm(hex("7e006462")).value_or(mm_fields{}).cause, 98);  // 5GMM Status
  auto areq = parse_mm(hex("7e005601" "020000" "7800050101000517"));
  ASSERT_TRUE(areq.has_value());
  EXPECT_EQ(areq->ngksi, 1);
  EXPECT_EQ(areq->eap.size(), 5u);
  // Authentication Response, Authentication Reject, Identity Request (IMEI).
  EXPECT_EQ(parse_mm(hex("7e0057" "78000402010004")).value_or(mm_fields{}).eap.size(), 4u);
  EXPECT_EQ(parse_mm(hex("7e0058" "78000404010004")).value_or(mm_fields{}).eap.size(), 4u);
  EXPECT_EQ(parse_mm(hex("7e005b03")).value_or(mm_fields{}).identity_type_requested, 3);
  auto smc = parse_mm(hex("7e005d" "11" "01" "02f0f0" "78000403010004" "38020000"));
  ASSERT_TRUE(smc.has_value());
  EXPECT_EQ(smc->eap.size(), 4u);
  EXPECT_EQ(smc->abba.size(), 2u);
  auto reg = parse_mm(hex("7e004179000d0100f110000000000000000030" "7100037e0041"));
  ASSERT_TRUE(reg.has_value());
  EXPECT_TRUE(reg->has_nas_container);
  ASSERT_EQ(reg->iei_count, 1);
  EXPECT_EQ(reg->ieis[0], 0x71);
}

TEST(nas_info, only_null_capabilities) {
  ue_sec_caps c;
  c.octets = {0x80, 0x80, 0, 0};
  c.len = 2;
  EXPECT_TRUE(c.only_null());
  c.octets[1] = 0xa0;
  EXPECT_FALSE(c.only_null());
}

}  // namespace
}  // namespace sec5g::analysis
