#pragma once
// Private: arithmetic in the P-256 base field GF(p), p = 2^256 - 2^224 + 2^192 + 2^96 - 1, for
// the decompression of Profile B ephemeral keys (a square root per SUCI). Elements are 4x64-bit
// little-endian limbs, fully reduced (< p), in Montgomery form (a*2^256 mod p) unless a function
// says otherwise. No data-dependent branches or memory accesses (the inputs are public here, but
// it costs nothing: carries are computed, never branched on).
// Ref: FIPS 186-4 D.1.2.3 (the curve), SEC 1 v2 2.3.4 (decompression).

#include <array>
#include <cstdint>

namespace sec5g::identity::detail::p256 {

/// A field element: 4 little-endian 64-bit limbs, value < p.
using fe = std::array<std::uint64_t, 4>;

/// The field prime p (plain form).
inline constexpr fe prime = {0xFFFFFFFFFFFFFFFFull, 0x00000000FFFFFFFFull, 0x0000000000000000ull,
                             0xFFFFFFFF00000001ull};

/// Reads 32 big-endian octets into a plain-form element. False (and `out` unspecified) if the
/// value is >= p.
bool from_be(const std::uint8_t (&in)[32], fe& out) noexcept;
/// Writes a plain-form element as 32 big-endian octets.
void to_be(const fe& a, std::uint8_t (&out)[32]) noexcept;

/// Plain form -> Montgomery form (a*2^256 mod p).
fe to_mont(const fe& a) noexcept;
/// Montgomery form -> plain form.
fe from_mont(const fe& a) noexcept;

/// a*b (Montgomery form in and out).
fe mul(const fe& a, const fe& b) noexcept;
/// a^2 (Montgomery form in and out).
fe sqr(const fe& a) noexcept;
/// a+b mod p (either form, both the same).
fe add(const fe& a, const fe& b) noexcept;
/// a-b mod p (either form, both the same).
fe sub(const fe& a, const fe& b) noexcept;

/// Which implementation of the product runs the square root: `automatic` picks x86-64 assembly
/// (mulx/adcx/adox) when the CPU has BMI2 and ADX, else portable C; the others force one
/// (`adx` only if adx_available(), for the tests).
enum class impl { automatic, portable, adx };

/// True if this build and CPU can run impl::adx.
bool adx_available() noexcept;

/// a*b (Montgomery form) with the chosen implementation (for the tests; mul() is portable C).
fe mul(const fe& a, const fe& b, impl which) noexcept;
/// a^2 (Montgomery form) with the chosen implementation (for the tests; sqr() is portable C).
fe sqr(const fe& a, impl which) noexcept;

/// a^((p+1)/4) (Montgomery form in and out): a square root of `a` if `a` is a square (p = 3 mod
/// 4), which the caller checks by squaring it back. 253 squarings and 7 products.
fe sqrt_candidate(const fe& a, impl which = impl::automatic) noexcept;

/// True if a == b (not constant time: for public values).
inline bool equal(const fe& a, const fe& b) noexcept {
  return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;
}

}  // namespace sec5g::identity::detail::p256
