#pragma once
/// Identifiers, limits and the error type shared by the 128-bit NAS/AS ciphering (NEA) and
/// integrity (NIA) algorithms. Ref: TS 33.501 5.11.1.1, Annex D.

#include <cstddef>
#include <cstdint>
#include <span>

namespace sec5g::crypto {

/// A 128-bit algorithm key (K_NASenc, K_NASint, K_RRCenc, ...). Callers keep keys in
/// sec5g::secret<16> and pass its view(); the functions never keep a copy after they return.
using key_view = std::span<const std::uint8_t, 16>;

/// 5G ciphering algorithm identifiers as in the NAS security algorithms IE (4 bits).
/// Ref: TS 33.501 5.11.1.1 (NEA0..NEA3), TS 24.501 9.11.3.34.
enum class nea_alg : std::uint8_t {
  nea0 = 0, ///< null ciphering
  nea1 = 1, ///< 128-NEA1, SNOW 3G based (= 128-EEA1)
  nea2 = 2, ///< 128-NEA2, AES-128-CTR (= 128-EEA2)
  nea3 = 3, ///< 128-NEA3, ZUC based (= 128-EEA3)
};

/// 5G integrity algorithm identifiers. Ref: TS 33.501 5.11.1.2, TS 24.501 9.11.3.34.
enum class nia_alg : std::uint8_t {
  nia0 = 0, ///< null integrity (MAC = 0)
  nia1 = 1, ///< 128-NIA1, SNOW 3G based (= 128-EIA1)
  nia2 = 2, ///< 128-NIA2, AES-128-CMAC (= 128-EIA2)
  nia3 = 3, ///< 128-NIA3, ZUC based (= 128-EIA3)
};

/// Largest message accepted by the NEA/NIA entry points, in bits: 65504 octets (NAS messages
/// and PDCP SDUs are far smaller).
inline constexpr std::size_t max_message_bits = 65504u * 8u;
/// Largest message for 128-NEA3 / 128-NIA3 (and zuc_keystream), in bits: 8188 octets, the
/// limit of libipsec-mb 1.3's ZUC-EEA3/EIA3. Longer ones are rejected with too_long.
inline constexpr std::size_t max_zuc_message_bits = 65504u;

/// What went wrong in a cipher call. No allocation.
enum class cipher_errc : std::uint8_t {
  bad_algorithm,    ///< algorithm value outside 0..3
  bad_bearer,       ///< BEARER outside 0..31
  bad_direction,    ///< DIRECTION outside 0..1
  too_long,         ///< length_bits > max_message_bits
  input_too_short,  ///< input holds fewer than ceil(length_bits/8) octets
  output_too_short, ///< output holds fewer than ceil(length_bits/8) octets
  overlap,          ///< input and output overlap without being the same buffer
  size_mismatch,    ///< batch: output span count differs from the request count
  empty_message,    ///< length_bits = 0 where the algorithm needs >= 1 bit (NIA1, NIA3)
  backend_failure,  ///< OpenSSL or libipsec-mb failed (allocation, CPU features)
};

/// A cipher error: the code, and for batch calls the index of the offending request.
struct cipher_error {
  cipher_errc code = cipher_errc::backend_failure;
  std::size_t index = 0;
};

/// Short English name of an error code, e.g. "input shorter than ceil(length_bits/8)".
const char* to_string(cipher_errc code) noexcept;

/// Octets needed for `bits` bits of a message.
constexpr std::size_t message_bytes(std::size_t bits) noexcept {
  return (bits + 7) / 8;
}

} // namespace sec5g::crypto
