// One-message 128-NEA2 (AES-128-CTR) and AES-CMAC on AES-NI. Ref: TS 33.401 B.1.3, B.2.3,
// FIPS 197 clause 5.2 (key expansion), NIST SP 800-38A 6.5 (CTR), NIST SP 800-38B 6.1-6.2 (CMAC).
#include <immintrin.h>

#include <bit>
#include <cstdint>
#include <cstring>

#include "crypto/aes_oneshot.hpp"
#include "crypto/aesni_aes128.hpp"
#include "sec5g/core/secret.hpp"

// The AES round instructions are compiled for these functions only (SEC5G_AESNI_TARGET, no
// global -maes): the callers check nea2_aesni_available() first.

namespace sec5g::crypto::detail {
namespace {

// AES-128 encryption round keys 0..10 of one key.
struct alignas(16) schedule {
  __m128i rk[11];
};

SEC5G_AESNI_TARGET inline __m128i encrypt(const schedule& s, __m128i b) noexcept {
  b = _mm_xor_si128(b, s.rk[0]);
  for (int round = 1; round < 10; ++round)
    b = _mm_aesenc_si128(b, s.rk[round]);
  return _mm_aesenclast_si128(b, s.rk[10]);
}

// Two independent blocks under one schedule, their rounds interleaved: each AES round has a
// latency of several cycles and one block's rounds depend on each other, so the second block
// runs in the first one's gaps.
SEC5G_AESNI_TARGET inline void encrypt2(const schedule& s, __m128i& a, __m128i& b) noexcept {
  a = _mm_xor_si128(a, s.rk[0]);
  b = _mm_xor_si128(b, s.rk[0]);
  for (int round = 1; round < 10; ++round) {
    a = _mm_aesenc_si128(a, s.rk[round]);
    b = _mm_aesenc_si128(b, s.rk[round]);
  }
  a = _mm_aesenclast_si128(a, s.rk[10]);
  b = _mm_aesenclast_si128(b, s.rk[10]);
}

using aesni::head_mask;

// CTR over the n octets: four counter blocks interleaved, then one at a time; a partial last
// block is ciphered on the zero-padded input and masked, so what is stored holds no keystream
// past the message. The counter's low 64 bits never wrap (messages are at most 2^16 octets).
SEC5G_AESNI_TARGET void ctr(const schedule& s, const std::uint8_t* head8, const std::uint8_t* in,
                            std::uint8_t* out, std::size_t n) noexcept {
  std::uint64_t head_le = 0;
  std::memcpy(&head_le, head8, 8);
  const auto head = static_cast<long long>(head_le);
  auto counter = [head](std::uint64_t block) {
    return _mm_set_epi64x(static_cast<long long>(__builtin_bswap64(block)), head);
  };
  const std::size_t blocks = n / 16;
  std::uint64_t j = 0;
  for (; j + 4 <= blocks; j += 4) {
    __m128i b[4];
    for (std::uint64_t q = 0; q < 4; ++q)
      b[q] = _mm_xor_si128(counter(j + q), s.rk[0]);
    for (int round = 1; round < 10; ++round)
      for (auto& x : b)
        x = _mm_aesenc_si128(x, s.rk[round]);
    for (std::uint64_t q = 0; q < 4; ++q) {
      const std::size_t off = 16 * (j + q);
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + off));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + off),
                       _mm_xor_si128(x, _mm_aesenclast_si128(b[q], s.rk[10])));
    }
  }
  for (; j < blocks; ++j) {
    const std::size_t off = 16 * j;
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + off));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + off),
                     _mm_xor_si128(x, encrypt(s, counter(j))));
  }
  const std::size_t rest = n % 16;
  if (rest != 0) {
    const std::size_t off = 16 * blocks;
    __m128i tail = _mm_setzero_si128();
    std::memcpy(&tail, in + off, rest);
    const __m128i mask =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(head_mask + 16 - rest));
    tail = _mm_and_si128(_mm_xor_si128(tail, encrypt(s, counter(blocks))), mask);
    std::memcpy(out + off, &tail, rest);
  }
}

// CMAC subkey doubling in GF(2^128) (big-endian bit order), on two 64-bit halves.
// Ref: NIST SP 800-38B 6.1.
inline void cmac_double(const std::uint8_t* in, std::uint8_t* out) noexcept {
  static_assert(std::endian::native == std::endian::little);
  std::uint64_t w[2];
  std::memcpy(w, in, 16);
  const std::uint64_t hi = __builtin_bswap64(w[0]);
  const std::uint64_t lo = __builtin_bswap64(w[1]);
  w[0] = __builtin_bswap64((hi << 1) | (lo >> 63));
  w[1] = __builtin_bswap64((lo << 1) ^ ((0 - (hi >> 63)) & 0x87u));
  std::memcpy(out, w, 16);
}

struct cmac_scratch {
  std::uint8_t l[16];
  std::uint8_t k1[16];
  std::uint8_t k2[16];
  std::uint8_t block[16];
};

// Copies octets [from, from + n) of prefix8 || msg into dst.
void copy_octets(std::uint8_t* dst, const std::uint8_t* prefix8, const std::uint8_t* msg,
                 std::size_t from, std::size_t n) noexcept {
  if (n > 0 && from < 8) {
    const std::size_t k = n < 8 - from ? n : 8 - from;
    std::memcpy(dst, prefix8 + from, k);
    dst += k;
    from += k;
    n -= k;
  }
  if (n > 0) std::memcpy(dst, msg + (from - 8), n);
}

SEC5G_AESNI_TARGET void cmac(const schedule& s, cmac_scratch& w, const std::uint8_t* prefix8,
                             const std::uint8_t* msg, std::size_t total_bits,
                             std::uint8_t* tag16) noexcept {
  const std::size_t blocks = (total_bits + 127) / 128; // >= 1 since total_bits >= 64
  const std::size_t full_bytes = (blocks - 1) * 16;
  // L = AES(0) for the subkeys, which only the last block needs: with two blocks or more it
  // is encrypted together with the first one (whose chaining value is 0), not before it.
  __m128i l = _mm_setzero_si128();
  __m128i x = _mm_setzero_si128();
  std::size_t pos = 0;
  if (full_bytes == 0) {
    l = encrypt(s, l);
  } else {
    copy_octets(w.block, prefix8, msg, 0, 16);
    x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w.block));
    encrypt2(s, l, x);
    pos = 16;
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(w.l), l);
  cmac_double(w.l, w.k1);
  cmac_double(w.k1, w.k2);
  for (; pos < full_bytes; pos += 16) {
    const __m128i m = _mm_loadu_si128(reinterpret_cast<const __m128i*>(msg + (pos - 8)));
    x = encrypt(s, _mm_xor_si128(x, m));
  }
  const std::size_t rem_bits = total_bits - full_bytes * 8; // 1..128
  std::memset(w.block, 0, 16);
  copy_octets(w.block, prefix8, msg, full_bytes, (rem_bits + 7) / 8);
  const std::uint8_t* k = w.k1;
  if (rem_bits != 128) {
    const std::size_t at = rem_bits / 8;
    const unsigned shift = static_cast<unsigned>(rem_bits % 8);
    w.block[at] = static_cast<std::uint8_t>((w.block[at] & (0xff00u >> shift)) | (0x80u >> shift));
    k = w.k2;
  }
  const __m128i last = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w.block)),
                                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(k)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(tag16), encrypt(s, _mm_xor_si128(x, last)));
}

void wipe(void* p, std::size_t n) noexcept {
  secure_zero(bytes_span(static_cast<std::uint8_t*>(p), n));
}

} // namespace

void nea2_aesni_one(const std::uint8_t* key, const std::uint8_t* head8, const std::uint8_t* in,
                    std::uint8_t* out, std::size_t n) noexcept {
  schedule s;
  aesni::expand(key, s.rk);
  ctr(s, head8, in, out, n);
  wipe(&s, sizeof s);
}

void cmac_aesni_bits(const std::uint8_t* key, const std::uint8_t* prefix8, const std::uint8_t* msg,
                     std::size_t total_bits, std::uint8_t* tag16) noexcept {
  // One block of scratch after the schedule, so a single wipe clears both.
  struct {
    schedule s;
    cmac_scratch w;
  } st;
  aesni::expand(key, st.s.rk);
  cmac(st.s, st.w, prefix8, msg, total_bits, tag16);
  wipe(&st, sizeof st);
}

void cmac_and_nea2_aesni(const std::uint8_t* mac_key, const std::uint8_t* prefix8,
                         const std::uint8_t* msg, std::size_t total_bits, std::uint8_t* tag16,
                         const std::uint8_t* enc_key, const std::uint8_t* head8,
                         const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept {
  struct {
    schedule mac;
    schedule enc;
    cmac_scratch w;
  } st;
  aesni::expand2(mac_key, st.mac.rk, enc_key, st.enc.rk);
  cmac(st.mac, st.w, prefix8, msg, total_bits, tag16);
  ctr(st.enc, head8, in, out, n);
  wipe(&st, sizeof st);
}

} // namespace sec5g::crypto::detail
