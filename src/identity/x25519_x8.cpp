// Eight-lane X25519 on AVX-512 IFMA. See x25519_x8.hpp.
//
// Field elements of GF(2^255 - 19) as five limbs of 51 bits (radix 2^51), one __m512i per limb
// holding that limb of all eight lanes. Invariant of every stored element ("loose"): each limb
// < 2^51 + 2^14, so below 2^52, the operand width of vpmadd52luq/vpmadd52huq (which ignore the
// bits above 52).
//
// Product: a_i * b_j < 2^104 splits into lo52 + hi52 * 2^52 = lo52 + (2 hi52) * 2^51, so column
// k (weight 2^51k) collects lo52 of the pairs i + j = k and twice hi52 of the pairs
// i + j = k - 1: t_k < 5 * 2^52 + 2 * 5 * 2^52 < 2^55.91. Columns 5..9 fold into 0..4 with
// 2^255 = 19 (mod p): r_k = t_k + 19 t_{k+5} < 2^60.2. One carry pass then brings every limb
// below 2^51, except limb 0 which takes 19 * (limb 4's carry < 2^9.3): < 2^51 + 2^13.6.
// Sums and differences (a - b computed as a + 2p - b: every limb of 2p exceeds a loose limb)
// stay below 2^53.6 and take the same carry pass.
#include "identity/x25519_x8.hpp"

#include <immintrin.h>
#include <openssl/crypto.h>

#include <cstring>

#define SEC5G_IFMA_TARGET __attribute__((target("avx512f,avx512ifma")))

namespace sec5g::identity::detail {
namespace {

using u64 = std::uint64_t;
constexpr u64 mask51 = (u64{1} << 51) - 1;
constexpr int limbs = 5;

struct fe {
  __m512i l[limbs];
};

// The shifts by an immediate in their zero-masked form (all lanes kept): the same instruction
// without the _mm512_undefined_epi32 operand that trips g++ 12's -Wuninitialized.
SEC5G_IFMA_TARGET inline __m512i shl(__m512i x, unsigned n) {
  return _mm512_maskz_slli_epi64(static_cast<__mmask8>(0xff), x, n);
}
SEC5G_IFMA_TARGET inline __m512i shr(__m512i x, unsigned n) {
  return _mm512_maskz_srli_epi64(static_cast<__mmask8>(0xff), x, n);
}

SEC5G_IFMA_TARGET inline __m512i add64(__m512i a, __m512i b) { return _mm512_add_epi64(a, b); }

SEC5G_IFMA_TARGET inline __m512i times19(__m512i t) {
  return add64(add64(shl(t, 4), shl(t, 1)), t);
}

// One carry pass over limbs < 2^63 - 2^51: the result is loose (see the file comment).
SEC5G_IFMA_TARGET inline void carry(fe& out, __m512i r0, __m512i r1, __m512i r2, __m512i r3,
                                    __m512i r4) {
  const __m512i m = _mm512_set1_epi64(static_cast<long long>(mask51));
  r1 = add64(r1, shr(r0, 51));
  r0 = _mm512_and_si512(r0, m);
  r2 = add64(r2, shr(r1, 51));
  r1 = _mm512_and_si512(r1, m);
  r3 = add64(r3, shr(r2, 51));
  r2 = _mm512_and_si512(r2, m);
  r4 = add64(r4, shr(r3, 51));
  r3 = _mm512_and_si512(r3, m);
  r0 = add64(r0, times19(shr(r4, 51)));
  r4 = _mm512_and_si512(r4, m);
  out.l[0] = r0;
  out.l[1] = r1;
  out.l[2] = r2;
  out.l[3] = r3;
  out.l[4] = r4;
}

SEC5G_IFMA_TARGET inline void fe_add(fe& out, const fe& a, const fe& b) {
  carry(out, add64(a.l[0], b.l[0]), add64(a.l[1], b.l[1]), add64(a.l[2], b.l[2]),
        add64(a.l[3], b.l[3]), add64(a.l[4], b.l[4]));
}

SEC5G_IFMA_TARGET inline __m512i sub2p(__m512i x, __m512i p2, __m512i y) {
  return _mm512_sub_epi64(add64(x, p2), y);
}

// a - b + 2p.
SEC5G_IFMA_TARGET inline void fe_sub(fe& out, const fe& a, const fe& b) {
  const __m512i p0 = _mm512_set1_epi64(static_cast<long long>((u64{1} << 52) - 38));
  const __m512i pi = _mm512_set1_epi64(static_cast<long long>((u64{1} << 52) - 2));
  carry(out, sub2p(a.l[0], p0, b.l[0]), sub2p(a.l[1], pi, b.l[1]), sub2p(a.l[2], pi, b.l[2]),
        sub2p(a.l[3], pi, b.l[3]), sub2p(a.l[4], pi, b.l[4]));
}

// Columns of a product (lo52 and hi52 sums, see the file comment) -> loose element:
// t_k = lo_k + 2 hi_{k-1} (lo_9 = 0), r_k = t_k + 19 t_{k+5}.
SEC5G_IFMA_TARGET inline void reduce_columns(fe& out, const __m512i (&lo)[9],
                                             const __m512i (&hi)[9]) {
  __m512i t[10];
  t[0] = lo[0];
  for (int k = 1; k < 9; ++k) t[k] = add64(lo[k], shl(hi[k - 1], 1));
  t[9] = shl(hi[8], 1);
  carry(out, add64(t[0], times19(t[5])), add64(t[1], times19(t[6])), add64(t[2], times19(t[7])),
        add64(t[3], times19(t[8])), add64(t[4], times19(t[9])));
}

SEC5G_IFMA_TARGET inline void fe_mul(fe& out, const fe& a, const fe& b) {
  const __m512i z = _mm512_setzero_si512();
  __m512i lo[9] = {z, z, z, z, z, z, z, z, z};
  __m512i hi[9] = {z, z, z, z, z, z, z, z, z};
  for (int i = 0; i < limbs; ++i) {
    for (int j = 0; j < limbs; ++j) {
      lo[i + j] = _mm512_madd52lo_epu64(lo[i + j], a.l[i], b.l[j]);
      hi[i + j] = _mm512_madd52hi_epu64(hi[i + j], a.l[i], b.l[j]);
    }
  }
  reduce_columns(out, lo, hi);
}

// a * 121665 ((A - 2) / 4 for curve25519, RFC 7748 5): five products < 2^69.
SEC5G_IFMA_TARGET inline void fe_mul_a24(fe& out, const fe& a) {
  const __m512i c = _mm512_set1_epi64(121665);
  const __m512i z = _mm512_setzero_si512();
  __m512i lo[limbs], hi[limbs];
  for (int k = 0; k < limbs; ++k) {
    lo[k] = _mm512_madd52lo_epu64(z, a.l[k], c);
    hi[k] = _mm512_madd52hi_epu64(z, a.l[k], c);
  }
  // Column 5 is 2 hi_4 and folds into column 0.
  carry(out, add64(lo[0], times19(shl(hi[4], 1))),
        add64(lo[1], shl(hi[0], 1)), add64(lo[2], shl(hi[1], 1)),
        add64(lo[3], shl(hi[2], 1)), add64(lo[4], shl(hi[3], 1)));
}

// a^2 with 30 multiply-adds instead of 50: the ten products a_i a_j (i < j) once, doubled by a
// shift, then the five squares. Columns stay below the product's bounds (at most two cross
// products per column: lo < 2 * 2 * 2^52 + 2^52, hi likewise).
SEC5G_IFMA_TARGET inline void fe_sq(fe& out, const fe& a) {
  const __m512i z = _mm512_setzero_si512();
  __m512i lo[9] = {z, z, z, z, z, z, z, z, z};
  __m512i hi[9] = {z, z, z, z, z, z, z, z, z};
  for (int i = 0; i < limbs; ++i) {
    for (int j = i + 1; j < limbs; ++j) {
      lo[i + j] = _mm512_madd52lo_epu64(lo[i + j], a.l[i], a.l[j]);
      hi[i + j] = _mm512_madd52hi_epu64(hi[i + j], a.l[i], a.l[j]);
    }
  }
  for (int k = 1; k < 8; ++k) {
    lo[k] = shl(lo[k], 1);
    hi[k] = shl(hi[k], 1);
  }
  for (int i = 0; i < limbs; ++i) {
    lo[2 * i] = _mm512_madd52lo_epu64(lo[2 * i], a.l[i], a.l[i]);
    hi[2 * i] = _mm512_madd52hi_epu64(hi[2 * i], a.l[i], a.l[i]);
  }
  reduce_columns(out, lo, hi);
}

SEC5G_IFMA_TARGET inline void fe_sq_n(fe& out, const fe& a, int n) {
  fe_sq(out, a);
  for (int i = 1; i < n; ++i) fe_sq(out, out);
}

// z^(p-2) = z^(2^255 - 21): the usual chain of 254 squarings and 11 multiplications.
SEC5G_IFMA_TARGET void fe_invert(fe& out, const fe& z) {
  fe z2, z9, z11, z2_5_0, z2_10_0, z2_20_0, z2_50_0, z2_100_0, t;
  fe_sq(z2, z);               // 2
  fe_sq_n(t, z2, 2);          // 8
  fe_mul(z9, t, z);           // 9
  fe_mul(z11, z9, z2);        // 11
  fe_sq(t, z11);              // 22
  fe_mul(z2_5_0, t, z9);      // 2^5 - 1
  fe_sq_n(t, z2_5_0, 5);      // 2^10 - 2^5
  fe_mul(z2_10_0, t, z2_5_0); // 2^10 - 1
  fe_sq_n(t, z2_10_0, 10);
  fe_mul(z2_20_0, t, z2_10_0);  // 2^20 - 1
  fe_sq_n(t, z2_20_0, 20);
  fe_mul(t, t, z2_20_0);  // 2^40 - 1
  fe_sq_n(t, t, 10);
  fe_mul(z2_50_0, t, z2_10_0);  // 2^50 - 1
  fe_sq_n(t, z2_50_0, 50);
  fe_mul(z2_100_0, t, z2_50_0);  // 2^100 - 1
  fe_sq_n(t, z2_100_0, 100);
  fe_mul(t, t, z2_100_0);  // 2^200 - 1
  fe_sq_n(t, t, 50);
  fe_mul(t, t, z2_50_0);  // 2^250 - 1
  fe_sq_n(t, t, 5);       // 2^255 - 2^5
  fe_mul(out, t, z11);    // 2^255 - 21
  OPENSSL_cleanse(&z2, sizeof z2);
  OPENSSL_cleanse(&z9, sizeof z9);
  OPENSSL_cleanse(&z11, sizeof z11);
  OPENSSL_cleanse(&z2_5_0, sizeof z2_5_0);
  OPENSSL_cleanse(&z2_10_0, sizeof z2_10_0);
  OPENSSL_cleanse(&z2_20_0, sizeof z2_20_0);
  OPENSSL_cleanse(&z2_50_0, sizeof z2_50_0);
  OPENSSL_cleanse(&z2_100_0, sizeof z2_100_0);
  OPENSSL_cleanse(&t, sizeof t);
}

// Swaps a and b in every lane when `bit` is 1, without a branch.
SEC5G_IFMA_TARGET inline void cswap(fe& a, fe& b, u64 bit) {
  const __m512i m = _mm512_set1_epi64(static_cast<long long>(u64{0} - bit));
  for (int k = 0; k < limbs; ++k) {
    const __m512i d = _mm512_and_si512(m, _mm512_xor_si512(a.l[k], b.l[k]));
    a.l[k] = _mm512_xor_si512(a.l[k], d);
    b.l[k] = _mm512_xor_si512(b.l[k], d);
  }
}

// The canonical value (< p) of a loose element, as 51-bit limbs in `out` (per limb, the eight
// lanes).
SEC5G_IFMA_TARGET void fe_freeze(const fe& a, u64 (&out)[limbs][x25519_lanes]) {
  const __m512i m = _mm512_set1_epi64(static_cast<long long>(mask51));
  fe h = a;
  // Two more passes: every limb < 2^51, so h < 2^255.
  carry(h, h.l[0], h.l[1], h.l[2], h.l[3], h.l[4]);
  carry(h, h.l[0], h.l[1], h.l[2], h.l[3], h.l[4]);
  // q = 1 when h >= p, i.e. when h + 19 >= 2^255; then h - p = h + 19 - 2^255.
  __m512i q = shr(add64(h.l[0], _mm512_set1_epi64(19)), 51);
  for (int k = 1; k < limbs; ++k) q = shr(add64(h.l[k], q), 51);
  __m512i r = add64(h.l[0], times19(q));
  for (int k = 0; k < limbs - 1; ++k) {
    const __m512i next = add64(h.l[k + 1], shr(r, 51));
    _mm512_storeu_si512(out[k], _mm512_and_si512(r, m));
    r = next;
  }
  _mm512_storeu_si512(out[limbs - 1], _mm512_and_si512(r, m));
  OPENSSL_cleanse(&h, sizeof h);
}

SEC5G_IFMA_TARGET void ladder(const std::array<std::uint8_t, 32>& scalar,
                              std::span<const std::array<std::uint8_t, 32>, x25519_lanes> u,
                              std::span<std::array<std::uint8_t, 32>, x25519_lanes> result) {
  // RFC 7748 5: decodeScalar25519.
  std::array<std::uint8_t, 32> k = scalar;
  k[0] &= 248;
  k[31] &= 127;
  k[31] |= 64;
  // decodeUCoordinate: little-endian, the top bit masked; limbs of 51 bits.
  alignas(64) u64 in[limbs][x25519_lanes];
  for (std::size_t lane = 0; lane < x25519_lanes; ++lane) {
    u64 w[4];
    std::memcpy(w, u[lane].data(), sizeof w);  // x86-64: little-endian
    w[3] &= ~(u64{1} << 63);
    in[0][lane] = w[0] & mask51;
    in[1][lane] = ((w[0] >> 51) | (w[1] << 13)) & mask51;
    in[2][lane] = ((w[1] >> 38) | (w[2] << 26)) & mask51;
    in[3][lane] = ((w[2] >> 25) | (w[3] << 39)) & mask51;
    in[4][lane] = w[3] >> 12;
  }
  const __m512i zero = _mm512_setzero_si512();
  fe x1, x2, z2, x3, z3;
  for (int i = 0; i < limbs; ++i) {
    x1.l[i] = _mm512_load_si512(in[i]);
    x2.l[i] = zero;
    z2.l[i] = zero;
    z3.l[i] = zero;
  }
  x2.l[0] = _mm512_set1_epi64(1);
  z3.l[0] = _mm512_set1_epi64(1);
  x3 = x1;
  u64 swap = 0;
  fe a, aa, b, bb, e, c, d, da, cb, t;
  for (int bit = 254; bit >= 0; --bit) {
    const u64 kt = (k[static_cast<std::size_t>(bit) >> 3] >> (bit & 7)) & 1u;
    swap ^= kt;
    cswap(x2, x3, swap);
    cswap(z2, z3, swap);
    swap = kt;
    fe_add(a, x2, z2);
    fe_sq(aa, a);
    fe_sub(b, x2, z2);
    fe_sq(bb, b);
    fe_sub(e, aa, bb);
    fe_add(c, x3, z3);
    fe_sub(d, x3, z3);
    fe_mul(da, d, a);
    fe_mul(cb, c, b);
    fe_add(t, da, cb);
    fe_sq(x3, t);
    fe_sub(t, da, cb);
    fe_sq(t, t);
    fe_mul(z3, x1, t);
    fe_mul(x2, aa, bb);
    fe_mul_a24(t, e);
    fe_add(t, aa, t);
    fe_mul(z2, e, t);
  }
  cswap(x2, x3, swap);
  cswap(z2, z3, swap);
  fe_invert(t, z2);
  fe_mul(x2, x2, t);
  alignas(64) u64 o[limbs][x25519_lanes];
  fe_freeze(x2, o);
  for (std::size_t lane = 0; lane < x25519_lanes; ++lane) {
    const u64 w[4] = {o[0][lane] | (o[1][lane] << 51), (o[1][lane] >> 13) | (o[2][lane] << 38),
                      (o[2][lane] >> 26) | (o[3][lane] << 25),
                      (o[3][lane] >> 39) | (o[4][lane] << 12)};
    std::memcpy(result[lane].data(), w, sizeof w);
  }
  OPENSSL_cleanse(k.data(), k.size());
  OPENSSL_cleanse(o, sizeof o);
  for (fe* f : {&x2, &z2, &x3, &z3, &a, &aa, &b, &bb, &e, &c, &d, &da, &cb, &t})
    OPENSSL_cleanse(f, sizeof *f);
}

}  // namespace

bool x25519_x8_available() noexcept {
  static const bool v =
      __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512ifma") != 0;
  return v;
}

void x25519_x8(const std::array<std::uint8_t, 32>& scalar,
               std::span<const std::array<std::uint8_t, 32>, x25519_lanes> u,
               std::span<std::array<std::uint8_t, 32>, x25519_lanes> out) noexcept {
  ladder(scalar, u, out);
}

}  // namespace sec5g::identity::detail
