// TS 33.220 B.2 KDF and HMAC-SHA-256 (RFC 2104) on OpenSSL's SHA-256 block function.
#include "sec5g/crypto/kdf.hpp"

// SHA256_Init/Update/Final/Transform are deprecated in OpenSSL 3 in favour of EVP, but remain
// supported through 3.x. They are the same SHA-NI / AVX2 code as the EVP digest, without
// EVP_DigestInit_ex2's provider look-ups on every init (those were ~40% of a KDF on a NAS-sized
// input) nor an allocated EVP_MD_CTX, and they let an HMAC resume from a key's prepared states
// (hmac_key).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>

namespace sec5g::crypto {

const char* to_string(auth_errc code) noexcept {
  switch (code) {
    case auth_errc::backend_failure: return "cryptographic backend failure";
    case auth_errc::bad_length: return "input length not accepted";
    case auth_errc::bad_parameter: return "parameter out of range";
  }
  return "unknown error";
}

std::expected<byte_array<32>, auth_error> hmac_sha256(bytes_view key, bytes_view message) noexcept {
  byte_array<32> out{};
  const bytes_view parts[] = {message};
  const auto k = hmac_key::prepare(key);
  if (!k) return std::unexpected(k.error());
  if (!k->mac(parts, out)) return std::unexpected(auth_error{auth_errc::backend_failure});
  return out;
}

std::expected<byte_array<32>, auth_error> sha256(bytes_view message) noexcept {
  byte_array<32> out{};
  SHA256_CTX c;
  const bool ok = SHA256_Init(&c) == 1 &&
                  (message.empty() || SHA256_Update(&c, message.data(), message.size()) == 1) &&
                  SHA256_Final(out.data(), &c) == 1;
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&c), sizeof c));  // RES* for HXRES*
  if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
  return out;
}

namespace {

bool params_ok(std::span<const bytes_view> params) noexcept {
  if (params.size() > kdf_max_params) return false;
  return std::all_of(params.begin(), params.end(),
                     [](const bytes_view& p) { return p.size() <= kdf_max_param_len; });
}

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

// HMAC (RFC 2104 2) resumed from the prepared states: the inner hash over the message, then
// the outer hash over the inner one. The work area (inner digest, SHA-256 state) is wiped.
bool hmac_key::mac(std::span<const bytes_view> parts,
                   std::span<std::uint8_t, 32> out) const noexcept {
  struct {
    SHA256_CTX c;
    std::uint8_t inner[32];
  } w;
  bool ok = resume(w.c, state_.data());
  for (const auto& p : parts) {
    if (ok && !p.empty()) ok = SHA256_Update(&w.c, p.data(), p.size()) == 1;
  }
  ok = ok && SHA256_Final(w.inner, &w.c) == 1 && resume(w.c, state_.data() + 32) &&
       SHA256_Update(&w.c, w.inner, sizeof w.inner) == 1 &&
       SHA256_Final(out.data(), &w.c) == 1;
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&w), sizeof w));
  return ok;
}

std::expected<key256, auth_error> kdf(const hmac_key& key, std::uint8_t fc,
                                      std::span<const bytes_view> params) noexcept {
  if (!params_ok(params)) return std::unexpected(auth_error{auth_errc::bad_length});
  // S = FC || P0 || L0 || ...: assembled on the stack when small (the usual case: one SHA-256
  // update), else streamed piece by piece. S may hold RES or other sensitive inputs: wiped.
  std::size_t total = 1;
  for (const auto& p : params) total += p.size() + 2;
  key256 out;
  bool ok;
  if (total <= 256) {
    std::uint8_t small[256];
    std::size_t n = 0;
    small[n++] = fc;
    for (const auto& p : params) {
      if (!p.empty()) std::memcpy(small + n, p.data(), p.size());
      n += p.size();
      store_be16(small + n, static_cast<std::uint16_t>(p.size()));
      n += 2;
    }
    const bytes_view parts[] = {bytes_view(small, n)};
    ok = key.mac(parts, out.mutable_view());
    secure_zero(bytes_span(small, n));
  } else {
    std::array<bytes_view, 1 + 2 * kdf_max_params> parts{};
    std::uint8_t lengths[kdf_max_params][2];
    const std::uint8_t fc_octet[1] = {fc};
    std::size_t n = 0;
    parts[n++] = bytes_view(fc_octet, 1);
    for (std::size_t i = 0; i < params.size(); ++i) {
      store_be16(lengths[i], static_cast<std::uint16_t>(params[i].size()));
      parts[n++] = params[i];
      parts[n++] = bytes_view(lengths[i], 2);
    }
    ok = key.mac(std::span<const bytes_view>(parts.data(), n), out.mutable_view());
  }
  if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
  return out;
}

std::expected<key256, auth_error> kdf(bytes_view key, std::uint8_t fc,
                                      std::span<const bytes_view> params) noexcept {
  const auto k = hmac_key::prepare(key);
  if (!k) return std::unexpected(k.error());
  return kdf(*k, fc, params);
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
