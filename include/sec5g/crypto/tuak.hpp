#pragma once
/// TUAK: the second 3GPP example algorithm set for f1, f1*, f2..f5, f5* (on Keccak-f[1600]),
/// with a 128- or 256-bit K, every output length and a configurable KeccakIterations.
/// Ref: TS 35.231 (specification), TS 35.232/35.233 (test data).

#include <cstdint>
#include <expected>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/auth_types.hpp"

namespace sec5g::crypto {

/// Largest KeccakIterations accepted (the spec default is 1; the value is an operator choice).
inline constexpr unsigned tuak_max_keccak_iterations = 256;

/// TUAK output lengths and iterations. Ref: TS 35.231 6.1 (INSTANCE).
struct tuak_config {
  unsigned mac_bits = 64;   ///< MAC-A / MAC-S: 64, 128 or 256
  unsigned res_bits = 64;   ///< RES: 32, 64, 128 or 256
  unsigned ck_bits = 128;   ///< CK: 128 or 256
  unsigned ik_bits = 128;   ///< IK: 128 or 256
  unsigned keccak_iterations = 1;  ///< 1..tuak_max_keccak_iterations
};

/// f2..f5 outputs with their configured lengths.
struct tuak_f2345_output {
  secret_buffer res;  ///< f2, res_bits/8 octets
  secret_buffer ck;   ///< f3, ck_bits/8 octets
  secret_buffer ik;   ///< f4, ik_bits/8 octets
  secret<6> ak;       ///< f5
};

/// TUAK for one subscriber: K (16 or 32 octets) and TOPc (32 octets).
/// Errors of every call: bad_length (K size), bad_parameter (a length or iteration count
/// outside the config ranges). Ref: TS 35.231 6.
class tuak {
 public:
  static std::expected<tuak, auth_error> create(bytes_view k, key256_view topc,
                                                const tuak_config& config = {}) noexcept;
  /// Same from TOP (computes TOPc first). Ref: TS 35.231 6.2.
  static std::expected<tuak, auth_error> create_from_top(bytes_view k, key256_view top,
                                                         const tuak_config& config = {}) noexcept;

  [[nodiscard]] key256_view topc() const noexcept { return topc_.view(); }
  [[nodiscard]] const tuak_config& config() const noexcept { return config_; }

  /// f1: MAC-A of config().mac_bits. Ref: TS 35.231 6.3.
  std::expected<byte_buffer, auth_error> f1(rand_view rand, sqn_view sqn, amf_view amf) const noexcept;
  /// f1*: MAC-S of config().mac_bits. Ref: TS 35.231 6.3.
  std::expected<byte_buffer, auth_error> f1star(rand_view rand, sqn_view sqn,
                                                amf_view amf) const noexcept;
  /// f2..f5. Ref: TS 35.231 6.4.
  std::expected<tuak_f2345_output, auth_error> f2345(rand_view rand) const noexcept;
  /// f5*. Ref: TS 35.231 6.5.
  std::expected<secret<6>, auth_error> f5star(rand_view rand) const noexcept;

 private:
  tuak() noexcept = default;
  // f1 (star 0x00) or f1* (star 0x80, TS 35.231 6.3): INSTANCE = star | MAC size | K size.
  std::expected<byte_buffer, auth_error> mac(rand_view rand, sqn_view sqn, amf_view amf,
                                             std::uint8_t star) const noexcept;
  secret<32> k_;  // K left-aligned; k_len_ octets used
  std::size_t k_len_ = 16;
  key256 topc_;
  tuak_config config_;
};

/// TOPc from TOP and K. Ref: TS 35.231 6.2.
std::expected<key256, auth_error> tuak_topc(bytes_view k, key256_view top,
                                            unsigned keccak_iterations = 1) noexcept;

}  // namespace sec5g::crypto
