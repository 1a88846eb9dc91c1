#include <gtest/gtest.h>

#include <algorithm>
#include <compare>
#include <random>
#include <vector>

#include "capture/test_util.hpp"
#include "sec5g/capture/build.hpp"
#include "sec5g/capture/ip.hpp"
#include "sec5g/core/hex.hpp"
#include "support/pattern.hpp"

namespace sec5g::capture {
namespace {

const ip_address src4 = ip_address::v4(10, 0, 0, 1);
const ip_address dst4 = ip_address::v4(10, 0, 0, 2);

byte_buffer payload_bytes(std::size_t n) {
  return sec5g::test::pattern_bytes(n, 1, 7);
}

byte_buffer ipv4_packet(bytes_view payload, std::uint8_t proto = 132) {
  byte_buffer out;
  ip_spec ip{src4, dst4};
  ip.protocol = proto;
  EXPECT_TRUE(append_ip_header(out, ip, payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

byte_buffer concat(std::initializer_list<bytes_view> parts) {
  byte_buffer out;
  for (const auto p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(Ip, InternetChecksumEqualsTheSixteenBitWordSumOnEveryLength) {
  // RFC 1071 by 16-bit words in network order (the definition) against internet_checksum and
  // ones_complement_sum (words as they lie in memory, eight octets at a time), on every length
  // 0..96 at eight alignments of random, all-zero and all-0xff data.
  auto reference = [](bytes_view d, std::uint16_t initial) {
    std::uint64_t sum = initial;
    std::size_t i = 0;
    for (; i + 1 < d.size(); i += 2)
      sum += (std::uint64_t{d[i]} << 8) | d[i + 1];
    if (i < d.size()) sum += std::uint64_t{d[i]} << 8;
    while ((sum >> 16) != 0)
      sum = (sum & 0xffffu) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum & 0xffffu);
  };
  std::uint64_t seed = 3;
  for (int fill = 0; fill < 3; ++fill) {
    byte_buffer b(96);
    for (auto& o : b) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      o = fill == 0 ? static_cast<std::uint8_t>(seed >> 56) : fill == 1 ? 0 : 0xff;
    }
    for (std::size_t n = 0; n <= b.size(); ++n)
      for (std::size_t off = 0; off < 8 && off + n <= b.size(); ++off) {
        const bytes_view d = bytes_view(b).subspan(off, n);
        EXPECT_EQ(internet_checksum(d), reference(d, 0)) << "fill " << fill << " n " << n;
        // A running sum carried in (pseudo headers, a message in pieces).
        for (const std::uint16_t initial :
             std::array<std::uint16_t, 5>{1, 0x8000, 0xfffe, 0xffff, 0x1234})
          EXPECT_EQ(static_cast<std::uint16_t>(~ones_complement_sum(d, initial) & 0xffffu),
                    reference(d, initial))
              << "fill " << fill << " n " << n << " initial " << initial;
      }
  }
}

TEST(IpAddress, EqualityAndOrderAreVersionThenOctetsInLexicographicOrder) {
  // The written-out == and <=> against the member-wise definition, on addresses that differ
  // in one octet (every position, both directions), in the version only, and at random.
  auto reference = [](const ip_address& x, const ip_address& y) {
    if (x.version != y.version) return x.version <=> y.version;
    return std::lexicographical_compare_three_way(x.octets.begin(), x.octets.end(),
                                                  y.octets.begin(), y.octets.end());
  };
  std::vector<ip_address> v;
  ip_address base;
  base.version = 6;
  for (std::size_t i = 0; i < 16; ++i)
    base.octets[i] = static_cast<std::uint8_t>(0x80 + i);
  v.push_back(base);
  for (std::size_t i = 0; i < 16; ++i) {
    for (int delta : {-0x80, -1, 1, 0x7f}) {
      ip_address a = base;
      a.octets[i] = static_cast<std::uint8_t>(a.octets[i] + delta);
      v.push_back(a);
    }
  }
  ip_address v4 = base;
  v4.version = 4;
  v.push_back(v4);
  v.push_back(ip_address::v4(10, 0, 0, 1));
  v.push_back(ip_address::v4(10, 0, 0, 2));
  v.push_back(ip_address::v4(9, 255, 255, 255));
  std::uint64_t seed = 12345;
  for (int k = 0; k < 200; ++k) {
    ip_address a;
    a.version = (k % 3) == 0 ? 4 : 6;
    for (auto& o : a.octets) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      o = static_cast<std::uint8_t>((seed >> 56) & 0x3);  // few values: many equal prefixes
    }
    v.push_back(a);
  }
  for (const auto& x : v) {
    for (const auto& y : v) {
      const auto want = reference(x, y);
      EXPECT_EQ(x <=> y, want);
      EXPECT_EQ(x == y, want == 0);
      EXPECT_EQ(x != y, want != 0);
    }
  }
}

TEST(Link, EthernetWithSingleAndDoubleVlanTags) {
  const byte_buffer pl = payload_bytes(20);
  const byte_buffer ip = ipv4_packet(pl);
  const byte_buffer macs(12, 0xaa);
  const std::uint8_t qinq[] = {0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0xc8, 0x08, 0x00};
  const byte_buffer frame = concat({macs, qinq, ip});
  auto lp = decode_link(link_type::ethernet, frame);
  ASSERT_TRUE(lp);
  EXPECT_EQ(lp->ethertype, 0x0800);
  EXPECT_EQ(lp->vlan_tags, 2);
  EXPECT_EQ(lp->payload.size(), ip.size());

  counters st;
  ip_layer layer(st);
  auto pkt = layer.feed(test::make_frame(link_type::ethernet, frame));
  ASSERT_TRUE(pkt);
  EXPECT_EQ(pkt->protocol, 132);
  EXPECT_EQ(pkt->src, src4);
  EXPECT_EQ(pkt->dst, dst4);
  EXPECT_TRUE(std::equal(pkt->payload.begin(), pkt->payload.end(), pl.begin(), pl.end()));
  EXPECT_EQ(pkt->ip_offset, 22u);

  // Built with one tag by our builder.
  link_spec ls;
  ls.vlan_id = 42;
  auto built = build_frame(ls, {src4, dst4}, pl);
  ASSERT_TRUE(built);
  auto lp1 = decode_link(link_type::ethernet, *built);
  ASSERT_TRUE(lp1);
  EXPECT_EQ(lp1->vlan_tags, 1);
}

TEST(Link, TooManyVlanTagsIsMalformed) {
  byte_buffer frame(12, 0);
  for (int i = 0; i < 5; ++i) {
    const std::uint8_t tag[] = {0x81, 0x00, 0x00, 0x01};
    frame.insert(frame.end(), tag, tag + 4);
  }
  const std::uint8_t tail[] = {0x08, 0x00};
  frame.insert(frame.end(), tail, tail + 2);
  EXPECT_FALSE(decode_link(link_type::ethernet, frame));
  counters st;
  ip_layer layer(st);
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::ethernet, frame)));
  EXPECT_EQ(st[counter::link_malformed], 1u);
}

TEST(Link, LinuxCookedV1AndV2) {
  const byte_buffer ip = ipv4_packet(payload_bytes(8));
  // SLL: packet type 0, ARPHRD_ETHER, addr len 6, 8 address octets, protocol 0x0800.
  const std::uint8_t sll[] = {0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00};
  // SLL2: protocol 0x0800, reserved, ifindex 3, ARPHRD_ETHER, packet type 4, addr len 6, addr.
  const std::uint8_t sll2[] = {0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0};
  counters st;
  ip_layer layer(st);
  const byte_buffer f1 = concat({sll, ip});
  const byte_buffer f2 = concat({sll2, ip});
  auto p1 = layer.feed(test::make_frame(link_type::linux_sll, f1));
  auto p2 = layer.feed(test::make_frame(link_type::linux_sll2, f2));
  ASSERT_TRUE(p1 && p2);
  EXPECT_EQ(p1->ip_offset, 16u);
  EXPECT_EQ(p2->ip_offset, 20u);
  EXPECT_EQ(p2->payload.size(), 8u);
  // Our builder's SLL2 header decodes the same way.
  link_spec ls;
  ls.link = link_type::linux_sll2;
  auto built = build_frame(ls, {src4, dst4}, payload_bytes(8));
  ASSERT_TRUE(built);
  auto p3 = layer.feed(test::make_frame(link_type::linux_sll2, *built));
  ASSERT_TRUE(p3);
  EXPECT_EQ(st[counter::ip_packets], 3u);
}

TEST(Link, RawIpv4Ipv6AndLoopbackFamilies) {
  const byte_buffer ip = ipv4_packet(payload_bytes(4));
  counters st;
  ip_layer layer(st);
  EXPECT_TRUE(layer.feed(test::make_frame(link_type::raw, ip)));
  EXPECT_TRUE(layer.feed(test::make_frame(link_type::ipv4, ip)));
  const std::uint8_t null_le[] = {2, 0, 0, 0};
  const std::uint8_t null_be[] = {0, 0, 0, 2};
  const byte_buffer n1 = concat({null_le, ip});
  const byte_buffer n2 = concat({null_be, ip});
  EXPECT_TRUE(layer.feed(test::make_frame(link_type::null_bsd, n1)));
  EXPECT_TRUE(layer.feed(test::make_frame(link_type::null_bsd, n2)));
  EXPECT_TRUE(layer.feed(test::make_frame(link_type::loop, n2)));
  EXPECT_EQ(st[counter::ip_packets], 5u);

  const auto a6 = *ip_address::parse("2001:db8::1");
  const auto b6 = *ip_address::parse("2001:db8::2");
  byte_buffer v6;
  ASSERT_TRUE(append_ip_header(v6, {a6, b6}, 4));
  const std::uint8_t four[] = {1, 2, 3, 4};
  v6.insert(v6.end(), four, four + 4);
  auto p = layer.feed(test::make_frame(link_type::raw, v6));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->src.to_string(), "2001:db8::1");
  EXPECT_EQ(p->payload.size(), 4u);
  EXPECT_TRUE(layer.feed(test::make_frame(link_type::ipv6, v6)));
  const std::uint8_t null6[] = {30, 0, 0, 0}; // AF_INET6 on macOS
  const byte_buffer n6 = concat({null6, v6});
  EXPECT_TRUE(layer.feed(test::make_frame(link_type::null_bsd, n6)));
  const std::uint8_t bad_version[] = {0x50, 0, 0, 0};
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::raw, bad_version)));
  EXPECT_EQ(st[counter::link_malformed], 1u);
}

TEST(Link, NonIpAndUnsupportedLinkTypesAreCountedNotErrors) {
  counters st;
  ip_layer layer(st);
  byte_buffer arp(42, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::ethernet, arp)));
  EXPECT_EQ(st[counter::link_non_ip], 1u);
  EXPECT_FALSE(layer.feed(test::make_frame(static_cast<link_type>(105), arp)));
  EXPECT_EQ(st[counter::link_unsupported], 1u);
  EXPECT_EQ(st.anomalies(), 0u);
}

TEST(Link, CaptureTruncationIsNotAnAnomaly) {
  const byte_buffer ip = ipv4_packet(payload_bytes(100));
  link_spec ls;
  auto frame = build_frame(ls, {src4, dst4}, payload_bytes(100));
  ASSERT_TRUE(frame);
  counters st;
  ip_layer layer(st);
  // Cut inside the Ethernet header by the snaplen: truncation.
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::ethernet, bytes_view(*frame).first(10), 1, 0,
                                           static_cast<std::uint32_t>(frame->size()))));
  EXPECT_EQ(st[counter::truncated_packets], 1u);
  EXPECT_EQ(st.anomalies(), 0u);
  // The same 10 bytes with no snaplen cut: a malformed link header.
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::ethernet, bytes_view(*frame).first(10))));
  EXPECT_EQ(st[counter::link_malformed], 1u);
  // Cut inside the IP payload: delivered, flagged truncated, counted as truncation.
  auto pkt = layer.feed(test::make_frame(link_type::ethernet, bytes_view(*frame).first(60), 2, 0,
                                         static_cast<std::uint32_t>(frame->size())));
  ASSERT_TRUE(pkt);
  EXPECT_TRUE(pkt->truncated);
  EXPECT_EQ(pkt->payload.size(), 60u - 14 - 20);
  EXPECT_EQ(st[counter::truncated_packets], 2u);
  // Cut inside the IP payload without a snaplen cut: the total length lies.
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::ethernet, bytes_view(*frame).first(60))));
  EXPECT_EQ(st[counter::ipv4_bad_total_length], 1u);
}

TEST(Ipv4, HeaderChecksIhlLengthsAndEthernetPadding) {
  byte_buffer ip = ipv4_packet(payload_bytes(6));
  auto h = decode_ipv4(ip);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->checksum_ok);
  EXPECT_FALSE(h->is_fragment);
  // Ethernet pads short frames to 60 octets: the trailer is not payload.
  byte_buffer padded = ip;
  padded.resize(46, 0);
  auto hp = decode_ipv4(padded);
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->payload.size(), 6u);
  // IHL below 5.
  byte_buffer bad = ip;
  bad[0] = 0x44;
  EXPECT_EQ(decode_ipv4(bad).error().code, decode_errc::bad_value);
  // Total length below the header length.
  bad = ip;
  store_be16(bad.data() + 2, 10);
  EXPECT_EQ(decode_ipv4(bad).error().code, decode_errc::length_too_large);
  // Options longer than the bytes.
  bad = ip;
  bad[0] = 0x4f;
  EXPECT_EQ(decode_ipv4(bytes_view(bad).first(26)).error().code, decode_errc::truncated);
  // Wrong checksum: counted, still delivered.
  bad = ip;
  bad[10] ^= 0x01;
  counters st;
  ip_layer layer(st);
  EXPECT_TRUE(layer.feed(test::make_frame(link_type::ipv4, bad)));
  EXPECT_EQ(st[counter::ipv4_bad_checksum], 1u);
}

// ip_layer::fast_path: the common frame (untagged Ethernet, IPv4 without options, not a
// fragment, no tunnel protocol, all of it captured) takes a shorter path, which must return
// what the general path returns. Ethernet/IPv4 frames with one or two fields changed at random
// (ethertype, version and IHL, total length, flags and fragment offset, protocol, checksum,
// the captured length, padding, a VLAN tag), fed to a layer with and one without the shorter
// path: the same datagrams and counters.
TEST(Ipv4, FastPathGivesTheGeneralPathsResultOnVariedFrames) {
  std::mt19937 rng(20261202);
  auto pick = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  counters fast_stats, general_stats;
  ip_layer fast(fast_stats), general(general_stats);
  general.fast_path(false);
  for (std::uint64_t n = 1; n <= 4000; ++n) {
    const byte_buffer payload = sec5g::test::pattern_bytes(1 + pick(80), 3, 5);
    static constexpr std::uint8_t protocols[] = {132, 132, 132, 6, 17, 4, 41, 47, 1};
    ip_spec ip{src4, dst4};
    ip.protocol = protocols[pick(9)];
    link_spec link;
    if (pick(10) == 0) link.vlan_id = 7;
    auto built = build_frame(link, ip, payload);
    ASSERT_TRUE(built);
    byte_buffer f = *built;
    const std::size_t l3 = link.vlan_id != 0 ? 18 : 14;
    std::uint32_t original = 0;
    for (std::uint32_t k = pick(3); k-- > 0;) {
      static constexpr std::uint8_t first_octets[] = {0x46, 0x44, 0x65, 0x4f};
      static constexpr std::uint16_t flags[] = {0x4000, 0x2000, 0x0001, 0x2003};
      const std::uint32_t what = pick(9);
      if (what >= 1 && what <= 5 && f.size() < l3 + 20) continue;  // cut short before
      switch (what) {
        case 0: store_be16(f.data() + l3 - 2, pick(2) == 0 ? 0x86dd : 0x0806); break;
        case 1: f[l3] = first_octets[pick(4)]; break;
        case 2: store_be16(f.data() + l3 + 2, static_cast<std::uint16_t>(pick(140))); break;
        case 3: store_be16(f.data() + l3 + 6, flags[pick(4)]); break;
        case 4: f[l3 + 9] = static_cast<std::uint8_t>(pick(256)); break;
        case 5: f[l3 + 10] ^= 0x40; break;
        case 6: f.resize(f.size() - std::min<std::size_t>(f.size() - l3, 1 + pick(30))); break;
        case 7: f.resize(f.size() + 1 + pick(20), 0); break;  // Ethernet padding
        default: original = static_cast<std::uint32_t>(f.size() + 1 + pick(20)); break;
      }
      if (pick(2) == 0 && f.size() >= l3 + 20) fix_ipv4_checksum(bytes_span(f.data() + l3, 20));
    }
    const frame fr = test::make_frame(link_type::ethernet, f, n, 0, original);
    const auto a = fast.feed(fr);
    const auto b = general.feed(fr);
    ASSERT_EQ(a.has_value(), b.has_value()) << "frame " << n;
    if (a) {
      EXPECT_EQ(a->src, b->src);
      EXPECT_EQ(a->dst, b->dst);
      EXPECT_EQ(a->protocol, b->protocol);
      // The frame's own octets, or (reassembled) each layer's own buffer with the same octets.
      const auto in_frame = [&](bytes_view v) {
        return v.data() >= f.data() && v.data() <= f.data() + f.size();
      };
      EXPECT_EQ(in_frame(a->payload), in_frame(b->payload)) << to_hex(f);
      if (in_frame(b->payload)) {
        EXPECT_EQ(a->payload.data(), b->payload.data()) << to_hex(f);
      }
      EXPECT_TRUE(std::ranges::equal(a->payload, b->payload)) << to_hex(f);
      EXPECT_EQ(a->truncated, b->truncated);
      EXPECT_EQ(a->reassembled, b->reassembled);
      EXPECT_EQ(a->ip_offset, b->ip_offset);
    }
    ASSERT_EQ(fast_stats.values, general_stats.values) << "frame " << n;
  }
  EXPECT_EQ(general.fast_frames(), 0u);
  EXPECT_GT(fast.fast_frames(), 1000u);  // else this compares only the general path
}

TEST(Ipv6, WalksHopByHopRoutingAndDestinationOptions) {
  const auto a6 = *ip_address::parse("2001:db8::1");
  const auto b6 = *ip_address::parse("2001:db8::2");
  const byte_buffer pl = payload_bytes(12);
  // hop-by-hop (8, next routing) | routing (24: len 2, next dest opts) | dest opts (8, next SCTP)
  byte_buffer ext = {43, 0, 1, 4, 0, 0, 0, 0};
  byte_buffer routing(24, 0);
  routing[0] = 60;
  routing[1] = 2;
  byte_buffer dopt = {132, 0, 1, 4, 0, 0, 0, 0};
  const byte_buffer chain = concat({ext, routing, dopt, pl});
  byte_buffer pkt;
  ip_spec ip{a6, b6};
  ip.protocol = 0;
  ASSERT_TRUE(append_ip_header(pkt, ip, chain.size()));
  pkt.insert(pkt.end(), chain.begin(), chain.end());
  auto h = decode_ipv6(pkt);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->protocol, 132);
  EXPECT_EQ(h->header_len, 40u + 8 + 24 + 8);
  EXPECT_TRUE(std::equal(h->payload.begin(), h->payload.end(), pl.begin(), pl.end()));

  // Chain limit.
  EXPECT_EQ(decode_ipv6(pkt, 2).error().code, decode_errc::nesting_too_deep);
  counters st;
  ip_limits lim;
  lim.max_ext_headers = 2;
  ip_layer layer(st, lim);
  EXPECT_FALSE(layer.feed(test::make_frame(link_type::ipv6, pkt)));
  EXPECT_EQ(st[counter::ipv6_too_many_ext], 1u);

  // A routing header whose length runs past the payload.
  byte_buffer bad = pkt;
  bad[40 + 8 + 1] = 200;
  ip_layer layer2(st);
  EXPECT_FALSE(layer2.feed(test::make_frame(link_type::ipv6, bad)));
  EXPECT_EQ(st[counter::ipv6_bad_ext_header], 1u);

  // No next header (59): empty payload.
  byte_buffer none;
  ip.protocol = 59;
  ASSERT_TRUE(append_ip_header(none, ip, 0));
  auto hn = decode_ipv6(none);
  ASSERT_TRUE(hn);
  EXPECT_EQ(hn->protocol, 59);
  EXPECT_TRUE(hn->payload.empty());
}

TEST(IpAddress, FormatsAndParses) {
  EXPECT_EQ(ip_address::v4(192, 168, 1, 20).to_string(), "192.168.1.20");
  auto a = ip_address::parse("fe80::1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->version, 6);
  EXPECT_EQ(a->to_string(), "fe80::1");
  EXPECT_FALSE(ip_address::parse("not an address"));
  EXPECT_LT(ip_address::v4(1, 2, 3, 4), ip_address::v4(1, 2, 3, 5));
  EXPECT_EQ(internet_checksum(std::array<std::uint8_t, 2>{0xff, 0xff}), 0);
}

} // namespace
} // namespace sec5g::capture
