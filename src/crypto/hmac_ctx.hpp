#pragma once
// Private: the per-thread HMAC-SHA-256 context shared by the KDF, PRF' and the 5G-AKA chain.

#include <cstdint>
#include <span>

#include "sec5g/core/bytes.hpp"

struct evp_mac_st;
struct evp_mac_ctx_st;

namespace sec5g::crypto::detail {

/// One OpenSSL EVP_MAC context (HMAC, digest SHA-256 set once), re-initialised with a new key
/// per call: no allocation after construction.
class hmac_sha256_ctx {
 public:
  hmac_sha256_ctx() noexcept;
  ~hmac_sha256_ctx();
  hmac_sha256_ctx(const hmac_sha256_ctx&) = delete;
  hmac_sha256_ctx& operator=(const hmac_sha256_ctx&) = delete;

  /// HMAC-SHA-256(key, parts[0] || parts[1] || ...). False on backend failure.
  bool compute(bytes_view key, std::span<const bytes_view> parts,
               std::span<std::uint8_t, 32> out) noexcept;

 private:
  evp_mac_st* mac_ = nullptr;
  evp_mac_ctx_st* ctx_ = nullptr;
};

/// This thread's context (created on first use).
hmac_sha256_ctx& thread_hmac() noexcept;

}  // namespace sec5g::crypto::detail
