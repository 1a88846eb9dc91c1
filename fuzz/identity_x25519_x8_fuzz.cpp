// Fuzz target: the eight-lane X25519 of the Profile A SIDF (AVX-512 IFMA) against OpenSSL's
// X25519. Input: a 32-octet scalar, then up to eight 32-octet u-coordinates (missing lanes are
// lane 0 with its first octet changed). Differential invariant: every lane's output equals
// OpenSSL's, and is all zero exactly where OpenSSL refuses (RFC 7748 6.1). Does nothing on CPUs
// without AVX-512 IFMA.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "identity/x25519_x8.hpp"

#include "fuzz_invariant.hpp"

using sec5g::fuzz::invariant_failed;
namespace detail = sec5g::identity::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 64 || !detail::x25519_x8_available()) return 0;
  using b32 = std::array<std::uint8_t, 32>;
  b32 scalar{};
  std::copy_n(data, 32, scalar.begin());
  std::array<b32, detail::x25519_lanes> u{};
  for (std::size_t l = 0; l < u.size(); ++l) {
    if (32 * (l + 2) <= size) {
      std::copy_n(data + 32 * (l + 1), 32, u[l].begin());
    } else {
      u[l] = u[0];
      u[l][0] = static_cast<std::uint8_t>(u[l][0] + l);
    }
  }
  std::array<b32, detail::x25519_lanes> out{};
  detail::x25519_x8(scalar, u, out);

  EVP_PKEY* priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, scalar.data(), 32);
  if (priv == nullptr) invariant_failed(data, size, "OpenSSL private key");
  for (std::size_t l = 0; l < u.size(); ++l) {
    EVP_PKEY* peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, u[l].data(), 32);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(priv, nullptr);
    if (peer == nullptr || ctx == nullptr || EVP_PKEY_derive_init(ctx) <= 0 ||
        EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) <= 0)
      invariant_failed(data, size, "OpenSSL derive setup");
    b32 ref{};
    std::size_t len = ref.size();
    const bool ref_ok = EVP_PKEY_derive(ctx, ref.data(), &len) > 0;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
    if (!ref_ok && out[l] != b32{}) invariant_failed(data, size, "OpenSSL refuses, lane not zero");
    if (ref_ok && out[l] != ref) invariant_failed(data, size, "lane differs from OpenSSL");
  }
  EVP_PKEY_free(priv);
  return 0;
}
