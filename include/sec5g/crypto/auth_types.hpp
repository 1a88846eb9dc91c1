#pragma once
/// Types shared by the authentication half of sec5g::crypto: MILENAGE, TUAK, the TS 33.220 KDF,
/// the TS 33.501 Annex A key hierarchy and EAP-AKA'. Ref: TS 33.102 6.3, TS 33.501 6.1.3.

#include <cstddef>
#include <cstdint>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"

namespace sec5g::crypto {

/// Views of fixed-size inputs. Keys are held by the caller in secret<N>; the functions read
/// them through these views and never keep a copy after they return.
using key128_view = std::span<const std::uint8_t, 16>;
using key256_view = std::span<const std::uint8_t, 32>;
using rand_view = std::span<const std::uint8_t, 16>;  ///< RAND (128 bits)
using sqn_view = std::span<const std::uint8_t, 6>;    ///< SQN or SQN xor AK (48 bits)
using amf_view = std::span<const std::uint8_t, 2>;    ///< AMF (16 bits)
using autn_view = std::span<const std::uint8_t, 16>;  ///< AUTN (128 bits)
using auts_view = std::span<const std::uint8_t, 14>;  ///< AUTS (112 bits)

using rand128 = byte_array<16>;
using sqn48 = byte_array<6>;
using amf16 = byte_array<2>;
using mac64 = byte_array<8>;     ///< MAC-A (f1) or MAC-S (f1*), 64-bit MILENAGE
using autn128 = byte_array<16>;  ///< AUTN = SQN xor AK || AMF || MAC-A
using auts112 = byte_array<14>;  ///< AUTS = SQN_MS xor AK* || MAC-S

/// Why an authentication / key-derivation call failed. No allocation.
enum class auth_errc : std::uint8_t {
  backend_failure,  ///< OpenSSL failed (allocation, provider not available)
  bad_length,       ///< an input has a length the algorithm does not accept
  bad_parameter,    ///< a parameter value outside its range (bit length, iterations, ...)
};

/// An authentication error code.
struct auth_error {
  auth_errc code = auth_errc::backend_failure;
};

/// Short English description, e.g. "input length not accepted".
const char* to_string(auth_errc code) noexcept;

}  // namespace sec5g::crypto
