#pragma once
// AES-128 building blocks on AES-NI shared by the one-message NEA2/CMAC path
// (aes_aesni_oneshot.cpp), the NEA2 batch (nea2_aesni.cpp) and the AUTN scanner
// (autn_scanner.cpp): the key expansion and the tail mask. The functions carry their own target
// attribute (no global -maes); callers check that the CPU has AES-NI first.
#include <immintrin.h>

#include <cstdint>

#define SEC5G_AESNI_TARGET __attribute__((target("aes,ssse3")))

namespace sec5g::crypto::detail::aesni {

/// Rcon of the ten expansion rounds (FIPS 197 5.2).
inline constexpr int rcon[10] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36};

/// 0xff x16 then 0x00 x16: loading 16 octets at offset 16 - n gives a mask of the first n.
alignas(16) inline constexpr std::uint8_t head_mask[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0};

/// One step of the AES-128 key expansion (FIPS 197 5.2): w[i] = w[i-4] ^ SubWord(RotWord(w[i-1]))
/// ^ Rcon for the first word, w[i] = w[i-4] ^ w[i-1] for the others. SubWord(RotWord(w3)) ^ Rcon
/// comes from AESENCLAST on w3 rotated and broadcast to all four columns (ShiftRows is then the
/// identity, and no MixColumns in the last round): unlike AESKEYGENASSIST, AESENCLAST is
/// pipelined, so the schedules of several keys expand interleaved. `rcon_words`: Rcon in every
/// 32-bit word.
SEC5G_AESNI_TARGET inline __m128i expand_step(__m128i prev, __m128i rcon_words) noexcept {
  const __m128i rot_w3 =
      _mm_setr_epi8(13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15, 12);
  const __m128i t = _mm_aesenclast_si128(_mm_shuffle_epi8(prev, rot_w3), rcon_words);
  prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 4));
  prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 8));
  return _mm_xor_si128(prev, t);
}

/// The 11 round keys of one AES-128 key (the caller wipes them).
SEC5G_AESNI_TARGET inline void expand(const std::uint8_t* key, __m128i* rk) noexcept {
  rk[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key));
  for (int round = 1; round <= 10; ++round)
    rk[round] = expand_step(rk[round - 1], _mm_set1_epi32(rcon[round - 1]));
}

/// The round keys of two keys, their expansions interleaved: each step waits on the one
/// before it, so the second key's steps run in the first one's latency.
SEC5G_AESNI_TARGET inline void expand2(const std::uint8_t* key_a, __m128i* rk_a,
                                       const std::uint8_t* key_b, __m128i* rk_b) noexcept {
  rk_a[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key_a));
  rk_b[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key_b));
  for (int round = 1; round <= 10; ++round) {
    const __m128i r = _mm_set1_epi32(rcon[round - 1]);
    rk_a[round] = expand_step(rk_a[round - 1], r);
    rk_b[round] = expand_step(rk_b[round - 1], r);
  }
}

}  // namespace sec5g::crypto::detail::aesni
