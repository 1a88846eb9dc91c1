#pragma once
// Private: the per-thread HMAC-SHA-256 context shared by the KDF, PRF' and the 5G-AKA chain.

#include <cstdint>
#include <span>

#include "sec5g/core/bytes.hpp"

struct evp_md_st;
struct evp_md_ctx_st;

namespace sec5g::crypto::detail {

/// HMAC-SHA-256 on one OpenSSL SHA-256 digest context (fetched and allocated once), keyed anew
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
  evp_md_st* md_ = nullptr;
  evp_md_ctx_st* ctx_ = nullptr;
};

/// This thread's context (created on first use).
hmac_sha256_ctx& thread_hmac() noexcept;

}  // namespace sec5g::crypto::detail
