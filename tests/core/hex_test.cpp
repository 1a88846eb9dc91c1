#include "sec5g/core/hex.hpp"

#include <gtest/gtest.h>

namespace sec5g {
namespace {

TEST(Hex, RoundTripsAllOctetValues) {
  byte_buffer all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  const auto text = to_hex(all);
  EXPECT_EQ(text.substr(0, 8), "00010203");
  const auto back = from_hex(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, all);
}

TEST(Hex, AcceptsUppercaseAndPrefix) {
  const auto v = from_hex("0xDEADbeef");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(to_hex(*v), "deadbeef");
}

TEST(Hex, RejectsOddLengthAndBadDigitsWithOffset) {
  EXPECT_EQ(from_hex("abc").error().code, hex_errc::odd_length);
  const auto e = from_hex("00g0");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code, hex_errc::bad_digit);
  EXPECT_EQ(e.error().offset, 2u);
}

TEST(Hex, FixedSizeParseInsistsOnLength) {
  byte_array<4> out{};
  EXPECT_TRUE(from_hex_into("01020304", out).has_value());
  EXPECT_EQ(out[3], 4);
  EXPECT_EQ(from_hex_into("010203", out).error().code, hex_errc::wrong_length);
}

}  // namespace
}  // namespace sec5g
