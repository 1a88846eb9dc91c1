#pragma once
/// EAP-AKA' key derivation: CK'/IK', PRF', the master key MK and its split into K_encr, K_aut,
/// K_re, MSK, EMSK, and K_AUSF from the EMSK.
/// Ref: RFC 5448 3.3 / 3.4 (= RFC 9048 3.3 / 3.4), TS 33.402 A.2, TS 33.501 A.3, 6.1.3.1.

#include <cstdint>
#include <expected>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/auth_types.hpp"

namespace sec5g::crypto {

/// EAP-AKA' packet constants: EAP codes (RFC 3748 4), the method type (RFC 9048), subtypes and
/// attribute types (RFC 4187 11, RFC 9048 3.1 / 3.2).
namespace eap_aka {
inline constexpr std::uint8_t code_request = 1;
inline constexpr std::uint8_t code_response = 2;
inline constexpr std::uint8_t code_success = 3;
inline constexpr std::uint8_t code_failure = 4;
inline constexpr std::uint8_t type_aka_prime = 50;
inline constexpr std::uint8_t subtype_challenge = 1;
inline constexpr std::uint8_t subtype_synchronization_failure = 4;
inline constexpr std::uint8_t at_rand = 1;
inline constexpr std::uint8_t at_autn = 2;
inline constexpr std::uint8_t at_res = 3;
inline constexpr std::uint8_t at_auts = 4;
inline constexpr std::uint8_t at_mac = 11;
inline constexpr std::uint8_t at_kdf_input = 23;
inline constexpr std::uint8_t at_kdf = 24;
}  // namespace eap_aka

/// CK' and IK'.
struct ck_ik_prime {
  key128 ck_prime;
  key128 ik_prime;
};

/// The keys of EAP-AKA' (MK = PRF'(IK'||CK', "EAP-AKA'"||Identity), split in this order).
struct eap_aka_prime_keys {
  key128 k_encr;     ///< MK[0..15]
  key256 k_aut;      ///< MK[16..47]
  key256 k_re;       ///< MK[48..79]
  secret<64> msk;    ///< MK[80..143]
  secret<64> emsk;   ///< MK[144..207]
};

/// Largest PRF' output accepted (255 HMAC blocks: the iteration counter is one octet).
inline constexpr std::size_t prf_prime_max_len = 255 * 32;

/// CK'||IK' = KDF(CK||IK, 0x20, access network identity, SQN xor AK); CK' is the 128 most
/// significant bits. In 5G the access network identity is the serving network name.
/// Ref: TS 33.501 A.3, TS 33.402 A.2, RFC 5448 3.3.
std::expected<ck_ik_prime, auth_error> derive_ck_ik_prime(key128_view ck, key128_view ik,
                                                          std::string_view network_name,
                                                          sqn_view sqn_xor_ak) noexcept;

/// PRF'(K, S) = T1 || T2 || ... truncated to `out.size()` octets, T1 = HMAC-SHA-256(K, S||0x01),
/// Tn = HMAC-SHA-256(K, Tn-1||S||n). Errors: bad_length if out.size() > prf_prime_max_len.
/// Ref: RFC 5448 3.4.
std::expected<void, auth_error> prf_prime(bytes_view key, bytes_view s, bytes_span out) noexcept;

/// MK and its split from CK', IK' and the EAP identity. Ref: RFC 5448 3.3.
std::expected<eap_aka_prime_keys, auth_error> derive_eap_aka_prime_keys(
    key128_view ck_prime, key128_view ik_prime, std::string_view identity) noexcept;

/// K_AUSF = the most significant 256 bits of the EMSK. Ref: TS 33.501 6.1.3.1.
key256 k_ausf_from_emsk(std::span<const std::uint8_t, 64> emsk) noexcept;

}  // namespace sec5g::crypto
