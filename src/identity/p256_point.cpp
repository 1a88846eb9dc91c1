// P-256 point decompression: 4x64-bit Montgomery arithmetic, the square root through
// BN_mod_exp_mont. See p256_point.hpp.
#include "identity/p256_point.hpp"

#include <openssl/bn.h>

#include <algorithm>
#include <memory>

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

// The exponentiation a^((p+1)/4) runs on OpenSSL's BN_mod_exp_mont (x86-64 assembly Montgomery
// multiplication, bn_mul_mont). It replaced a portable 4x64-bit chain (253 squarings + 7
// products) whose data-dependent carry branches mispredict on varied inputs: over 256 different
// ephemeral keys the whole Profile B de-concealment got ~4% faster (docs/performance/identity.md).
// The input is public (an ephemeral public key), so the non-constant-time exponentiation is
// fine. The Montgomery context for p is built once per process (read-only afterwards); the
// BN_CTX and numbers are per thread.
struct bn_deleter {
  void operator()(BIGNUM* n) const noexcept { BN_free(n); }
};
struct bn_ctx_deleter {
  void operator()(BN_CTX* c) const noexcept { BN_CTX_free(c); }
};
struct mont_deleter {
  void operator()(BN_MONT_CTX* m) const noexcept { BN_MONT_CTX_free(m); }
};
using bn_ptr = std::unique_ptr<BIGNUM, bn_deleter>;

struct shared_modulus {
  bn_ptr modulus{BN_new()};
  bn_ptr exponent{BN_new()};  // (p+1)/4
  std::unique_ptr<BN_MONT_CTX, mont_deleter> mont{BN_MONT_CTX_new()};
  bool ok = false;
  shared_modulus() noexcept {
    std::uint8_t be[32];
    store_be(p, be);
    std::unique_ptr<BN_CTX, bn_ctx_deleter> ctx(BN_CTX_new());
    ok = modulus && exponent && mont && ctx && BN_bin2bn(be, 32, modulus.get()) != nullptr &&
         BN_copy(exponent.get(), modulus.get()) != nullptr && BN_add_word(exponent.get(), 1) == 1 &&
         BN_rshift(exponent.get(), exponent.get(), 2) == 1 &&
         BN_MONT_CTX_set(mont.get(), modulus.get(), ctx.get()) == 1;
  }
};

struct thread_numbers {
  std::unique_ptr<BN_CTX, bn_ctx_deleter> ctx{BN_CTX_new()};
  bn_ptr a{BN_new()};
  bn_ptr y{BN_new()};
};

// y = a^((p+1)/4), a square root of a if a is a square (Montgomery form in and out; the caller
// checks y^2 = a). False only if OpenSSL fails (allocation).
bool sqrt_candidate(const fe& a, fe& y) noexcept {
  static const shared_modulus m;
  thread_local thread_numbers t;
  if (!m.ok || !t.ctx || !t.a || !t.y) return false;
  std::uint8_t be[32];
  store_be(mont_mul(a, fe{1, 0, 0, 0}), be);
  if (BN_bin2bn(be, 32, t.a.get()) == nullptr ||
      BN_mod_exp_mont(t.y.get(), t.a.get(), m.exponent.get(), m.modulus.get(), t.ctx.get(),
                      m.mont.get()) != 1 ||
      BN_bn2binpad(t.y.get(), be, 32) != 32)
    return false;
  y = mont_mul(load_be(be), rr);
  return true;
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
  fe y{};
  if (!sqrt_candidate(rhs, y)) return false;
  if (mont_mul(y, y) != rhs) return false;  // not a square: x is not on the curve
  y = mont_mul(y, fe{1, 0, 0, 0});
  if ((y[0] & 1) != static_cast<u64>(in[0] & 1)) y = sub(fe{0, 0, 0, 0}, y);
  out[0] = 0x04;
  std::copy(in.begin() + 1, in.end(), out.begin() + 1);
  store_be(y, out.data() + 33);
  return true;
}

}  // namespace sec5g::identity::detail
