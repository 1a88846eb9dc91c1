#include "sec5g/analysis/nas_info.hpp"

#include <gtest/gtest.h>

#include "sec5g/core/hex.hpp"

namespace sec5g::analysis {
namespace {

byte_buffer hex(std::string_view h) { return *from_hex(h); }

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
