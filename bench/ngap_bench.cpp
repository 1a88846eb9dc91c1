// NGAP decode/encode rates over real PDUs. Two inputs:
//  - "corpus": the committed seed corpus (fuzz/corpus/ngap, 467 distinct PDUs, at most 40 per
//    message kind, so large messages are over-represented);
//  - "captures": every NGAP PDU of the shared captures in capture order (19 618 PDUs), read from
//    the tshark extraction the ngap tests cache in the build tree (ngap_tshark_frames.tsv); the
//    benchmarks on it are skipped when that file is absent.
// Items = PDUs; bytes = PDU bytes.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sec5g/core/hex.hpp"
#include "sec5g/ngap/message.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace {

using namespace sec5g;

std::vector<byte_buffer> load_corpus() {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(
           std::filesystem::path(SEC5G_SOURCE_DIR) / "fuzz/corpus/ngap", ec)) {
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<byte_buffer> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    out.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return out;
}

std::vector<byte_buffer> load_captures() {
  std::vector<byte_buffer> out;
  std::ifstream in(std::string(SEC5G_BINARY_DIR) + "/ngap_tshark_frames.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 2 || line[0] != 'P') continue;
    const auto tab = line.rfind('\t');
    std::string hexes = line.substr(tab + 1);
    std::size_t start = 0;
    while (start <= hexes.size()) {
      std::size_t end = hexes.find(',', start);
      if (end == std::string::npos) end = hexes.size();
      auto b = from_hex(std::string_view(hexes).substr(start, end - start));
      if (b) out.push_back(std::move(*b));
      start = end + 1;
    }
  }
  return out;
}

const std::vector<byte_buffer>& input(int which) {
  static const std::vector<byte_buffer> corpus = load_corpus();
  static const std::vector<byte_buffer> captures = load_captures();
  return which == 0 ? corpus : captures;
}

std::size_t total_bytes(const std::vector<byte_buffer>& v) {
  std::size_t n = 0;
  for (const auto& b : v)
    n += b.size();
  return n;
}

template <class F> void run(benchmark::State& state, F&& per_pdu) {
  const auto& pdus = input(static_cast<int>(state.range(0)));
  if (pdus.empty()) {
    state.SkipWithError("input not available (run the ngap tests first to extract it)");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    per_pdu(pdus[i]);
    if (++i == pdus.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(static_cast<double>(state.iterations()) *
                                                    static_cast<double>(total_bytes(pdus)) /
                                                    static_cast<double>(pdus.size())));
  state.SetLabel(state.range(0) == 0 ? "corpus" : "captures");
}

// The envelope and IE container only (views).
void BM_ngap_decode_envelope(benchmark::State& state) {
  ngap::pdu p;
  run(state, [&](const byte_buffer& b) {
    auto r = ngap::decode_pdu(b, p);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(p.ie_count);
  });
}

// What the decode pipeline needs per PDU: envelope, UE ids, every NAS-PDU with its offset, and
// the UE security capabilities when present.
void BM_ngap_decode_pipeline(benchmark::State& state) {
  ngap::pdu p;
  ngap::nas_pdu_ref refs[8];
  run(state, [&](const byte_buffer& b) {
    if (!ngap::decode_pdu(b, p)) return;
    auto ids = ngap::ue_ids(p);
    benchmark::DoNotOptimize(ids);
    auto n = ngap::collect_nas_pdus(p, refs);
    benchmark::DoNotOptimize(n);
    if (const auto* e = p.find(ngap::ie_id::ue_security_capabilities)) {
      auto c = ngap::decode_ue_security_capabilities(e->value);
      benchmark::DoNotOptimize(c);
    }
  });
}

// Every typed IE into the domain struct (allocates the lists).
void BM_ngap_decode_message(benchmark::State& state) {
  ngap::pdu p;
  run(state, [&](const byte_buffer& b) {
    if (!ngap::decode_pdu(b, p)) return;
    auto m = ngap::decode_message(p);
    benchmark::DoNotOptimize(m);
  });
}

// Domain struct -> bytes (messages decoded once beforehand).
void BM_ngap_encode_message(benchmark::State& state) {
  const auto& pdus = input(static_cast<int>(state.range(0)));
  std::vector<ngap::message> msgs;
  for (const auto& b : pdus) {
    if (auto m = ngap::decode_message(b)) msgs.push_back(std::move(*m));
  }
  if (msgs.empty()) {
    state.SkipWithError("input not available");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto e = ngap::encode_message(msgs[i]);
    benchmark::DoNotOptimize(e);
    if (++i == msgs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "corpus" : "captures");
}

BENCHMARK(BM_ngap_decode_envelope)->Arg(0)->Arg(1);
BENCHMARK(BM_ngap_decode_pipeline)->Arg(0)->Arg(1);
BENCHMARK(BM_ngap_decode_message)->Arg(0)->Arg(1);
BENCHMARK(BM_ngap_encode_message)->Arg(0)->Arg(1);

} // namespace

BENCHMARK_MAIN();
