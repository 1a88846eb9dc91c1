// Tracker behaviour on hand-built NGAP/NAS: context linking, bounded state under a flood.
#include "sec5g/analysis/tracker.hpp"

#include <gtest/gtest.h>

#include <random>

#include "sec5g/core/hex.hpp"
#include "ngap_test_messages.hpp"
#include "sec5g/ngap/message.hpp"

namespace sec5g::analysis {
namespace {

struct counting_sink : event_sink {
  std::size_t nas = 0, ngap = 0, ended = 0;
  std::vector<std::uint64_t> ue_ids;
  void on_nas(const nas_event& e) override {
    ++nas;
    ue_ids.push_back(e.ue->id);
  }
  void on_ngap(const ngap_event&) override { ++ngap; }
  void on_ue_end(const ue_context&) override { ++ended; }
};

using test::downlink_nas;
using test::initial_ue_message;

const byte_buffer registration = *from_hex("7e004179000d0100f110000000000000000030" "2e02f0f0");

/// A tracker without keys behind one gNB-AMF association: send() feeds an NGAP message as the
/// next frame, 1 ms after the previous one.
struct feeder {
  explicit feeder(event_sink& sink) : trk({}, nullptr, nullptr, sink) {
    pkt.gnb = "gnb";
    pkt.amf = "amf";
  }
  void send(const byte_buffer& ngap) {
    ++pkt.frame;
    pkt.time_ns += 1'000'000;
    trk.on_ngap(pkt, ngap);
  }
  tracker trk;
  packet_meta pkt;
};

TEST(tracker, links_messages_of_one_connection_and_learns_the_supi) {
  counting_sink sink;
  tracker trk({}, nullptr, nullptr, sink);
  packet_meta pkt;
  pkt.frame = 1;
  pkt.gnb = "gnb";
  pkt.amf = "amf";
  trk.on_ngap(pkt, initial_ue_message(5, registration));
  const auto auth = *from_hex("7e00560002000021" "00112233445566778899aabbccddeeff" "2010"
                              "0102030405068000aabbccddeeff0011");
  pkt.frame = 2;
  trk.on_ngap(pkt, downlink_nas(77, 5, auth));
  EXPECT_EQ(sink.nas, 2u);
  ASSERT_EQ(sink.ue_ids.size(), 2u);
  EXPECT_EQ(sink.ue_ids[0], sink.ue_ids[1]);
  EXPECT_EQ(trk.live_ues(), 1u);
  EXPECT_EQ(trk.stats().ngap, 2u);
  trk.finish();
  EXPECT_EQ(sink.ended, 1u);
}

// Without keys, a message under a ciphering header is read as plain (5G-EA0) only when it
// decodes as such and no Security Mode Command chose a ciphering algorithm: a ciphertext that
// happens to start like a plain message (about once in 400 000) is neither read nor counted as
// malformed.
TEST(tracker, ciphertext_that_looks_plain_is_neither_read_nor_malformed) {
  struct sink_t : event_sink {
    std::vector<std::pair<bool, bool>> nas;  // (read as a 5GMM message, malformed)
    void on_nas(const nas_event& e) override { nas.emplace_back(e.mm != nullptr, e.malformed); }
    void on_ngap(const ngap_event&) override {}
    void on_ue_end(const ue_context&) override {}
  } sink;
  feeder f(sink);
  auto send = [&](const byte_buffer& ngap) { f.send(ngap); };
  send(initial_ue_message(5, registration));
  // "7e 00 42" (a Registration Accept) then octets that do not decode as one.
  send(downlink_nas(77, 5, *from_hex("7e02a1b2c3d401" "7e0042ffffff")));
  // A 5GMM STATUS in clear under a ciphering header, before any SMC: 5G-EA0, read.
  send(downlink_nas(77, 5, *from_hex("7e02a1b2c3d402" "7e006416")));
  // The SMC chooses 128-NEA2: the same octets are now ciphertext, not read.
  send(downlink_nas(77, 5, *from_hex("7e03a1b2c3d400" "7e005d220002f0f0")));
  send(downlink_nas(77, 5, *from_hex("7e02a1b2c3d401" "7e006416")));
  ASSERT_EQ(sink.nas.size(), 5u);
  EXPECT_EQ(sink.nas[1], std::make_pair(false, false));
  EXPECT_EQ(sink.nas[2], std::make_pair(true, false));
  EXPECT_EQ(sink.nas[3], std::make_pair(true, false));  // the SMC itself is integrity only
  EXPECT_EQ(sink.nas[4], std::make_pair(false, false));
  EXPECT_EQ(f.trk.stats().malformed, 0u);
}

// finish() ends every context from the least to the most recently seen, and leaves the state
// that releasing each would: no live UE, and ids seen before start new contexts.
TEST(tracker, finish_ends_every_context_oldest_first_and_forgets_their_ids) {
  struct sink_t : event_sink {
    std::vector<std::uint64_t> nas_ue, ended;
    void on_nas(const nas_event& e) override { nas_ue.push_back(e.ue->id); }
    void on_ngap(const ngap_event&) override {}
    void on_ue_end(const ue_context& ue) override { ended.push_back(ue.id); }
  } sink;
  feeder f(sink);
  tracker& trk = f.trk;
  auto send = [&](const byte_buffer& ngap) { f.send(ngap); };
  const byte_buffer status = *from_hex("7e006416");
  send(initial_ue_message(5, registration));
  send(initial_ue_message(6, registration));
  send(initial_ue_message(7, registration));
  send(downlink_nas(75, 5, status));  // the UE of RAN id 5 is now the most recent
  ASSERT_EQ(sink.nas_ue.size(), 4u);
  const std::uint64_t ue5 = sink.nas_ue[0], ue6 = sink.nas_ue[1], ue7 = sink.nas_ue[2];
  ASSERT_EQ(sink.nas_ue[3], ue5);
  EXPECT_EQ(trk.live_ues(), 3u);
  trk.finish();
  EXPECT_EQ(sink.ended, (std::vector<std::uint64_t>{ue6, ue7, ue5}));
  EXPECT_EQ(trk.live_ues(), 0u);
  // The same RAN and AMF ids again: new contexts, none of the ended ones.
  send(downlink_nas(75, 5, status));
  send(initial_ue_message(6, registration));
  ASSERT_EQ(sink.nas_ue.size(), 6u);
  for (std::size_t i = 4; i < 6; ++i) {
    EXPECT_NE(sink.nas_ue[i], ue5);
    EXPECT_NE(sink.nas_ue[i], ue6);
    EXPECT_NE(sink.nas_ue[i], ue7);
  }
  EXPECT_NE(sink.nas_ue[4], sink.nas_ue[5]);
  EXPECT_EQ(trk.live_ues(), 2u);
  trk.finish();
  EXPECT_EQ(sink.ended.size(), 5u);
  EXPECT_EQ(trk.live_ues(), 0u);
}

TEST(tracker, malformed_ngap_is_counted_not_fatal) {
  counting_sink sink;
  tracker trk({}, nullptr, nullptr, sink);
  packet_meta pkt;
  const byte_buffer junk = {0x00, 0x0f, 0x40, 0xff, 0x01};
  trk.on_ngap(pkt, junk);
  trk.on_ngap(pkt, {});
  EXPECT_EQ(trk.stats().malformed, 2u);
  EXPECT_EQ(trk.live_ues(), 0u);
}

TEST(tracker, a_flood_of_random_ue_ids_stays_within_the_cap) {
  counting_sink sink;
  tracker_options opt;
  opt.max_ues = 1000;
  tracker trk(opt, nullptr, nullptr, sink);
  std::mt19937 rng(42);
  packet_meta pkt;
  pkt.gnb = "gnb";
  pkt.amf = "amf";
  constexpr int n = 20000;
  for (int i = 0; i < n; ++i) {
    pkt.frame = static_cast<std::uint64_t>(i + 1);
    pkt.time_ns = i * 1000;
    trk.on_ngap(pkt, initial_ue_message(static_cast<std::uint32_t>(rng()), registration));
    ASSERT_LE(trk.live_ues(), 1000u);
  }
  EXPECT_EQ(trk.live_ues(), 1000u);
  EXPECT_EQ(trk.stats().evicted, static_cast<std::uint64_t>(n - 1000));
  const std::size_t per_ue = trk.bytes_per_ue();
  std::printf("[ measure ] record %zu bytes, estimated %zu bytes per live UE context\n",
              tracker::record_size(), per_ue);
  EXPECT_LE(per_ue, 512u);  // target of issue 6
}

TEST(tracker, idle_contexts_expire_in_capture_time) {
  counting_sink sink;
  tracker_options opt;
  opt.idle_timeout_ns = 1'000'000'000;
  tracker trk(opt, nullptr, nullptr, sink);
  packet_meta pkt;
  pkt.time_ns = 0;
  trk.on_ngap(pkt, initial_ue_message(1, registration));
  pkt.time_ns = 5'000'000'000;
  trk.on_ngap(pkt, initial_ue_message(2, registration));
  EXPECT_EQ(trk.live_ues(), 1u);
  EXPECT_EQ(trk.stats().expired, 1u);
}

}  // namespace
}  // namespace sec5g::analysis
