// P-256 point decompression on the field arithmetic of p256_field. See p256_point.hpp.
#include "identity/p256_point.hpp"

#include "identity/p256_field.hpp"

#include <algorithm>

namespace sec5g::identity::detail {
namespace {

// Curve coefficient b in Montgomery form (b*2^256 mod p).
// b = 5AC635D8AA3A93E7 B3EBBD55769886BC 651D06B0CC53B0F6 3BCE3C3E27D2604B.
const p256::fe& b_mont() noexcept {
  static const p256::fe v = p256::to_mont(p256::fe{0x3BCE3C3E27D2604Bull, 0x651D06B0CC53B0F6ull,
                                                   0xB3EBBD55769886BCull, 0x5AC635D8AA3A93E7ull});
  return v;
}

}  // namespace

bool p256_decompress(std::span<const std::uint8_t, 33> in, std::span<std::uint8_t, 65> out) noexcept {
  using namespace p256;
  if (in[0] != 0x02 && in[0] != 0x03) return false;
  std::uint8_t be[32];
  std::copy(in.begin() + 1, in.end(), be);
  fe x{};
  if (!from_be(be, x)) return false;  // x >= p
  constexpr impl fast = impl::automatic;
  const fe xm = to_mont(x);
  // rhs = x^3 - 3x + b
  fe rhs = mul(sqr(xm, fast), xm, fast);
  rhs = sub(rhs, add(add(xm, xm), xm));
  rhs = add(rhs, b_mont());
  const fe ym = sqrt_candidate(rhs, fast);
  if (!equal(sqr(ym, fast), rhs)) return false;  // rhs is not a square: x is not on the curve
  fe y = from_mont(ym);
  // The root with the parity of the prefix (constant time). y = 0 cannot occur: it would be a
  // point of order 2, and the group order of P-256 is an odd prime.
  const fe neg = sub(fe{0, 0, 0, 0}, y);
  const std::uint64_t flip = 0 - ((y[0] ^ static_cast<std::uint64_t>(in[0])) & 1);
  for (std::size_t j = 0; j < 4; ++j) y[j] = (y[j] & ~flip) | (neg[j] & flip);
  out[0] = 0x04;
  std::copy(in.begin() + 1, in.end(), out.begin() + 1);
  to_be(y, be);
  std::copy(std::begin(be), std::end(be), out.begin() + 33);
  return true;
}

}  // namespace sec5g::identity::detail
