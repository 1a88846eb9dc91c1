// Multi-message 128-NEA2 (AES-128-CTR) on AES-NI. Ref: TS 33.401 B.1.3, FIPS 197 clause 5.2
// (key expansion), NIST SP 800-38A clause 6.5 (CTR).
#include "crypto/nea2_aesni.hpp"

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "crypto/aesni_aes128.hpp"
#include "crypto/cipher_backend.hpp"
#include "sec5g/core/secret.hpp"

// The AES round instructions are compiled for these functions only (no global -maes): the
// caller checks nea2_aesni_available() first and otherwise uses the libipsec-mb job path.
#define SEC5G_VAES_TARGET __attribute__((target("aes,ssse3,avx512f,avx512bw,vaes")))

namespace sec5g::crypto::detail {
namespace {

constexpr std::size_t group_messages = 64; // key schedules held at once (11 KiB on the stack)
constexpr std::size_t expand_ways = 8;     // key schedules expanded in lock step (AES-NI)
constexpr std::size_t lanes = 8;           // counter blocks encrypted interleaved
constexpr std::size_t wide_blocks = 16;    // blocks of one message per full VAES step (4 x 4)

// AES-128 encryption round keys 0..10 of four messages, round-major: one 512-bit row per
// round, so VAES expands four keys per instruction and stores a row at once. Round r of the
// message in column c is rk[r][c]; code that holds &rk[0][c] steps by rk_stride.
struct alignas(64) schedule4 {
  __m128i rk[11][4];
};
constexpr std::size_t rk_stride = 4;

__m128i* round_keys(schedule4* ks, std::size_t m) noexcept {
  return &ks[m / 4].rk[0][m % 4];
}

// One counter block in flight: its message's schedule, the block, where its octets go.
struct lane {
  const __m128i* rk;
  __m128i ctr;
  const std::uint8_t* in;
  std::uint8_t* out;
  std::size_t len; // 1..16 octets of this block belong to the message (0: unused lane)
  __m128i tail;    // len < 16: the input zero-padded; after encrypt_lanes the output, masked
};

using aesni::expand_step;
using aesni::head_mask;
using aesni::rcon;

template <std::size_t Ways>
SEC5G_AESNI_TARGET void expand_keys(const nea_request* r, schedule4* ks, std::size_t m0) noexcept {
  __m128i k[Ways];
  __m128i* dst[Ways];
  for (std::size_t g = 0; g < Ways; ++g) {
    dst[g] = round_keys(ks, m0 + g);
    k[g] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r[g].key.data()));
    dst[g][0] = k[g];
  }
  for (std::size_t round = 1; round <= 10; ++round) {
    const __m128i rc = _mm_set1_epi32(rcon[round - 1]);
    for (std::size_t g = 0; g < Ways; ++g) {
      k[g] = expand_step(k[g], rc);
      dst[g][rk_stride * round] = k[g];
    }
  }
}

// The same step on four keys at once (one per 128-bit lane; VAES AESENCLAST and the byte
// shifts work lane by lane).
SEC5G_VAES_TARGET void expand_keys_vaes(const nea_request* r, std::size_t count,
                                        schedule4& s) noexcept {
  auto key = [&](std::size_t g) {
    return g < count ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(r[g].key.data()))
                     : _mm_setzero_si128(); // unused column: expands the zero key
  };
  __m512i k = _mm512_zextsi128_si512(key(0));
  k = _mm512_inserti32x4(k, key(1), 1);
  k = _mm512_inserti32x4(k, key(2), 2);
  k = _mm512_inserti32x4(k, key(3), 3);
  _mm512_store_si512(&s.rk[0][0], k);
  const __m512i rot_w3 = _mm512_set1_epi32(0x0c0f0e0d); // bytes 13, 14, 15, 12 in each word
  for (std::size_t round = 1; round <= 10; ++round) {
    const __m512i t = _mm512_aesenclast_epi128(_mm512_shuffle_epi8(k, rot_w3),
                                               _mm512_set1_epi32(rcon[round - 1]));
    k = _mm512_xor_si512(k, _mm512_bslli_epi128(k, 4));
    k = _mm512_xor_si512(k, _mm512_bslli_epi128(k, 8));
    k = _mm512_xor_si512(k, t);
    _mm512_store_si512(&s.rk[round][0], k);
  }
}

// Encrypts the counter blocks of lanes[0, lanes) (unused lanes repeat lane 0 with len 0) and
// xors the keystream into the messages. A partial last block is ciphered in l.tail with the
// octets past the message masked to zero, so no keystream is left in memory; run_lanes copies
// it out. No calls here: the keystream stays in registers (no spills around a memcpy).
SEC5G_AESNI_TARGET void encrypt_lanes(lane* l) noexcept {
  __m128i b[lanes];
  for (std::size_t i = 0; i < lanes; ++i)
    b[i] = _mm_xor_si128(l[i].ctr, l[i].rk[0]);
  for (std::size_t round = 1; round < 10; ++round)
    for (std::size_t i = 0; i < lanes; ++i)
      b[i] = _mm_aesenc_si128(b[i], l[i].rk[rk_stride * round]);
  for (std::size_t i = 0; i < lanes; ++i)
    b[i] = _mm_aesenclast_si128(b[i], l[i].rk[rk_stride * 10]);
  for (std::size_t i = 0; i < lanes; ++i) {
    const std::size_t n = l[i].len;
    if (n == 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(l[i].in));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(l[i].out), _mm_xor_si128(x, b[i]));
    } else if (n != 0) {
      const __m128i mask = _mm_loadu_si128(reinterpret_cast<const __m128i*>(head_mask + 16 - n));
      l[i].tail = _mm_and_si128(_mm_xor_si128(l[i].tail, b[i]), mask);
    }
  }
}

void run_lanes(lane* l) noexcept {
  encrypt_lanes(l);
  for (std::size_t i = 0; i < lanes; ++i)
    if (l[i].len != 0 && l[i].len < 16) std::memcpy(l[i].out, &l[i].tail, l[i].len);
}

// _mm512_broadcast_i32x4 trips g++ 12's -Wuninitialized (its _mm512_undefined_epi32 operand);
// the zero-masked form is the same instruction without that operand.
SEC5G_VAES_TARGET inline __m512i wide_broadcast(__m128i x) noexcept {
  return _mm512_maskz_broadcast_i32x4(static_cast<__mmask16>(0xffff), x);
}

// CTR over `blocks` (a multiple of 4) whole blocks of one message from block 0, four blocks per
// 512-bit VAES instruction, four instructions interleaved (then one at a time).
SEC5G_VAES_TARGET void ctr_wide(const __m128i* rk, std::uint64_t head_le, const std::uint8_t* in,
                                std::uint8_t* out, std::size_t blocks) noexcept {
  __m512i k[11];
  for (std::size_t round = 0; round < 11; ++round)
    k[round] = wide_broadcast(rk[rk_stride * round]);
  const auto head = static_cast<long long>(head_le);
  // Lanes hold head || block number (little-endian); the shuffle makes the number big-endian.
  __m512i ctr = _mm512_set_epi64(3, head, 2, head, 1, head, 0, head);
  const __m512i step = _mm512_set_epi64(4, 0, 4, 0, 4, 0, 4, 0);
  const __m512i be_low64 =
      wide_broadcast(_mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 15, 14, 13, 12, 11, 10, 9, 8));
  for (std::size_t j = 0; j + wide_blocks <= blocks; j += wide_blocks) {
    __m512i b[4];
    for (std::size_t q = 0; q < 4; ++q) {
      b[q] = _mm512_xor_si512(_mm512_shuffle_epi8(ctr, be_low64), k[0]);
      ctr = _mm512_add_epi64(ctr, step);
    }
    for (std::size_t round = 1; round < 10; ++round)
      for (std::size_t q = 0; q < 4; ++q)
        b[q] = _mm512_aesenc_epi128(b[q], k[round]);
    for (std::size_t q = 0; q < 4; ++q) {
      b[q] = _mm512_aesenclast_epi128(b[q], k[10]);
      const std::size_t off = 16 * j + 64 * q;
      _mm512_storeu_si512(out + off, _mm512_xor_si512(_mm512_loadu_si512(in + off), b[q]));
    }
  }
  // Then 4 blocks at a time (the iterations are independent, so they still overlap).
  for (std::size_t j = blocks - blocks % wide_blocks; j + 4 <= blocks; j += 4) {
    __m512i b = _mm512_xor_si512(_mm512_shuffle_epi8(ctr, be_low64), k[0]);
    ctr = _mm512_add_epi64(ctr, step);
    for (std::size_t round = 1; round < 10; ++round)
      b = _mm512_aesenc_epi128(b, k[round]);
    b = _mm512_aesenclast_epi128(b, k[10]);
    _mm512_storeu_si512(out + 16 * j, _mm512_xor_si512(_mm512_loadu_si512(in + 16 * j), b));
  }
  // The broadcast round keys stay in zmm registers (18 of 32 used; no stack copy in the
  // g++ 12 -O3 code), so there is nothing to wipe here: the schedule array is wiped by the
  // caller. Wiping a stack copy forced them to memory and cost 45% at 256 octets.
}

SEC5G_AESNI_TARGET void cipher_group(std::span<const nea_request> reqs, schedule4* ks,
                                     bool wide) noexcept {
  if (wide) {
    for (std::size_t i = 0; i < reqs.size(); i += 4)
      expand_keys_vaes(&reqs[i], std::min<std::size_t>(4, reqs.size() - i), ks[i / 4]);
  } else {
    std::size_t i = 0;
    for (; i + expand_ways <= reqs.size(); i += expand_ways)
      expand_keys<expand_ways>(&reqs[i], ks, i);
    for (; i < reqs.size(); ++i)
      expand_keys<1>(&reqs[i], ks, i);
  }

  lane l[lanes];
  std::size_t used = 0;
  for (std::size_t m = 0; m < reqs.size(); ++m) {
    const auto& r = reqs[m];
    const std::size_t n = message_bytes(r.length_bits);
    // T1 = COUNT||BEARER||DIRECTION||0^26 || 0^64; the low 64 bits count the blocks (never
    // wrap: messages are at most 2^16 octets). Ref: TS 33.401 B.1.3.
    std::uint8_t head[8];
    count_bearer_dir(head, r.count, r.bearer, r.direction);
    std::uint64_t head_le = 0;
    std::memcpy(&head_le, head, 8);
    std::size_t first = 0; // first block left for the lanes
    // Four or more whole blocks: VAES runs (one message's blocks per instruction; successive
    // messages overlap out of order). Measured: 64-octet batches 36 -> 50 M msg/s against
    // sending them through the lanes.
    if (wide && n / 16 >= 4) {
      first = n / 16 - n / 16 % 4;
      ctr_wide(round_keys(ks, m), head_le, r.in.data(), r.out.data(), first);
    }
    for (std::size_t off = 16 * first, block = first; off < n; off += 16, ++block) {
      const std::size_t len = std::min<std::size_t>(16, n - off);
      __m128i tail = _mm_setzero_si128();
      if (len < 16) std::memcpy(&tail, r.in.data() + off, len);
      l[used] = lane{round_keys(ks, m),
                     _mm_set_epi64x(static_cast<long long>(__builtin_bswap64(block)),
                                    static_cast<long long>(head_le)),
                     r.in.data() + off,
                     r.out.data() + off,
                     len,
                     tail};
      if (++used == lanes) {
        run_lanes(l);
        used = 0;
      }
    }
  }
  if (used != 0) {
    for (std::size_t j = used; j < lanes; ++j) {
      l[j] = l[0];
      l[j].len = 0;
    }
    run_lanes(l);
  }
}

} // namespace

bool nea2_aesni_available() noexcept {
  static const bool available = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("aes") && __builtin_cpu_supports("ssse3");
  }();
  return available;
}

bool nea2_vaes_available() noexcept {
  static const bool available = [] {
    __builtin_cpu_init();
    return nea2_aesni_available() && __builtin_cpu_supports("vaes") &&
           __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  }();
  return available;
}

void nea2_aesni_batch(std::span<const nea_request> requests, bool wide) noexcept {
  schedule4 ks[group_messages / 4];
  std::size_t expanded = 0; // messages whose schedules were ever written
  for (std::size_t base = 0; base < requests.size(); base += group_messages) {
    const auto chunk = requests.subspan(base, std::min(group_messages, requests.size() - base));
    cipher_group(chunk, ks, wide);
    expanded = std::max(expanded, chunk.size());
  }
  // The round keys are as secret as the keys: wipe what was written, once.
  secure_zero(
      bytes_span(reinterpret_cast<std::uint8_t*>(ks), (expanded + 3) / 4 * sizeof(schedule4)));
}

} // namespace sec5g::crypto::detail
