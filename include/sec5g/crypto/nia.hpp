#pragma once
/// 128-NIA0/1/2/3: 5G integrity protection (32-bit MAC) over messages of bit-exact length.
/// Ref: TS 33.501 Annex D.3 (D.3.1 inputs, D.3.2 NIA1, D.3.3 NIA2, D.3.4 NIA3), which uses the
/// algorithms of TS 33.401 Annex B.2 (128-EIA1/2/3). NIA0 gives a MAC of 32 zero bits
/// (TS 33.501 D.1). Thread-safe, never throws.

#include <cstdint>
#include <expected>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/crypto/algorithms.hpp"

namespace sec5g::crypto {

/// A 32-bit MAC-I / NAS-MAC, most significant octet first (as printed in the specs).
using mac32 = byte_array<4>;

/// One message of a batch call. Views must stay valid for the duration of the call.
struct nia_request {
  key_view key;                ///< K_NASint / K_RRCint / K_UPint (16 octets)
  std::uint32_t count = 0;     ///< COUNT (32 bits)
  std::uint8_t bearer = 0;     ///< BEARER (5 bits)
  std::uint8_t direction = 0;  ///< DIRECTION: 0 uplink, 1 downlink
  bytes_view msg;              ///< at least ceil(length_bits/8) octets
  std::size_t length_bits = 0; ///< LENGTH in bits
};

/// The MAC of `length_bits` bits of `msg` with 128-NIA`alg`. Bits of `msg` after length_bits
/// are ignored. Ref: TS 33.501 D.3.1, TS 33.401 B.2.
std::expected<mac32, cipher_error> nia(nia_alg alg, key_view key, std::uint32_t count,
                                       std::uint8_t bearer, std::uint8_t direction, bytes_view msg,
                                       std::size_t length_bits) noexcept;

/// Whether `expected_mac` is the MAC of the message (constant-time comparison).
/// NIA0 verifies only a zero MAC. Ref: TS 33.501 D.3.1, TS 24.501 4.4.3.3.
std::expected<bool, cipher_error>
nia_verify(nia_alg alg, key_view key, std::uint32_t count, std::uint8_t bearer,
           std::uint8_t direction, bytes_view msg, std::size_t length_bits,
           std::span<const std::uint8_t, 4> expected_mac) noexcept;

/// MACs of many independent messages (keys may differ) in one call, on libipsec-mb's
/// multi-buffer job API (SNOW 3G UIA2, AES-CMAC, ZUC EIA3 lanes), in sets of up to 64; a set
/// of fewer than 4 takes the one-shot path. macs.size() must equal requests.size(); macs[i]
/// equals nia() of requests[i]. All requests are validated first.
/// Ref: TS 33.501 D.3.1.
std::expected<void, cipher_error> nia_batch(nia_alg alg, std::span<const nia_request> requests,
                                            std::span<mac32> macs) noexcept;

} // namespace sec5g::crypto
