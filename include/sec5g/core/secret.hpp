#pragma once
/// Fixed-size secret key material: zeroized on destruction, move-only, never printed.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <expected>
#include <ostream>
#include <span>
#include <string>

#include "sec5g/core/bytes.hpp"

namespace sec5g {

/// Overwrites `data` with zeros in a way the compiler cannot elide: a memset, then an empty
/// asm statement that takes the address and clobbers memory, so the compiler must assume the
/// zeros are read (the barrier of explicit_bzero and BoringSSL's OPENSSL_cleanse). Inline so
/// that a fixed-size object (a key, an AES key schedule, a keystream block: several per NAS
/// message) is cleared by a few vector stores instead of a call into glibc.
inline void secure_zero(bytes_span data) noexcept {
  if (data.empty()) return;
  std::memset(data.data(), 0, data.size());
  __asm__ __volatile__("" : : "r"(data.data()) : "memory");
}

/// Constant-time equality of two equally sized byte strings (CRYPTO_memcmp).
/// Returns false when the sizes differ (the sizes themselves are not secret).
bool constant_time_equal(bytes_view a, bytes_view b) noexcept;

/// A secret of N octets (K, OPc, CK, IK, K_AUSF ... K_gNB, RES*, private keys).
/// Move-only; the moved-from object is zeroized; destruction zeroizes.
/// Stream output prints "[redacted]". Read access only through view()/data().
template <std::size_t N>
class secret {
 public:
  static constexpr std::size_t size_bytes = N;

  secret() noexcept = default;
  /// Copies `init` (exactly N octets) into a new secret.
  explicit secret(std::span<const std::uint8_t, N> init) noexcept {
    std::copy(init.begin(), init.end(), bytes_.begin());
  }
  secret(const secret&) = delete;
  secret& operator=(const secret&) = delete;
  secret(secret&& other) noexcept : bytes_(other.bytes_) { secure_zero(other.bytes_); }
  secret& operator=(secret&& other) noexcept {
    if (this != &other) {
      bytes_ = other.bytes_;
      secure_zero(other.bytes_);
    }
    return *this;
  }
  ~secret() { secure_zero(bytes_); }

  /// An explicit copy, for the rare places that must keep two instances.
  [[nodiscard]] secret clone() const noexcept { return secret(view()); }

  [[nodiscard]] std::span<const std::uint8_t, N> view() const noexcept { return bytes_; }
  [[nodiscard]] std::span<std::uint8_t, N> mutable_view() noexcept { return bytes_; }
  [[nodiscard]] const std::uint8_t* data() const noexcept { return bytes_.data(); }
  [[nodiscard]] std::uint8_t* data() noexcept { return bytes_.data(); }
  [[nodiscard]] static constexpr std::size_t size() noexcept { return N; }

  /// Constant-time comparison.
  [[nodiscard]] bool equals(bytes_view other) const noexcept {
    return constant_time_equal(bytes_, other);
  }

  friend std::ostream& operator<<(std::ostream& os, const secret&) { return os << "[redacted]"; }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

using key128 = secret<16>;
using key256 = secret<32>;

/// A variable-length secret buffer (e.g. PRF' output, EMSK-derived material), zeroized on
/// destruction. Move-only.
class secret_buffer {
 public:
  secret_buffer() noexcept = default;
  explicit secret_buffer(std::size_t n);
  explicit secret_buffer(bytes_view init);
  secret_buffer(const secret_buffer&) = delete;
  secret_buffer& operator=(const secret_buffer&) = delete;
  secret_buffer(secret_buffer&& other) noexcept;
  secret_buffer& operator=(secret_buffer&& other) noexcept;
  ~secret_buffer();

  [[nodiscard]] bytes_view view() const noexcept { return {data_.data(), data_.size()}; }
  [[nodiscard]] bytes_span mutable_view() noexcept { return {data_.data(), data_.size()}; }
  [[nodiscard]] std::size_t size() const noexcept { return data_.size(); }
  /// Keeps the first `n` octets; the ones after them are zeroized first (none when n >= size()).
  void truncate(std::size_t n) noexcept;
  friend std::ostream& operator<<(std::ostream& os, const secret_buffer&) {
    return os << "[redacted]";
  }

 private:
  byte_buffer data_;
};

/// Reads a whole file that holds secrets (a subscriber key file, a private key PEM) without
/// leaving copies of it in freed memory: read(2) straight into the buffer (no stdio or stream
/// buffers), and every buffer it outgrows is zeroized before it is released. The error is an
/// errno value (EFBIG: more than `max_size` octets).
std::expected<secret_buffer, int> read_secret_file(const std::string& path,
                                                    std::size_t max_size) noexcept;

}  // namespace sec5g
