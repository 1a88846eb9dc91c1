// The threaded capture driver (reader + SUCI prefetch threads) gives the tracker exactly what
// the sequential driver gives it: every tracker event, in order, is identical. And the
// suci_prefetch cache's claim / wait / retire protocol.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sec5g/analysis/capture_run.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/suci_prefetch.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/core/hex.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"
#include "sec5g/nas/messages.hpp"
#include "sec5g/synth/file_sink.hpp"
#include "sec5g/synth/synth.hpp"

#include "../analysis/ngap_test_messages.hpp"

namespace sec5g::analysis {
namespace {

namespace fs = std::filesystem;

/// Writes every event with the fields reports are built from, one line each.
class recording_sink final : public event_sink {
 public:
  void on_nas(const nas_event& e) override {
    out << "nas f=" << e.pkt->frame << " t=" << e.pkt->time_ns << " a=" << e.pkt->association
        << " g=" << e.pkt->gnb << " m=" << e.pkt->amf;
    ue(*e.ue);
    out << " dir=" << static_cast<int>(e.dir) << " pc=" << int{e.procedure_code}
        << " off=" << e.offset << " len=" << e.length << " h=" << int{e.header_type}
        << " dec=" << e.deciphered << " mac=" << to_string(e.mac)
        << " cnt=" << (e.count ? static_cast<std::int64_t>(*e.count) : -1)
        << " alg=" << int{e.nea} << int{e.nia} << " rep=" << e.count_replay
        << " mal=" << e.malformed << " plain=" << to_hex(e.plain) << "\n";
  }
  void on_ngap(const ngap_event& e) override {
    out << "ngap f=" << e.pkt->frame << " pc=" << int{e.procedure_code}
        << " ty=" << int{e.pdu_type} << " reuse=" << e.reused_live_ran_id
        << " key=" << e.security_key_present;
    if (e.ue != nullptr) ue(*e.ue);
    out << "\n";
  }
  void on_ue_end(const ue_context& u) override {
    out << "end";
    ue(u);
    out << "\n";
  }
  std::ostringstream out;

 private:
  void ue(const ue_context& u) {
    out << " ue=" << u.id << " ran=" << u.ran_ue_ngap_id << " amf=" << u.amf_ue_ngap_id
        << " supi=" << u.supi.view() << " suci=" << u.suci.text() << " guti=" << u.guti_text()
        << " from_suci=" << u.supi_from_suci << " keys=" << u.keys_known
        << " sec=" << u.security_active << " res=" << u.res_star_ok;
  }
};

/// A synthesized capture with its key file and home network key, removed at the end.
class synth_capture {
 public:
  synth_capture(synth::scenario what, std::uint64_t ues, std::uint32_t gnbs) {
    dir_ = fs::temp_directory_path() /
           ("sec5g_audit_threads_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(dir_);
    opt_.what = what;
    opt_.ues = ues;
    opt_.gnbs = gnbs;
    opt_.seed = 7;
    auto sink = synth::file_sink::create(capture().string(), keys().string(), std::nullopt);
    if (!sink) throw std::runtime_error(sink.error().message);
    auto r = synth::run(opt_, **sink);
    if (!r) throw std::runtime_error(r.error().message);
    if (auto c = (*sink)->close(); !c) throw std::runtime_error(c.error().message);
    auto pem = synth::home_network_key_pem(opt_);
    if (!pem) throw std::runtime_error(pem.error().message);
    if (!hn.add_pem(opt_.hn_key_id, *pem)) throw std::runtime_error("hn key");
    auto db = load_subscriber_keys(keys().string());
    if (!db) throw std::runtime_error("keys");
    subscribers = std::move(*db);
  }
  ~synth_capture() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  synth_capture(const synth_capture&) = delete;
  synth_capture& operator=(const synth_capture&) = delete;

  [[nodiscard]] fs::path capture() const { return dir_ / "cap.pcapng"; }
  [[nodiscard]] fs::path keys() const { return dir_ / "keys.csv"; }

  identity::hn_key_store hn;
  subscriber_db subscribers;

 private:
  static inline int counter_ = 0;
  fs::path dir_;
  synth::options opt_;
};

struct run_result {
  std::string events;
  tracker_stats stats;
  run_stats rs;
  suci_prefetch::counters prefetch;
};

run_result run_sequential(const synth_capture& c, std::size_t max_ues) {
  recording_sink sink;
  tracker_options topt;
  topt.max_ues = max_ues;
  tracker trk(topt, &c.subscribers, &c.hn, sink);
  sctp::pipeline pipe;
  current_message cur;
  run_result r;
  EXPECT_TRUE(run_capture_file(c.capture(), pipe, trk, cur, r.rs).has_value());
  trk.finish();
  r.events = sink.out.str();
  r.stats = trk.stats();
  return r;
}

run_result run_parallel(const synth_capture& c, std::size_t max_ues, unsigned threads,
                        std::size_t batch, std::size_t queue, bool prefetch,
                        std::size_t cache_cap = 1u << 16, std::size_t steady = 8) {
  recording_sink sink;
  suci_prefetch pf(cache_cap);
  tracker_options topt;
  topt.max_ues = max_ues;
  if (prefetch) topt.suci_cache = &pf;
  tracker trk(topt, &c.subscribers, &c.hn, sink);
  sctp::pipeline pipe;
  parallel_options popt;
  popt.threads = threads;
  popt.prefetch = prefetch ? &pf : nullptr;
  popt.hn_keys = &c.hn;
  popt.batch_messages = batch;
  popt.queue_batches = queue;
  popt.steady_batches = steady;
  run_result r;
  EXPECT_TRUE(run_capture_file_parallel(c.capture(), pipe, trk, r.rs, popt).has_value());
  trk.finish();
  r.events = sink.out.str();
  r.stats = trk.stats();
  r.prefetch = pf.stats();
  EXPECT_EQ(pf.size(), 0u) << "every entry retired at the end of the run";
  return r;
}

void expect_same(const run_result& a, const run_result& b) {
  EXPECT_EQ(a.rs.frames, b.rs.frames);
  EXPECT_EQ(a.rs.ngap_messages, b.rs.ngap_messages);
  EXPECT_EQ(a.stats.mac_ok, b.stats.mac_ok);
  EXPECT_EQ(a.stats.deciphered, b.stats.deciphered);
  EXPECT_EQ(a.stats.ues, b.stats.ues);
  ASSERT_EQ(a.events.size(), b.events.size());
  EXPECT_TRUE(a.events == b.events) << "event streams differ";
}

TEST(AuditThreads, ParallelDriverGivesTheTrackerTheSameEventsAsTheSequentialOne) {
  synth_capture c(synth::scenario::mixed, 240, 3);
  const run_result seq = run_sequential(c, 100'000);
  ASSERT_GT(seq.stats.mac_ok, 0u);
  ASSERT_GT(seq.stats.deciphered, 0u);
  ASSERT_NE(seq.events.find("from_suci=1"), std::string::npos) << "SUCIs were de-concealed";

  // Default-sized batches, two and three threads; then one message per batch and a two-batch
  // queue (the most hand-overs, the reader blocked most of the time); one thread (a batch read,
  // its SUCIs de-concealed, then tracked, all on the calling thread).
  for (const auto& [threads, batch, queue] :
       std::vector<std::tuple<unsigned, std::size_t, std::size_t>>{
           {2, 256, 32}, {3, 256, 32}, {2, 1, 2}, {4, 7, 3}, {1, 256, 32}, {1, 1, 2}}) {
    SCOPED_TRACE("threads " + std::to_string(threads) + " batch " + std::to_string(batch));
    const run_result par = run_parallel(c, 100'000, threads, batch, queue, true);
    expect_same(seq, par);
    // The reader found every SUCI the tracker de-conceals (before the tracker got there).
    EXPECT_GT(par.prefetch.submitted, 0u);
    EXPECT_EQ(par.prefetch.misses, 0u);
  }
  // A cache too small for the SUCIs read ahead: the tracker computes the dropped ones.
  const run_result small = run_parallel(c, 100'000, 2, 256, 32, true, 3);
  expect_same(seq, small);
  EXPECT_GT(small.prefetch.dropped, 0u);
  // Without the SUCI cache (the reader thread only; with one thread: the sequential driver).
  expect_same(seq, run_parallel(c, 100'000, 2, 64, 4, false));
  expect_same(seq, run_parallel(c, 100'000, 1, 64, 4, false));
  // One thread with a cache too small: the tracker computes the dropped ones.
  expect_same(seq, run_parallel(c, 100'000, 1, 256, 32, true, 3));
  // A lead of one batch once the tracker runs (the whole queue only before), and a lead
  // larger than the queue.
  expect_same(seq, run_parallel(c, 100'000, 2, 4, 16, true, 1u << 16, 1));
  expect_same(seq, run_parallel(c, 100'000, 3, 4, 3, true, 1u << 16, 100));
}

TEST(AuditThreads, OneThreadDeconcealsWholeEightSuciBatches) {
  // Registrations spread thinly over the capture (steady traffic): a batch of a few messages
  // holds one SUCI or none, so the one-thread driver reads on until the pending SUCIs fill
  // whole SIDF batches instead of de-concealing them one or two at a time.
  synth_capture c(synth::scenario::benign, 120, 4);
  const run_result seq = run_sequential(c, 100'000);
  const run_result one = run_parallel(c, 100'000, 1, 4, 32, true);
  expect_same(seq, one);
  const std::uint64_t n = one.prefetch.by_workers;
  ASSERT_GE(n, 100u);
  EXPECT_EQ(one.prefetch.misses, 0u);
  EXPECT_EQ(one.prefetch.claimed, 0u);
  // Every batch but the capture's last ends with a multiple of eight SUCIs pending (a frame
  // carries one SUCI here, so the count cannot jump past a multiple).
  const std::uint64_t whole = (n + suci_prefetch::work_batch - 1) / suci_prefetch::work_batch;
  EXPECT_LE(one.prefetch.work_calls, whole + 1) << n << " SUCIs";
  EXPECT_GE(one.prefetch.work_calls, whole);
}

TEST(TrackerMemory, UesWithConcealedSucisAndGutisStayWithin512Octets) {
  // The memory per live UE context of issue 6 (<= 512 octets), measured on UEs as a network
  // has them: each registered with a profile A SUCI (its text, ~113 characters, is kept), got
  // a 5G-GUTI, authenticated and took a security context into use. ~1 000 live UEs fill most
  // of a record chunk (the chunk's unused records count against the live ones).
  class ends final : public event_sink {
   public:
    void on_nas(const nas_event&) override {}
    void on_ngap(const ngap_event&) override {}
    void on_ue_end(const ue_context& u) override {
      ++ended;
      if (!u.suci.empty() && u.guti && u.supi_from_suci && u.keys_known) ++complete;
    }
    std::size_t ended = 0, complete = 0;
  } sink;
  synth_capture c(synth::scenario::benign, 1000, 2);
  tracker trk({}, &c.subscribers, &c.hn, sink);
  sctp::pipeline pipe;
  current_message cur;
  run_stats rs;
  ASSERT_TRUE(run_capture_file(c.capture(), pipe, trk, cur, rs).has_value());
  const std::size_t live = trk.live_ues();
  const std::size_t per_ue = trk.bytes_per_ue();
  trk.finish();
  ASSERT_EQ(sink.ended, live);
  EXPECT_GE(sink.complete, live * 9 / 10) << "most contexts hold a SUCI, a GUTI and keys";
  std::printf("[ measure ] %zu live UEs with SUCI, GUTI and keys: %zu bytes per UE context\n",
              live, per_ue);
  EXPECT_LE(per_ue, 512u);  // target of issue 6
}

TEST(AuditThreads, SameEventsWithEvictionsUnderASmallUeCap) {
  synth_capture c(synth::scenario::benign, 150, 2);
  const run_result seq = run_sequential(c, 20);
  ASSERT_GT(seq.stats.evicted, 0u);
  expect_same(seq, run_parallel(c, 20, 2, 5, 2, true));
}

/// A classic pcap of InitialUEMessages (a Registration Request of the synthesizer), one per
/// frame, each from the association `assoc[i]` (its own gNB address, port and verification tag).
fs::path flood_capture(const std::vector<std::uint32_t>& assoc) {
  const byte_buffer ngap = from_hex(
      "000f40440000050055000200010026001a197e004179000d0100f1100000000000000000102e04f0f0f07000790"
      "00f4000f110000004001000f110000001005a4001180070400100").value();
  const fs::path file = fs::temp_directory_path() /
                        ("sec5g_label_flood_" + std::to_string(::getpid()) + ".pcap");
  std::string out;
  auto u16 = [&](std::uint16_t v) { out.push_back(char(v >> 8)); out.push_back(char(v)); };
  auto u32 = [&](std::uint32_t v) { u16(std::uint16_t(v >> 16)); u16(std::uint16_t(v)); };
  auto le32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(char(v >> (8 * i)));
  };
  le32(0xa1b2c3d4);
  le32(0x00040002);  // version 2.4
  le32(0);
  le32(0);
  le32(65535);
  le32(1);  // Ethernet
  const std::size_t chunk = 16 + ngap.size(), pad = (4 - chunk % 4) % 4;
  const std::size_t sctp = 12 + chunk + pad, len = 14 + 20 + sctp;
  for (std::size_t i = 0; i < assoc.size(); ++i) {
    const std::uint32_t a = assoc[i];
    le32(static_cast<std::uint32_t>(i));
    le32(0);
    le32(static_cast<std::uint32_t>(len));
    le32(static_cast<std::uint32_t>(len));
    out.append("\x00\x01\x02\x03\x04\x05\x00\x01\x02\x03\x04\x06\x08\x00", 14);
    u16(0x4500);
    u16(static_cast<std::uint16_t>(20 + sctp));
    u32(0x00004000);
    u16(0x4084);  // TTL 64, SCTP
    u16(0);
    u32(0x0b000000 | a);  // 11.x.y.z: one gNB per association
    u32(0x0a000001);
    u16(static_cast<std::uint16_t>(1024 + a % 60000));
    u16(38412);
    u32(a + 1);  // verification tag
    u32(0);      // checksum (not verified for delivery)
    u16(0x0003);  // DATA, flags B|E
    u16(static_cast<std::uint16_t>(chunk));
    u32(static_cast<std::uint32_t>(i + 1));  // TSN
    u32(0);                                  // stream 0, SSN 0
    u32(60);                                 // PPID NGAP
    out.append(reinterpret_cast<const char*>(ngap.data()), ngap.size());
    out.append(pad, '\0');
  }
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + file.string());
  std::fwrite(out.data(), 1, out.size(), f);
  std::fclose(f);
  return file;
}

// More associations than the label cache has slots, and associations coming back after another
// took their slot: every message still carries its own association's gNB label, and the
// threaded driver (which mirrors the tracker side's cache in the reader) gives the same events.
TEST(AuditThreads, EndpointLabelsStayRightPastTheLabelCache) {
  const std::uint32_t n = endpoint_label_cache::slots + 2;
  std::vector<std::uint32_t> assoc;
  for (std::uint32_t a = 1; a <= n; ++a) assoc.push_back(a);
  // Association 1 and n - 1 share a slot (ids are given in order of first appearance, from 1).
  for (std::uint32_t a : {1u, n - 1, 1u, 2u, n - 1, n - 1, 1u}) assoc.push_back(a);
  const fs::path file = flood_capture(assoc);
  auto run = [&](unsigned threads, std::size_t batch) {
    recording_sink sink;
    tracker trk(tracker_options{}, nullptr, nullptr, sink);
    sctp::pipeline pipe;
    run_stats rs;
    if (threads == 1) {
      current_message cur;
      EXPECT_TRUE(run_capture_file(file, pipe, trk, cur, rs).has_value());
    } else {
      parallel_options popt;
      popt.threads = threads;
      popt.batch_messages = batch;
      popt.queue_batches = 2;
      EXPECT_TRUE(run_capture_file_parallel(file, pipe, trk, rs, popt).has_value());
    }
    trk.finish();
    EXPECT_EQ(rs.ngap_messages, assoc.size());
    return sink.out.str();
  };
  const std::string seq = run(1, 0);
  // Each NAS event names the gNB of its frame: 11.<association>:<1024 + association>.
  std::istringstream lines(seq);
  std::string line;
  std::size_t checked = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("nas f=")) continue;
    const std::uint64_t frame = std::stoull(line.substr(6));
    const std::uint32_t a = assoc.at(frame - 1);
    const std::string want = " g=11." + std::to_string((a >> 16) & 255) + "." +
                             std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255) + ":" +
                             std::to_string(1024 + a % 60000) + " ";
    ASSERT_NE(line.find(want), std::string::npos) << line;
    ++checked;
  }
  EXPECT_EQ(checked, assoc.size());
  EXPECT_TRUE(seq == run(2, 256));
  EXPECT_TRUE(seq == run(2, 1));
  fs::remove(file);
}

TEST(AuditThreads, ParallelDriverReportsAMissingFileLikeTheSequentialOne) {
  recording_sink sink;
  tracker trk(tracker_options{}, nullptr, nullptr, sink);
  sctp::pipeline pipe;
  run_stats rs;
  auto r = run_capture_file_parallel("/nonexistent/sec5g.pcapng", pipe, trk, rs, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, capture::capture_error::kind::open_failed);
}

// The tracker given late (sec5g audit loads the key file while the reader thread reads ahead):
// built once, before its first message, and the run gives the same events as with a tracker
// built before it.
TEST(AuditThreads, LateTrackerIsBuiltOnceAndSeesTheSameMessages) {
  synth_capture c(synth::scenario::benign, 60, 2);
  const run_result seq = run_sequential(c, 100'000);
  ASSERT_GT(seq.stats.mac_ok, 0u);
  recording_sink sink;
  suci_prefetch pf;
  tracker_options topt;
  topt.max_ues = 100'000;
  topt.suci_cache = &pf;
  std::optional<tracker> trk;
  int built = 0;
  auto tracker_of = [&]() -> tracker& {
    ++built;
    if (!trk) trk.emplace(topt, &c.subscribers, &c.hn, sink);
    return *trk;
  };
  sctp::pipeline pipe;
  parallel_options popt;
  popt.threads = 2;
  popt.prefetch = &pf;
  popt.hn_keys = &c.hn;
  popt.batch_messages = 3;
  popt.queue_batches = 2;  // the reader blocks (and de-conceals) while the tracker is built
  run_result r;
  ASSERT_TRUE(run_capture_file_parallel(c.capture(), pipe, tracker_of, r.rs, popt).has_value());
  EXPECT_EQ(built, 1);
  trk->finish();
  r.events = sink.out.str();
  r.stats = trk->stats();
  expect_same(seq, r);
  EXPECT_EQ(pf.size(), 0u);
}

TEST(AuditThreads, LateTrackerIsAskedForOnACaptureWithoutMessagesButNotForAMissingFile) {
  const fs::path empty = flood_capture({});
  int built = 0;
  recording_sink sink;
  tracker trk(tracker_options{}, nullptr, nullptr, sink);
  auto tracker_of = [&]() -> tracker& {
    ++built;
    return trk;
  };
  sctp::pipeline pipe;
  run_stats rs;
  parallel_options popt;
  EXPECT_TRUE(run_capture_file_parallel(empty, pipe, tracker_of, rs, popt).has_value());
  EXPECT_EQ(built, 1) << "a bad key file is reported even when the capture has no messages";
  EXPECT_EQ(rs.ngap_messages, 0u);
  auto missing =
      run_capture_file_parallel("/nonexistent/sec5g.pcapng", pipe, tracker_of, rs, popt);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(built, 1);
  fs::remove(empty);
}

// An exception from building the tracker (an unreadable key file) stops the reader thread and
// reaches the caller; nothing is left running.
TEST(AuditThreads, LateTrackerExceptionStopsTheReaderAndPropagates) {
  synth_capture c(synth::scenario::benign, 40, 1);
  suci_prefetch pf;
  sctp::pipeline pipe;
  run_stats rs;
  parallel_options popt;
  popt.threads = 3;
  popt.prefetch = &pf;
  popt.hn_keys = &c.hn;
  popt.batch_messages = 2;
  popt.queue_batches = 2;
  auto tracker_of = []() -> tracker& { throw std::runtime_error("bad key file"); };
  EXPECT_THROW((void)run_capture_file_parallel(c.capture(), pipe, tracker_of, rs, popt),
               std::runtime_error);
}

// --- suci_prefetch

/// A Profile A SUCI of `msin` as the 5GS mobile identity IE value.
byte_buffer profile_a_suci(const identity::hn_key_store& hn, const std::string& msin) {
  identity::supi s;
  s.type = identity::supi_type::imsi;
  s.value = "00101" + msin;
  s.mnc_digits = 2;
  auto pub = hn.public_key(1, identity::protection_scheme::profile_a);
  EXPECT_TRUE(pub.has_value());
  identity::conceal_options o;
  o.scheme = identity::protection_scheme::profile_a;
  o.hn_public_key_id = 1;
  o.hn_public_key = *pub;
  auto suci = identity::conceal(s, o);
  EXPECT_TRUE(suci.has_value());
  byte_buffer out;
  EXPECT_TRUE(identity::encode_suci(*suci, out).has_value());
  return out;
}

identity::suci_value value_of(const byte_buffer& ie) {
  auto id = identity::decode_mobile_identity(ie);
  EXPECT_TRUE(id.has_value());
  return std::get<identity::suci_value>(*id);
}

class SuciPrefetch : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = identity::generate_hn_key(identity::protection_scheme::profile_a);
    ASSERT_TRUE(key.has_value());
    const std::string pem(reinterpret_cast<const char*>(key->pem.view().data()), key->pem.view().size());
    ASSERT_TRUE(hn.add_pem(1, pem).has_value());
  }
  identity::hn_key_store hn;
};

TEST_F(SuciPrefetch, WorkerResultIsTheSidfResultAndIsHitByTheTracker) {
  identity::sidf own(hn), tracker_sidf(hn);
  suci_prefetch pf;
  const byte_buffer a = profile_a_suci(hn, "0000000001");
  pf.submit(a, 0);
  EXPECT_TRUE(pf.has_pending());
  EXPECT_TRUE(pf.work_one(own));
  EXPECT_FALSE(pf.has_pending());
  EXPECT_FALSE(pf.work_one(own));
  auto r = pf.deconceal(a, value_of(a), tracker_sidf);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->value, "001010000000001");
  const auto c = pf.stats();
  EXPECT_EQ(c.by_workers, 1u);
  EXPECT_EQ(c.hits, 1u);
  EXPECT_EQ(c.claimed + c.misses + c.waited, 0u);
}

TEST_F(SuciPrefetch, TrackerClaimsAPendingSuciAndWorkersSkipIt) {
  identity::sidf own(hn), tracker_sidf(hn);
  suci_prefetch pf;
  const byte_buffer a = profile_a_suci(hn, "0000000002");
  pf.submit(a, 3);
  EXPECT_TRUE(pf.has_pending());
  auto r = pf.deconceal(a, value_of(a), tracker_sidf);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->value, "001010000000002");
  EXPECT_FALSE(pf.has_pending()) << "claimed by the tracker";
  EXPECT_FALSE(pf.work_one(own)) << "already computed by the tracker";
  EXPECT_EQ(pf.stats().claimed, 1u);
  // A repeat of the same SUCI in a later message is a hit.
  pf.submit(a, 4);
  EXPECT_TRUE(pf.deconceal(a, value_of(a), tracker_sidf).has_value());
  EXPECT_EQ(pf.stats().hits, 1u);
  EXPECT_EQ(pf.stats().submitted, 1u);
}

TEST_F(SuciPrefetch, TrackerClaimsTheNextPendingSucisAlongWithTheOneItReached) {
  // Ten SUCIs of the next messages and one far ahead: the tracker's claim of the first takes
  // seven more of the next ones (one SIDF batch), oldest first, and leaves the far one and
  // the rest to the workers.
  identity::sidf own(hn), tracker_sidf(hn);
  suci_prefetch pf;
  std::vector<byte_buffer> s;
  for (int i = 0; i < 10; ++i) {
    s.push_back(profile_a_suci(hn, "00000001" + std::to_string(10 + i)));
    pf.submit(s.back(), static_cast<std::uint64_t>(100 + i));
  }
  const byte_buffer far = profile_a_suci(hn, "0000000299");
  pf.submit(far, 100 + 10 * suci_prefetch::work_batch + 1000);
  ASSERT_EQ(pf.pending(), 11u);
  auto r = pf.deconceal(s[0], value_of(s[0]), tracker_sidf);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->value, "001010000000110");
  EXPECT_EQ(pf.stats().claimed, 1u);
  EXPECT_EQ(pf.stats().claimed_along, suci_prefetch::work_batch - 1);
  EXPECT_EQ(pf.pending(), 11u - suci_prefetch::work_batch);
  for (std::size_t i = 1; i < suci_prefetch::work_batch; ++i) {
    auto h = pf.deconceal(s[i], value_of(s[i]), tracker_sidf);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->value, "0010100000001" + std::to_string(10 + i));
  }
  EXPECT_EQ(pf.stats().hits, suci_prefetch::work_batch - 1);
  // The next claim stays within its window: s[8] and s[9], not the far one.
  ASSERT_TRUE(pf.deconceal(s[8], value_of(s[8]), tracker_sidf).has_value());
  EXPECT_EQ(pf.stats().claimed, 2u);
  EXPECT_EQ(pf.stats().claimed_along, suci_prefetch::work_batch);
  EXPECT_EQ(pf.pending(), 1u);
  EXPECT_TRUE(pf.work_one(own));
  EXPECT_EQ(pf.stats().by_workers, 1u);
  auto f = pf.deconceal(far, value_of(far), tracker_sidf);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->value, "001010000000299");
}

TEST_F(SuciPrefetch, RetiringPendingSucisLeavesNothingPending) {
  identity::sidf own(hn);
  suci_prefetch pf;
  const byte_buffer a = profile_a_suci(hn, "0000000004");
  const byte_buffer b = profile_a_suci(hn, "0000000005");
  pf.submit(a, 0);
  pf.submit(b, 1);
  pf.submit(a, 2);  // a repeat: `a` now retires with message 2
  pf.retire(2);     // the tracker passed messages 0 and 1 without asking
  EXPECT_TRUE(pf.has_pending()) << "a is still wanted by message 2";
  EXPECT_EQ(pf.size(), 1u);
  pf.retire(3);
  EXPECT_FALSE(pf.has_pending());
  EXPECT_EQ(pf.size(), 0u);
  EXPECT_FALSE(pf.work_one(own));
  EXPECT_EQ(pf.stats().by_workers, 0u);
}

TEST_F(SuciPrefetch, ErrorsAreCachedLikeResults) {
  identity::sidf own(hn), tracker_sidf(hn);
  suci_prefetch pf;
  byte_buffer bad = profile_a_suci(hn, "0000000003");
  bad.back() ^= 0x01;  // MAC tag
  pf.submit(bad, 0);
  EXPECT_TRUE(pf.work_one(own));
  auto r = pf.deconceal(bad, value_of(bad), tracker_sidf);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, identity::suci_errc::mac_mismatch);
  EXPECT_EQ(tracker_sidf.deconceal(value_of(bad)).error().code, identity::suci_errc::mac_mismatch);
}

TEST_F(SuciPrefetch, RetireDropsPassedEntriesAndTheCapDropsSubmissions) {
  identity::sidf own(hn);
  suci_prefetch pf(2);
  const byte_buffer a = profile_a_suci(hn, "0000000004");
  const byte_buffer b = profile_a_suci(hn, "0000000005");
  const byte_buffer c = profile_a_suci(hn, "0000000006");
  pf.submit(a, 1);
  pf.submit(b, 2);
  pf.submit(c, 3);
  EXPECT_EQ(pf.size(), 2u);
  EXPECT_EQ(pf.stats().dropped, 1u);
  pf.retire(2);  // message 1 passed: a goes, b stays
  EXPECT_EQ(pf.size(), 1u);
  EXPECT_TRUE(pf.work_one(own));  // b
  EXPECT_FALSE(pf.work_one(own));
  pf.retire(3);
  EXPECT_EQ(pf.size(), 0u);
  EXPECT_EQ(pf.retired_below(), 3u);
  // A lookup of a retired or never submitted SUCI is computed by the caller.
  identity::sidf tracker_sidf(hn);
  auto r = pf.deconceal(a, value_of(a), tracker_sidf);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->value, "001010000000004");
  EXPECT_EQ(pf.stats().misses, 1u);
}

TEST_F(SuciPrefetch, ConcurrentWorkersAndTrackerAgreeWithTheSidf) {
  constexpr int n = 40;
  std::vector<byte_buffer> sucis;
  for (int i = 0; i < n; ++i) {
    char msin[12];  // %010d of an int may take 11 characters
    std::snprintf(msin, sizeof msin, "%010d", i);
    sucis.push_back(profile_a_suci(hn, msin));
  }
  suci_prefetch pf;
  for (int i = 0; i < n; ++i) pf.submit(sucis[static_cast<std::size_t>(i)], static_cast<std::uint64_t>(i));
  std::vector<std::thread> workers;
  for (int w = 0; w < 2; ++w)
    workers.emplace_back([&] {
      identity::sidf own(hn);
      while (pf.work_or_wait(own)) {
      }
    });
  identity::sidf tracker_sidf(hn);
  for (int i = 0; i < n; ++i) {
    const auto& s = sucis[static_cast<std::size_t>(i)];
    auto r = pf.deconceal(s, value_of(s), tracker_sidf);
    ASSERT_TRUE(r.has_value());
    char want[24];
    std::snprintf(want, sizeof want, "00101%010d", i);
    EXPECT_EQ(r->value, want);
    pf.retire(static_cast<std::uint64_t>(i) + 1);
  }
  pf.close();
  for (auto& t : workers) t.join();
  const auto c = pf.stats();
  EXPECT_EQ(c.hits + c.waited + c.claimed, static_cast<std::uint64_t>(n));
  EXPECT_EQ(c.misses, 0u);
  EXPECT_EQ(pf.size(), 0u);
}

TEST_F(SuciPrefetch, FindEciesSucisFindsTheSuciPastOtherOctetsThatStartLikeA5gmmMessage) {
  // The pre-filter looks for "7e 00 41" (a plain Registration Request) anywhere after the
  // procedure code; RAN-UE-NGAP-IDs full of 0x7e octets put false starts before the real one.
  const byte_buffer suci = profile_a_suci(hn, "0000000007");
  const byte_buffer nas_pdu = test::registration_request_nas(value_of(suci));
  for (const std::uint32_t ran : {1u, 0x7e7e7e7eu, 0x7e00417eu, 0x007e0000u}) {
    SCOPED_TRACE(ran);
    const byte_buffer pdu = test::initial_ue_message(ran, nas_pdu);
    bytes_view out[2];
    ASSERT_EQ(find_ecies_sucis(pdu, out, 2), 1u);
    EXPECT_TRUE(std::equal(out[0].begin(), out[0].end(), suci.begin(), suci.end()));
    // Without its last octet the message does not decode: nothing, and no read past the end.
    const byte_buffer cut(pdu.begin(), pdu.end() - 1);
    EXPECT_EQ(find_ecies_sucis(cut, out, 2), 0u);
  }
  // A message whose only "7e 00 41" ends exactly at its last octet, or before the identity's
  // type octet: the scan reaches it without reading past the end, and finds nothing.
  const std::uint8_t tail[] = {0x00, 0x0f, 0x40, 0x00, 0x7e, 0x00, 0x41};
  bytes_view none[2];
  EXPECT_EQ(find_ecies_sucis(tail, none, 2), 0u);
  const std::uint8_t before_type[] = {0x00, 0x0f, 0x40, 0x00, 0x7e, 0x00, 0x41, 0x79, 0x00, 0x0d};
  EXPECT_EQ(find_ecies_sucis(before_type, none, 2), 0u);
  const std::uint8_t before_type_5c[] = {0x00, 0x2e, 0x40, 0x7e, 0x00, 0x5c, 0x00, 0x0d};
  EXPECT_EQ(find_ecies_sucis(before_type_5c, none, 2), 0u);
}

TEST_F(SuciPrefetch, FindEciesSucisSkipsRegistrationsByGutiAndFindsIdentityResponses) {
  // A Registration Request naming the UE by its 5G-GUTI carries no SUCI: no candidate.
  identity::guti_5g guti;
  ASSERT_TRUE(guti.plmn.mcc.assign("001"));
  ASSERT_TRUE(guti.plmn.mnc.assign("01"));
  guti.amf_region_id = 1;
  guti.amf_set_id = 1;
  guti.tmsi = 0x7e00417e;
  bytes_view out[2];
  EXPECT_EQ(find_ecies_sucis(test::initial_ue_message(1, test::registration_request_nas(guti)),
                             out, 2),
            0u);
  // An Identity Response with a Profile A SUCI (the answer to a SUCI Identity Request), plain
  // inside an UplinkNASTransport.
  const byte_buffer suci = profile_a_suci(hn, "0000000011");
  nas::msg::identity_response resp;
  resp.mobile_identity = value_of(suci);
  byte_buffer nas_pdu;
  ASSERT_TRUE(nas::msg::encode(resp, nas_pdu).has_value());
  const byte_buffer pdu = test::uplink_nas(5, 1, nas_pdu);
  ASSERT_EQ(find_ecies_sucis(pdu, out, 2), 1u);
  EXPECT_TRUE(std::equal(out[0].begin(), out[0].end(), suci.begin(), suci.end()));
}

TEST(FindEciesSucis, IgnoresMessagesThatCannotCarryASuci) {
  bytes_view out[2];
  const std::uint8_t not_initiating[] = {0x20, 0x0f, 0x00, 0x00};
  EXPECT_EQ(find_ecies_sucis(not_initiating, out, 2), 0u);
  const std::uint8_t other_procedure[] = {0x00, 0x04, 0x40, 0x00};
  EXPECT_EQ(find_ecies_sucis(other_procedure, out, 2), 0u);
  const std::uint8_t truncated[] = {0x00, 0x0f, 0x40, 0x7f, 0xff};
  EXPECT_EQ(find_ecies_sucis(truncated, out, 2), 0u);
}

}  // namespace
}  // namespace sec5g::analysis
