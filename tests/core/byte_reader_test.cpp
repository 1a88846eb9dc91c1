#include "sec5g/core/byte_reader.hpp"
#include "sec5g/core/byte_writer.hpp"

#include <gtest/gtest.h>

namespace sec5g {
namespace {

TEST(ByteReader, ReadsBigEndianAndTracksAbsoluteOffsets) {
  const byte_array<9> data{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
  byte_reader r(data, 100);
  EXPECT_EQ(*r.u8("a"), 0x01);
  EXPECT_EQ(*r.u16("b"), 0x0203);
  auto c = r.child(3, "c");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->offset(), 103u);
  EXPECT_EQ(*c->u24("d"), 0x040506u);
  EXPECT_TRUE(c->expect_end("c").has_value());
  EXPECT_EQ(r.remaining(), 3u);
}

TEST(ByteReader, FailsWithoutAdvancingAndNamesTheField) {
  const byte_array<3> data{1, 2, 3};
  byte_reader r(data, 10);
  ASSERT_TRUE(r.u8("x").has_value());
  const auto e = r.u32("nas.length");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code, decode_errc::truncated);
  EXPECT_EQ(e.error().offset, 11u);
  EXPECT_STREQ(e.error().field, "nas.length");
  EXPECT_EQ(r.remaining(), 2u);
  EXPECT_EQ(r.expect_end("end").error().code, decode_errc::trailing_bytes);
  EXPECT_FALSE(r.bytes(3, "b").has_value());
  EXPECT_EQ(r.take_rest().size(), 2u);
  EXPECT_TRUE(r.empty());
}

TEST(ByteWriter, WritesAndPatches) {
  byte_buffer buf;
  byte_writer w(buf);
  const auto at = w.placeholder(2);
  w.u32(0xa1b2c3d4);
  w.patch_u16(at, 0x0102);
  EXPECT_EQ(buf, (byte_buffer{0x01, 0x02, 0xa1, 0xb2, 0xc3, 0xd4}));
}

}  // namespace
}  // namespace sec5g
