// bench_identity: SIDF de-concealment rate (Profile A, B) beside the raw ECDH rate of the same
// curve measured in the same binary (EVP_PKEY_derive on a ready context = the floor of any
// SIDF), and the identity decoders. Multi-threaded variants: one sidf per thread.
#include <benchmark/benchmark.h>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <vector>

#include "identity/p256_point.hpp"
#include "identity/x25519_x8.hpp"
#include "sec5g/core/hex.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"

namespace {

using namespace sec5g;
using namespace sec5g::identity;

// TS 33.501 C.4 home network keys.
const char* const hn_priv_a = "c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d";
const char* const hn_priv_b = "f1ab1074477ebcc7f554ea1c5fc368b1616730155e0041ac447d6301975fecda";

struct fixture {
  hn_key_store keys;
  std::vector<suci> sucis_a;
  std::vector<suci> sucis_b;
  fixture() {
    (void)keys.add_raw(std::uint8_t{1}, protection_scheme::profile_a, *from_hex(hn_priv_a));
    (void)keys.add_raw(std::uint8_t{2}, protection_scheme::profile_b, *from_hex(hn_priv_b));
    const auto pub_a = *keys.public_key(1, protection_scheme::profile_a);
    const auto pub_b = *keys.public_key(2, protection_scheme::profile_b);
    for (int i = 0; i < 256; ++i) {
      supi s{supi_type::imsi, "00101" + std::to_string(1000000000 + i), 2};
      conceal_options o;
      o.scheme = protection_scheme::profile_a;
      o.hn_public_key_id = 1;
      o.hn_public_key = pub_a;
      sucis_a.push_back(*conceal(s, o));
      o.scheme = protection_scheme::profile_b;
      o.hn_public_key_id = 2;
      o.hn_public_key = pub_b;
      sucis_b.push_back(*conceal(s, o));
    }
  }
};

fixture& fx() {
  static fixture f;
  return f;
}

void BM_identity_deconceal(benchmark::State& state, protection_scheme p) {
  auto& f = fx();
  const auto& sucis = p == protection_scheme::profile_a ? f.sucis_a : f.sucis_b;
  sidf engine(f.keys);
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 17;
  for (auto _ : state) {
    auto r = engine.deconceal(sucis[i++ % sucis.size()]);
    if (!r) state.SkipWithError("deconceal failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// An OpenSSL P-256 public key from an encoded point (compressed or not), or null.
EVP_PKEY* p256_peer(bytes_view point) {
  EVP_PKEY* peer = nullptr;
  EVP_PKEY_CTX* fctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string("group", const_cast<char*>("prime256v1"), 0),
      OSSL_PARAM_construct_octet_string("pub", const_cast<std::uint8_t*>(point.data()), point.size()),
      OSSL_PARAM_construct_end()};
  if (fctx != nullptr && EVP_PKEY_fromdata_init(fctx) > 0)
    EVP_PKEY_fromdata(fctx, &peer, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(fctx);
  return peer;
}

// A derive context with `priv` and `peer` set, or null.
EVP_PKEY_CTX* derive_ctx(EVP_PKEY* priv, EVP_PKEY* peer) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, priv, nullptr);
  if (ctx == nullptr || peer == nullptr || EVP_PKEY_derive_init(ctx) <= 0 ||
      EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) <= 0) {
    EVP_PKEY_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

// OpenSSL's raw ECDH: EVP_PKEY_derive on a context with the peer already set.
void BM_identity_raw_ecdh(benchmark::State& state, protection_scheme p) {
  auto& f = fx();
  const bool a = p == protection_scheme::profile_a;
  const auto& s = a ? f.sucis_a[0] : f.sucis_b[0];
  const bytes_view eph = bytes_view(s.scheme_output).first(a ? 32 : 33);
  EVP_PKEY* priv = nullptr;
  EVP_PKEY* peer = nullptr;
  if (a) {
    priv = EVP_PKEY_new_raw_private_key_ex(nullptr, "X25519", nullptr, from_hex(hn_priv_a)->data(), 32);
    peer = EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, eph.data(), 32);
  } else {
    priv = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    peer = p256_peer(eph);
  }
  EVP_PKEY_CTX* ctx = derive_ctx(priv, peer);
  if (ctx == nullptr) {
    state.SkipWithError("setup failed");
    return;
  }
  std::uint8_t out[32];
  for (auto _ : state) {
    std::size_t len = sizeof out;
    if (EVP_PKEY_derive(ctx, out, &len) <= 0) state.SkipWithError("derive failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(peer);
  EVP_PKEY_free(priv);
}

// The eight-lane X25519 (AVX-512 IFMA) alone: items = X25519 operations (eight per call), so
// its rate compares with BM_identity_raw_ecdh/x25519. Skipped without AVX-512 IFMA.
void BM_identity_x25519_x8(benchmark::State& state) {
  if (!detail::x25519_x8_available()) {
    state.SkipWithError("this CPU has no AVX-512 IFMA");
    return;
  }
  auto& f = fx();
  std::array<std::uint8_t, 32> k{};
  std::copy_n(from_hex(hn_priv_a)->data(), 32, k.begin());
  std::array<std::array<std::uint8_t, 32>, detail::x25519_lanes> u{};
  std::array<std::array<std::uint8_t, 32>, detail::x25519_lanes> out{};
  for (std::size_t l = 0; l < u.size(); ++l)
    std::copy_n(f.sucis_a[l].scheme_output.data(), 32, u[l].begin());
  for (auto _ : state) {
    detail::x25519_x8(k, u, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * detail::x25519_lanes));
}

// sidf::deconceal_batch on Profile A SUCIs, eight per call (what the audit's read-ahead thread
// does): items = SUCIs. Compare with BM_identity_deconceal/profile_a (one at a time).
void BM_identity_deconceal_batch_a(benchmark::State& state) {
  auto& f = fx();
  sidf engine(f.keys);
  std::vector<suci_value> values;
  std::vector<byte_buffer> nas(f.sucis_a.size());
  for (std::size_t i = 0; i < f.sucis_a.size(); ++i) {
    if (!encode_suci(f.sucis_a[i], nas[i])) {
      state.SkipWithError("encode failed");
      return;
    }
    values.push_back(std::get<suci_value>(*decode_mobile_identity(nas[i])));
  }
  constexpr std::size_t batch = 8;
  std::array<const suci_value*, batch> in{};
  std::array<std::expected<supi, suci_error>, batch> out;
  std::size_t i = 0;
  for (auto _ : state) {
    for (auto& p : in) p = &values[i++ % values.size()];
    engine.deconceal_batch(in, out);
    if (!out[0]) state.SkipWithError("deconceal failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Profile B de-concealment against the raw P-256 ECDH in alternating bursts of 32 (thread CPU
// time per burst), so that both see the same machine load: counters raw_us / deconceal_us are
// the medians over the bursts, ratio_pct = raw / deconceal (the per-core target), with
// the minimum-based ratio beside it. Same raw ECDH as BM_identity_raw_ecdh/p256.
void BM_identity_profile_b_vs_raw_interleaved(benchmark::State& state) {
  auto& f = fx();
  const bytes_view eph = bytes_view(f.sucis_b[0].scheme_output).first(33);
  EVP_PKEY* priv = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  EVP_PKEY* peer = p256_peer(eph);
  EVP_PKEY_CTX* ctx = derive_ctx(priv, peer);
  if (ctx == nullptr) {
    state.SkipWithError("setup failed");
    return;
  }
  sidf engine(f.keys);
  constexpr int burst = 32;
  std::vector<double> raw;
  std::vector<double> dec;
  std::size_t i = 0;
  std::uint8_t out[32];
  for (auto _ : state) {
    double t0 = thread_cpu_seconds();
    for (int k = 0; k < burst; ++k) {
      std::size_t len = sizeof out;
      if (EVP_PKEY_derive(ctx, out, &len) <= 0) state.SkipWithError("derive failed");
    }
    raw.push_back((thread_cpu_seconds() - t0) / burst);
    t0 = thread_cpu_seconds();
    for (int k = 0; k < burst; ++k) {
      auto r = engine.deconceal(f.sucis_b[i++ % f.sucis_b.size()]);
      if (!r) state.SkipWithError("deconceal failed");
      benchmark::DoNotOptimize(r);
    }
    dec.push_back((thread_cpu_seconds() - t0) / burst);
  }
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(peer);
  EVP_PKEY_free(priv);
  if (raw.empty()) return;
  std::sort(raw.begin(), raw.end());
  std::sort(dec.begin(), dec.end());
  const double raw_med = raw[raw.size() / 2];
  const double dec_med = dec[dec.size() / 2];
  state.counters["raw_us"] = raw_med * 1e6;
  state.counters["deconceal_us"] = dec_med * 1e6;
  state.counters["ratio_pct"] = 100.0 * raw_med / dec_med;
  state.counters["ratio_min_pct"] = 100.0 * raw.front() / dec.front();
}

void BM_identity_parse_suci_string(benchmark::State& state) {
  const std::string text = to_udm_string(fx().sucis_a[0]);
  for (auto _ : state) {
    auto s = parse_suci_string(text);
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_identity_decode_mobile_identity(benchmark::State& state) {
  byte_buffer nas;
  (void)encode_suci(fx().sucis_b[0], nas);
  for (auto _ : state) {
    auto m = decode_mobile_identity(nas);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * nas.size()));
}

// The Profile B point decompression alone (part of every Profile B de-concealment), over the
// 256 different ephemeral keys of the fixture.
void BM_identity_p256_decompress(benchmark::State& state) {
  const auto& sucis = fx().sucis_b;
  std::array<std::uint8_t, 65> out{};
  std::size_t i = 0;
  for (auto _ : state) {
    const bytes_view eph = bytes_view(sucis[i++ % sucis.size()].scheme_output).first<33>();
    if (!detail::p256_decompress(eph.first<33>(), out)) state.SkipWithError("decompress failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Setting the peer key from the uncompressed point (OpenSSL parses and checks it).
void BM_identity_p256_set_peer_point(benchmark::State& state) {
  const bytes_view eph = bytes_view(fx().sucis_b[0].scheme_output).first<33>();
  std::array<std::uint8_t, 65> point{};
  (void)detail::p256_decompress(eph.first<33>(), point);
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  for (auto _ : state) {
    if (EVP_PKEY_set_octet_string_param(k, "encoded-pub-key", point.data(), point.size()) <= 0)
      state.SkipWithError("set failed");
  }
  EVP_PKEY_free(k);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(BM_identity_p256_decompress);
BENCHMARK(BM_identity_p256_set_peer_point);
BENCHMARK_CAPTURE(BM_identity_raw_ecdh, x25519, protection_scheme::profile_a)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK_CAPTURE(BM_identity_deconceal, profile_a, protection_scheme::profile_a)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_identity_x25519_x8);
BENCHMARK(BM_identity_deconceal_batch_a);
BENCHMARK_CAPTURE(BM_identity_raw_ecdh, p256, protection_scheme::profile_b)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK_CAPTURE(BM_identity_deconceal, profile_b, protection_scheme::profile_b)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_identity_profile_b_vs_raw_interleaved);
BENCHMARK(BM_identity_parse_suci_string);
BENCHMARK(BM_identity_decode_mobile_identity);

}  // namespace

BENCHMARK_MAIN();
