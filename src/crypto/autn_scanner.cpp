// AUTN candidate scan on AES-NI. Ref: TS 35.206 4.1 (MILENAGE), TS 33.102 6.3.3.
//
// Per candidate (K, OPc), with E = AES-128 under K (FIPS 197):
//   TEMP = E(RAND xor OPc)
//   OUT2 = E(TEMP xor OPc xor c2) xor OPc,          AK = OUT2[0..47]      (r2 = 0, c2 = 0..01)
//   SQN  = AUTN[0..47] xor AK, AMF = AUTN[48..63], IN1 = SQN || AMF || SQN || AMF
//   OUT1 = E(TEMP xor rot(IN1 xor OPc, 64)) xor OPc, MAC-A = OUT1[0..63]  (r1 = 64, c1 = 0)
// and MAC-A is compared with AUTN[64..127]. The AES rounds are the CPU's AESENC instructions;
// no library offers AES with many keys interleaved (docs/DESIGN.md).
#include "sec5g/crypto/autn_scanner.hpp"

#include <immintrin.h>

#include <cstring>

#include "crypto/aesni_aes128.hpp"
#include "sec5g/core/secret.hpp"

namespace sec5g::crypto {

namespace {

constexpr std::size_t schedule_bytes = 11 * 16;
constexpr std::size_t entry_bytes = schedule_bytes + 16; // round keys, then OPc
constexpr std::size_t lanes = 8;

bool have_aesni() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1");
}

/// AES-128 key expansion (FIPS 197 5.2) into 11 round keys.
__attribute__((target("aes,sse4.1"))) void expand(const std::uint8_t* key, std::uint8_t* out) {
  __m128i rk[11];
  detail::aesni::expand(key, rk);
  for (int i = 0; i < 11; ++i)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * i), rk[i]);
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(rk), sizeof rk));
}

/// Encrypts b[0..n) in place, block j under the schedule at s[j] (n <= lanes).
__attribute__((target("aes,sse4.1"))) inline void encrypt(const std::uint8_t* const* s, __m128i* b,
                                                          std::size_t n) {
  for (std::size_t j = 0; j < n; ++j)
    b[j] = _mm_xor_si128(b[j], _mm_loadu_si128(reinterpret_cast<const __m128i*>(s[j])));
  for (int r = 1; r < 10; ++r)
    for (std::size_t j = 0; j < n; ++j)
      b[j] =
          _mm_aesenc_si128(b[j], _mm_loadu_si128(reinterpret_cast<const __m128i*>(s[j] + 16 * r)));
  for (std::size_t j = 0; j < n; ++j)
    b[j] =
        _mm_aesenclast_si128(b[j], _mm_loadu_si128(reinterpret_cast<const __m128i*>(s[j] + 160)));
}

/// The AUTN check of up to `lanes` candidates; returns a bit mask of those that verify.
__attribute__((target("aes,sse4.1"))) unsigned check_lanes(const std::uint8_t* const* s,
                                                           std::size_t n, const std::uint8_t* rand,
                                                           const std::uint8_t* autn) {
  const __m128i r = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rand));
  const __m128i c2 = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  __m128i opc[lanes], temp[lanes], x[lanes];
  for (std::size_t j = 0; j < n; ++j) {
    opc[j] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s[j] + schedule_bytes));
    temp[j] = _mm_xor_si128(r, opc[j]);
  }
  encrypt(s, temp, n); // TEMP
  for (std::size_t j = 0; j < n; ++j)
    x[j] = _mm_xor_si128(_mm_xor_si128(temp[j], opc[j]), c2);
  encrypt(s, x, n); // OUT2 xor OPc
  alignas(16) std::uint8_t in1[16];
  for (std::size_t j = 0; j < n; ++j) {
    alignas(16) std::uint8_t out2[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(out2), _mm_xor_si128(x[j], opc[j]));
    for (int i = 0; i < 6; ++i)
      in1[i] = in1[8 + i] = static_cast<std::uint8_t>(autn[i] ^ out2[i]);
    in1[6] = in1[14] = autn[6];
    in1[7] = in1[15] = autn[7];
    const __m128i v = _mm_xor_si128(_mm_load_si128(reinterpret_cast<const __m128i*>(in1)), opc[j]);
    x[j] = _mm_xor_si128(temp[j], _mm_shuffle_epi32(v, 0x4e)); // rot by 64 bits: swap halves
    secure_zero(bytes_span(out2, sizeof out2));
  }
  encrypt(s, x, n); // OUT1 xor OPc
  const __m128i mac = _mm_loadu_si128(reinterpret_cast<const __m128i*>(autn));
  unsigned hits = 0;
  for (std::size_t j = 0; j < n; ++j) {
    // MAC-A = OUT1[0..63] against AUTN[64..127]: compare the low half of OUT1 with the high
    // half of AUTN (moved down by the shuffle).
    const __m128i out1 = _mm_xor_si128(x[j], opc[j]);
    const __m128i eq = _mm_cmpeq_epi8(out1, _mm_shuffle_epi32(mac, 0x4e));
    if ((_mm_movemask_epi8(eq) & 0xff) == 0xff) hits |= 1u << j;
  }
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(temp), sizeof temp));
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(x), sizeof x));
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(opc), sizeof opc));
  secure_zero(bytes_span(in1, sizeof in1));
  return hits;
}

} // namespace

autn_scanner::autn_scanner(std::span<const subscriber_keys> candidates)
    : candidates_(candidates.begin(), candidates.end()) {
  if (candidates_.empty() || !have_aesni()) return;
  schedules_.resize(candidates_.size() * entry_bytes);
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    std::uint8_t* e = schedules_.data() + i * entry_bytes;
    expand(candidates_[i].k.data(), e);
    std::memcpy(e + schedule_bytes, candidates_[i].opc.data(), 16);
  }
}

autn_scanner::~autn_scanner() {
  secure_zero(bytes_span(schedules_.data(), schedules_.size()));
}

autn_scanner::autn_scanner(autn_scanner&& o) noexcept
    : candidates_(std::move(o.candidates_)), schedules_(std::move(o.schedules_)) {}

autn_scanner& autn_scanner::operator=(autn_scanner&& o) noexcept {
  if (this != &o) {
    secure_zero(bytes_span(schedules_.data(), schedules_.size()));
    candidates_ = std::move(o.candidates_);
    schedules_ = std::move(o.schedules_);
  }
  return *this;
}

std::expected<std::optional<std::size_t>, auth_error>
autn_scanner::find(rand_view rand, autn_view autn, std::size_t from) const noexcept {
  if (from >= candidates_.size()) return std::optional<std::size_t>{};
  if (schedules_.empty()) {
    auto r = find_subscriber_by_autn(std::span(candidates_).subspan(from), rand, autn);
    if (!r) return std::unexpected(r.error());
    if (!*r) return std::optional<std::size_t>{};
    return std::optional<std::size_t>{from + **r};
  }
  const std::uint8_t* s[lanes];
  for (std::size_t base = from; base < candidates_.size(); base += lanes) {
    const std::size_t n = std::min(lanes, candidates_.size() - base);
    for (std::size_t j = 0; j < n; ++j)
      s[j] = schedules_.data() + (base + j) * entry_bytes;
    if (const unsigned hits = check_lanes(s, n, rand.data(), autn.data()); hits != 0)
      return std::optional<std::size_t>{base + static_cast<std::size_t>(__builtin_ctz(hits))};
  }
  return std::optional<std::size_t>{};
}

} // namespace sec5g::crypto
