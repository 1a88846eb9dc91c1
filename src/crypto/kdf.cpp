// TS 33.220 B.2 KDF on OpenSSL 3 HMAC-SHA-256, one reusable MAC context per thread.
#include "sec5g/crypto/kdf.hpp"

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but remain supported
// through 3.x; see compute() below for why they are used.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>

#include "hmac_ctx.hpp"

namespace sec5g::crypto {

const char* to_string(auth_errc code) noexcept {
  switch (code) {
    case auth_errc::backend_failure: return "cryptographic backend failure";
    case auth_errc::bad_length: return "input length not accepted";
    case auth_errc::bad_parameter: return "parameter out of range";
  }
  return "unknown error";
}

namespace detail {

hmac_sha256_ctx::hmac_sha256_ctx() noexcept {
  md_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md_ == nullptr) return;
  ctx_ = EVP_MD_CTX_new();
  if (ctx_ != nullptr && EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    ctx_ = nullptr;
  }
}

hmac_sha256_ctx::~hmac_sha256_ctx() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

// HMAC (RFC 2104): H((K^opad) || H((K^ipad) || m)), on OpenSSL's SHA-256 block function
// through its low-level SHA256_* calls (the same SHA-NI / AVX2 code as the EVP digest, without
// EVP_DigestInit_ex2's provider and engine look-ups on each of the two inits: those were ~40% of
// a KDF on a NAS-sized input). The state is wiped by SHA256_Final and again here.
bool hmac_sha256_ctx::compute(bytes_view key, std::span<const bytes_view> parts,
                              std::span<std::uint8_t, 32> out) noexcept {
  if (ctx_ == nullptr) return false;
  std::array<std::uint8_t, 64> block{};
  SHA256_CTX c;
  bool ok = true;
  if (key.size() > 64) {
    ok = SHA256_Init(&c) == 1 && SHA256_Update(&c, key.data(), key.size()) == 1 &&
         SHA256_Final(block.data(), &c) == 1;
  } else if (!key.empty()) {
    std::memcpy(block.data(), key.data(), key.size());
  }
  std::array<std::uint8_t, 64> pad{};
  std::array<std::uint8_t, 32> inner{};
  for (std::size_t i = 0; i < 64; ++i) pad[i] = static_cast<std::uint8_t>(block[i] ^ 0x36);
  ok = ok && SHA256_Init(&c) == 1 && SHA256_Update(&c, pad.data(), pad.size()) == 1;
  for (const auto& p : parts) {
    if (ok && !p.empty()) ok = SHA256_Update(&c, p.data(), p.size()) == 1;
  }
  ok = ok && SHA256_Final(inner.data(), &c) == 1;
  for (std::size_t i = 0; i < 64; ++i) pad[i] = static_cast<std::uint8_t>(block[i] ^ 0x5c);
  ok = ok && SHA256_Init(&c) == 1 && SHA256_Update(&c, pad.data(), pad.size()) == 1 &&
       SHA256_Update(&c, inner.data(), inner.size()) == 1 && SHA256_Final(out.data(), &c) == 1;
  secure_zero(block);
  secure_zero(pad);
  secure_zero(inner);
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&c), sizeof c));
  return ok;
}

hmac_sha256_ctx& thread_hmac() noexcept {
  thread_local hmac_sha256_ctx ctx;
  return ctx;
}

}  // namespace detail

std::expected<byte_array<32>, auth_error> hmac_sha256(bytes_view key, bytes_view message) noexcept {
  byte_array<32> out{};
  const bytes_view parts[] = {message};
  if (!detail::thread_hmac().compute(key, parts, out))
    return std::unexpected(auth_error{auth_errc::backend_failure});
  return out;
}

std::expected<byte_array<32>, auth_error> sha256(bytes_view message) noexcept {
  byte_array<32> out{};
  unsigned int len = 0;
  static const std::uint8_t empty = 0;
  if (EVP_Digest(message.empty() ? &empty : message.data(), message.size(), out.data(), &len,
                 EVP_sha256(), nullptr) != 1 ||
      len != 32)
    return std::unexpected(auth_error{auth_errc::backend_failure});
  return out;
}

namespace {

bool params_ok(std::span<const bytes_view> params) noexcept {
  if (params.size() > kdf_max_params) return false;
  return std::all_of(params.begin(), params.end(),
                     [](const bytes_view& p) { return p.size() <= kdf_max_param_len; });
}

}  // namespace

std::expected<key256, auth_error> kdf(bytes_view key, std::uint8_t fc,
                                      std::span<const bytes_view> params) noexcept {
  if (!params_ok(params)) return std::unexpected(auth_error{auth_errc::bad_length});
  // S = FC || P0 || L0 || ...: assembled on the stack when small (the usual case: one HMAC
  // update), else streamed piece by piece.
  std::array<std::uint8_t, 256> small{};
  std::size_t total = 1;
  for (const auto& p : params) total += p.size() + 2;
  key256 out;
  if (total <= small.size()) {
    std::size_t n = 0;
    small[n++] = fc;
    for (const auto& p : params) {
      if (!p.empty()) std::memcpy(small.data() + n, p.data(), p.size());
      n += p.size();
      store_be16(small.data() + n, static_cast<std::uint16_t>(p.size()));
      n += 2;
    }
    const bytes_view parts[] = {bytes_view(small.data(), n)};
    const bool ok = detail::thread_hmac().compute(key, parts, out.mutable_view());
    secure_zero(small);  // S may hold RES or other sensitive inputs
    if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
    return out;
  }
  std::array<bytes_view, 1 + 2 * kdf_max_params> parts{};
  std::array<std::array<std::uint8_t, 2>, kdf_max_params> lengths{};
  const std::uint8_t fc_octet[1] = {fc};
  std::size_t n = 0;
  parts[n++] = bytes_view(fc_octet, 1);
  for (std::size_t i = 0; i < params.size(); ++i) {
    store_be16(lengths[i].data(), static_cast<std::uint16_t>(params[i].size()));
    parts[n++] = params[i];
    parts[n++] = bytes_view(lengths[i].data(), 2);
  }
  if (!detail::thread_hmac().compute(key, std::span<const bytes_view>(parts.data(), n),
                                     out.mutable_view()))
    return std::unexpected(auth_error{auth_errc::backend_failure});
  return out;
}

namespace {

// The key's padded block XOR `pad` through one SHA-256 block from the initial value: the
// chaining value in `state` (eight words). RFC 2104 2, FIPS 180-4 6.2.
bool key_block_state(const std::uint8_t (&block)[64], std::uint8_t pad,
                     std::uint8_t* state) noexcept {
  struct {
    std::uint8_t padded[64];
    SHA256_CTX c;
  } w;
  for (std::size_t i = 0; i < 64; ++i) w.padded[i] = static_cast<std::uint8_t>(block[i] ^ pad);
  const bool ok = SHA256_Init(&w.c) == 1;
  if (ok) {
    SHA256_Transform(&w.c, w.padded);
    std::memcpy(state, w.c.h, 32);
  }
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&w), sizeof w));
  return ok;
}

// A SHA-256 context resumed after one block whose chaining value is `state`.
bool resume(SHA256_CTX& c, const std::uint8_t* state) noexcept {
  if (SHA256_Init(&c) != 1) return false;
  std::memcpy(c.h, state, 32);
  c.Nl = 512;  // bits hashed so far
  c.Nh = 0;
  return true;
}

}  // namespace

std::expected<hmac_key, auth_error> hmac_key::prepare(bytes_view key) noexcept {
  std::uint8_t block[64] = {};
  if (key.size() > 64) {
    SHA256_CTX c;
    const bool ok = SHA256_Init(&c) == 1 && SHA256_Update(&c, key.data(), key.size()) == 1 &&
                    SHA256_Final(block, &c) == 1;
    secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&c), sizeof c));
    if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
  } else if (!key.empty()) {
    std::memcpy(block, key.data(), key.size());
  }
  hmac_key k;
  const bool ok = key_block_state(block, 0x36, k.state_.data()) &&
                  key_block_state(block, 0x5c, k.state_.data() + 32);
  secure_zero(block);
  if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
  return k;
}

hmac_key hmac_key::clone() const noexcept {
  hmac_key k;
  k.state_ = state_.clone();
  return k;
}

std::expected<key256, auth_error> kdf(const hmac_key& key, std::uint8_t fc,
                                      std::span<const bytes_view> params) noexcept {
  if (!params_ok(params)) return std::unexpected(auth_error{auth_errc::bad_length});
  struct {
    SHA256_CTX c;
    std::uint8_t inner[32];
    std::uint8_t lengths[2 * kdf_max_params];
  } w;
  key256 out;
  const std::uint8_t fc_octet[1] = {fc};
  bool ok = resume(w.c, key.state_.data()) && SHA256_Update(&w.c, fc_octet, 1) == 1;
  for (std::size_t i = 0; ok && i < params.size(); ++i) {
    store_be16(w.lengths + 2 * i, static_cast<std::uint16_t>(params[i].size()));
    if (!params[i].empty()) ok = SHA256_Update(&w.c, params[i].data(), params[i].size()) == 1;
    ok = ok && SHA256_Update(&w.c, w.lengths + 2 * i, 2) == 1;
  }
  ok = ok && SHA256_Final(w.inner, &w.c) == 1 && resume(w.c, key.state_.data() + 32) &&
       SHA256_Update(&w.c, w.inner, sizeof w.inner) == 1 &&
       SHA256_Final(out.mutable_view().data(), &w.c) == 1;
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&w), sizeof w));
  if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
  return out;
}

std::expected<byte_buffer, auth_error> kdf_input_string(
    std::uint8_t fc, std::span<const bytes_view> params) noexcept {
  if (!params_ok(params)) return std::unexpected(auth_error{auth_errc::bad_length});
  try {
    byte_buffer s;
    s.push_back(fc);
    for (const auto& p : params) {
      s.insert(s.end(), p.begin(), p.end());
      s.push_back(static_cast<std::uint8_t>(p.size() >> 8));
      s.push_back(static_cast<std::uint8_t>(p.size()));
    }
    return s;
  } catch (const std::bad_alloc&) {
    return std::unexpected(auth_error{auth_errc::backend_failure});
  }
}

}  // namespace sec5g::crypto
