// P-256 point decompression with 4x64-bit Montgomery arithmetic. See p256_point.hpp.
#include "identity/p256_point.hpp"

#include <algorithm>

namespace sec5g::identity::detail {
namespace {

using u64 = std::uint64_t;
__extension__ typedef unsigned __int128 u128;
using fe = std::array<u64, 4>;  // little-endian limbs

// p = 2^256 - 2^224 + 2^192 + 2^96 - 1; -p^-1 mod 2^64 = 1.
constexpr fe p = {0xFFFFFFFFFFFFFFFFull, 0x00000000FFFFFFFFull, 0x0000000000000000ull,
                  0xFFFFFFFF00000001ull};
// R^2 mod p with R = 2^256.
constexpr fe rr = {0x0000000000000003ull, 0xFFFFFFFBFFFFFFFFull, 0xFFFFFFFFFFFFFFFEull,
                   0x00000004FFFFFFFDull};
// Curve coefficient b (plain, big-endian limbs order reversed below).
constexpr fe b = {0x3BCE3C3E27D2604Bull, 0x651D06B0CC53B0F6ull, 0xB3EBBD55769886BCull,
                  0x5AC635D8AA3A93E7ull};

// r = a - p if a >= p (a < 2p given as a + carry*2^256).
fe reduce_once(const fe& a, u64 carry) noexcept {
  fe s{};
  u64 borrow = 0;
  for (int j = 0; j < 4; ++j) {
    const u128 d = static_cast<u128>(a[j]) - p[j] - borrow;
    s[j] = static_cast<u64>(d);
    borrow = static_cast<u64>(d >> 64) & 1;
  }
  return (carry != 0 || borrow == 0) ? s : a;
}

// Montgomery reduction of a 512-bit t: t/2^256 mod p in four rounds that use the shape of p
// (p0 = 2^64-1, p1 = 2^32-1, p2 = 0): adding m*p with m = t_i clears limb i, adds m*2^96 at
// limb i and m*p3 at limb i+3.
fe mont_reduce(u64 (&t)[9]) noexcept {
  for (int i = 0; i < 4; ++i) {
    const u64 m = t[i];
    const u128 prod = static_cast<u128>(m) * p[3];
    u128 c = static_cast<u128>(t[i + 1]) + (m << 32);
    t[i + 1] = static_cast<u64>(c);
    c >>= 64;
    c += static_cast<u128>(t[i + 2]) + (m >> 32);
    t[i + 2] = static_cast<u64>(c);
    c >>= 64;
    c += static_cast<u128>(t[i + 3]) + static_cast<u64>(prod);
    t[i + 3] = static_cast<u64>(c);
    c >>= 64;
    c += static_cast<u128>(t[i + 4]) + static_cast<u64>(prod >> 64);
    t[i + 4] = static_cast<u64>(c);
    c >>= 64;
    for (int k = i + 5; k < 9 && c != 0; ++k) {
      c += t[k];
      t[k] = static_cast<u64>(c);
      c >>= 64;
    }
  }
  return reduce_once(fe{t[4], t[5], t[6], t[7]}, t[8]);
}

// Montgomery product a*b/2^256 mod p.
fe mont_mul(const fe& a, const fe& bb) noexcept {
  u64 t[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    u128 c = 0;
    for (int j = 0; j < 4; ++j) {
      c += static_cast<u128>(a[i]) * bb[j] + t[i + j];
      t[i + j] = static_cast<u64>(c);
      c >>= 64;
    }
    t[i + 4] = static_cast<u64>(c);
  }
  return mont_reduce(t);
}

fe add(const fe& a, const fe& c) noexcept {
  fe r{};
  u64 carry = 0;
  for (int j = 0; j < 4; ++j) {
    const u128 s = static_cast<u128>(a[j]) + c[j] + carry;
    r[j] = static_cast<u64>(s);
    carry = static_cast<u64>(s >> 64);
  }
  return reduce_once(r, carry);
}

fe sub(const fe& a, const fe& c) noexcept {
  fe r{};
  u64 borrow = 0;
  for (int j = 0; j < 4; ++j) {
    const u128 d = static_cast<u128>(a[j]) - c[j] - borrow;
    r[j] = static_cast<u64>(d);
    borrow = static_cast<u64>(d >> 64) & 1;
  }
  if (borrow != 0) {
    u64 carry = 0;
    for (int j = 0; j < 4; ++j) {
      const u128 s = static_cast<u128>(r[j]) + p[j] + carry;
      r[j] = static_cast<u64>(s);
      carry = static_cast<u64>(s >> 64);
    }
  }
  return r;
}

bool less_than_p(const fe& a) noexcept {
  for (int j = 3; j >= 0; --j) {
    if (a[j] != p[j]) return a[j] < p[j];
  }
  return false;
}

fe load_be(const std::uint8_t* in) noexcept {
  fe r{};
  for (int j = 0; j < 4; ++j) {
    u64 v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | in[(3 - j) * 8 + k];
    r[j] = v;
  }
  return r;
}

void store_be(const fe& a, std::uint8_t* out) noexcept {
  for (int j = 0; j < 4; ++j)
    for (int k = 0; k < 8; ++k)
      out[(3 - j) * 8 + k] = static_cast<std::uint8_t>(a[j] >> (56 - 8 * k));
}

fe sqr_n(fe r, int n) noexcept {
  for (int i = 0; i < n; ++i) r = mont_mul(r, r);
  return r;
}

// a^((p+1)/4) in Montgomery form; (p+1)/4 = (2^32-1)*2^222 + 2^190 + 2^94:
// 253 squarings and 7 multiplications.
fe sqrt_candidate(const fe& a) noexcept {
  const fe x2 = mont_mul(sqr_n(a, 1), a);     // 2^2-1 ones
  const fe x4 = mont_mul(sqr_n(x2, 2), x2);   // 2^4-1
  const fe x8 = mont_mul(sqr_n(x4, 4), x4);   // 2^8-1
  const fe x16 = mont_mul(sqr_n(x8, 8), x8);  // 2^16-1
  const fe x32 = mont_mul(sqr_n(x16, 16), x16);
  fe r = mont_mul(sqr_n(x32, 32), a);  // (2^32-1)*2^32 + 1 = e >> 190
  r = mont_mul(sqr_n(r, 96), a);       // e >> 94
  return sqr_n(r, 94);
}

}  // namespace

bool p256_decompress(std::span<const std::uint8_t, 33> in, std::span<std::uint8_t, 65> out) noexcept {
  if (in[0] != 0x02 && in[0] != 0x03) return false;
  const fe x = load_be(in.data() + 1);
  if (!less_than_p(x)) return false;
  const fe xm = mont_mul(x, rr);
  const fe bm = mont_mul(b, rr);
  // rhs = x^3 - 3x + b
  fe rhs = mont_mul(mont_mul(xm, xm), xm);
  rhs = sub(rhs, add(add(xm, xm), xm));
  rhs = add(rhs, bm);
  fe y = sqrt_candidate(rhs);
  if (mont_mul(y, y) != rhs) return false;  // not a square: x is not on the curve
  y = mont_mul(y, fe{1, 0, 0, 0});
  if ((y[0] & 1) != static_cast<u64>(in[0] & 1)) y = sub(fe{0, 0, 0, 0}, y);
  out[0] = 0x04;
  std::copy(in.begin() + 1, in.end(), out.begin() + 1);
  store_be(y, out.data() + 33);
  return true;
}

}  // namespace sec5g::identity::detail
