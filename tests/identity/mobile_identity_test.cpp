// 5GS mobile identity value codec (TS 24.501 9.11.3.4).
#include "sec5g/identity/mobile_identity.hpp"

#include <gtest/gtest.h>

#include "sec5g/core/hex.hpp"
#include "support/hex.hpp"

namespace sec5g::identity {
namespace {

using sec5g::test::hex;

byte_buffer encode(const mobile_identity& id) {
  byte_buffer out;
  encode_mobile_identity(id, out);
  return out;
}

TEST(MobileIdentity, DecodesSuciImsiProfileAWithThreeDigitMncAndRoutingIndicator) {
  // MCC 274, MNC 012, RI 678, scheme 1, key id 27, scheme output of TS 33.501 C.4.3.
  const auto v = hex(
      "01722410" "76f8" "01" "1b"
      "b2e92f836055a255837debf850b528997ce0201cb82adfe4be1f587d07d8457dcb02352410cddd9e730ef3fa87");
  auto id = decode_mobile_identity(v);
  ASSERT_TRUE(id.has_value()) << describe(id.error());
  ASSERT_EQ(type_of(*id), mobile_identity_type::suci);
  const auto& s = std::get<suci_value>(*id);
  EXPECT_EQ(s.format, supi_format::imsi);
  EXPECT_EQ(s.plmn.mcc.view(), "274");
  EXPECT_EQ(s.plmn.mnc.view(), "012");
  EXPECT_EQ(s.routing.view(), "678");
  EXPECT_EQ(s.protection_scheme_id, 1);
  EXPECT_EQ(s.hn_public_key_id, 27);
  EXPECT_EQ(to_hex(s.scheme_output), to_hex(bytes_view(v).subspan(8)));
  EXPECT_EQ(s.scheme_output.data(), v.data() + 8) << "scheme output must be a view";
  EXPECT_EQ(encode(*id), v);
}

TEST(MobileIdentity, DecodesNullSchemeSuciWithTwoDigitMncAndPrintsMsinDigits) {
  const auto v = hex("0100f110" "0000" "00" "00" "00012080f6");
  auto id = decode_mobile_identity(v);
  ASSERT_TRUE(id.has_value());
  const auto& s = std::get<suci_value>(*id);
  EXPECT_EQ(s.plmn.mnc.view(), "01");
  EXPECT_EQ(s.routing.view(), "0000");
  EXPECT_EQ(to_string(*id), "suci-0-001-01-0000-0-0-001002086");
  EXPECT_EQ(encode(*id), v);
}

TEST(MobileIdentity, DecodesSuciInNaiForm) {
  const std::string nai = "type1.rid84.schid0.useridalice@example.com";
  byte_buffer v{0x11};
  v.insert(v.end(), nai.begin(), nai.end());
  auto id = decode_mobile_identity(v);
  ASSERT_TRUE(id.has_value());
  const auto& s = std::get<suci_value>(*id);
  EXPECT_EQ(s.format, supi_format::network_specific);
  EXPECT_EQ(s.nai, nai);
  EXPECT_EQ(encode(*id), v);
}

TEST(MobileIdentity, RejectsSuciNaiWithControlCharacters) {
  const auto v = hex("1174790a70");
  auto id = decode_mobile_identity(v);
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, decode_errc::bad_value);
}

TEST(MobileIdentity, RejectsBadBcdDigitsInSuciPlmnAndRoutingIndicator) {
  auto bad_mcc = decode_mobile_identity(hex("01a0f1100000000000"));
  ASSERT_FALSE(bad_mcc.has_value());
  EXPECT_EQ(bad_mcc.error().code, decode_errc::bad_value);
  EXPECT_STREQ(bad_mcc.error().field, "5gsmi.suci.plmn");
  auto digit_after_filler = decode_mobile_identity(hex("0100f110f01f000000"));
  ASSERT_FALSE(digit_after_filler.has_value());
  EXPECT_STREQ(digit_after_filler.error().field, "5gsmi.suci.routing_indicator");
}

TEST(MobileIdentity, TruncatedSuciFailsAtEachField) {
  const auto full = hex("0100f11000000000");
  for (std::size_t n = 1; n < full.size(); ++n) {
    auto id = decode_mobile_identity(bytes_view(full).first(n));
    ASSERT_FALSE(id.has_value()) << n;
    EXPECT_EQ(id.error().code, decode_errc::truncated) << n;
  }
  EXPECT_TRUE(decode_mobile_identity(full).has_value());
}

TEST(MobileIdentity, RejectsReservedSupiFormat) {
  auto id = decode_mobile_identity(hex("4100f11000000000"));
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, decode_errc::unsupported);
}

TEST(MobileIdentity, DecodesGutiAndPrintsTs29571Form) {
  const auto v = hex("f200f110cafe0100000001");
  auto id = decode_mobile_identity(v);
  ASSERT_TRUE(id.has_value());
  const auto& g = std::get<guti_5g>(*id);
  EXPECT_EQ(to_string(g.plmn), "001-01");
  EXPECT_EQ(g.amf_region_id, 0xca);
  EXPECT_EQ(g.amf_set_id, 0x3f8);
  EXPECT_EQ(g.amf_pointer, 1);
  EXPECT_EQ(g.tmsi, 1u);
  EXPECT_EQ(to_string(*id), "5g-guti-00101cafe0100000001");
  EXPECT_EQ(encode(*id), v);
  // Written over an earlier, longer text (a UE record's GUTI being replaced): the same text.
  std::string text = "5g-guti-310410cafe01000000020 and an earlier longer text";
  assign_text(text, g);
  EXPECT_EQ(text, "5g-guti-00101cafe0100000001");
}

TEST(MobileIdentity, GutiWithTrailingOctetOrTruncatedIsRejected) {
  auto trailing = decode_mobile_identity(hex("f200f110cafe010000000100"));
  ASSERT_FALSE(trailing.has_value());
  EXPECT_EQ(trailing.error().code, decode_errc::trailing_bytes);
  auto short_guti = decode_mobile_identity(hex("f200f110cafe01000000"));
  ASSERT_FALSE(short_guti.has_value());
  EXPECT_EQ(short_guti.error().code, decode_errc::truncated);
}

TEST(MobileIdentity, GutiAndSTmsiAreReadWhateverOctet1BitsFiveToEightSay) {
  // TS 24.501 9.11.3.4 codes them 1111; free5GC of 2020 sends 0000
  // (telekom_free5gc_registration.pcap frame 171), and Wireshark and the UE read the GUTI.
  for (const char* o1 : {"02", "72", "f2"}) {
    auto id = decode_mobile_identity(hex(std::string(o1) + "02f839cafe0000000001"));
    ASSERT_TRUE(id.has_value()) << o1;
    EXPECT_EQ(to_string(*id), "5g-guti-20893cafe0000000001") << o1;
    EXPECT_EQ(encode(*id), hex("f202f839cafe0000000001")) << o1;  // written back as 1111
  }
  for (const char* o1 : {"04", "f4"}) {
    auto id = decode_mobile_identity(hex(std::string(o1) + "fe4000000001"));
    ASSERT_TRUE(id.has_value()) << o1;
    const auto& s = std::get<s_tmsi_5g>(*id);
    EXPECT_EQ(s.amf_set_id, 0x3f9);
    EXPECT_EQ(s.amf_pointer, 0);
    EXPECT_EQ(s.tmsi, 1u);
  }
}

TEST(MobileIdentity, DecodesImeiWithOddIndicator) {
  const auto v = hex("4b095124303257" "81");
  auto id = decode_mobile_identity(v);
  ASSERT_TRUE(id.has_value()) << describe(id.error());
  EXPECT_EQ(to_string(*id), "imei-490154203237518");
  EXPECT_EQ(encode(*id), v);
}

TEST(MobileIdentity, DecodesImeisvWithFillerInLastOctet) {
  const auto v = hex("4573806121856151f1");
  auto id = decode_mobile_identity(v);
  ASSERT_TRUE(id.has_value()) << describe(id.error());
  EXPECT_EQ(to_string(*id), "imeisv-4370816125816151");
  EXPECT_EQ(encode(*id), v);
}

TEST(MobileIdentity, RejectsImeiWithWrongDigitCountOrBadFiller) {
  EXPECT_FALSE(decode_mobile_identity(hex("4b0951243032")).has_value());
  EXPECT_FALSE(decode_mobile_identity(hex("4573806121856151a1")).has_value());
  EXPECT_FALSE(decode_mobile_identity(hex("4b09512430325781aa")).has_value());
}

TEST(MobileIdentity, DecodesSTmsiMacAndEui64) {
  const auto st = hex("f4fe01c0ffee01");
  auto a = decode_mobile_identity(st);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(to_string(*a), "5g-s-tmsi-fe01c0ffee01");
  EXPECT_EQ(encode(*a), st);

  const auto mac = hex("0e00005e005300");
  auto b = decode_mobile_identity(mac);
  ASSERT_TRUE(b.has_value());
  EXPECT_TRUE(std::get<mac_address>(*b).usage_restricted);
  EXPECT_EQ(to_string(*b), "mac-00-00-5e-00-53-00-untrusted");
  EXPECT_EQ(encode(*b), mac);

  const auto eui = hex("070011223344556677");
  auto c = decode_mobile_identity(eui);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(to_string(*c), "eui-00-11-22-33-44-55-66-77");
  EXPECT_EQ(encode(*c), eui);
}

TEST(MobileIdentity, NoIdentityAndEmptyValue) {
  auto id = decode_mobile_identity(hex("00"));
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(type_of(*id), mobile_identity_type::no_identity);
  EXPECT_EQ(to_string(*id), "no-identity");
  auto empty = decode_mobile_identity({});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, decode_errc::truncated);
}

TEST(MobileIdentity, RejectsOversizedValue) {
  byte_buffer v(max_mobile_identity_len + 1, 0x01);
  auto id = decode_mobile_identity(v);
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, decode_errc::length_too_large);
}

TEST(TextForms, GutiAndPeiParseBackFromTheirTs29571Text) {
  guti_5g g;
  g.plmn.mcc.assign("310");
  g.plmn.mnc.assign("410");
  g.amf_region_id = 0xca;
  g.amf_set_id = 0x3f8;
  g.amf_pointer = 1;
  g.tmsi = 0xdeadbeef;
  const auto text = to_string(g);
  EXPECT_EQ(text, "5g-guti-310410cafe01deadbeef");
  EXPECT_EQ(parse_guti(text), g);
  EXPECT_EQ(parse_guti("5g-guti-00101cafe0100000001")->plmn.mnc.view(), "01");
  EXPECT_FALSE(parse_guti("5g-guti-00101cafe010000000").has_value());
  EXPECT_FALSE(parse_guti("5g-guti-0010xcafe0100000001").has_value());

  for (const char* t : {"imei-490154203237518", "imeisv-4370816125816151", "mac-00-00-5e-00-53-00",
                        "eui-00-11-22-33-44-55-66-77"}) {
    auto p = parse_pei(t);
    ASSERT_TRUE(p.has_value()) << t;
    EXPECT_EQ(to_string(*p), t);
  }
  auto untrusted = parse_pei("mac-00-00-5E-00-53-00-untrusted");
  ASSERT_TRUE(untrusted.has_value());
  EXPECT_TRUE(std::get<mac_address>(*untrusted).usage_restricted);
  EXPECT_EQ(to_string(*untrusted), "mac-00-00-5e-00-53-00-untrusted");
  EXPECT_FALSE(parse_pei("imei-49015420323751").has_value());
  EXPECT_FALSE(parse_pei("mac-00-00-5e-00-53").has_value());
  EXPECT_FALSE(parse_pei("pei-1").has_value());
}

TEST(Bcd, PacksOddAndEvenDigitCounts) {
  byte_buffer out;
  ASSERT_TRUE(pack_bcd("001002086", out));
  EXPECT_EQ(to_hex(out), "00012080f6");
  out.clear();
  ASSERT_TRUE(pack_bcd("0123456789", out));
  EXPECT_EQ(to_hex(out), "1032547698");
  std::string digits;
  ASSERT_TRUE(unpack_bcd(out, digits));
  EXPECT_EQ(digits, "0123456789");
  EXPECT_FALSE(pack_bcd("12a", out));
  std::string bad;
  EXPECT_FALSE(unpack_bcd(hex("0f"), bad));
  EXPECT_FALSE(unpack_bcd(hex("f012"), bad));
}

}  // namespace
}  // namespace sec5g::identity
