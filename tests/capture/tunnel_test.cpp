// Tunnels in front of N2: IP in IP, GRE, ERSPAN I-III, VXLAN, VXLAN-GPE, Geneve, MPLS, and IP
// fragments at either level of a tunnel.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "capture/test_util.hpp"
#include "sec5g/capture/build.hpp"
#include "sec5g/capture/ip.hpp"
#include "support/checksum.hpp"
#include "support/pattern.hpp"

namespace sec5g::capture {
namespace {

const ip_address outer_src = ip_address::v4(192, 0, 2, 1);
const ip_address outer_dst = ip_address::v4(192, 0, 2, 2);
const ip_address gnb = ip_address::v4(10, 0, 0, 1);
const ip_address amf = ip_address::v4(10, 0, 0, 2);

byte_buffer cat(std::initializer_list<bytes_view> parts) {
  byte_buffer out;
  for (const auto p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// The SCTP packet every test carries (its octets are not parsed here).
byte_buffer sctp_bytes(std::size_t n = 60) {
  return sec5g::test::pattern_bytes(n, 5, 13);
}

byte_buffer ip4(bytes_view payload, std::uint8_t proto, ip_address s = outer_src,
                ip_address d = outer_dst, std::uint16_t id = 0) {
  byte_buffer out;
  ip_spec spec{s, d};
  spec.protocol = proto;
  spec.identification = id;
  EXPECT_TRUE(append_ip_header(out, spec, payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

byte_buffer ip6(bytes_view payload, std::uint8_t proto) {
  byte_buffer out;
  ip_spec spec{*ip_address::parse("2001:db8::1"), *ip_address::parse("2001:db8::2")};
  spec.protocol = proto;
  EXPECT_TRUE(append_ip_header(out, spec, payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

/// The innermost datagram: gNB -> AMF, SCTP.
byte_buffer n2_packet() {
  return ip4(sctp_bytes(), 132, gnb, amf);
}

byte_buffer eth(std::uint16_t et, bytes_view payload, std::uint16_t vlan = 0) {
  byte_buffer out = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
  if (vlan != 0) {
    out.insert(out.end(),
               {0x81, 0x00, static_cast<std::uint8_t>(vlan >> 8), static_cast<std::uint8_t>(vlan)});
  }
  out.insert(out.end(), {static_cast<std::uint8_t>(et >> 8), static_cast<std::uint8_t>(et)});
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

/// A GRE header with `flags` (C/K/S words zero-filled) and protocol `et`, then `payload`.
byte_buffer gre(std::uint16_t flags, std::uint16_t et, bytes_view payload) {
  byte_buffer out = {static_cast<std::uint8_t>(flags >> 8), static_cast<std::uint8_t>(flags),
                     static_cast<std::uint8_t>(et >> 8), static_cast<std::uint8_t>(et)};
  for (const int bit : {0x8000, 0x2000, 0x1000})
    if ((flags & bit) != 0) out.insert(out.end(), {0x11, 0x22, 0x33, 0x44});
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

byte_buffer udp(std::uint16_t sp, std::uint16_t dp, bytes_view payload) {
  byte_buffer out(8 + payload.size(), 0);
  store_be16(out.data(), sp);
  store_be16(out.data() + 2, dp);
  store_be16(out.data() + 4, static_cast<std::uint16_t>(out.size()));
  std::copy(payload.begin(), payload.end(), out.begin() + 8);
  return out;
}

byte_buffer vxlan(bytes_view inner_eth) {
  const byte_buffer h = {0x08, 0, 0, 0, 0x00, 0x12, 0x34, 0};
  return udp(49152, 4789, cat({h, inner_eth}));
}

/// An MPLS label stack of `n` entries (the last one bottom of stack).
byte_buffer mpls(unsigned n, bytes_view payload) {
  byte_buffer out;
  for (unsigned i = 0; i < n; ++i)
    out.insert(out.end(), {0x00, static_cast<std::uint8_t>(0x10 + i),
                           static_cast<std::uint8_t>(i + 1 == n ? 0x01 : 0x00), 0x40});
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

/// An outer Ethernet frame around the outer IPv4 datagram carrying `l4` with protocol `proto`.
byte_buffer outer(std::uint8_t proto, bytes_view l4) {
  return eth(0x0800, ip4(l4, proto));
}

/// The two fragments (payload split at `at`, a multiple of 8) of IPv4 datagram `dg`.
std::pair<byte_buffer, byte_buffer> fragment(bytes_view dg, std::size_t at, std::uint16_t id) {
  auto frag = [&](std::size_t from, std::size_t len, bool more) {
    byte_buffer f(dg.begin(), dg.begin() + 20);
    f.insert(f.end(), dg.begin() + 20 + static_cast<std::ptrdiff_t>(from),
             dg.begin() + 20 + static_cast<std::ptrdiff_t>(from + len));
    store_be16(f.data() + 2, static_cast<std::uint16_t>(f.size()));
    store_be16(f.data() + 4, id);
    store_be16(f.data() + 6, static_cast<std::uint16_t>((more ? 0x2000 : 0) | (from / 8)));
    fix_ipv4_checksum(bytes_span(f).first(20));
    return f;
  };
  return {frag(0, at, true), frag(at, dg.size() - 20 - at, false)};
}

/// The octets `pieces` point to in `frames` (frame n = frames[n - 1]), laid out as the unit.
byte_buffer gather(std::span<const byte_piece> pieces, const std::vector<byte_buffer>& frames,
                   std::size_t size) {
  byte_buffer out(size, 0);
  std::size_t covered = 0;
  for (const auto& p : pieces) {
    EXPECT_GE(p.frame, 1u);
    EXPECT_LE(p.frame, frames.size());
    const auto& f = frames.at(p.frame - 1);
    EXPECT_LE(std::size_t{p.frame_offset} + p.length, f.size());
    EXPECT_LE(std::size_t{p.offset} + p.length, size);
    std::copy_n(f.begin() + p.frame_offset, p.length, out.begin() + p.offset);
    covered += p.length;
  }
  EXPECT_EQ(covered, size);
  return out;
}

struct encapsulation {
  std::string name;
  byte_buffer frame;
  unsigned levels; ///< tunnels opened
};

std::vector<encapsulation> encapsulations() {
  const byte_buffer in = n2_packet();
  const byte_buffer in_eth = eth(0x0800, in);
  const byte_buffer in_eth_vlan = eth(0x0800, in, 100);
  return {
      {"IPv4 in IPv4", outer(4, in), 1},
      {"IPv4 in IPv6", eth(0x86dd, ip6(in, 4)), 1},
      {"GRE, IPv4", outer(47, gre(0, 0x0800, in)), 1},
      {"GRE with checksum, key and sequence number", outer(47, gre(0xb000, 0x0800, in)), 1},
      {"GRE, transparent Ethernet bridging with a VLAN tag",
       outer(47, gre(0x2000, 0x6558, in_eth_vlan)), 1},
      {"GRE, MPLS", outer(47, gre(0, 0x8847, mpls(2, in))), 1},
      {"ERSPAN type I", outer(47, gre(0, 0x88be, in_eth)), 1},
      {"ERSPAN type II",
       outer(47, gre(0x1000, 0x88be, cat({byte_buffer{0x10, 0x64, 0, 1, 0, 0, 0, 0}, in_eth}))), 1},
      {"ERSPAN type III",
       outer(47, gre(0x1000, 0x22eb, cat({byte_buffer(11, 0x20), byte_buffer{0x00}, in_eth}))), 1},
      {"ERSPAN type III with the platform subheader",
       outer(47,
             gre(0x1000, 0x22eb,
                 cat({byte_buffer(11, 0x20), byte_buffer{0x01}, byte_buffer(8, 0x7f), in_eth}))),
       1},
      {"VXLAN", outer(17, vxlan(in_eth)), 1},
      {"VXLAN from port 4789",
       outer(17, udp(4789, 50000, cat({byte_buffer{0x08, 0, 0, 0, 0, 0, 1, 0}, in_eth}))), 1},
      {"VXLAN-GPE, IPv4",
       outer(17, udp(50000, 4790, cat({byte_buffer{0x0c, 0, 0, 1, 0, 0, 1, 0}, in}))), 1},
      {"VXLAN-GPE, Ethernet",
       outer(17, udp(50000, 4790, cat({byte_buffer{0x0c, 0, 0, 3, 0, 0, 1, 0}, in_eth}))), 1},
      {"Geneve with 8 octets of options",
       outer(17, udp(50000, 6081,
                     cat({byte_buffer{0x02, 0, 0x65, 0x58, 0, 0, 1, 0}, byte_buffer(8, 0x33),
                          in_eth}))),
       1},
      {"MPLS on the link", eth(0x8847, mpls(3, in)), 0},
      {"VXLAN in GRE in VXLAN",
       outer(17, vxlan(eth(0x0800, ip4(gre(0, 0x0800, ip4(vxlan(in_eth), 17)), 47)))), 3},
  };
}

TEST(Tunnel, EveryEncapsulationGivesTheInnermostDatagramAndWhereItLies) {
  const byte_buffer in = n2_packet();
  const byte_buffer payload = sctp_bytes();
  for (const bool record : {false, true}) {
    for (const auto& e : encapsulations()) {
      SCOPED_TRACE(e.name + (record ? " (recording)" : ""));
      counters st;
      ip_layer ip(st);
      ip.record_pieces(record);
      const auto pkt = ip.feed(test::make_frame(link_type::ethernet, e.frame));
      ASSERT_TRUE(pkt.has_value());
      EXPECT_EQ(pkt->protocol, 132);
      EXPECT_EQ(pkt->src, gnb);
      EXPECT_EQ(pkt->dst, amf);
      EXPECT_EQ(byte_buffer(pkt->payload.begin(), pkt->payload.end()), payload);
      EXPECT_EQ(pkt->ip_offset, e.frame.size() - in.size()); // the inner datagram ends the frame
      EXPECT_EQ(st[counter::tunnel_packets], e.levels);
      EXPECT_EQ(st[counter::ip_packets], 1u);
      EXPECT_EQ(st.anomalies(), 0u);
      if (record) {
        ASSERT_EQ(pkt->pieces.size(), 1u);
        EXPECT_EQ(pkt->pieces[0].frame, 1u);
        EXPECT_EQ(pkt->pieces[0].frame_offset, e.frame.size() - payload.size());
        EXPECT_EQ(pkt->pieces[0].offset, 0u);
        EXPECT_EQ(pkt->pieces[0].length, payload.size());
      } else {
        EXPECT_TRUE(pkt->pieces.empty());
      }
    }
  }
}

TEST(Tunnel, DatagramsThatAreNoTunnelAreHandedOnAsTheyAre) {
  const byte_buffer in = n2_packet();
  struct kase {
    std::string name;
    byte_buffer frame;
    std::uint8_t protocol;
  };
  const std::vector<kase> cases = {
      {"GRE version 1 (PPTP)", outer(47, gre(0x0001, 0x880b, in)), 47},
      {"GRE carrying ARP", outer(47, gre(0, 0x0806, byte_buffer(28, 0))), 47},
      {"UDP to another port", outer(17, udp(50000, 2152, in)), 17},
      {"VXLAN-GPE carrying NSH",
       outer(17, udp(50000, 4790, cat({byte_buffer{0x0c, 0, 0, 4, 0, 0, 1, 0}, in}))), 17},
      {"Geneve carrying ARP",
       outer(17, udp(50000, 6081, cat({byte_buffer{0, 0, 0x08, 0x06, 0, 0, 1, 0}, in}))), 17},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    counters st;
    ip_layer ip(st);
    const auto pkt = ip.feed(test::make_frame(link_type::ethernet, c.frame));
    ASSERT_TRUE(pkt.has_value());
    EXPECT_EQ(pkt->protocol, c.protocol);
    EXPECT_EQ(pkt->src, outer_src);
    EXPECT_EQ(st[counter::tunnel_packets], 0u);
    EXPECT_EQ(st.anomalies(), 0u);
  }
  // An MPLS payload that is neither IPv4 nor IPv6 (a pseudowire control word) is not IP.
  counters st;
  ip_layer ip(st);
  EXPECT_FALSE(
      ip.feed(test::make_frame(link_type::ethernet, eth(0x8847, mpls(1, byte_buffer(40, 0))))));
  EXPECT_EQ(st[counter::link_non_ip], 1u);
  // Neither is an ARP frame mirrored through ERSPAN.
  EXPECT_FALSE(ip.feed(test::make_frame(
      link_type::ethernet, outer(47, gre(0, 0x88be, eth(0x0806, byte_buffer(28, 0)))))));
  EXPECT_EQ(st[counter::link_non_ip], 2u);
  EXPECT_EQ(st[counter::tunnel_packets], 1u);
  EXPECT_EQ(st.anomalies(), 0u);
}

TEST(Tunnel, BrokenTunnelHeadersAreCountedAndTheFrameIsDropped) {
  const byte_buffer in = n2_packet();
  byte_buffer nested = in;
  for (unsigned i = 0; i < max_tunnel_depth; ++i)
    nested = ip4(nested, 4);
  struct kase {
    std::string name;
    byte_buffer frame;
    counter counted;
  };
  const std::vector<kase> cases = {
      {"GRE with the routing bit", outer(47, gre(0x4000, 0x0800, cat({byte_buffer(4, 0), in}))),
       counter::tunnel_malformed},
      {"GRE with recursion control", outer(47, gre(0x0100, 0x0800, in)), counter::tunnel_malformed},
      {"GRE header cut", outer(47, byte_buffer{0x00, 0x00}), counter::tunnel_malformed},
      {"GRE key word cut", outer(47, byte_buffer{0x20, 0x00, 0x08, 0x00, 0x01}),
       counter::tunnel_malformed},
      {"ERSPAN type III header cut", outer(47, gre(0x1000, 0x22eb, byte_buffer(6, 0))),
       counter::tunnel_malformed},
      {"ERSPAN inner Ethernet cut", outer(47, gre(0, 0x88be, byte_buffer(10, 0))),
       counter::tunnel_malformed},
      {"VXLAN with a UDP length below its header",
       outer(17,
             [&] {
               auto u = vxlan(eth(0x0800, in));
               store_be16(u.data() + 4, 12);
               return u;
             }()),
       counter::tunnel_malformed},
      {"Geneve version 1",
       outer(17, udp(50000, 6081,
                     cat({byte_buffer{0x40, 0, 0x65, 0x58, 0, 0, 1, 0}, eth(0x0800, in)}))),
       counter::tunnel_malformed},
      {"Geneve options past the datagram",
       outer(17, udp(50000, 6081, byte_buffer{0x3f, 0, 0x65, 0x58, 0, 0, 1, 0, 0, 0})),
       counter::tunnel_malformed},
      {"tunnels nested deeper than the limit", outer(4, nested), counter::tunnel_malformed},
      {"nine MPLS labels", eth(0x8847, mpls(9, in)), counter::link_malformed},
      {"an inner IPv4 header cut", outer(4, byte_buffer(in.begin(), in.begin() + 12)),
       counter::ipv4_bad_header},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    counters st;
    ip_layer ip(st);
    EXPECT_FALSE(ip.feed(test::make_frame(link_type::ethernet, c.frame)).has_value());
    EXPECT_EQ(st[c.counted], 1u);
    EXPECT_EQ(st.anomalies(), 1u);
    EXPECT_EQ(st[counter::ip_packets], 0u);
  }
  // One level less than the limit is opened.
  byte_buffer deep = in;
  for (unsigned i = 0; i + 1 < max_tunnel_depth; ++i)
    deep = ip4(deep, 4);
  counters st;
  ip_layer ip(st);
  const auto pkt = ip.feed(test::make_frame(link_type::ethernet, outer(4, deep)));
  ASSERT_TRUE(pkt.has_value());
  EXPECT_EQ(pkt->src, gnb);
  EXPECT_EQ(st[counter::tunnel_packets], max_tunnel_depth);
}

TEST(Tunnel, ACaptureCutInsideTheTunnelIsTruncationNotAnAnomaly) {
  const byte_buffer in = n2_packet();
  const byte_buffer full = outer(17, vxlan(eth(0x0800, in)));
  for (const std::size_t keep : {std::size_t{14 + 20 + 8 + 4}, full.size() - 10}) {
    SCOPED_TRACE(keep);
    counters st;
    ip_layer ip(st);
    const byte_buffer cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(keep));
    const auto pkt = ip.feed(
        test::make_frame(link_type::ethernet, cut, 1, 0, static_cast<std::uint32_t>(full.size())));
    EXPECT_EQ(st.anomalies(), 0u);
    EXPECT_GE(st[counter::truncated_packets], 1u);
    if (keep == full.size() - 10) {
      ASSERT_TRUE(pkt.has_value());
      EXPECT_TRUE(pkt->truncated);
      EXPECT_EQ(pkt->src, gnb);
      EXPECT_EQ(pkt->payload.size(), sctp_bytes().size() - 10);
    } else {
      EXPECT_FALSE(pkt.has_value());
    }
  }
}

TEST(Tunnel, OuterFragmentsAreReassembledAndThePiecesPointIntoEachFrame) {
  const byte_buffer payload = sctp_bytes(300);
  const byte_buffer in = ip4(payload, 132, gnb, amf);
  const byte_buffer outer_dg = ip4(vxlan(eth(0x0800, in)), 17, outer_src, outer_dst, 77);
  auto [f1, f2] = fragment(outer_dg, 200, 77);
  const std::vector<byte_buffer> frames = {eth(0x0800, f1), eth(0x0800, f2)};
  counters st;
  ip_layer ip(st);
  ip.record_pieces(true);
  EXPECT_FALSE(ip.feed(test::make_frame(link_type::ethernet, frames[0], 1)).has_value());
  EXPECT_EQ(ip.oldest_pending_frame(), 1u);
  const auto pkt = ip.feed(test::make_frame(link_type::ethernet, frames[1], 2));
  ASSERT_TRUE(pkt.has_value());
  EXPECT_EQ(pkt->src, gnb);
  EXPECT_EQ(pkt->protocol, 132);
  EXPECT_EQ(pkt->ip_offset, 0u); // the inner header is in no single frame's octets
  EXPECT_EQ(byte_buffer(pkt->payload.begin(), pkt->payload.end()), payload);
  EXPECT_EQ(gather(pkt->pieces, frames, payload.size()), payload);
  bool in_both = false;
  for (const auto& p : pkt->pieces)
    in_both = in_both || p.frame == 1;
  EXPECT_TRUE(in_both);
  EXPECT_EQ(st[counter::ip_reassembled], 1u);
  EXPECT_EQ(st[counter::tunnel_packets], 1u);
  EXPECT_EQ(st.anomalies(), 0u);
}

TEST(Tunnel, InnerFragmentsKeepTheirPiecesWhenOneCameInAReassembledOuterDatagram) {
  // Inner datagram in two fragments: the first in a VXLAN datagram fragmented on the outside
  // (frames 1 and 2), the second in an unfragmented VXLAN datagram (frame 3).
  const byte_buffer payload = sctp_bytes(400);
  const byte_buffer in = ip4(payload, 132, gnb, amf);
  auto [i1, i2] = fragment(in, 240, 5);
  const byte_buffer outer1 = ip4(vxlan(eth(0x0800, i1)), 17, outer_src, outer_dst, 900);
  auto [o1, o2] = fragment(outer1, 160, 900);
  const std::vector<byte_buffer> frames = {eth(0x0800, o1), eth(0x0800, o2),
                                           outer(17, vxlan(eth(0x0800, i2)))};
  for (const bool record : {false, true}) {
    SCOPED_TRACE(record);
    counters st;
    ip_layer ip(st);
    ip.record_pieces(record);
    EXPECT_FALSE(ip.feed(test::make_frame(link_type::ethernet, frames[0], 1)).has_value());
    EXPECT_FALSE(ip.feed(test::make_frame(link_type::ethernet, frames[1], 2)).has_value());
    // The inner first fragment is held; its octets came in frames 1 and 2.
    if (record) {
      EXPECT_EQ(ip.oldest_pending_frame(), 1u);
    }
    const auto pkt = ip.feed(test::make_frame(link_type::ethernet, frames[2], 3));
    ASSERT_TRUE(pkt.has_value());
    EXPECT_EQ(pkt->src, gnb);
    EXPECT_EQ(byte_buffer(pkt->payload.begin(), pkt->payload.end()), payload);
    if (record) {
      EXPECT_EQ(gather(pkt->pieces, frames, payload.size()), payload);
    }
    EXPECT_EQ(st[counter::ip_reassembled], 2u);
    EXPECT_EQ(st[counter::tunnel_packets], 2u);
    EXPECT_EQ(st.anomalies(), 0u);
  }
}


// --- checksums of tunnel headers over the tunnelled packet (`sec5g decipher` rewrites it)

using sec5g::test::oracle_checksum;
using sec5g::test::oracle_udp_checksum;

/// `dg` (an IP datagram carrying UDP) with its UDP checksum set.
byte_buffer with_udp_checksum(byte_buffer dg) {
  const std::size_t hl = (dg[0] >> 4) == 6 ? 40 : 20;
  store_be16(dg.data() + hl + 6, oracle_udp_checksum(dg));
  return dg;
}

/// `g` (a GRE datagram with the C bit) with its checksum set.
byte_buffer with_gre_checksum(byte_buffer g) {
  g[4] = 0;
  g[5] = 0;
  store_be16(g.data() + 4, oracle_checksum(g));
  return g;
}

/// What a recording IP layer reports of the tunnel checksums of `frames` (numbered from 1):
/// those of the datagram the last frame completes, or none when it completes none.
std::vector<recorded_checksum> checksums_of(const std::vector<byte_buffer>& frames) {
  counters st;
  ip_layer ip(st);
  ip.record_pieces(true);
  std::optional<ip_packet> pkt;
  for (std::size_t i = 0; i < frames.size(); ++i)
    pkt = ip.feed(test::make_frame(link_type::ethernet, frames[i], i + 1));
  if (!pkt) return {};
  return {pkt->tunnel_checksums.begin(), pkt->tunnel_checksums.end()};
}

/// The datagram of checksum `c` within `frame` (the one piece it was captured in).
bytes_span datagram_in(byte_buffer& frame, const recorded_checksum& c) {
  EXPECT_EQ(c.pieces.size(), 1u);
  EXPECT_EQ(c.pieces.at(0).length, c.sum.length);
  return bytes_span(frame).subspan(c.pieces.at(0).frame_offset, c.sum.length);
}

TEST(TunnelChecksum, OuterUdpAndGreChecksumsAreFoundOutermostFirstAndRecomputedInnermostFirst) {
  // VXLAN (UDP checksum set) carrying GRE (checksum set) carrying the N2 packet.
  const byte_buffer g = with_gre_checksum(gre(0x8000, 0x0800, n2_packet()));
  const byte_buffer outer_dg = with_udp_checksum(ip4(vxlan(eth(0x0800, ip4(g, 47))), 17));
  byte_buffer frame = eth(0x0800, outer_dg);
  const auto found = checksums_of({frame});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].sum.type, tunnel_checksum::kind::udp);
  EXPECT_EQ(found[0].pieces.at(0).frame_offset, 14u + 20u);
  EXPECT_EQ(found[0].sum.length, outer_dg.size() - 20);
  EXPECT_EQ(found[1].sum.type, tunnel_checksum::kind::gre);
  EXPECT_EQ(found[1].pieces.at(0).frame_offset, 14u + 20u + 16u + 14u + 20u);
  EXPECT_EQ(found[1].sum.length, g.size());
  for (const auto& c : found)
    EXPECT_TRUE(tunnel_checksum_ok(c.sum, datagram_in(frame, c)));

  // A rewrite of the innermost packet breaks both; recomputed innermost first, both verify
  // and equal the oracle's.
  frame[frame.size() - 10] ^= 0x5a;
  for (const auto& c : found)
    EXPECT_FALSE(tunnel_checksum_ok(c.sum, datagram_in(frame, c)));
  for (auto c = found.rbegin(); c != found.rend(); ++c)
    store_tunnel_checksum(c->sum, datagram_in(frame, *c));
  for (const auto& c : found)
    EXPECT_TRUE(tunnel_checksum_ok(c.sum, datagram_in(frame, c)));
  const bytes_view gre_now = datagram_in(frame, found[1]);
  const byte_buffer gre_want = with_gre_checksum(byte_buffer(gre_now.begin(), gre_now.end()));
  EXPECT_EQ(load_be16(gre_now.data() + 4), load_be16(gre_want.data() + 4));
  const bytes_view dg_now = bytes_view(frame).subspan(14);
  EXPECT_EQ(load_be16(dg_now.data() + 20 + 6), oracle_udp_checksum(dg_now));
}

TEST(TunnelChecksum, TheIpv6PseudoHeaderIsUsedAndAComputedZeroIsSentAsAllOnes) {
  // Geneve over IPv6 (RFC 8200 8.1: the UDP checksum is mandatory there).
  byte_buffer payload = cat({byte_buffer{0x00, 0, 0x08, 0x00, 0, 0, 1, 0}, n2_packet()});
  byte_buffer frame = eth(0x86dd, with_udp_checksum(ip6(udp(50000, 6081, payload), 17)));
  auto found = checksums_of({frame});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].pieces.at(0).frame_offset, 14u + 40u);
  const tunnel_checksum c = found[0].sum;
  const bytes_span dg = datagram_in(frame, found[0]);
  EXPECT_TRUE(tunnel_checksum_ok(c, dg));
  frame.back() ^= 0xff;
  EXPECT_FALSE(tunnel_checksum_ok(c, dg));
  store_tunnel_checksum(c, dg);
  EXPECT_TRUE(tunnel_checksum_ok(c, dg));
  EXPECT_EQ(load_be16(frame.data() + 14 + 40 + 6),
            oracle_udp_checksum(bytes_view(frame).subspan(14)));

  // Two octets of the packet chosen so that the computed checksum is 0: sent as 0xffff.
  const std::size_t w = frame.size() - 2; // an even offset within the UDP datagram
  ASSERT_EQ((w - 14 - 40) % 2, 0u);
  frame[w] = 0;
  frame[w + 1] = 0;
  store_tunnel_checksum(c, dg);
  const std::uint16_t sum = load_be16(frame.data() + 14 + 40 + 6);
  // Adding it to the sum makes it all ones (with the field itself still holding it, as stored).
  store_be16(frame.data() + w, sum);
  store_tunnel_checksum(c, dg);
  EXPECT_EQ(load_be16(frame.data() + 14 + 40 + 6), 0xffff);
  EXPECT_TRUE(tunnel_checksum_ok(c, dg));
}

TEST(TunnelChecksum, NoneIsRecordedWhereNoneCoversAWholeTunnelledPacket) {
  const byte_buffer in_eth = eth(0x0800, n2_packet());
  // No checksum: VXLAN with UDP checksum 0, GRE without the C bit, IP in IP, plain N2.
  EXPECT_TRUE(checksums_of({outer(17, vxlan(in_eth))}).empty());
  EXPECT_TRUE(checksums_of({outer(47, gre(0x2000, 0x0800, n2_packet()))}).empty());
  EXPECT_TRUE(checksums_of({outer(4, n2_packet())}).empty());
  EXPECT_TRUE(checksums_of({eth(0x0800, n2_packet())}).empty());
  // UDP with a checksum to a port that is no tunnel.
  EXPECT_TRUE(
      checksums_of({eth(0x0800, with_udp_checksum(ip4(udp(50000, 53, in_eth), 17)))}).empty());
  // (Copies built by size: GCC 12 -O2 warns of a false overflow on a shrinking resize.)
  const byte_buffer dg = with_udp_checksum(ip4(vxlan(in_eth), 17));
  const byte_buffer whole = eth(0x0800, dg);
  // A frame the capture cut inside the tunnel datagram.
  const byte_buffer cut(whole.begin(), whole.end() - 30);
  EXPECT_TRUE(checksums_of({cut}).empty());
  // A UDP length beyond the datagram (the frame has padding after it) is not trusted.
  byte_buffer padded(whole.size() + 40, 0);
  std::copy(whole.begin(), whole.end(), padded.begin());
  store_be16(padded.data() + 14 + 20 + 4, static_cast<std::uint16_t>(dg.size() - 20 + 8));
  EXPECT_TRUE(checksums_of({padded}).empty());
  // The whole datagram in one frame is recorded (the guard of the cases above).
  EXPECT_EQ(checksums_of({whole}).size(), 1u);
  // Without recording, nothing is.
  counters st;
  ip_layer ip(st);
  const auto pkt = ip.feed(test::make_frame(link_type::ethernet, whole, 1));
  ASSERT_TRUE(pkt.has_value());
  EXPECT_TRUE(pkt->tunnel_checksums.empty());
}

TEST(TunnelChecksum, PartialSumsOfEvenLengthAddUpToTheChecksumOfTheWhole) {
  const byte_buffer a = sctp_bytes(12), b = sctp_bytes(33);
  const byte_buffer ab = cat({a, b});
  EXPECT_EQ(static_cast<std::uint16_t>(~ones_complement_sum(b, ones_complement_sum(a)) & 0xffff),
            oracle_checksum(ab));
  EXPECT_EQ(internet_checksum(ab), oracle_checksum(ab));
}

TEST(TunnelChecksum, AChecksumOverAFragmentedTunnelDatagramComesWithThePiecesOfEveryFrame) {
  const byte_buffer in_eth = eth(0x0800, ip4(sctp_bytes(300), 132, gnb, amf));
  for (const bool gre_tunnel : {false, true}) {
    SCOPED_TRACE(gre_tunnel ? "GRE" : "VXLAN");
    const byte_buffer l4 =
        gre_tunnel ? with_gre_checksum(gre(0x8000, 0x6558, in_eth)) : vxlan(in_eth);
    byte_buffer dg = ip4(l4, gre_tunnel ? 47 : 17, outer_src, outer_dst, 900);
    if (!gre_tunnel) dg = with_udp_checksum(dg);
    auto [o1, o2] = fragment(dg, 96, 900);
    const std::vector<byte_buffer> frames = {eth(0x0800, o1), eth(0x0800, o2)};
    // The first fragment alone completes nothing.
    EXPECT_TRUE(checksums_of({frames[0]}).empty());
    const auto found = checksums_of(frames);
    ASSERT_EQ(found.size(), 1u);
    const recorded_checksum& c = found[0];
    EXPECT_EQ(c.sum.type, gre_tunnel ? tunnel_checksum::kind::gre : tunnel_checksum::kind::udp);
    EXPECT_EQ(c.sum.length, dg.size() - 20);
    // The pieces give back the datagram from both frames, and its checksum verifies.
    byte_buffer got = gather(c.pieces, frames, c.sum.length);
    EXPECT_EQ(got, byte_buffer(dg.begin() + 20, dg.end()));
    EXPECT_TRUE(tunnel_checksum_ok(c.sum, got));
    got.back() ^= 1;
    EXPECT_FALSE(tunnel_checksum_ok(c.sum, got));
    store_tunnel_checksum(c.sum, got);
    EXPECT_TRUE(tunnel_checksum_ok(c.sum, got));
  }
}

} // namespace
} // namespace sec5g::capture
