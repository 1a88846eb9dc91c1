// The audit pipeline after SCTP: NGAP messages of a real capture held in memory, replayed
// through analysis::tracker (with subscriber keys) and rules::engine. Items = NAS messages.
#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "sec5g/analysis/capture_run.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/rules/engine.hpp"

namespace {

using namespace sec5g;

struct message {
  analysis::packet_meta meta;
  std::string gnb, amf;
  byte_buffer bytes;
};

struct corpus {
  std::vector<message> msgs;
  analysis::subscriber_db keys;
  std::uint64_t nas = 0;
};

struct null_sink : analysis::event_sink {
  std::uint64_t nas = 0;
  void on_nas(const analysis::nas_event&) override { ++nas; }
  void on_ngap(const analysis::ngap_event&) override {}
};

const corpus& load(const std::string& file, const std::string& keys) {
  static std::map<std::string, corpus> cache;
  auto it = cache.find(file);
  if (it != cache.end()) return it->second;
  corpus& c = cache[file];
  const std::string dir = std::string(SEC5G_SHARED_DIR) + "/captures/";
  if (auto k = analysis::load_subscriber_keys(dir + "keys/" + keys)) c.keys = std::move(*k);
  sctp::pipeline pipe;
  (void)sctp::run_file(dir + file, pipe, [&](const sctp::user_message& m) {
    message msg;
    analysis::endpoint_labels(m, msg.gnb, msg.amf);
    msg.meta.frame = m.frame_number;
    msg.meta.time_ns = m.timestamp_ns;
    msg.meta.association = m.association_id;
    msg.bytes.assign(m.payload.begin(), m.payload.end());
    c.msgs.push_back(std::move(msg));
  });
  for (auto& m : c.msgs) {
    m.meta.gnb = m.gnb;
    m.meta.amf = m.amf;
  }
  null_sink s;
  analysis::tracker trk({}, &c.keys, nullptr, s);
  for (const auto& m : c.msgs) trk.on_ngap(m.meta, m.bytes);
  c.nas = s.nas;
  return c;
}

// One tracker per replay (fresh contexts, as a new capture): keys derived, MACs verified.
void BM_analysis_tracker_keys(benchmark::State& state, const char* file, const char* keys) {
  const corpus& c = load(file, keys);
  std::uint64_t nas = 0;
  for (auto _ : state) {
    null_sink s;
    analysis::tracker trk({}, &c.keys, nullptr, s);
    for (const auto& m : c.msgs) trk.on_ngap(m.meta, m.bytes);
    nas += s.nas;
    benchmark::DoNotOptimize(trk.stats().mac_ok);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(nas));
  state.counters["nas_per_s"] = benchmark::Counter(static_cast<double>(nas), benchmark::Counter::kIsRate);
}

// Tracker + every rule.
void BM_analysis_audit_keys(benchmark::State& state, const char* file, const char* keys) {
  const corpus& c = load(file, keys);
  std::uint64_t nas = 0;
  for (auto _ : state) {
    rules::engine eng;
    analysis::tracker trk({}, &c.keys, nullptr, eng);
    for (const auto& m : c.msgs) trk.on_ngap(m.meta, m.bytes);
    trk.finish();
    eng.finish();
    nas += trk.stats().nas;
    benchmark::DoNotOptimize(eng.findings().size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(nas));
  state.counters["nas_per_s"] = benchmark::Counter(static_cast<double>(nas), benchmark::Counter::kIsRate);
}

// Without keys: header-level analysis only.
void BM_analysis_audit_nokeys(benchmark::State& state, const char* file) {
  const corpus& c = load(file, "none.csv");
  std::uint64_t nas = 0;
  for (auto _ : state) {
    rules::engine eng;
    analysis::tracker trk({}, nullptr, nullptr, eng);
    for (const auto& m : c.msgs) trk.on_ngap(m.meta, m.bytes);
    trk.finish();
    eng.finish();
    nas += trk.stats().nas;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(nas));
  state.counters["nas_per_s"] = benchmark::Counter(static_cast<double>(nas), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_analysis_tracker_keys, open5gs_testregistration,
                  "open5gs_testregistration.pcapng", "open5gs-2020.csv");
BENCHMARK_CAPTURE(BM_analysis_audit_keys, open5gs_testregistration,
                  "open5gs_testregistration.pcapng", "open5gs-2020.csv");
BENCHMARK_CAPTURE(BM_analysis_audit_keys, oai_ueransim_nea1, "oai_ueransim_registration.pcap",
                  "oai.csv");
BENCHMARK_CAPTURE(BM_analysis_audit_nokeys, rub_suci_catcher_oneplus8_500,
                  "rub_suci_catcher_oneplus8_500.pcapng");

}  // namespace

BENCHMARK_MAIN();
