#pragma once
// The AES parts of the one-shot nea()/nia() calls: 128-NEA2 (AES-128-CTR) and the AES-CMAC of
// 128-NIA2 for ONE message, twice: on AES-NI (used whenever the CPU has it) and on OpenSSL 3's
// EVP (the fallback, and the independent reference the tests compare the AES-NI code with).
// The AES-NI versions exist because the OpenSSL path re-keys an EVP context per message, and
// OpenSSL 3 answers each re-key with provider parameter look-ups (key/IV length queries,
// OSSL_PARAM_locate, strcmp) that cost more than the AES work on a NAS message; see
// docs/DESIGN.md. Ref: TS 33.401 B.1.3 (128-EEA2), B.2.3 (128-EIA2), NIST SP 800-38B.

#include <cstddef>
#include <cstdint>

#include "crypto/cipher_backend.hpp"

namespace sec5g::crypto::detail {

/// 128-NEA2 keystream xor over n octets: AES-128-CTR from T1 = head8 || 0^64 (head8 =
/// COUNT||BEARER||DIRECTION||0^26). `in` may equal `out` (no other overlap). Writes exactly n
/// octets; the tail bits are NOT cleared. Round keys wiped before returning. Only call when
/// nea2_aesni_available().
void nea2_aesni_one(const std::uint8_t* key, const std::uint8_t* head8, const std::uint8_t* in,
                    std::uint8_t* out, std::size_t n) noexcept;

/// AES-CMAC (16-octet tag) over prefix8 || msg, `total_bits` bits long (>= 64; any bit length,
/// the bits after it in the last octet are ignored). Round keys and subkeys wiped before
/// returning. Only call when nea2_aesni_available(). Ref: NIST SP 800-38B 6.1-6.2.
void cmac_aesni_bits(const std::uint8_t* key, const std::uint8_t* prefix8, const std::uint8_t* msg,
                     std::size_t total_bits, std::uint8_t* tag16) noexcept;

/// cmac_aesni_bits(mac_key, ...) and nea2_aesni_one(enc_key, ...) in one call, for a received
/// ciphered NAS message: both key schedules expanded together, then the CMAC chain with the
/// counter blocks after it, which the processor runs in the chain's latency. The same results
/// as the two calls. `out` must not overlap `msg` (the CMAC input). Only call when
/// nea2_aesni_available().
void cmac_and_nea2_aesni(const std::uint8_t* mac_key, const std::uint8_t* prefix8,
                         const std::uint8_t* msg, std::size_t total_bits, std::uint8_t* tag16,
                         const std::uint8_t* enc_key, const std::uint8_t* head8,
                         const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept;

/// The same two on OpenSSL's EVP contexts of this thread's back end. False on an OpenSSL error.
bool nea2_openssl_one(cipher_backend& b, const std::uint8_t* key, const std::uint8_t* head8,
                      const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept;
bool cmac_openssl_bits(cipher_backend& b, const std::uint8_t* key, const std::uint8_t* prefix8,
                       const std::uint8_t* msg, std::size_t total_bits,
                       std::uint8_t* tag16) noexcept;

} // namespace sec5g::crypto::detail
