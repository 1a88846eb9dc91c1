#pragma once
/// 128-NEA0/1/2/3: 5G ciphering of NAS (and RRC/UP) messages with bit-exact lengths.
/// Ref: TS 33.501 Annex D.2 (D.2.1 inputs, D.2.2 NEA1, D.2.3 NEA2, D.2.4 NEA3), which uses
/// the algorithms of TS 33.401 Annex B.1 (128-EEA1/2/3).
///
/// Output convention: exactly ceil(length_bits/8) octets are written; the bits after
/// length_bits in the last octet are set to zero. Ciphering and deciphering are the same
/// operation. All functions are thread-safe (per-thread libipsec-mb manager and OpenSSL
/// contexts created on first use) and never throw.

#include <cstdint>
#include <expected>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/crypto/algorithms.hpp"

namespace sec5g::crypto {

/// One message of a batch call. Views must stay valid for the duration of the call.
/// `in` and `out` may be the same buffer (in place) but must not otherwise overlap.
struct nea_request {
  key_view key;                ///< K_NASenc / K_RRCenc / K_UPenc (16 octets)
  std::uint32_t count = 0;     ///< COUNT (32 bits)
  std::uint8_t bearer = 0;     ///< BEARER (5 bits; NAS uses 0 for 3GPP access)
  std::uint8_t direction = 0;  ///< DIRECTION: 0 uplink, 1 downlink
  bytes_view in;               ///< at least ceil(length_bits/8) octets
  std::size_t length_bits = 0; ///< LENGTH in bits
  bytes_span out;              ///< at least ceil(length_bits/8) octets
};

/// Ciphers or deciphers `length_bits` bits of `in` into `out` with 128-NEA`alg`.
/// `in` and `out` may be the same buffer. Ref: TS 33.501 D.2.1, TS 33.401 B.1.
std::expected<void, cipher_error> nea(nea_alg alg, key_view key, std::uint32_t count,
                                      std::uint8_t bearer, std::uint8_t direction, bytes_view in,
                                      std::size_t length_bits, bytes_span out) noexcept;

/// Ciphers or deciphers `data` in place (same result as nea() with in == out).
/// Ref: TS 33.501 D.2.1.
std::expected<void, cipher_error> nea_in_place(nea_alg alg, key_view key, std::uint32_t count,
                                               std::uint8_t bearer, std::uint8_t direction,
                                               bytes_span data, std::size_t length_bits) noexcept;

/// What the receiver of a ciphered NAS message computes, in one call: whether `expected_mac` is
/// the 128-NIA`ia` MAC (key `k_int`) of `msg_bits` bits of `msg`, as nia_verify() says, and
/// `cipher_bits` bits of `cipher_in` deciphered with 128-NEA`ea` (key `k_enc`) into
/// `cipher_out`, as nea() writes them, with the same COUNT, BEARER and DIRECTION (the MAC
/// covers the ciphered message; TS 24.501 4.4.3.3, TS 33.501 6.4.3-6.4.4). The keystream is
/// applied whatever the verdict. With 128-NIA2 and 128-NEA2 on AES-NI the two key schedules
/// expand together and the counter blocks run beside the CMAC chain: about one call's latency
/// instead of two (the tracker's per-message cost); otherwise it is the two calls. Errors: those
/// of nia_verify() and nea(); nothing is written when the parameters are invalid.
std::expected<bool, cipher_error>
nia_verify_and_nea(nia_alg ia, key_view k_int, nea_alg ea, key_view k_enc, std::uint32_t count,
                   std::uint8_t bearer, std::uint8_t direction, bytes_view msg,
                   std::size_t msg_bits, std::span<const std::uint8_t, 4> expected_mac,
                   bytes_view cipher_in, std::size_t cipher_bits, bytes_span cipher_out) noexcept;

/// Ciphers many independent messages (keys may differ) with one algorithm in one call.
/// NEA1/NEA3: libipsec-mb's multi-buffer job API (SNOW 3G UEA2, ZUC EEA3 lanes), in sets of up
/// to 64; a set too small to fill the lanes (< 16 for NEA1, < 4 otherwise) takes the one-shot
/// path, which is cheaper there. NEA2: our multi-message AES-128-CTR on AES-NI/VAES (blocks of
/// different messages and keys interleaved; docs/DESIGN.md), libipsec-mb AES-CTR jobs on CPUs
/// without AES-NI. The result of each message equals nea() on it. All requests are validated
/// before any output is written; on error, `index` names the first bad request. Ref:
/// TS 33.501 D.2.1.
std::expected<void, cipher_error> nea_batch(nea_alg alg,
                                            std::span<const nea_request> requests) noexcept;

} // namespace sec5g::crypto
