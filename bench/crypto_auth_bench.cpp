// BM_crypto_<op>: MILENAGE, KDF, the 5G-AKA key chain, TUAK, and the AUTN candidate scan.
#include <benchmark/benchmark.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <array>
#include <cstdint>
#include <vector>

#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/autn_scanner.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/crypto/tuak.hpp"

namespace {

using namespace sec5g;
using namespace sec5g::crypto;

template <std::size_t N>
byte_array<N> hx(std::string_view s) {
  byte_array<N> a{};
  (void)from_hex_into(s, a);
  return a;
}

const auto k1 = hx<16>("465b5ce8b199b49faa5f0a2ee238a6bc");
const auto opc1 = hx<16>("cd63cb71954a9f4e48a5994e37a02baf");
const auto sqn1 = hx<6>("ff9bb4d0b607");
const auto amf1 = hx<2>("b9b9");
constexpr std::string_view snn = "5G:mnc093.mcc208.3gppnetwork.org";

rand128 next_rand(std::uint64_t i) {
  rand128 r = hx<16>("23553cbe9637a89d218ae64dae47bf35");
  store_be64(r.data() + 8, i);
  return r;
}

void BM_crypto_milenage_f1_to_f5star(benchmark::State& state) {
  auto m = milenage::create(k1, opc1);
  std::uint64_t i = 0;
  for (auto _ : state) {
    auto r = m->compute(next_rand(i++), sqn1, amf1);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_crypto_milenage_f1_to_f5star);

void BM_crypto_milenage_f1_only(benchmark::State& state) {
  auto m = milenage::create(k1, opc1);
  std::uint64_t i = 0;
  for (auto _ : state) {
    auto r = m->f1(next_rand(i++), sqn1, amf1);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_crypto_milenage_f1_only);

// One AUTN check per candidate key (rekey + f5 + f1): the auditor's subscriber identification.
// `n` distinct candidate keys (test set 1's K with the last two octets replaced), one OPc.
struct candidate_keys {
  explicit candidate_keys(std::size_t n) : keys(n) {
    for (std::size_t i = 0; i < n; ++i) {
      keys[i] = k1;
      keys[i][15] = static_cast<std::uint8_t>(i);
      keys[i][14] = static_cast<std::uint8_t>(i >> 8);
      views.push_back({keys[i], opc1});
    }
  }
  std::vector<byte_array<16>> keys;
  std::vector<subscriber_keys> views;
};
// The AUTN of test set 1 under another RAND: no candidate matches, so all are tried.
const autn128 unmatched_autn = hx<16>("55f328b43577b9b94a9ffac354dfafb3");

void BM_crypto_autn_candidate_scan(benchmark::State& state) {
  const candidate_keys c(static_cast<std::size_t>(state.range(0)));
  const auto rand = next_rand(0);
  for (auto _ : state) {
    auto r = find_subscriber_by_autn(c.views, rand, unmatched_autn);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_crypto_autn_candidate_scan)->Arg(1024);

// The same scan with the candidates prepared once (autn_scanner: key schedules precomputed,
// 8 candidates interleaved on AES-NI): what the tracker runs for an unknown SUPI.
void BM_crypto_autn_scanner(benchmark::State& state) {
  const candidate_keys c(static_cast<std::size_t>(state.range(0)));
  const autn_scanner scan(c.views);
  if (!scan.accelerated()) state.SkipWithError("no AES-NI: the scanner uses the OpenSSL path");
  const auto rand = next_rand(0);
  for (auto _ : state) {
    auto r = scan.find(rand, unmatched_autn);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_crypto_autn_scanner)->Arg(1024)->Arg(20000);

void BM_crypto_kdf_k_seaf(benchmark::State& state) {
  auto k = hx<32>("d9c8ff91b69e250e256e92466acf80a1d82b65f094b7c071199c0312e067ff3b");
  for (auto _ : state) {
    auto r = derive_k_seaf(k, snn);
    benchmark::DoNotOptimize(r);
    k[0] = r->view()[0];
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_crypto_kdf_k_seaf);

// The raw OpenSSL call for comparison: one-shot HMAC() over the same S.
void BM_crypto_raw_openssl_hmac_oneshot(benchmark::State& state) {
  auto k = hx<32>("d9c8ff91b69e250e256e92466acf80a1d82b65f094b7c071199c0312e067ff3b");
  std::array<std::uint8_t, 35> s{};
  s[0] = 0x6c;
  std::array<std::uint8_t, 32> out{};
  unsigned len = 0;
  for (auto _ : state) {
    HMAC(EVP_sha256(), k.data(), 32, s.data(), s.size(), out.data(), &len);
    benchmark::DoNotOptimize(out);
    k[0] = out[0];
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_crypto_raw_openssl_hmac_oneshot);

// The other OpenSSL 3 way: one EVP_MAC context (HMAC/SHA-256) reused, EVP_MAC_init per key.
void BM_crypto_raw_evp_mac_reused(benchmark::State& state) {
  auto k = hx<32>("d9c8ff91b69e250e256e92466acf80a1d82b65f094b7c071199c0312e067ff3b");
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                               OSSL_PARAM_construct_end()};
  EVP_MAC_CTX_set_params(ctx, params);
  std::array<std::uint8_t, 35> s{};
  s[0] = 0x6c;
  std::array<std::uint8_t, 32> out{};
  std::size_t len = 0;
  for (auto _ : state) {
    EVP_MAC_init(ctx, k.data(), k.size(), nullptr);
    EVP_MAC_update(ctx, s.data(), s.size());
    EVP_MAC_final(ctx, out.data(), &len, out.size());
    benchmark::DoNotOptimize(out);
    k[0] = out[0];
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_crypto_raw_evp_mac_reused);

// MILENAGE -> K_AUSF -> K_SEAF -> K_AMF -> K_NASenc, K_NASint -> K_gNB (the brief's chain).
void BM_crypto_5g_key_chain(benchmark::State& state) {
  auto m = milenage::create(k1, opc1);
  const std::uint8_t abba[2] = {0, 0};
  std::uint64_t i = 0;
  for (auto _ : state) {
    const auto rand = next_rand(i++);
    auto o = m->compute(rand, sqn1, amf1);
    sqn48 sqn_xor_ak{};
    for (std::size_t j = 0; j < 6; ++j) sqn_xor_ak[j] = static_cast<std::uint8_t>(sqn1[j] ^ o->ak.view()[j]);
    auto k_ausf = derive_k_ausf(o->ck.view(), o->ik.view(), snn, sqn_xor_ak);
    auto k_seaf = derive_k_seaf(k_ausf->view(), snn);
    auto k_amf = derive_k_amf(k_seaf->view(), "imsi-208930000000001", bytes_view(abba, 2));
    auto enc = derive_algorithm_key(k_amf->view(), algorithm_type::nas_enc, 2);
    auto integ = derive_algorithm_key(k_amf->view(), algorithm_type::nas_int, 2);
    auto k_gnb = derive_k_gnb(k_amf->view(), 0);
    benchmark::DoNotOptimize(enc);
    benchmark::DoNotOptimize(integ);
    benchmark::DoNotOptimize(k_gnb);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_crypto_5g_key_chain);

// The full 5G-AKA record (chain + AUTN + RES* + HXRES*) through derive_5g_aka().
void BM_crypto_derive_5g_aka_full(benchmark::State& state) {
  auto m = milenage::create(k1, opc1);
  aka_5g_params p{snn, "imsi-208930000000001"};
  std::uint64_t i = 0;
  for (auto _ : state) {
    auto r = derive_5g_aka(*m, next_rand(i++), sqn1, amf1, p);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_crypto_derive_5g_aka_full);

void BM_crypto_tuak_f1_to_f5star(benchmark::State& state) {
  const auto top = hx<32>("5555555555555555555555555555555555555555555555555555555555555555");
  const auto k = hx<16>("abababababababababababababababab");
  auto t = tuak::create_from_top(k, top);
  std::uint64_t i = 0;
  for (auto _ : state) {
    const auto rand = next_rand(i++);
    auto a = t->f1(rand, sqn1, amf1);
    auto b = t->f1star(rand, sqn1, amf1);
    auto c = t->f2345(rand);
    auto d = t->f5star(rand);
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    benchmark::DoNotOptimize(c);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_crypto_tuak_f1_to_f5star);

}  // namespace

BENCHMARK_MAIN();
