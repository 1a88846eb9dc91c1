// BM_synth_<scenario>/<ues>: UEs simulated per second (items) and frame bytes per second.
#include <benchmark/benchmark.h>

#include "sec5g/synth/synth.hpp"

namespace {

using namespace sec5g;

class counting_sink final : public synth::sink {
 public:
  void on_frame(std::int64_t, bytes_view f, std::string_view) override { bytes += f.size(); }
  void on_subscriber(const synth::subscriber&) override {}
  void on_truth(const synth::truth_finding&) override {}
  std::uint64_t bytes = 0;
};

void run(benchmark::State& state, synth::scenario sc, synth::suci_profile profile) {
  synth::options o;
  o.what = sc;
  o.ues = static_cast<std::uint64_t>(state.range(0));
  o.gnbs = 4;
  o.profile = profile;
  std::uint64_t bytes = 0;
  std::uint64_t frames = 0;
  for (auto _ : state) {
    counting_sink s;
    auto r = synth::run(o, s);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    bytes += s.bytes;
    frames += r->frames;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

void BM_synth_benign_profile_a(benchmark::State& s) {
  run(s, synth::scenario::benign, synth::suci_profile::profile_a);
}
void BM_synth_benign_profile_b(benchmark::State& s) {
  run(s, synth::scenario::benign, synth::suci_profile::profile_b);
}
void BM_synth_benign_null(benchmark::State& s) {
  run(s, synth::scenario::benign, synth::suci_profile::null_scheme);
}
void BM_synth_mixed(benchmark::State& s) {
  run(s, synth::scenario::mixed, synth::suci_profile::profile_a);
}

BENCHMARK(BM_synth_benign_profile_a)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_synth_benign_profile_b)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_synth_benign_null)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_synth_mixed)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
