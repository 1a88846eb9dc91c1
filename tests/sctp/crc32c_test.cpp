#include "sec5g/sctp/crc32c.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace sec5g::sctp {
namespace {

bytes_view text(std::string_view s) {
  return bytes_view(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

TEST(Crc32c, KnownAnswers) {
  // The CRC-32C check value, and RFC 3720 B.4 vectors.
  EXPECT_EQ(crc32c(text("123456789")), 0xE3069283u);
  byte_buffer zeros(32, 0x00);
  byte_buffer ones(32, 0xff);
  byte_buffer inc(32);
  byte_buffer dec(32);
  for (std::size_t i = 0; i < 32; ++i) {
    inc[i] = static_cast<std::uint8_t>(i);
    dec[i] = static_cast<std::uint8_t>(31 - i);
  }
  EXPECT_EQ(crc32c(zeros), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones), 0x62A8AB43u);
  EXPECT_EQ(crc32c(inc), 0x46DD794Eu);
  EXPECT_EQ(crc32c(dec), 0x113FDB5Cu);
  EXPECT_EQ(crc32c(bytes_view{}), 0u);
}

TEST(Crc32c, ContinuesOverSplitsAtEveryOffset) {
  byte_buffer data(203);
  for (std::size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<std::uint8_t>(i * 31 + 7);
  const std::uint32_t whole = crc32c(data);
  for (std::size_t cut = 0; cut <= data.size(); ++cut) {
    const bytes_view v(data);
    EXPECT_EQ(crc32c(v.subspan(cut), crc32c(v.first(cut))), whole) << cut;
  }
  data[100] ^= 1;
  EXPECT_NE(crc32c(data), whole);
}

TEST(Crc32c, PacketChecksumIgnoresTheChecksumFieldAndIsStoredLittleEndian) {
  byte_buffer pkt = {0x96, 0x0c, 0x24, 0x0f, 0x01, 0x02, 0x03, 0x04,
                     0xaa, 0xbb, 0xcc, 0xdd, 11,   0,    0,    4};
  store_checksum(pkt);
  const std::uint32_t c = sctp_checksum(pkt);
  EXPECT_EQ(stored_checksum(pkt), c);
  EXPECT_EQ(pkt[8], static_cast<std::uint8_t>(c));
  EXPECT_EQ(pkt[11], static_cast<std::uint8_t>(c >> 24));
  byte_buffer zeroed = pkt;
  zeroed[8] = zeroed[9] = zeroed[10] = zeroed[11] = 0;
  EXPECT_EQ(crc32c(zeroed), c);
  EXPECT_EQ(sctp_checksum(bytes_view(pkt).first(11)), 0u);
}

} // namespace
} // namespace sec5g::sctp
