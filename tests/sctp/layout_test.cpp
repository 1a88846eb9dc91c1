// pipeline_config::record_layout: where every octet of a delivered message was captured
// (user_message::layout) and which frames held fragments come from (oldest_pending_frame), for
// unfragmented messages, messages of several DATA / I-DATA chunks, IPv4 and IPv6 fragments.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "sec5g/capture/build.hpp"
#include "sec5g/sctp/build.hpp"
#include "sec5g/sctp/crc32c.hpp"
#include "sec5g/sctp/pipeline.hpp"
#include "support/pattern.hpp"

namespace sec5g::sctp {
namespace {

struct delivered {
  byte_buffer payload;
  std::uint64_t frame = 0;
  bool has_layout = false;
  std::vector<capture::byte_piece> pieces;
  std::vector<packet_layout> packets;
  std::vector<chunk_span> chunks;
  std::uint32_t tsn = 0;
  bool retransmission = false;
  bool fragment = false;
};

class LayoutTest : public ::testing::Test {
protected:
  /// Feeds `data` as frame number frames_.size() + 1 (frames are kept: layouts point into them).
  void feed(pipeline& p, const byte_buffer& data, std::int64_t ts = 0) {
    frames_.push_back(data);
    capture::frame f;
    f.number = frames_.size();
    f.timestamp_ns = ts;
    f.data = frames_.back();
    f.original_len = static_cast<std::uint32_t>(data.size());
    f.link = capture::link_type::ethernet;
    p.feed(f, [&](const user_message& m) {
      delivered d;
      d.payload.assign(m.payload.begin(), m.payload.end());
      d.frame = m.frame_number;
      d.has_layout = m.layout != nullptr;
      d.tsn = m.tsn;
      d.retransmission = m.retransmission;
      d.fragment = m.fragment;
      if (m.layout != nullptr) {
        d.chunks = m.layout->chunks;
        d.pieces = m.layout->payload;
        for (const auto& pk : m.layout->packets)
          d.packets.push_back(*pk);
      }
      out_.push_back(std::move(d));
    });
  }

  /// The frame bytes a piece names.
  bytes_view at(const capture::byte_piece& pc) const {
    const byte_buffer& f = frames_.at(pc.frame - 1);
    EXPECT_LE(std::size_t{pc.frame_offset} + pc.length, f.size());
    return bytes_view(f).subspan(pc.frame_offset, pc.length);
  }

  /// Every octet of `d.payload` is found, through the pieces, in the frames.
  void expect_pieces_match(const delivered& d) const {
    ASSERT_TRUE(d.has_layout);
    std::vector<int> seen(d.payload.size(), 0);
    for (const auto& pc : d.pieces) {
      ASSERT_LE(std::size_t{pc.offset} + pc.length, d.payload.size());
      const bytes_view b = at(pc);
      EXPECT_TRUE(std::equal(b.begin(), b.end(), d.payload.begin() + pc.offset));
      for (std::uint32_t i = 0; i < pc.length; ++i)
        ++seen[pc.offset + i];
    }
    for (std::size_t i = 0; i < seen.size(); ++i)
      EXPECT_GE(seen[i], 1) << "octet " << i;
  }

  /// The SCTP packet put together from its pieces.
  byte_buffer gather(const packet_layout& pk) const {
    byte_buffer b(pk.length, 0);
    for (const auto& pc : pk.pieces) {
      const bytes_view v = at(pc);
      std::copy(v.begin(), v.end(), b.begin() + pc.offset);
    }
    return b;
  }

  byte_buffer data_chunks(std::uint32_t tsn, bytes_view payload, bool begin, bool end) {
    byte_buffer c;
    data_spec d;
    d.tsn = tsn;
    d.begin = begin;
    d.end = end;
    d.payload = payload;
    append_data_chunk(c, d);
    return c;
  }

  byte_buffer sctp_frame(const byte_buffer& chunks) {
    return *build_frame(link_, ip_, 40000, ngap_port, 0x01020304, chunks);
  }

  /// The SCTP packet `pkt` in IPv4 fragments of `size` octets (Ethernet frames).
  std::vector<byte_buffer> ipv4_fragments(const byte_buffer& pkt, std::size_t size,
                                          std::uint16_t id) {
    std::vector<byte_buffer> v;
    for (std::size_t off = 0; off < pkt.size(); off += size) {
      const std::size_t len = std::min(size, pkt.size() - off);
      capture::ip_spec ip = ip_;
      ip.identification = id;
      byte_buffer f;
      EXPECT_TRUE(capture::append_link_header(f, link_, 4).has_value());
      const std::size_t h = f.size();
      EXPECT_TRUE(capture::append_ip_header(f, ip, len).has_value());
      const auto ff = static_cast<std::uint16_t>((off + len < pkt.size() ? 0x2000 : 0) | (off / 8));
      f[h + 6] = static_cast<std::uint8_t>(ff >> 8);
      f[h + 7] = static_cast<std::uint8_t>(ff);
      capture::fix_ipv4_checksum(bytes_span(f.data() + h, 20));
      f.insert(f.end(), pkt.begin() + static_cast<std::ptrdiff_t>(off),
               pkt.begin() + static_cast<std::ptrdiff_t>(off + len));
      v.push_back(std::move(f));
    }
    return v;
  }

  static byte_buffer payload_of(std::size_t n, std::uint8_t seed) {
    return sec5g::test::pattern_bytes(n, seed, 7);
  }

  pipeline_config recording() const {
    pipeline_config c;
    c.record_layout = true;
    return c;
  }

  capture::link_spec link_;
  capture::ip_spec ip_{capture::ip_address::v4(10, 0, 0, 1), capture::ip_address::v4(10, 0, 0, 2)};
  std::vector<byte_buffer> frames_;
  std::vector<delivered> out_;
};

TEST_F(LayoutTest, NoLayoutUnlessRequested) {
  pipeline p;
  feed(p, sctp_frame(data_chunks(1, payload_of(40, 1), true, true)));
  ASSERT_EQ(out_.size(), 1u);
  EXPECT_FALSE(out_[0].has_layout);
  EXPECT_FALSE(p.oldest_pending_frame().has_value());
}

TEST_F(LayoutTest, UnfragmentedMessageIsOnePieceOfItsFrame) {
  pipeline p(recording());
  byte_buffer chunks = data_chunks(1, payload_of(30, 1), true, true);
  const byte_buffer second = data_chunks(2, payload_of(21, 9), true, true);
  chunks.insert(chunks.end(), second.begin(), second.end());
  feed(p, sctp_frame(chunks));
  ASSERT_EQ(out_.size(), 2u);
  for (const auto& d : out_) {
    expect_pieces_match(d);
    ASSERT_EQ(d.pieces.size(), 1u);
    EXPECT_EQ(d.pieces[0].frame, 1u);
    ASSERT_EQ(d.packets.size(), 1u);
    EXPECT_FALSE(d.packets[0].truncated);
    // The packet's pieces give back the whole SCTP packet with its valid checksum.
    const byte_buffer pkt = gather(d.packets[0]);
    EXPECT_EQ(stored_checksum(pkt), sctp_checksum(pkt));
  }
  EXPECT_EQ(out_[1].pieces[0].frame_offset, out_[0].pieces[0].frame_offset + 30 + 2 + 16);
}

TEST_F(LayoutTest, ChunksInSeveralFramesMapBackToEachFrame) {
  pipeline p(recording());
  const byte_buffer msg = payload_of(90, 3);
  const bytes_view v(msg);
  feed(p, sctp_frame(data_chunks(10, v.subspan(0, 30), true, false)));
  EXPECT_EQ(p.oldest_pending_frame(), std::optional<std::uint64_t>(1));
  feed(p, sctp_frame(
              data_chunks(20, payload_of(5, 0), true, true))); // another message, other TSN space
  feed(p, sctp_frame(data_chunks(11, v.subspan(30, 30), false, false)));
  EXPECT_EQ(p.oldest_pending_frame(), std::optional<std::uint64_t>(1));
  ASSERT_EQ(out_.size(), 1u);
  feed(p, sctp_frame(data_chunks(12, v.subspan(60, 30), false, true)));
  EXPECT_FALSE(p.oldest_pending_frame().has_value());
  ASSERT_EQ(out_.size(), 2u);
  const delivered& d = out_[1];
  EXPECT_EQ(d.payload, msg);
  EXPECT_EQ(d.frame, 4u);
  expect_pieces_match(d);
  std::map<std::uint64_t, std::uint32_t> per_frame;
  for (const auto& pc : d.pieces)
    per_frame[pc.frame] += pc.length;
  EXPECT_EQ(per_frame, (std::map<std::uint64_t, std::uint32_t>{{1, 30}, {3, 30}, {4, 30}}));
  ASSERT_EQ(d.packets.size(), 3u);
  EXPECT_EQ(d.packets[0].pieces.at(0).frame, 1u);
  EXPECT_EQ(d.packets[2].pieces.at(0).frame, 4u);
}

TEST_F(LayoutTest, ChunkSpansGiveEachChunksTsnAndPlaceInTheMessage) {
  pipeline p(recording());
  const byte_buffer msg = payload_of(70, 4);
  const bytes_view v(msg);
  feed(p, sctp_frame(data_chunks(5, payload_of(12, 1), true, true)));
  feed(p, sctp_frame(data_chunks(6, v.subspan(0, 30), true, false)));
  feed(p, sctp_frame(data_chunks(7, v.subspan(30, 40), false, true)));
  ASSERT_EQ(out_.size(), 2u);
  EXPECT_EQ(out_[0].chunks, (std::vector<chunk_span>{{5, 0, 12}}));
  EXPECT_EQ(out_[1].chunks, (std::vector<chunk_span>{{6, 0, 30}, {7, 30, 40}}));
}

// Repeated TSNs: with deliver_retransmissions a whole repeated message comes flagged; a
// repeated fragment only with deliver_retransmitted_fragments, alone, flagged as a fragment,
// with its own layout.
TEST_F(LayoutTest, RepeatedFragmentsAreDeliveredAloneOnlyWhenAsked) {
  const byte_buffer msg = payload_of(60, 2);
  const bytes_view v(msg);
  for (const bool fragments : {false, true}) {
    SCOPED_TRACE(fragments);
    out_.clear();
    frames_.clear();
    pipeline_config c = recording();
    c.deliver_retransmissions = true;
    c.deliver_retransmitted_fragments = fragments;
    pipeline p(c);
    feed(p, sctp_frame(data_chunks(1, v.subspan(0, 25), true, false)));
    feed(p, sctp_frame(data_chunks(2, v.subspan(25, 35), false, true)));
    feed(p, sctp_frame(data_chunks(1, v.subspan(0, 25), true, false))); // repeated fragment
    feed(p, sctp_frame(data_chunks(3, payload_of(9, 7), true, true)));
    feed(p, sctp_frame(data_chunks(3, payload_of(9, 7), true, true))); // repeated message
    ASSERT_EQ(out_.size(), fragments ? 4u : 3u);
    EXPECT_EQ(out_[0].payload, msg);
    EXPECT_FALSE(out_[0].retransmission);
    std::size_t i = 1;
    if (fragments) {
      const delivered& d = out_[i++];
      EXPECT_TRUE(d.retransmission);
      EXPECT_TRUE(d.fragment);
      EXPECT_EQ(d.frame, 3u);
      EXPECT_EQ(d.tsn, 1u);
      EXPECT_EQ(d.payload, byte_buffer(v.begin(), v.begin() + 25));
      expect_pieces_match(d);
      ASSERT_FALSE(d.pieces.empty());
      EXPECT_EQ(d.pieces[0].frame, 3u);
      EXPECT_EQ(d.chunks, (std::vector<chunk_span>{{1, 0, 25}}));
    }
    EXPECT_FALSE(out_[i].retransmission);
    EXPECT_TRUE(out_[i + 1].retransmission);
    EXPECT_FALSE(out_[i + 1].fragment);
    EXPECT_EQ(out_[i + 1].frame, 5u);
    EXPECT_EQ(p.stats()[capture::counter::sctp_retransmissions], 2u);
  }
}

TEST_F(LayoutTest, IDataFragmentsOutOfOrderMapBack) {
  pipeline p(recording());
  const byte_buffer msg = payload_of(48, 5);
  const bytes_view v(msg);
  auto idata = [&](std::uint32_t tsn, std::uint32_t fsn, bool b, bool e) {
    byte_buffer c;
    i_data_spec d;
    d.tsn = tsn;
    d.mid = 4;
    d.fsn = fsn;
    d.begin = b;
    d.end = e;
    d.payload = v.subspan(fsn * 16, 16);
    append_i_data_chunk(c, d);
    return c;
  };
  feed(p, sctp_frame(idata(3, 2, false, true)));
  feed(p, sctp_frame(idata(1, 0, true, false)));
  EXPECT_EQ(p.oldest_pending_frame(), std::optional<std::uint64_t>(1));
  feed(p, sctp_frame(idata(2, 1, false, false)));
  ASSERT_EQ(out_.size(), 1u);
  EXPECT_EQ(out_[0].payload, msg);
  expect_pieces_match(out_[0]);
  EXPECT_FALSE(p.oldest_pending_frame().has_value());
}

TEST_F(LayoutTest, Ipv4FragmentsMapBackAndThePacketSpansThem) {
  pipeline p(recording());
  const byte_buffer msg = payload_of(100, 11); // a 128-octet SCTP packet
  const byte_buffer pkt =
      build_packet(40000, ngap_port, 0x01020304, data_chunks(1, msg, true, true));
  auto frags = ipv4_fragments(pkt, 48, 77);
  ASSERT_EQ(frags.size(), 3u);
  std::reverse(frags.begin(), frags.end()); // last fragment first
  feed(p, frags[0]);
  feed(p, frags[1]);
  EXPECT_EQ(p.oldest_pending_frame(), std::optional<std::uint64_t>(1));
  feed(p, frags[2]);
  ASSERT_EQ(out_.size(), 1u);
  const delivered& d = out_[0];
  EXPECT_EQ(d.payload, msg);
  expect_pieces_match(d);
  std::set<std::uint64_t> frames;
  for (const auto& pc : d.pieces)
    frames.insert(pc.frame);
  EXPECT_EQ(frames, (std::set<std::uint64_t>{1, 2, 3}));
  ASSERT_EQ(d.packets.size(), 1u);
  EXPECT_EQ(gather(d.packets[0]), pkt);
  // The checksum field (octets 8..11) lies in the first fragment, captured as frame 3.
  for (const auto& pc : d.packets[0].pieces) {
    if (pc.offset == 0) {
      EXPECT_EQ(pc.frame, 3u);
    }
  }
  EXPECT_FALSE(p.oldest_pending_frame().has_value());
}

TEST_F(LayoutTest, RepeatedIpFragmentIsListedForBothFrames) {
  pipeline p(recording());
  const byte_buffer msg = payload_of(100, 17);
  const byte_buffer pkt =
      build_packet(40000, ngap_port, 0x01020304, data_chunks(1, msg, true, true));
  auto frags = ipv4_fragments(pkt, 48, 78);
  ASSERT_EQ(frags.size(), 3u);
  feed(p, frags[0]);
  feed(p, frags[1]);
  feed(p, frags[1]); // the same fragment again (frame 3)
  feed(p, frags[2]);
  ASSERT_EQ(out_.size(), 1u);
  expect_pieces_match(out_[0]);
  std::set<std::uint64_t> frames;
  for (const auto& pc : out_[0].pieces)
    frames.insert(pc.frame);
  EXPECT_EQ(frames, (std::set<std::uint64_t>{1, 2, 3, 4}));
}

/// IPv6 fragments of 64 octets; with `dest_opts`, an 8-octet destination options header
/// precedes the SCTP packet in the fragmentable part (RFC 8200 4.5).
class LayoutTest6 : public LayoutTest {
protected:
  void SetUp() override {
    ip_.src = *capture::ip_address::parse("2001:db8::1");
    ip_.dst = *capture::ip_address::parse("2001:db8::2");
  }
  void run(bool dest_opts) {
    pipeline p(recording());
    const byte_buffer msg = payload_of(100, 13);
    const byte_buffer pkt =
        build_packet(40000, ngap_port, 0x01020304, data_chunks(1, msg, true, true));
    byte_buffer part;
    if (dest_opts) part = {132, 0, 1, 4, 0, 0, 0, 0}; // next header SCTP, PadN
    part.insert(part.end(), pkt.begin(), pkt.end());
    for (std::size_t off = 0; off < part.size(); off += 64) {
      const std::size_t len = std::min<std::size_t>(64, part.size() - off);
      byte_buffer f;
      ASSERT_TRUE(capture::append_link_header(f, link_, 6).has_value());
      capture::ip_spec ip = ip_;
      ip.protocol = 44;
      ASSERT_TRUE(capture::append_ip_header(f, ip, len + 8).has_value());
      const auto om = static_cast<std::uint16_t>(off | (off + len < part.size() ? 1 : 0));
      const std::uint8_t fh[8] = {static_cast<std::uint8_t>(dest_opts ? 60 : 132),
                                  0,
                                  static_cast<std::uint8_t>(om >> 8),
                                  static_cast<std::uint8_t>(om),
                                  0,
                                  0,
                                  0,
                                  9};
      f.insert(f.end(), fh, fh + 8);
      f.insert(f.end(), part.begin() + static_cast<std::ptrdiff_t>(off),
               part.begin() + static_cast<std::ptrdiff_t>(off + len));
      feed(p, f);
    }
    ASSERT_EQ(out_.size(), 1u);
    EXPECT_EQ(out_[0].payload, msg);
    expect_pieces_match(out_[0]);
    ASSERT_EQ(out_[0].packets.size(), 1u);
    EXPECT_EQ(gather(out_[0].packets[0]), pkt);
    EXPECT_FALSE(p.oldest_pending_frame().has_value());
  }
};

TEST_F(LayoutTest6, Ipv6FragmentsMapBack) {
  run(false);
}

TEST_F(LayoutTest6, Ipv6FragmentsWithOptionsInTheFragmentablePartMapBack) {
  run(true);
}

TEST_F(LayoutTest, IncompleteDatagramIsReleasedAfterTheTimeout) {
  pipeline p(recording());
  const byte_buffer pkt =
      build_packet(40000, ngap_port, 0x01020304, data_chunks(1, payload_of(120, 1), true, true));
  auto frags = ipv4_fragments(pkt, 48, 5);
  feed(p, frags[0], 0);
  EXPECT_EQ(p.oldest_pending_frame(), std::optional<std::uint64_t>(1));
  feed(p, sctp_frame(data_chunks(9, payload_of(10, 2), true, true)), 1'000'000'000);
  EXPECT_EQ(p.oldest_pending_frame(), std::optional<std::uint64_t>(1));
  // Past ip_limits::timeout_ns (30 s) of capture time, any frame expires it.
  feed(p, sctp_frame(data_chunks(10, payload_of(10, 3), true, true)), 31'000'000'000);
  EXPECT_FALSE(p.oldest_pending_frame().has_value());
}

TEST_F(LayoutTest, FragmentsDroppedWithTheirAssociationReleaseTheirFrames) {
  pipeline p(recording());
  feed(p, sctp_frame(data_chunks(1, payload_of(20, 1), true, false)));
  feed(p, sctp_frame(data_chunks(2, payload_of(20, 2), false, false)));
  EXPECT_EQ(p.oldest_pending_frame(), std::optional<std::uint64_t>(1));
  byte_buffer abort;
  append_abort_chunk(abort);
  feed(p, sctp_frame(abort));
  EXPECT_FALSE(p.oldest_pending_frame().has_value());
  EXPECT_EQ(p.pending_fragments(), 0u);
}

TEST_F(LayoutTest, ReassemblyLimitsReleaseTheOldestFrames) {
  pipeline_config c = recording();
  c.max_pending_fragments = 2;
  pipeline p(c);
  feed(p, sctp_frame(data_chunks(1, payload_of(20, 1), true, false)));
  feed(p, sctp_frame(data_chunks(2, payload_of(20, 2), false, false)));
  feed(p, sctp_frame(data_chunks(3, payload_of(20, 3), false, false))); // evicts frame 1's
  EXPECT_EQ(p.oldest_pending_frame(), std::optional<std::uint64_t>(2));
  EXPECT_EQ(p.pending_fragments(), 2u);
}

} // namespace
} // namespace sec5g::sctp
