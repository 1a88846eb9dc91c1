#pragma once
// Private: X25519 (RFC 7748 5) of one scalar with eight u-coordinates at once, on AVX-512 IFMA
// (52-bit integer multiply-add, eight 64-bit lanes). The SIDF multiplies every Profile A SUCI's
// ephemeral public key by the same home-network private key; OpenSSL computes one X25519 per
// call and no Debian library offers a multi-buffer X25519 (see docs/DESIGN.md), so SUCIs found
// ahead of the tracker are de-concealed eight at a time here. Checked against OpenSSL's X25519
// (tests/identity/x25519_x8_test.cpp). The ladder and the field arithmetic have no branches or
// memory accesses that depend on the scalar or the points.
// Ref: RFC 7748 5 (the function and its Montgomery ladder), 6.1 (the all-zero check is the
// caller's).

#include <array>
#include <cstdint>
#include <span>

namespace sec5g::identity::detail {

/// Lanes of one x25519_x8 call.
inline constexpr std::size_t x25519_lanes = 8;

/// True when this CPU runs x25519_x8: AVX-512 F and IFMA, enabled by the operating system
/// (checked once per process).
bool x25519_x8_available() noexcept;

/// out[i] = X25519(scalar, u[i]) for every lane i (RFC 7748 5: the scalar is clamped here, the
/// top bit of each u is ignored and non-canonical u are reduced). Only call when
/// x25519_x8_available(). The caller checks for all-zero outputs (RFC 7748 6.1). Intermediate
/// values are wiped before returning.
void x25519_x8(const std::array<std::uint8_t, 32>& scalar,
               std::span<const std::array<std::uint8_t, 32>, x25519_lanes> u,
               std::span<std::array<std::uint8_t, 32>, x25519_lanes> out) noexcept;

}  // namespace sec5g::identity::detail
