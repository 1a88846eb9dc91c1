#include "sec5g/sctp/pipeline.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "sec5g/sctp/build.hpp"
#include "sec5g/sctp/crc32c.hpp"
#include "support/pattern.hpp"

namespace sec5g::sctp {
namespace {

using capture::counter;
using capture::ip_address;

struct delivered {
  std::uint32_t assoc = 0;
  std::string name;
  direction dir = direction::a_to_b;
  std::uint16_t stream = 0;
  std::uint32_t ppid = 0;
  byte_buffer payload;
  bool reassembled = false;
  bool retransmission = false;
  std::uint64_t frame = 0;
  std::int64_t ts = 0;
  std::uint16_t chunk_index = 0;
};

byte_buffer bytes_of(std::size_t n, std::uint8_t seed) { return test::pattern_bytes(n, seed, 3); }

class Pipeline : public ::testing::Test {
protected:
  ip_address gnb = ip_address::v4(10, 0, 0, 1);
  ip_address amf = ip_address::v4(10, 0, 0, 2);
  std::uint16_t gnb_port = 9487;
  std::uint16_t amf_port = ngap_port;
  std::uint32_t tag_to_amf = 0x22222222; // carried by packets gNB -> AMF
  std::uint32_t tag_to_gnb = 0x11111111;
  std::vector<delivered> out;
  std::uint64_t frame_no = 0;

  void collect(pipeline& p, const byte_buffer& frame, std::uint32_t original_len = 0) {
    capture::frame f;
    f.number = ++frame_no;
    f.timestamp_ns = static_cast<std::int64_t>(frame_no) * 1000;
    f.data = frame;
    f.original_len = original_len == 0 ? static_cast<std::uint32_t>(frame.size()) : original_len;
    f.link = capture::link_type::ethernet;
    p.feed(f, [&](const user_message& m) {
      out.push_back({m.association_id, std::string(m.association), m.dir, m.stream_id, m.ppid,
                     byte_buffer(m.payload.begin(), m.payload.end()), m.reassembled,
                     m.retransmission, m.frame_number, m.timestamp_ns, m.chunk_index});
    });
  }

  byte_buffer frame(bool from_gnb, const byte_buffer& chunks, std::uint32_t vtag_override = 0,
                    bool use_override = false) {
    capture::link_spec link;
    capture::ip_spec ip{from_gnb ? gnb : amf, from_gnb ? amf : gnb};
    const std::uint32_t vtag = use_override ? vtag_override : (from_gnb ? tag_to_amf : tag_to_gnb);
    auto f = build_frame(link, ip, from_gnb ? gnb_port : amf_port, from_gnb ? amf_port : gnb_port,
                         vtag, chunks);
    EXPECT_TRUE(f);
    return *f;
  }

  void send(pipeline& p, bool from_gnb, const byte_buffer& chunks) {
    collect(p, frame(from_gnb, chunks));
  }

  static byte_buffer data(std::uint32_t tsn, bytes_view payload, std::uint32_t ppid = ngap_ppid,
                          bool b = true, bool e = true, std::uint16_t stream = 0,
                          std::uint16_t ssn = 0) {
    byte_buffer c;
    append_data_chunk(c, {tsn, stream, ssn, ppid, false, b, e, payload});
    return c;
  }
};

TEST_F(Pipeline, DeliversUnfragmentedNgapBothDirectionsInOneAssociation) {
  pipeline p;
  const byte_buffer up = bytes_of(30, 1);
  const byte_buffer down = bytes_of(41, 2);
  send(p, true, data(100, up));
  send(p, false, data(500, down, ngap_ppid, true, true, 1));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "10.0.0.1:9487-10.0.0.2:38412");
  EXPECT_EQ(out[0].dir, direction::a_to_b);
  EXPECT_EQ(out[0].payload, up);
  EXPECT_FALSE(out[0].reassembled);
  EXPECT_EQ(out[0].frame, 1u);
  EXPECT_EQ(out[1].assoc, out[0].assoc);
  EXPECT_EQ(out[1].name, out[0].name);
  EXPECT_EQ(out[1].dir, direction::b_to_a);
  EXPECT_EQ(out[1].stream, 1);
  EXPECT_EQ(out[1].payload, down);
  EXPECT_EQ(p.association_count(), 1u);
  EXPECT_EQ(p.stats()[counter::sctp_messages], 2u);
  EXPECT_EQ(p.stats()[counter::sctp_bad_checksum], 0u);
  EXPECT_EQ(p.stats().anomalies(), 0u);
  const auto infos = p.associations();
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_TRUE(infos[0].tag_a_known && infos[0].tag_b_known);
  EXPECT_EQ(infos[0].tag_b, tag_to_amf);
}

TEST_F(Pipeline, SelectsByPpidOrPortAndCountsTheRest) {
  pipeline p;
  amf_port = 5000;                            // not the NGAP port
  send(p, true, data(1, bytes_of(8, 1), 46)); // Diameter PPID, other port: not delivered
  send(p, true, data(2, bytes_of(8, 1), 60)); // PPID 60: delivered
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(p.stats()[counter::sctp_other_messages], 1u);
  amf_port = ngap_port;
  send(p, true, data(1, bytes_of(8, 1), 0)); // port 38412 with PPID 0: delivered
  EXPECT_EQ(out.size(), 2u);
  pipeline_config all;
  all.deliver_all = true;
  pipeline q(all);
  amf_port = 5000;
  send(q, true, data(1, bytes_of(8, 1), 46));
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(out.back().ppid, 46u);
}

TEST_F(Pipeline, ReassemblesFragmentsAcrossPacketsInAndOutOfOrder) {
  const byte_buffer msg = bytes_of(1000, 5);
  const bytes_view v(msg);
  for (int order = 0; order < 2; ++order) {
    pipeline p;
    out.clear();
    const byte_buffer f1 = data(10, v.first(400), ngap_ppid, true, false, 2, 7);
    const byte_buffer f2 = data(11, v.subspan(400, 400), ngap_ppid, false, false, 2, 7);
    const byte_buffer f3 = data(12, v.subspan(800), ngap_ppid, false, true, 2, 7);
    if (order == 0) {
      send(p, true, f1);
      send(p, true, f2);
      send(p, true, f3);
    } else {
      send(p, true, f3);
      send(p, true, f1);
      send(p, true, f2);
    }
    ASSERT_EQ(out.size(), 1u) << order;
    EXPECT_EQ(out[0].payload, msg);
    EXPECT_TRUE(out[0].reassembled);
    EXPECT_EQ(out[0].stream, 2);
    EXPECT_EQ(out[0].frame, frame_no); // the frame that completed the message
    EXPECT_EQ(p.pending_fragments(), 0u);
    EXPECT_EQ(p.pending_bytes(), 0u);
    EXPECT_EQ(p.stats()[counter::sctp_fragments], 3u);
    EXPECT_EQ(p.stats()[counter::sctp_reassembled], 1u);
  }
}

TEST_F(Pipeline, ReassemblesIDataFragmentsByFsn) {
  pipeline p;
  const byte_buffer msg = bytes_of(90, 9);
  const bytes_view v(msg);
  byte_buffer c0, c1, c2;
  append_i_data_chunk(c0, {20, 3, 5, 0, ngap_ppid, false, true, false, v.first(30)});
  append_i_data_chunk(c1, {21, 3, 5, 1, 0, false, false, false, v.subspan(30, 30)});
  append_i_data_chunk(c2, {22, 3, 5, 2, 0, false, false, true, v.subspan(60)});
  send(p, true, c2);
  send(p, true, c0);
  EXPECT_TRUE(out.empty());
  send(p, true, c1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].payload, msg);
  EXPECT_EQ(out[0].ppid, ngap_ppid);
}

TEST_F(Pipeline, RetransmittedTsnIsDroppedOrFlagged) {
  pipeline p;
  const byte_buffer c = data(100, bytes_of(20, 1));
  send(p, true, c);
  send(p, true, c);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(p.stats()[counter::sctp_retransmissions], 1u);
  // The same TSN in the other direction is not a retransmission.
  send(p, false, c);
  EXPECT_EQ(out.size(), 2u);

  pipeline_config cfg;
  cfg.deliver_retransmissions = true;
  pipeline q(cfg);
  out.clear();
  send(q, true, c);
  send(q, true, c);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FALSE(out[0].retransmission);
  EXPECT_TRUE(out[1].retransmission);
}

TEST_F(Pipeline, TsnTrackingSurvivesWrapAndGaps) {
  pipeline p;
  send(p, true, data(0xfffffffe, bytes_of(4, 1)));
  send(p, true, data(0xffffffff, bytes_of(4, 2)));
  send(p, true, data(0x00000000, bytes_of(4, 3)));
  send(p, true, data(0x00000005, bytes_of(4, 4))); // a gap (lost in the capture)
  send(p, true, data(0x00000001, bytes_of(4, 5))); // late but new
  send(p, true, data(0xffffffff, bytes_of(4, 2))); // old: retransmission
  send(p, true, data(0x00001000, bytes_of(4, 6))); // beyond the window: new
  send(p, true, data(0x00000005, bytes_of(4, 4))); // older than the window: counted as a repeat
  EXPECT_EQ(out.size(), 6u);
  EXPECT_EQ(p.stats()[counter::sctp_retransmissions], 2u);
}

TEST_F(Pipeline, TsnRepeatsMatchASetModelOfTheWindowOnRandomSequences) {
  // The model: the TSNs seen within (highest - 256, highest]; a TSN further back, or seen,
  // is a repeat; one 2^20 or more away starts over. Steps of every size around the window
  // edges, backwards and forwards, and across the 32-bit wrap.
  std::mt19937 rng(20261201);
  for (int run = 0; run < 40; ++run) {
    pipeline p;
    out.clear();
    std::set<std::uint32_t> seen;
    std::uint32_t high = static_cast<std::uint32_t>(rng()) | (run % 2 == 0 ? 0xffffff00u : 0u);
    bool started = false;
    std::uint64_t repeats = 0;
    std::uint32_t tsn = high;
    for (int i = 0; i < 600; ++i) {
      const std::uint32_t pick = static_cast<std::uint32_t>(rng() % 100);
      if (pick < 45) tsn = high + 1;
      else if (pick < 60) tsn = high + static_cast<std::uint32_t>(rng() % 300);
      else if (pick < 90) tsn = high - static_cast<std::uint32_t>(rng() % 300);
      else if (pick < 99) tsn = high + static_cast<std::uint32_t>(rng() % 4);
      else tsn = high + (1u << 21);
      const auto d = static_cast<std::int32_t>(tsn - high);
      bool repeat = false;
      if (!started || d >= (1 << 20) || d <= -(1 << 20)) {
        seen = {tsn};
        high = tsn;
        started = true;
      } else if (d > 0) {
        high = tsn;
        std::erase_if(seen, [&](std::uint32_t t) { return high - t >= 256; });
        seen.insert(tsn);
      } else if (-d >= 256 || seen.contains(tsn)) {
        repeat = true;
      } else {
        seen.insert(tsn);
      }
      repeats += repeat ? 1 : 0;
      const std::size_t before = out.size();
      send(p, true, data(tsn, bytes_of(4, static_cast<std::uint8_t>(i))));
      ASSERT_EQ(out.size() - before, repeat ? 0u : 1u) << "run " << run << " step " << i;
    }
    EXPECT_EQ(p.stats()[counter::sctp_retransmissions], repeats);
  }
}

TEST_F(Pipeline, TsnsReorderedByTheCaptureAreNotRepeats) {
  pipeline p;
  send(p, true, data(12, bytes_of(4, 1)));
  send(p, true, data(10, bytes_of(4, 2)));
  send(p, true, data(11, bytes_of(4, 3)));
  send(p, true, data(10, bytes_of(4, 2)));
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(p.stats()[counter::sctp_retransmissions], 1u);
}

TEST_F(Pipeline, BadChecksumIsCountedAndThePacketStillUsed) {
  pipeline p;
  byte_buffer f = frame(true, data(1, bytes_of(12, 1)));
  f[14 + 20 + 8] ^= 0xff; // the CRC32c field
  collect(p, f);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(p.stats()[counter::sctp_bad_checksum], 1u);
  pipeline_config cfg;
  cfg.verify_checksum = false;
  pipeline q(cfg);
  collect(q, f);
  EXPECT_EQ(q.stats()[counter::sctp_bad_checksum], 0u);
}

TEST_F(Pipeline, InitAndInitAckLearnTagsAndNameTheInitiatorFirst) {
  pipeline p;
  // The AMF side initiates here (unusual but legal): it is named first.
  byte_buffer init, init_ack;
  // INIT from the AMF: its initiate tag is carried by every packet sent to the AMF.
  append_init_chunk(init, {tag_to_amf, 65535, 2, 2, 1000});
  append_init_ack_chunk(init_ack, {tag_to_gnb, 65535, 2, 2, 7000}, bytes_of(8, 1));
  collect(p, frame(false, init, 0, true));
  collect(p, frame(true, init_ack, tag_to_amf, true));
  send(p, false, data(1000, bytes_of(6, 1)));
  send(p, true, data(7000, bytes_of(6, 2)));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "10.0.0.2:38412-10.0.0.1:9487");
  EXPECT_EQ(out[0].dir, direction::a_to_b);
  EXPECT_EQ(out[1].dir, direction::b_to_a);
  const auto infos = p.associations();
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_TRUE(infos[0].initiator_known);
  EXPECT_EQ(infos[0].tag_a, tag_to_amf); // A = the AMF here
  EXPECT_EQ(infos[0].tag_b, tag_to_gnb);
  // The INIT's initial TSN seeded the tracker: TSN 999 is old.
  send(p, false, data(999, bytes_of(6, 3)));
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(p.stats()[counter::sctp_retransmissions], 1u);
  // A retransmitted INIT keeps the association.
  collect(p, frame(false, init, 0, true));
  EXPECT_EQ(p.stats()[counter::sctp_associations], 1u);
}

TEST_F(Pipeline, WithoutInitTheSideAwayFromTheNgapPortComesFirstAndIpv6UsesBrackets) {
  pipeline p;
  gnb = *ip_address::parse("2001:db8::10");
  amf = *ip_address::parse("2001:db8::20");
  send(p, false, data(1, bytes_of(4, 1))); // first packet from the AMF
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "[2001:db8::10]:9487-[2001:db8::20]:38412");
  EXPECT_EQ(out[0].dir, direction::b_to_a);
}

TEST_F(Pipeline, AbortAndShutdownCompleteCloseTheAssociation) {
  pipeline p;
  send(p, true, data(1, bytes_of(4, 1)));
  const std::uint32_t first_id = out[0].assoc;
  byte_buffer abort;
  append_abort_chunk(abort);
  send(p, false, abort);
  EXPECT_EQ(p.association_count(), 0u);
  EXPECT_EQ(p.stats()[counter::sctp_aborts], 1u);
  EXPECT_EQ(p.stats()[counter::sctp_closed], 1u);
  send(p, true, data(1, bytes_of(4, 1))); // TSN 1 again: a new association, not a retransmission
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[1].assoc, first_id);
  byte_buffer sc;
  append_shutdown_complete_chunk(sc);
  send(p, false, sc);
  EXPECT_EQ(p.association_count(), 0u);
  EXPECT_EQ(p.stats()[counter::sctp_closed], 2u);
  // SHUTDOWN ACK closes; the SHUTDOWN COMPLETE after it creates nothing.
  send(p, true, data(1, bytes_of(4, 1)));
  byte_buffer sd, sa;
  append_shutdown_chunk(sd, 1);
  append_shutdown_ack_chunk(sa);
  send(p, true, sd);
  EXPECT_EQ(p.association_count(), 1u);
  EXPECT_TRUE(p.associations()[0].shutting_down);
  send(p, false, sa);
  EXPECT_EQ(p.association_count(), 0u);
  send(p, true, sc);
  EXPECT_EQ(p.association_count(), 0u);
  EXPECT_EQ(p.stats()[counter::sctp_closed], 3u);
  // An ABORT with a fragment pending frees the fragment.
  send(p, true, data(1, bytes_of(40, 1), ngap_ppid, true, false));
  EXPECT_EQ(p.pending_fragments(), 1u);
  send(p, true, abort);
  EXPECT_EQ(p.pending_fragments(), 0u);
  EXPECT_EQ(p.pending_bytes(), 0u);
}

TEST_F(Pipeline, ChangedVerificationTagStartsANewAssociation) {
  pipeline p;
  send(p, true, data(1, bytes_of(4, 1)));
  collect(p, frame(true, data(2, bytes_of(4, 2)), 0x99999999, true));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[0].assoc, out[1].assoc);
  EXPECT_EQ(p.stats()[counter::sctp_vtag_mismatch], 1u);
  // An ABORT with a foreign tag does not close anything.
  byte_buffer abort;
  append_abort_chunk(abort);
  collect(p, frame(true, abort, 0x12345678, true));
  EXPECT_EQ(p.association_count(), 1u);
}

TEST_F(Pipeline, MultiHomedPathsShareTheAssociationAndItsTsns) {
  pipeline p;
  send(p, true, data(1, bytes_of(4, 1)));
  send(p, false, data(50, bytes_of(4, 2)));
  // The AMF retransmits TSN 50 to the gNB's second address, with the same tag.
  const ip_address gnb_primary = gnb;
  gnb = ip_address::v4(192, 168, 100, 1);
  send(p, false, data(50, bytes_of(4, 2)));
  send(p, false, data(51, bytes_of(4, 3)));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].assoc, out[0].assoc);
  EXPECT_EQ(out[2].dir, direction::b_to_a);
  EXPECT_EQ(p.stats()[counter::sctp_retransmissions], 1u);
  EXPECT_EQ(p.association_count(), 1u);
  gnb = gnb_primary;
  (void)gnb;
}

TEST_F(Pipeline, OversizedMessagesAndFragmentFloodsStayWithinLimits) {
  pipeline_config cfg;
  cfg.max_message_len = 2000;
  cfg.max_pending_fragments = 32;
  cfg.max_pending_bytes = 16 * 1024;
  cfg.max_total_pending_bytes = 64 * 1024;
  cfg.max_associations = 8;
  pipeline p(cfg);
  // A message over the maximum is dropped.
  send(p, true, data(1, bytes_of(1500, 1), ngap_ppid, true, false));
  send(p, true, data(2, bytes_of(1500, 1), ngap_ppid, false, true));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(p.stats()[counter::sctp_message_too_large], 1u);
  EXPECT_EQ(p.pending_fragments(), 0u);
  // Hostile: 20000 begin-only fragments across many ports (associations) and streams.
  std::mt19937 rng(7);
  std::size_t max_bytes = 0;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    // First few associations (per-association and global budgets), then many (eviction).
    gnb_port = static_cast<std::uint16_t>(10000 + rng() % (i < 10000 ? 6 : 40));
    const auto stream = static_cast<std::uint16_t>(rng() % 16);
    send(p, true,
         data(3 + i, bytes_of(100 + rng() % 900, 1), ngap_ppid, (rng() & 1) != 0, false, stream,
              static_cast<std::uint16_t>(i)));
    max_bytes = std::max(max_bytes, p.pending_bytes());
    ASSERT_LE(p.association_count(), cfg.max_associations);
  }
  EXPECT_LE(max_bytes, cfg.max_total_pending_bytes);
  EXPECT_GT(p.stats()[counter::sctp_reassembly_overflow], 0u);
  EXPECT_GT(p.stats()[counter::sctp_evicted], 0u);
}

TEST_F(Pipeline, CaptureTruncationKeepsCompleteChunksAndIsNoAnomaly) {
  pipeline p;
  byte_buffer chunks = data(1, bytes_of(20, 1));
  const byte_buffer second = data(2, bytes_of(200, 2));
  chunks.insert(chunks.end(), second.begin(), second.end());
  const byte_buffer f = frame(true, chunks);
  // Snaplen cut inside the second chunk.
  byte_buffer cut(f.begin(), f.begin() + 14 + 20 + 12 + 36 + 50);
  collect(p, cut, static_cast<std::uint32_t>(f.size()));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].payload, bytes_of(20, 1));
  EXPECT_EQ(p.stats()[counter::truncated_frames], 1u);
  EXPECT_GE(p.stats()[counter::truncated_packets], 1u);
  EXPECT_EQ(p.stats().anomalies(), 0u);
  // The same bytes without a snaplen cut: the IP total length lies (an anomaly).
  collect(p, cut);
  EXPECT_EQ(p.stats()[counter::ipv4_bad_total_length], 1u);
}

TEST_F(Pipeline, SctpInsideFragmentedIpDatagramsIsReassembledFirst) {
  pipeline p;
  const byte_buffer payload = bytes_of(500, 3);
  const byte_buffer sctp_pkt = build_packet(gnb_port, amf_port, tag_to_amf, data(1, payload));
  // Two IPv4 fragments (raw IP link), second one first.
  std::vector<byte_buffer> frags;
  for (int part = 0; part < 2; ++part) {
    const bytes_view piece =
        part == 0 ? bytes_view(sctp_pkt).first(256) : bytes_view(sctp_pkt).subspan(256);
    byte_buffer f;
    capture::ip_spec ip{gnb, amf};
    ip.identification = 4242;
    ASSERT_TRUE(capture::append_ip_header(f, ip, piece.size()));
    store_be16(f.data() + 6, static_cast<std::uint16_t>(part == 0 ? 0x2000 : 256 / 8));
    capture::fix_ipv4_checksum(bytes_span(f.data(), 20));
    f.insert(f.end(), piece.begin(), piece.end());
    frags.push_back(f);
  }
  bool ip_reassembled = false;
  for (int i = 1; i >= 0; --i) {
    capture::frame fr;
    fr.number = static_cast<std::uint64_t>(2 - i);
    fr.data = frags[static_cast<std::size_t>(i)];
    fr.original_len = static_cast<std::uint32_t>(fr.data.size());
    fr.link = capture::link_type::ipv4;
    p.feed(fr, [&](const user_message& m) {
      out.push_back({m.association_id, std::string(m.association), m.dir, m.stream_id, m.ppid,
                     byte_buffer(m.payload.begin(), m.payload.end()), m.reassembled,
                     m.retransmission, m.frame_number, m.timestamp_ns, m.chunk_index});
      ip_reassembled = m.ip_reassembled;
    });
  }
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].payload, payload);
  EXPECT_EQ(out[0].frame, 2u);
  EXPECT_TRUE(ip_reassembled);
  EXPECT_EQ(p.stats()[counter::ip_reassembled], 1u);
  EXPECT_EQ(p.stats()[counter::sctp_bad_checksum], 0u);
  EXPECT_EQ(p.pending_ip_bytes(), 0u);
}

// pipeline_config::fast_path: the common packets take a shorter path, which must give the
// general path's results. Random traffic of three gNB associations (one multi-homed) to one AMF:
// bundles of DATA chunks (whole messages, fragments, repeated and jumping TSNs, other PPIDs,
// unordered), SACKs, HEARTBEATs, INITs that change the tags, wrong tags, ABORTs and malformed
// chunks, fed to two pipelines, one with the shorter path and one without: the same messages
// (every field), counters and associations, under four configurations.
TEST_F(Pipeline, FastPathGivesTheGeneralPathsResultsOnRandomTraffic) {
  struct seen {
    std::uint32_t assoc;
    std::string name;
    direction dir;
    std::string src, dst;
    std::uint16_t stream;
    std::uint32_t ppid, tsn;
    byte_buffer payload;
    bool reassembled, ip_reassembled, retransmission, fragment, unordered, i_data;
    std::uint64_t frame;
    std::int64_t ts;
    std::uint16_t chunk_index;
    bool operator==(const seen&) const = default;
  };
  std::uint64_t fast_total = 0;
  for (int variant = 0; variant < 4; ++variant) {
    pipeline_config cfg;
    cfg.deliver_retransmissions = variant >= 1;
    cfg.deliver_retransmitted_fragments = variant == 2;
    cfg.deliver_all = variant == 3;
    cfg.max_associations = variant == 3 ? 2 : 16;
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
      pipeline_config general = cfg;
      general.fast_path = false;
      pipeline p(cfg), q(general);
      std::vector<seen> got[2];
      std::mt19937 rng(seed * 7919 + static_cast<std::uint32_t>(variant));
      auto pick = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
      const ip_address gnbs[3] = {ip_address::v4(10, 0, 0, 1), ip_address::v4(10, 0, 0, 3),
                                  ip_address::v4(10, 0, 1, 1)};
      const std::uint16_t ports[3] = {9487, 9488, 9487};  // gnbs[2]: a second path of gnbs[0]
      std::uint32_t tags[2][2] = {{0x100, 0x200}, {0x300, 0x400}};  // [assoc][to_amf, to_gnb]
      std::uint32_t tsn[2][2] = {{1000, 5000}, {70000, 0xfffffff0u}};
      for (std::uint64_t n = 1; n <= 300; ++n) {
        const std::uint32_t g = pick(3);
        const std::uint32_t as = g == 1 ? 1 : 0;
        const bool up = pick(2) == 0;  // gNB -> AMF
        std::uint32_t vtag = tags[as][up ? 0 : 1];
        byte_buffer chunks;
        const std::uint32_t kind = pick(100);
        auto add_data = [&](bool whole) {
          std::uint32_t& t = tsn[as][up ? 0 : 1];
          const std::uint32_t r = pick(20);
          if (r == 0 && t > 3) t -= 3;            // repeat
          else if (r == 1) t += 300 + pick(2000000);  // jump past the window (or implausibly)
          const bool b = whole || pick(2) == 0, e = whole || pick(2) == 0;
          data_spec d{t++, static_cast<std::uint16_t>(pick(3)), static_cast<std::uint16_t>(pick(4)),
                      pick(8) == 0 ? 46u : ngap_ppid, pick(10) == 0, b, e,
                      bytes_view{}};
          const byte_buffer body = bytes_of(1 + pick(40), static_cast<std::uint8_t>(n));
          d.payload = body;
          append_data_chunk(chunks, d);
        };
        if (kind < 55) {
          if (pick(3) == 0) append_sack_chunk(chunks, pick(1000), 65535);
          for (std::uint32_t k = 1 + (pick(4) == 0 ? pick(5) : 0); k-- > 0;)
            add_data(pick(6) != 0);
          if (pick(4) == 0) append_sack_chunk(chunks, pick(1000), 65535);
        } else if (kind < 65) {
          append_sack_chunk(chunks, pick(1000), 65535);
        } else if (kind < 70) {
          append_heartbeat_chunk(chunks, bytes_of(8, 3));
          add_data(true);
        } else if (kind < 75) {
          // A new association between the same endpoints: INIT from the gNB, INIT ACK back.
          tags[as][0] = 0x1000 + pick(0xffff);
          tags[as][1] = 0x20000 + pick(0xffff);
          tsn[as][0] = pick(1u << 31);
          tsn[as][1] = pick(1u << 31);
          byte_buffer init, ack;
          append_init_chunk(init, {tags[as][1], 65535, 2, 2, tsn[as][0]});
          append_init_ack_chunk(ack, {tags[as][0], 65535, 2, 2, tsn[as][1]}, bytes_of(8, 1));
          auto fi = build_frame({}, {gnbs[g], amf}, ports[g], amf_port, 0, init);
          auto fa = build_frame({}, {amf, gnbs[g]}, amf_port, ports[g], tags[as][1], ack);
          ASSERT_TRUE(fi && fa);
          for (const byte_buffer* f : {&*fi, &*fa}) {
            capture::frame fr;
            fr.number = n;
            fr.timestamp_ns = static_cast<std::int64_t>(n);
            fr.data = *f;
            fr.original_len = static_cast<std::uint32_t>(f->size());
            fr.link = capture::link_type::ethernet;
            for (int side = 0; side < 2; ++side) {
              (side == 0 ? p : q).feed(fr, [&](const user_message&) { FAIL(); });
            }
          }
          continue;
        } else if (kind < 80) {
          vtag ^= 0x5a5a;  // not the association's tag
          add_data(true);
        } else if (kind < 83) {
          append_abort_chunk(chunks, pick(2) == 0);
        } else if (kind < 90) {
          add_data(true);
          // Malformed: a chunk length past the packet, below 4, or DATA without user data.
          const std::uint32_t how = pick(3);
          const std::size_t at = chunks.size();
          append_sack_chunk(chunks, 1, 1);
          if (how == 0) store_be16(chunks.data() + at + 2, 200);
          if (how == 1) store_be16(chunks.data() + at + 2, 3);
          if (how == 2) {
            chunks[at] = 0;
            chunks[at + 1] = 3;
            store_be16(chunks.data() + at + 2, 16);
          }
        } else if (kind < 95) {
          add_data(true);
          chunks.resize(chunks.size() - pick(3));  // a missing pad, or a cut chunk
        } else {
          byte_buffer body = bytes_of(20, 5);
          i_data_spec d{tsn[as][up ? 0 : 1]++, 0, 7, 0, ngap_ppid, false, true, true, body};
          append_i_data_chunk(chunks, d);
        }
        const auto f = build_frame({}, {up ? gnbs[g] : amf, up ? amf : gnbs[g]},
                                   up ? ports[g] : amf_port, up ? amf_port : ports[g], vtag,
                                   chunks);
        ASSERT_TRUE(f);
        capture::frame fr;
        fr.number = n;
        fr.timestamp_ns = static_cast<std::int64_t>(n) * 1000;
        fr.data = *f;
        fr.original_len = static_cast<std::uint32_t>(f->size());
        fr.link = capture::link_type::ethernet;
        for (int side = 0; side < 2; ++side) {
          (side == 0 ? p : q).feed(fr, [&](const user_message& m) {
            got[side].push_back({m.association_id, std::string(m.association), m.dir,
                                 m.src.to_string(), m.dst.to_string(), m.stream_id, m.ppid, m.tsn,
                                 byte_buffer(m.payload.begin(), m.payload.end()), m.reassembled,
                                 m.ip_reassembled, m.retransmission, m.fragment, m.unordered,
                                 m.i_data, m.frame_number, m.timestamp_ns, m.chunk_index});
          });
        }
      }
      SCOPED_TRACE(::testing::Message() << "variant " << variant << " seed " << seed);
      EXPECT_EQ(q.fast_packets(), 0u);
      fast_total += p.fast_packets();
      ASSERT_EQ(got[0].size(), got[1].size());
      for (std::size_t i = 0; i < got[0].size(); ++i)
        ASSERT_TRUE(got[0][i] == got[1][i]) << "message " << i << " frame " << got[1][i].frame;
      EXPECT_EQ(p.stats().values, q.stats().values);
      EXPECT_EQ(p.pending_fragments(), q.pending_fragments());
      EXPECT_EQ(p.pending_bytes(), q.pending_bytes());
      const auto pa = p.associations(), qa = q.associations();
      ASSERT_EQ(pa.size(), qa.size());
      for (std::size_t i = 0; i < pa.size(); ++i) {
        EXPECT_EQ(pa[i].id, qa[i].id);
        EXPECT_EQ(pa[i].name, qa[i].name);
        EXPECT_EQ(pa[i].tag_a, qa[i].tag_a);
        EXPECT_EQ(pa[i].tag_b, qa[i].tag_b);
        EXPECT_EQ(pa[i].tag_a_known, qa[i].tag_a_known);
        EXPECT_EQ(pa[i].tag_b_known, qa[i].tag_b_known);
      }
    }
  }
  // The shorter path took a good share of the packets (else this test compares nothing): one in
  // three of these, where INITs, ABORTs and wrong tags keep sending packets to the general path.
  EXPECT_GT(fast_total, 4u * 40u * 300u / 4u);
}

TEST_F(Pipeline, MalformedChunksAreCountedByKind) {
  pipeline p;
  // A chunk length running past the packet, after one good DATA chunk.
  byte_buffer chunks = data(1, bytes_of(8, 1));
  const std::uint8_t bad[] = {0, 3, 0, 100, 1, 2, 3, 4};
  chunks.insert(chunks.end(), bad, bad + 8);
  send(p, true, chunks);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(p.stats()[counter::sctp_bad_chunk_length], 1u);
  // A DATA chunk without user data.
  byte_buffer empty = {0, 3, 0, 16, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 60};
  send(p, true, empty);
  EXPECT_EQ(p.stats()[counter::sctp_bad_data_chunk], 1u);
  // A packet shorter than the common header.
  p.feed_sctp(gnb, amf, bytes_of(8, 1), 99, 0, [](const user_message&) {});
  EXPECT_EQ(p.stats()[counter::sctp_truncated], 1u);
  EXPECT_EQ(p.stats()[counter::sctp_packets], 3u);
}

} // namespace
} // namespace sec5g::sctp
