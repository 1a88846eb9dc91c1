#include <gtest/gtest.h>

#include <random>
#include <utility>
#include <vector>

#include "capture/test_util.hpp"
#include "sec5g/capture/build.hpp"
#include "sec5g/capture/ip.hpp"
#include "support/pattern.hpp"

namespace sec5g::capture {
namespace {

const ip_address frag_src4 = ip_address::v4(10, 0, 0, 1);
const ip_address frag_dst4 = ip_address::v4(10, 0, 0, 2);

byte_buffer data_of(std::size_t n, std::uint8_t seed = 1) {
  return sec5g::test::pattern_bytes(n, seed, 13);
}

// An IPv4 fragment (raw IP link): `piece` at byte offset `off` of datagram `id` from `from`.
byte_buffer v4_fragment(std::uint16_t id, std::size_t off, bool more, bytes_view piece,
                        const ip_address& from = frag_src4) {
  byte_buffer f;
  ip_spec ip{from, frag_dst4};
  ip.identification = id;
  EXPECT_TRUE(append_ip_header(f, ip, piece.size()));
  store_be16(f.data() + 6, static_cast<std::uint16_t>((more ? 0x2000 : 0) | (off / 8)));
  fix_ipv4_checksum(bytes_span(f.data(), 20));
  f.insert(f.end(), piece.begin(), piece.end());
  return f;
}

// An IPv6 fragment with a hop-by-hop header before the fragment header.
byte_buffer v6_fragment(std::uint32_t id, std::size_t off, bool more, bytes_view piece,
                        std::uint8_t next = 132) {
  const auto a6 = *ip_address::parse("2001:db8::1");
  const auto b6 = *ip_address::parse("2001:db8::2");
  byte_buffer hbh = {44, 0, 1, 4, 0, 0, 0, 0};
  byte_buffer frag = {next, 0, 0, 0, 0, 0, 0, 0};
  store_be16(frag.data() + 2, static_cast<std::uint16_t>(off | (more ? 1 : 0)));
  store_be32(frag.data() + 4, id);
  byte_buffer f;
  ip_spec ip{a6, b6};
  ip.protocol = 0;
  EXPECT_TRUE(append_ip_header(f, ip, hbh.size() + frag.size() + piece.size()));
  f.insert(f.end(), hbh.begin(), hbh.end());
  f.insert(f.end(), frag.begin(), frag.end());
  f.insert(f.end(), piece.begin(), piece.end());
  return f;
}

TEST(Ipv4Reassembly, OutOfOrderFragmentsGiveTheDatagram) {
  const byte_buffer d = data_of(300);
  const bytes_view v(d);
  const byte_buffer f1 = v4_fragment(7, 0, true, v.first(96));
  const byte_buffer f2 = v4_fragment(7, 96, true, v.subspan(96, 104));
  const byte_buffer f3 = v4_fragment(7, 200, false, v.subspan(200));
  counters st;
  ip_layer layer(st);
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::ipv4, f3, 1)));
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::ipv4, f1, 2)));
  EXPECT_EQ(layer.pending_datagrams(), 1u);
  auto p = layer.feed(test::make_frame(link_type::ipv4, f2, 3));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->reassembled);
  EXPECT_EQ(p->protocol, 132);
  EXPECT_TRUE(std::equal(p->payload.begin(), p->payload.end(), d.begin(), d.end()));
  EXPECT_EQ(st[counter::ip_fragments], 3u);
  EXPECT_EQ(st[counter::ip_reassembled], 1u);
  EXPECT_EQ(layer.pending_datagrams(), 0u);
  EXPECT_EQ(layer.pending_bytes(), 0u);
  EXPECT_EQ(st.anomalies(), 0u);
}

TEST(Ipv4Reassembly, FragmentsOfTwoSendersWithTheSameIdentificationStayApart) {
  // RFC 791: a datagram is identified by source, destination, protocol and identification.
  const ip_address other = ip_address::v4(10, 0, 0, 9);
  const byte_buffer a = data_of(200, 1);
  const byte_buffer b = data_of(200, 77);
  counters st;
  ip_layer layer(st);
  const std::vector<byte_buffer> frames = {
      v4_fragment(5, 0, true, bytes_view(a).first(96)),
      v4_fragment(5, 0, true, bytes_view(b).first(96), other),
      v4_fragment(5, 96, false, bytes_view(a).subspan(96)),
      v4_fragment(5, 96, false, bytes_view(b).subspan(96), other)};
  std::vector<std::pair<ip_address, byte_buffer>> got;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (auto p = layer.feed(test::make_frame(link_type::ipv4, frames[i], i + 1)))
      got.emplace_back(p->src, byte_buffer(p->payload.begin(), p->payload.end()));
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, frag_src4);
  EXPECT_EQ(got[0].second, a);
  EXPECT_EQ(got[1].first, other);
  EXPECT_EQ(got[1].second, b);
  EXPECT_EQ(st[counter::ip_reassembled], 2u);
  EXPECT_EQ(st.anomalies(), 0u);
}

TEST(Ipv4Reassembly, OverlapWithDifferentBytesDropsTheDatagram) {
  const byte_buffer d = data_of(200);
  byte_buffer other = data_of(200, 99);
  counters st;
  ip_layer layer(st);
  EXPECT_FALSE(layer.feed(
      test::make_frame(link_type::ipv4, v4_fragment(1, 0, true, bytes_view(d).first(104)))));
  // Overlaps 96..104 with different content.
  EXPECT_FALSE(layer.feed(
      test::make_frame(link_type::ipv4, v4_fragment(1, 96, false, bytes_view(other).subspan(96)))));
  EXPECT_EQ(st[counter::ip_fragment_overlap], 1u);
  EXPECT_EQ(layer.pending_datagrams(), 0u);
  // The rest of the original datagram cannot complete it.
  EXPECT_FALSE(layer.feed(
      test::make_frame(link_type::ipv4, v4_fragment(1, 104, false, bytes_view(d).subspan(104)))));
}

TEST(Ipv4Reassembly, OverlapWithSameBytesAndDuplicatesAreTolerated) {
  const byte_buffer d = data_of(200);
  const bytes_view v(d);
  counters st;
  ip_layer layer(st);
  EXPECT_FALSE(
      layer.feed(test::make_frame(link_type::ipv4, v4_fragment(2, 0, true, v.first(104)))));
  EXPECT_FALSE(
      layer.feed(test::make_frame(link_type::ipv4, v4_fragment(2, 0, true, v.first(104)))));
  EXPECT_EQ(st[counter::ip_fragment_duplicate], 1u);
  auto p = layer.feed(test::make_frame(link_type::ipv4, v4_fragment(2, 96, false, v.subspan(96))));
  ASSERT_TRUE(p);
  EXPECT_TRUE(std::equal(p->payload.begin(), p->payload.end(), d.begin(), d.end()));
  EXPECT_EQ(st[counter::ip_fragment_overlap], 0u);
}

TEST(Ipv4Reassembly, IncompleteDatagramsExpireByCaptureTime) {
  const byte_buffer d = data_of(200);
  const bytes_view v(d);
  counters st;
  ip_limits lim;
  lim.timeout_ns = 30'000'000'000;
  ip_layer layer(st, lim);
  EXPECT_FALSE(
      layer.feed(test::make_frame(link_type::ipv4, v4_fragment(3, 0, true, v.first(96)), 1, 0)));
  // 31 s later the first fragment is gone: the second alone does not complete anything.
  EXPECT_FALSE(layer.feed(test::make_frame(
      link_type::ipv4, v4_fragment(3, 96, false, v.subspan(96)), 2, 31'000'000'000)));
  EXPECT_EQ(st[counter::ip_fragment_timeout], 1u);
  EXPECT_EQ(layer.pending_datagrams(), 1u);
}

TEST(Ipv4Reassembly, BadFragmentsAreRejected) {
  const byte_buffer d = data_of(100);
  counters st;
  ip_layer layer(st);
  // MF set with a length that is not a multiple of 8.
  EXPECT_FALSE(layer.feed(
      test::make_frame(link_type::ipv4, v4_fragment(4, 0, true, bytes_view(d).first(13)))));
  // Offset + length past 65535.
  EXPECT_FALSE(layer.feed(
      test::make_frame(link_type::ipv4, v4_fragment(4, 65528, false, bytes_view(d).first(16)))));
  EXPECT_EQ(st[counter::ip_fragment_bad], 2u);
  // Two different "last" fragments.
  EXPECT_FALSE(layer.feed(
      test::make_frame(link_type::ipv4, v4_fragment(5, 16, false, bytes_view(d).first(8)))));
  EXPECT_FALSE(layer.feed(
      test::make_frame(link_type::ipv4, v4_fragment(5, 32, false, bytes_view(d).first(8)))));
  EXPECT_EQ(st[counter::ip_fragment_bad], 3u);
}

TEST(Ipv4Reassembly, HostileFragmentStreamStaysWithinLimits) {
  ip_limits lim;
  lim.max_pending_datagrams = 64;
  lim.max_pending_bytes = 256 * 1024;
  lim.max_fragments_per_datagram = 32;
  counters st;
  ip_layer layer(st, lim);
  std::mt19937 rng(42);
  const byte_buffer d = data_of(1480);
  std::size_t max_bytes = 0;
  std::size_t max_dgrams = 0;
  for (std::uint64_t i = 0; i < 50000; ++i) {
    const auto id = static_cast<std::uint16_t>(rng() % 5000);
    const std::size_t off = (rng() % 8000) * 8;
    const std::size_t len = 8 * (1 + rng() % 180);
    const byte_buffer f = v4_fragment(id, off, true, bytes_view(d).first(len));
    (void)layer.feed(test::make_frame(link_type::ipv4, f, i + 1, static_cast<std::int64_t>(i)));
    max_bytes = std::max(max_bytes, layer.pending_bytes());
    max_dgrams = std::max(max_dgrams, layer.pending_datagrams());
  }
  EXPECT_LE(max_bytes, lim.max_pending_bytes);
  EXPECT_LE(max_dgrams, lim.max_pending_datagrams);
  EXPECT_GT(st[counter::ip_fragment_overflow], 0u);
}

TEST(Ipv6Reassembly, FragmentsAfterHopByHopWithDestinationOptionsInside) {
  // The fragmentable part starts with a destination options header, then the SCTP bytes.
  const byte_buffer body = data_of(150);
  byte_buffer fragmentable = {132, 0, 1, 4, 0, 0, 0, 0};
  fragmentable.insert(fragmentable.end(), body.begin(), body.end());
  const bytes_view v(fragmentable);
  counters st;
  ip_layer layer(st);
  EXPECT_FALSE(
      layer.feed(test::make_frame(link_type::ipv6, v6_fragment(9, 80, false, v.subspan(80), 60))));
  auto p = layer.feed(test::make_frame(link_type::ipv6, v6_fragment(9, 0, true, v.first(80), 60)));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->reassembled);
  EXPECT_EQ(p->protocol, 132);
  EXPECT_TRUE(std::equal(p->payload.begin(), p->payload.end(), body.begin(), body.end()));
  EXPECT_EQ(st[counter::ip_reassembled], 1u);
}

} // namespace
} // namespace sec5g::capture
