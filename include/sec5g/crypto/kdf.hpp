#pragma once
/// The generic 3GPP key derivation function and the HMAC-SHA-256 / SHA-256 it rests on.
/// Ref: TS 33.220 Annex B.2 (KDF), RFC 2104 / FIPS 180-4 (HMAC-SHA-256).
///
/// Every HMAC here (under the KDF, PRF' and hmac_sha256) takes one path: the key prepared into
/// its padded SHA-256 states (hmac_key::prepare), the message hashed from them (hmac_key::mac).
/// All functions are thread-safe and never throw; all but kdf_input_string allocate nothing.

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/auth_types.hpp"

namespace sec5g::crypto {

/// Largest KDF parameter P_i, in octets (L_i is a 2-octet length).
inline constexpr std::size_t kdf_max_param_len = 0xFFFF;
/// Largest number of parameters P0..Pn accepted by kdf().
inline constexpr std::size_t kdf_max_params = 16;

/// HMAC-SHA-256(key, message) in one call. Ref: RFC 2104, FIPS 180-4.
std::expected<byte_array<32>, auth_error> hmac_sha256(bytes_view key, bytes_view message) noexcept;

/// SHA-256(message). Ref: FIPS 180-4.
std::expected<byte_array<32>, auth_error> sha256(bytes_view message) noexcept;

/// The 256-bit KDF output HMAC-SHA-256(key, S) with S = FC || P0 || L0 || ... || Pn || Ln,
/// L_i = length of P_i in octets as 2 octets big-endian. Errors: bad_length when a parameter
/// is longer than kdf_max_param_len or there are more than kdf_max_params parameters.
/// Ref: TS 33.220 B.2.
std::expected<key256, auth_error> kdf(bytes_view key, std::uint8_t fc,
                                      std::span<const bytes_view> params) noexcept;

/// Convenience overload: kdf(key, fc, {p0, p1, ...}). Ref: TS 33.220 B.2.
inline std::expected<key256, auth_error> kdf(bytes_view key, std::uint8_t fc,
                                             std::initializer_list<bytes_view> params) noexcept {
  return kdf(key, fc, std::span<const bytes_view>(params.begin(), params.size()));
}

/// An HMAC-SHA-256 key prepared for repeated use (a UE's K_AMF gives a K_gNB at every
/// connection): the SHA-256 states after the key's inner and outer padded blocks (RFC 2104 2),
/// so that a KDF with it hashes two blocks instead of four. As secret as the key itself: 64
/// octets, move-only, wiped when dropped. A default-constructed one holds no key (its KDF
/// outputs are meaningless; the caller tracks whether a key was set).
class hmac_key {
 public:
  hmac_key() noexcept = default;
  /// The prepared form of `key` (a key longer than the 64-octet block is hashed first).
  static std::expected<hmac_key, auth_error> prepare(bytes_view key) noexcept;
  /// An explicit copy.
  [[nodiscard]] hmac_key clone() const noexcept;
  /// HMAC-SHA-256(key, parts[0] || parts[1] || ...) into `out`; false on backend failure.
  /// Ref: RFC 2104.
  bool mac(std::span<const bytes_view> parts, std::span<std::uint8_t, 32> out) const noexcept;

 private:
  secret<64> state_;  ///< inner then outer SHA-256 chaining value, eight 32-bit words each
};

/// kdf() under a prepared key: the same output as kdf(key, ...) with the key it was prepared
/// from. Ref: TS 33.220 B.2.
std::expected<key256, auth_error> kdf(const hmac_key& key, std::uint8_t fc,
                                      std::span<const bytes_view> params) noexcept;
/// Convenience overload: kdf(prepared key, fc, {p0, p1, ...}).
inline std::expected<key256, auth_error> kdf(const hmac_key& key, std::uint8_t fc,
                                             std::initializer_list<bytes_view> params) noexcept {
  return kdf(key, fc, std::span<const bytes_view>(params.begin(), params.size()));
}

/// The input string S of the KDF (for diagnostics and vector checks; S holds no key).
/// Ref: TS 33.220 B.2.
std::expected<byte_buffer, auth_error> kdf_input_string(
    std::uint8_t fc, std::span<const bytes_view> params) noexcept;

}  // namespace sec5g::crypto
