#pragma once
// Private: P-256 point decompression (the y coordinate from x and its parity), for the Profile B
// ephemeral keys of the SIDF. OpenSSL's own decompression (EC_POINT_oct2point, generic
// BN_mod_sqrt) costs ~12 us, a quarter of the ECDH itself; here the curve equation and the
// square root y = rhs^((p+1)/4) run on the dedicated field arithmetic of p256_field (x86-64
// assembly Montgomery product when the CPU has BMI2/ADX, else portable C). No data-dependent
// branches after the prefix and range checks. Thread-safe (no state).
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
