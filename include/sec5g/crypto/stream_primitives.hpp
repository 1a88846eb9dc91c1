#pragma once
/// The 3G/5G stream-cipher primitives below NEA/NIA, exposed for known-answer tests against the
/// ETSI/SAGE test data: raw SNOW 3G and ZUC keystream, UEA2 (f8) and UIA2 (f9).
/// Ref: TS 35.216 (SNOW 3G), TS 35.215 (UEA2/UIA2), TS 35.222 (ZUC).

#include <cstdint>
#include <expected>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/crypto/algorithms.hpp"

namespace sec5g::crypto {

/// A 128-bit initialisation vector as printed in the algorithm specification.
using iv_view = std::span<const std::uint8_t, 16>;

/// Keystream words z1..zn (out.size() words, at most 16376) of SNOW 3G initialised with
/// key = k0||k1||k2||k3 and iv = IV0||IV1||IV2||IV3 exactly as the SNOW 3G test sets print them.
/// Ref: TS 35.216 clause 4 (initialisation, keystream mode).
std::expected<void, cipher_error> snow3g_keystream(key_view key, iv_view iv,
                                                   std::span<std::uint32_t> out) noexcept;

/// Keystream words z1..zn (out.size() words, at most 2047) of ZUC-128 with key k0..k15 and
/// iv iv0..iv15 as printed. Ref: TS 35.222 clause 3.
std::expected<void, cipher_error> zuc_keystream(key_view key, iv_view iv,
                                                std::span<std::uint32_t> out) noexcept;

/// UEA2 (f8): same as 128-NEA1 (TS 33.401 B.1.2 defines EEA1 through UEA2). Output convention
/// as nea(). Ref: TS 35.215 clause 3.
std::expected<void, cipher_error> uea2(key_view key, std::uint32_t count, std::uint8_t bearer,
                                       std::uint8_t direction, bytes_view in,
                                       std::size_t length_bits, bytes_span out) noexcept;

/// UIA2 (f9) with a 32-bit FRESH. 128-NIA1 is UIA2 with FRESH = BEARER||0^27.
/// Ref: TS 35.215 clause 4, TS 33.401 B.2.2.
std::expected<byte_array<4>, cipher_error> uia2(key_view key, std::uint32_t count,
                                                std::uint32_t fresh, std::uint8_t direction,
                                                bytes_view msg, std::size_t length_bits) noexcept;

} // namespace sec5g::crypto
