// Capture pipeline benchmarks: BM_capture_read (libpcap + our reader), BM_sctp_pipeline
// (link/IP + SCTP on frames already in memory), BM_capture_pipeline (both), BM_sctp_crc32c.
// The capture is shared/captures/rub_suci_catcher_oneplus8_500.pcapng (7933 frames, 6435 NGAP
// messages) unless SEC5G_BENCH_CAPTURE names another file.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sec5g/capture/reader.hpp"
#include "sec5g/sctp/crc32c.hpp"
#include "sec5g/sctp/pipeline.hpp"

namespace {

using namespace sec5g;

std::string capture_path() {
  if (const char* p = std::getenv("SEC5G_BENCH_CAPTURE")) return p;
  return std::string(SEC5G_SHARED_DIR) + "/captures/rub_suci_catcher_oneplus8_500.pcapng";
}

const byte_buffer& file_bytes() {
  static const byte_buffer bytes = [] {
    std::ifstream in(capture_path(), std::ios::binary);
    return byte_buffer((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  return bytes;
}

struct stored_frame {
  byte_buffer data;
  capture::frame meta;
};

const std::vector<stored_frame>& frames() {
  static const std::vector<stored_frame> v = [] {
    std::vector<stored_frame> out;
    auto r = capture::reader::open_memory(file_bytes());
    if (!r) return out;
    while (auto f = r->next()) {
      if (!*f) break;
      out.push_back({byte_buffer((*f)->data.begin(), (*f)->data.end()), **f});
    }
    for (auto& s : out)
      s.meta.data = s.data;
    return out;
  }();
  return v;
}

void BM_capture_read(benchmark::State& state) {
  const byte_buffer& bytes = file_bytes();
  std::uint64_t n = 0;
  for (auto _ : state) {
    auto r = capture::reader::open_memory(bytes);
    if (!r) {
      state.SkipWithError("cannot read the capture");
      return;
    }
    while (auto f = r->next()) {
      if (!*f) break;
      benchmark::DoNotOptimize((*f)->data.data());
      ++n;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes.size() * state.iterations()));
  state.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_capture_read)->Unit(benchmark::kMillisecond);

void BM_sctp_pipeline(benchmark::State& state) {
  const auto& fs = frames();
  if (fs.empty()) {
    state.SkipWithError("cannot read the capture");
    return;
  }
  std::uint64_t msgs = 0;
  std::uint64_t bytes = 0;
  for (const auto& f : fs)
    bytes += f.data.size();
  for (auto _ : state) {
    sctp::pipeline p;
    for (const auto& f : fs) {
      p.feed(f.meta, [&](const sctp::user_message& m) {
        benchmark::DoNotOptimize(m.payload.data());
        ++msgs;
      });
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
  state.counters["messages/s"] =
      benchmark::Counter(static_cast<double>(msgs), benchmark::Counter::kIsRate);
  state.counters["frames/s"] = benchmark::Counter(
      static_cast<double>(fs.size() * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_sctp_pipeline)->Unit(benchmark::kMillisecond);

void BM_capture_pipeline(benchmark::State& state) {
  const byte_buffer& bytes = file_bytes();
  std::uint64_t msgs = 0;
  for (auto _ : state) {
    auto r = capture::reader::open_memory(bytes);
    if (!r) {
      state.SkipWithError("cannot read the capture");
      return;
    }
    sctp::pipeline p;
    while (auto f = r->next()) {
      if (!*f) break;
      p.feed(**f, [&](const sctp::user_message& m) {
        benchmark::DoNotOptimize(m.payload.data());
        ++msgs;
      });
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes.size() * state.iterations()));
  state.counters["messages/s"] =
      benchmark::Counter(static_cast<double>(msgs), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_capture_pipeline)->Unit(benchmark::kMillisecond);

void BM_sctp_crc32c(benchmark::State& state) {
  byte_buffer data(static_cast<std::size_t>(state.range(0)));
  for (std::size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<std::uint8_t>(i);
  for (auto _ : state)
    benchmark::DoNotOptimize(sctp::crc32c(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(data.size() * state.iterations()));
}
BENCHMARK(BM_sctp_crc32c)->Arg(64)->Arg(1500)->Arg(65536);

} // namespace

BENCHMARK_MAIN();
