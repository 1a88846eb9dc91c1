// NAS-5GS codec benchmarks over real NAS PDUs. Items = NAS PDUs; bytes = PDU octets.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sec5g/core/hex.hpp"
#include "sec5g/nas/nas.hpp"
#include "sec5g/nas/nas_json.hpp"

namespace {

using sec5g::byte_buffer;

// Every file of the corpus directory, in name order (deterministic).
const std::vector<byte_buffer>& corpus() {
  static const std::vector<byte_buffer> pdus = [] {
    const char* env = std::getenv("SEC5G_NAS_BENCH_DIR");
    const std::filesystem::path dir = env ? env : SEC5G_NAS_CORPUS_DIR;
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<byte_buffer> out;
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return out;
  }();
  return pdus;
}

std::size_t corpus_bytes() {
  std::size_t n = 0;
  for (const auto& p : corpus()) n += p.size();
  return n;
}

void BM_nas_decode_corpus(benchmark::State& state) {
  const auto& pdus = corpus();
  sec5g::nas::nas_message m;
  const sec5g::nas::decode_options opt{.null_decipher = true};
  for (auto _ : state) {
    for (const auto& p : pdus) {
      auto r = sec5g::nas::decode_into(p, m, opt);
      benchmark::DoNotOptimize(r);
      benchmark::DoNotOptimize(m.message.ie_count);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pdus.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
}
BENCHMARK(BM_nas_decode_corpus);

void BM_nas_decode_reencode_corpus(benchmark::State& state) {
  const auto& pdus = corpus();
  sec5g::nas::nas_message m;
  byte_buffer out;
  out.reserve(4096);
  const sec5g::nas::decode_options opt{.null_decipher = true};
  for (auto _ : state) {
    for (const auto& p : pdus) {
      if (!sec5g::nas::decode_into(p, m, opt)) continue;
      out.clear();
      sec5g::nas::encode(m, out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pdus.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
}
BENCHMARK(BM_nas_decode_reencode_corpus);

void BM_nas_decode_json_corpus(benchmark::State& state) {
  const auto& pdus = corpus();
  const sec5g::nas::json_options opt{.null_decipher = true};
  for (auto _ : state) {
    for (const auto& p : pdus) {
      auto s = sec5g::nas::decode_to_json(p, opt).dump();
      benchmark::DoNotOptimize(s.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pdus.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
}
BENCHMARK(BM_nas_decode_json_corpus);

// Single messages: the Security Mode Command (header type 3) and a Registration Request with a
// profile A SUCI, the two most frequent security-relevant messages.
void decode_one(benchmark::State& state, const char* hex) {
  const byte_buffer pdu = *sec5g::from_hex(hex);
  sec5g::nas::nas_message m;
  for (auto _ : state) {
    auto r = sec5g::nas::decode_into(pdu, m);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(m.message.ie_count);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * pdu.size()));
}
void BM_nas_decode_security_mode_command(benchmark::State& state) {
  decode_one(state, "7e03781c441a007e005d02020480200000e1360102");
}
BENCHMARK(BM_nas_decode_security_mode_command);
void BM_nas_decode_registration_request(benchmark::State& state) {
  decode_one(state,
             "7e00417900350100f1100000010181b870e31083083dd965f152a28932a01c729c735b686546b20a30"
             "fdf9b0a21690e8085c0615f3eaaa2a58a7392e0480808080");
}
BENCHMARK(BM_nas_decode_registration_request);

}  // namespace

BENCHMARK_MAIN();
