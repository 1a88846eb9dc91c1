#pragma once
// Private: P-256 point decompression (the y coordinate from x and its parity), for the Profile B
// ephemeral keys of the SIDF. OpenSSL's own decompression (EC_POINT_oct2point, generic
// BN_mod_sqrt) costs ~12 us, a quarter of the ECDH itself; here the curve equation and the
// square-root check use 4x64-bit Montgomery arithmetic and the exponentiation runs on OpenSSL's
// assembly Montgomery multiplication (~8 us on varied points). Public data only (ephemeral
// public keys), so it is not constant time. Thread-safe (per-thread BN_CTX).
// Ref: TS 33.501 C.3.4.2 (compressed ephemeral key), SEC 1 v2 2.3.4, FIPS 186-4 D.1.2.3.

#include <array>
#include <cstdint>
#include <span>

namespace sec5g::identity::detail {

/// Decompresses a 33-octet SEC 1 compressed point (02|x or 03|x) into the 65-octet uncompressed
/// form 04|x|y. Returns false if the prefix is not 02/03, x >= p, or x is not the abscissa of a
/// point on the curve.
bool p256_decompress(std::span<const std::uint8_t, 33> in, std::span<std::uint8_t, 65> out) noexcept;

}  // namespace sec5g::identity::detail
