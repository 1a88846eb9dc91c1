// Per-message rate of 128-NEA1/2/3 and 128-NIA1/2/3 at 16, 64, 256 and 1500 octets:
//   BM_crypto_<alg>_oneshot/<bytes>  sec5g::crypto::nea()/nia() on one message
//   BM_crypto_<alg>_raw/<bytes>      the bare library call a caller would make per message
//                                    (libipsec-mb 1_BUFFER with its key schedule, or OpenSSL
//                                    EVP on a context reused across calls)
//   BM_crypto_<alg>_batch/<bytes>    nea_batch()/nia_batch() on 64 messages with 64 keys
//   BM_crypto_nea2_batch_lanes_only  NEA2 batch on the 128-bit AES-NI lanes alone (no VAES
//                                    runs: what a CPU without VAES gets; tail bits not cleared)
//   BM_crypto_nea2_batch_jobs        NEA2 batch on the libipsec-mb job fallback (the path
//                                    before the AES-NI one; CPUs without AES-NI)
// items_per_second = messages per second.
#include <intel-ipsec-mb.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <cstring>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/nea2_aesni.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"

namespace {

using namespace sec5g;
using namespace sec5g::crypto;

constexpr std::size_t batch_size = 64;

byte_array<16> make_key(std::size_t i) {
  byte_array<16> k{};
  for (std::size_t j = 0; j < k.size(); ++j)
    k[j] = static_cast<std::uint8_t>(i * 31 + j * 7 + 1);
  return k;
}

byte_buffer make_data(std::size_t n) {
  byte_buffer d(n);
  for (std::size_t i = 0; i < n; ++i)
    d[i] = static_cast<std::uint8_t>(i * 13 + 5);
  return d;
}

void finish(benchmark::State& state, std::size_t messages_per_iteration) {
  const auto n = static_cast<std::int64_t>(state.range(0));
  const auto m = static_cast<std::int64_t>(messages_per_iteration);
  state.SetBytesProcessed(state.iterations() * n * m);
  state.SetItemsProcessed(state.iterations() * m);
}

template <nea_alg Alg> void nea_oneshot(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  const auto in = make_data(n);
  byte_buffer out(n);
  std::uint32_t count = 0;
  for (auto _ : state) {
    auto r = nea(Alg, key, count++, 0, 1, in, 8 * n, out);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(out.data());
  }
  finish(state, 1);
}

template <nia_alg Alg> void nia_oneshot(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  const auto msg = make_data(n);
  std::uint32_t count = 0;
  for (auto _ : state) {
    auto r = nia(Alg, key, count++, 0, 1, msg, 8 * n);
    benchmark::DoNotOptimize(r);
  }
  finish(state, 1);
}

// One-shot calls whose messages each depend on the previous result (its first octet takes
// the last MAC's or keystream's): the latency of a call, what the tracker pays per protected
// NAS message, rather than the throughput of independent calls that the loops above measure
// (there the processor runs several calls' AES rounds at once).
template <nia_alg Alg> void nia_chained(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  auto msg = make_data(n);
  std::uint32_t count = 0;
  for (auto _ : state) {
    auto r = nia(Alg, key, count++, 0, 1, msg, 8 * n);
    if (r) msg[0] = static_cast<std::uint8_t>(msg[0] ^ (*r)[0]);
  }
  benchmark::DoNotOptimize(msg.data());
  finish(state, 1);
}
template <nea_alg Alg> void nea_chained(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  auto in = make_data(n);
  byte_buffer out(n);
  std::uint32_t count = 0;
  for (auto _ : state) {
    auto r = nea(Alg, key, count++, 0, 1, in, 8 * n, out);
    if (r) in[0] = static_cast<std::uint8_t>(in[0] ^ out[n - 1]);
  }
  benchmark::DoNotOptimize(in.data());
  finish(state, 1);
}

// A received ciphered NAS message, each depending on the previous one as above: its MAC checked
// and its text deciphered by nia_verify then nea (`Combined` false), or by nia_verify_and_nea.
template <bool Combined> void nas_receive_chained(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto k_int = make_key(0);
  const auto k_enc = make_key(1);
  auto covered = make_data(n + 1);  // SQN || ciphered message
  byte_buffer out(n);
  const mac32 mac{};
  std::uint32_t count = 0;
  for (auto _ : state) {
    const bytes_view inner = bytes_view(covered).subspan(1);
    bool ok = false;
    if constexpr (Combined) {
      ok = nia_verify_and_nea(nia_alg::nia2, k_int, nea_alg::nea2, k_enc, count, 0, 1, covered,
                              8 * (n + 1), mac, inner, 8 * n, out)
               .value_or(false);
    } else {
      ok = nia_verify(nia_alg::nia2, k_int, count, 0, 1, covered, 8 * (n + 1), mac)
               .value_or(false);
      ok = nea(nea_alg::nea2, k_enc, count, 0, 1, inner, 8 * n, out).has_value() && ok;
    }
    ++count;
    covered[0] = static_cast<std::uint8_t>(covered[0] ^ out[n - 1] ^ (ok ? 1 : 0));
  }
  benchmark::DoNotOptimize(covered.data());
  finish(state, 1);
}

// NEA2's batch paths one by one (nea_batch() picks the AES-NI one with VAES runs here).
using nea_batch_fn = bool (*)(std::span<const nea_request>);
bool nea2_jobs(std::span<const nea_request> r) {
  return detail::nea_batch_jobs(nea_alg::nea2, r).has_value();
}
bool nea2_lanes(std::span<const nea_request> r) {
  if (!detail::nea2_aesni_available()) return false;
  detail::nea2_aesni_batch(r, false);
  return true;
}

template <nea_alg Alg, nea_batch_fn Fn = nullptr> void nea_batch_bm(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<byte_array<16>> keys;
  std::vector<byte_buffer> in, out;
  for (std::size_t i = 0; i < batch_size; ++i) {
    keys.push_back(make_key(i));
    in.push_back(make_data(n));
    out.emplace_back(n);
  }
  std::vector<nea_request> reqs;
  for (std::size_t i = 0; i < batch_size; ++i)
    reqs.push_back({keys[i], static_cast<std::uint32_t>(i), 0, 1, in[i], 8 * n, out[i]});
  for (auto _ : state) {
    for (auto& r : reqs)
      ++r.count;
    if constexpr (Fn == nullptr) {
      auto r = nea_batch(Alg, reqs);
      benchmark::DoNotOptimize(r);
    } else if (!Fn(reqs)) {
      state.SkipWithError("path not available on this CPU");
      break;
    }
    benchmark::DoNotOptimize(out[0].data());
  }
  finish(state, batch_size);
}

template <nia_alg Alg> void nia_batch_bm(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<byte_array<16>> keys;
  std::vector<byte_buffer> msgs;
  for (std::size_t i = 0; i < batch_size; ++i) {
    keys.push_back(make_key(i));
    msgs.push_back(make_data(n));
  }
  std::vector<nia_request> reqs;
  for (std::size_t i = 0; i < batch_size; ++i)
    reqs.push_back({keys[i], static_cast<std::uint32_t>(i), 0, 1, msgs[i], 8 * n});
  std::vector<mac32> macs(batch_size);
  for (auto _ : state) {
    for (auto& r : reqs)
      ++r.count;
    auto r = nia_batch(Alg, reqs, macs);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(macs.data());
  }
  finish(state, batch_size);
}

// The raw calls. One manager / EVP context per benchmark, as a well-written caller would keep.
struct raw_env {
  IMB_MGR* mgr = nullptr;
  raw_env() {
    mgr = alloc_mb_mgr(0);
    init_mb_mgr_auto(mgr, nullptr);
  }
  ~raw_env() { free_mb_mgr(mgr); }
};

void iv_f8(std::uint8_t* iv, std::uint32_t count) {
  std::memset(iv, 0, 16);
  store_be32(iv, count);
  iv[4] = 1 << 2;
  store_be32(iv + 8, count);
  iv[12] = 1 << 2;
}

void raw_nea1(benchmark::State& state) {
  raw_env env;
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  const auto in = make_data(n);
  byte_buffer out(n);
  alignas(16) std::uint8_t iv[16];
  std::uint32_t count = 0;
  for (auto _ : state) {
    snow3g_key_schedule_t ks;
    IMB_SNOW3G_INIT_KEY_SCHED(env.mgr, key.data(), &ks);
    iv_f8(iv, count++);
    IMB_SNOW3G_F8_1_BUFFER(env.mgr, &ks, iv, in.data(), out.data(), static_cast<std::uint32_t>(n));
    benchmark::DoNotOptimize(out.data());
  }
  finish(state, 1);
}

void raw_nea3(benchmark::State& state) {
  raw_env env;
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  const auto in = make_data(n);
  byte_buffer out(n);
  alignas(16) std::uint8_t iv[16];
  std::uint32_t count = 0;
  for (auto _ : state) {
    iv_f8(iv, count++);
    IMB_ZUC_EEA3_1_BUFFER(env.mgr, key.data(), iv, in.data(), out.data(),
                          static_cast<std::uint32_t>(n));
    benchmark::DoNotOptimize(out.data());
  }
  finish(state, 1);
}

void raw_nea2(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  const auto in = make_data(n);
  byte_buffer out(n);
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex2(ctx, cipher, key.data(), nullptr, nullptr);
  std::uint8_t iv[16] = {};
  std::uint32_t count = 0;
  for (auto _ : state) {
    store_be32(iv, count++);
    iv[4] = 1 << 2;
    int outl = 0;
    EVP_EncryptInit_ex2(ctx, nullptr, key.data(), iv, nullptr);
    EVP_EncryptUpdate(ctx, out.data(), &outl, in.data(), static_cast<int>(n));
    benchmark::DoNotOptimize(out.data());
  }
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(cipher);
  finish(state, 1);
}

void raw_nia1(benchmark::State& state) {
  raw_env env;
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  const auto msg = make_data(n);
  alignas(16) std::uint8_t iv[16] = {};
  std::uint8_t mac[4];
  std::uint32_t count = 0;
  for (auto _ : state) {
    snow3g_key_schedule_t ks;
    IMB_SNOW3G_INIT_KEY_SCHED(env.mgr, key.data(), &ks);
    store_be32(iv, count);
    store_be32(iv + 8, count++ ^ 0x80000000u);
    store_be32(iv + 12, 0x8000u);
    IMB_SNOW3G_F9_1_BUFFER(env.mgr, &ks, iv, msg.data(), 8 * n, mac);
    benchmark::DoNotOptimize(mac);
  }
  finish(state, 1);
}

void raw_nia3(benchmark::State& state) {
  raw_env env;
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  const auto msg = make_data(n);
  alignas(16) std::uint8_t iv[16] = {};
  std::uint32_t mac = 0;
  std::uint32_t count = 0;
  for (auto _ : state) {
    store_be32(iv, count++);
    iv[8] = static_cast<std::uint8_t>(iv[0] ^ 0x80);
    std::memcpy(iv + 9, iv + 1, 5);
    iv[14] = 0x80;
    IMB_ZUC_EIA3_1_BUFFER(env.mgr, key.data(), iv, msg.data(), static_cast<std::uint32_t>(8 * n),
                          &mac);
    benchmark::DoNotOptimize(mac);
  }
  finish(state, 1);
}

void raw_nia2(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto key = make_key(0);
  const auto msg = make_data(n);
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char cipher_name[] = "AES-128-CBC";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher_name, 0),
      OSSL_PARAM_construct_end()};
  EVP_MAC_init(ctx, key.data(), 16, params);
  std::uint8_t prefix[8] = {};
  std::uint8_t tag[16];
  std::uint32_t count = 0;
  for (auto _ : state) {
    store_be32(prefix, count++);
    prefix[4] = 1 << 2;
    std::size_t outl = 0;
    EVP_MAC_init(ctx, key.data(), 16, nullptr);
    EVP_MAC_update(ctx, prefix, sizeof prefix);
    EVP_MAC_update(ctx, msg.data(), n);
    EVP_MAC_final(ctx, tag, &outl, sizeof tag);
    benchmark::DoNotOptimize(tag);
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  finish(state, 1);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int n : {16, 64, 256, 1500})
    b->Arg(n);
}

} // namespace

BENCHMARK(nea_oneshot<nea_alg::nea1>)->Name("BM_crypto_nea1_oneshot")->Apply(sizes);
BENCHMARK(raw_nea1)->Name("BM_crypto_nea1_raw")->Apply(sizes);
BENCHMARK(nea_batch_bm<nea_alg::nea1>)->Name("BM_crypto_nea1_batch")->Apply(sizes);
BENCHMARK(nea_oneshot<nea_alg::nea2>)->Name("BM_crypto_nea2_oneshot")->Apply(sizes);
BENCHMARK(nea_chained<nea_alg::nea2>)->Name("BM_crypto_nea2_chained")->Apply(sizes);
BENCHMARK(raw_nea2)->Name("BM_crypto_nea2_raw")->Apply(sizes);
BENCHMARK(nea_batch_bm<nea_alg::nea2>)->Name("BM_crypto_nea2_batch")->Apply(sizes);
BENCHMARK(nea_batch_bm<nea_alg::nea2, nea2_lanes>)
    ->Name("BM_crypto_nea2_batch_lanes_only")
    ->Apply(sizes);
BENCHMARK(nea_batch_bm<nea_alg::nea2, nea2_jobs>)->Name("BM_crypto_nea2_batch_jobs")->Apply(sizes);
BENCHMARK(nea_oneshot<nea_alg::nea3>)->Name("BM_crypto_nea3_oneshot")->Apply(sizes);
BENCHMARK(raw_nea3)->Name("BM_crypto_nea3_raw")->Apply(sizes);
BENCHMARK(nea_batch_bm<nea_alg::nea3>)->Name("BM_crypto_nea3_batch")->Apply(sizes);
BENCHMARK(nia_oneshot<nia_alg::nia1>)->Name("BM_crypto_nia1_oneshot")->Apply(sizes);
BENCHMARK(raw_nia1)->Name("BM_crypto_nia1_raw")->Apply(sizes);
BENCHMARK(nia_batch_bm<nia_alg::nia1>)->Name("BM_crypto_nia1_batch")->Apply(sizes);
BENCHMARK(nia_oneshot<nia_alg::nia2>)->Name("BM_crypto_nia2_oneshot")->Apply(sizes);
BENCHMARK(nia_chained<nia_alg::nia2>)->Name("BM_crypto_nia2_chained")->Apply(sizes);
BENCHMARK(nas_receive_chained<false>)->Name("BM_crypto_nas_receive_two_calls")->Apply(sizes);
BENCHMARK(nas_receive_chained<true>)->Name("BM_crypto_nas_receive_combined")->Apply(sizes);
BENCHMARK(raw_nia2)->Name("BM_crypto_nia2_raw")->Apply(sizes);
BENCHMARK(nia_batch_bm<nia_alg::nia2>)->Name("BM_crypto_nia2_batch")->Apply(sizes);
BENCHMARK(nia_oneshot<nia_alg::nia3>)->Name("BM_crypto_nia3_oneshot")->Apply(sizes);
BENCHMARK(raw_nia3)->Name("BM_crypto_nia3_raw")->Apply(sizes);
BENCHMARK(nia_batch_bm<nia_alg::nia3>)->Name("BM_crypto_nia3_batch")->Apply(sizes);

BENCHMARK_MAIN();
