#pragma once
// Multi-message 128-NEA2 (AES-128-CTR) on AES-NI: key schedules of several messages expanded
// in lock step and the counter blocks of several messages encrypted interleaved, so the AES
// unit stays busy on short messages. libipsec-mb 1.3 has no multi-buffer AES-CTR (one job per
// message, each with the job manager's overhead); see docs/DESIGN.md.
// Ref: TS 33.401 B.1.3 (128-EEA2), TS 33.501 D.2.3.

#include <cstddef>
#include <expected>
#include <span>

#include "sec5g/crypto/nea.hpp"

namespace sec5g::crypto::detail {

/// True when this CPU has AES-NI and SSSE3 (checked once per process).
bool nea2_aesni_available() noexcept;

/// True when this CPU also has VAES with AVX-512 F/BW (checked once per process).
bool nea2_vaes_available() noexcept;

/// Ciphers every request of `requests` with 128-NEA2. The requests must already be validated
/// (bearer, direction, lengths, buffer sizes, overlap). Writes exactly ceil(length_bits/8)
/// octets per request; the bits after length_bits are NOT cleared here (the caller does).
/// Key schedules and partial keystream blocks are wiped before returning. Only call when
/// nea2_aesni_available(); `wide` (only when nea2_vaes_available()) ciphers runs of 16 whole
/// blocks of long messages with 512-bit VAES instead of the 128-bit lanes.
void nea2_aesni_batch(std::span<const nea_request> requests, bool wide) noexcept;

/// The libipsec-mb job path of nea_batch() for NEA1/2/3 (NEA2 takes it only without AES-NI;
/// declared here so the tests can run it on any CPU). Requests must already be validated;
/// clears the tail bits. On failure, `index` names the first request of the failed set.
std::expected<void, cipher_error> nea_batch_jobs(nea_alg alg,
                                                 std::span<const nea_request> requests) noexcept;

} // namespace sec5g::crypto::detail
