#pragma once
/// Keccak-f[1600], the permutation under TUAK. Ref: FIPS 202 clause 3 (Keccak-p[1600, 24]),
/// TS 35.231 clause 5 (as used by TUAK).

#include <array>
#include <cstdint>
#include <span>

namespace sec5g::crypto {

/// One Keccak-f[1600] permutation (24 rounds) on 25 lanes A[x + 5y]. Ref: FIPS 202 3.3.
void keccak_f1600(std::array<std::uint64_t, 25>& lanes) noexcept;

/// The same on a 200-octet state, octet i = bits 8i..8i+7 (lanes little-endian, FIPS 202
/// byte order). Ref: FIPS 202 B.1.
void keccak_f1600(std::span<std::uint8_t, 200> state) noexcept;

}  // namespace sec5g::crypto
