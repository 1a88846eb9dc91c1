// Raw SNOW 3G / ZUC keystream and UEA2 for the ETSI/SAGE known-answer tests.
// Ref: TS 35.215, TS 35.216, TS 35.222.
#include "sec5g/crypto/stream_primitives.hpp"

#include <cstring>

#include "crypto/cipher_backend.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/nea.hpp"

namespace sec5g::crypto {
namespace {

std::unexpected<cipher_error> fail(cipher_errc code) noexcept {
  return std::unexpected(cipher_error{code, 0});
}

// Reverses the order of the four 32-bit words of a 16-octet value (octets inside a word keep
// their order): maps k0||k1||k2||k3 as printed to the CK||IV octet order of f8.
void reverse_words(const std::uint8_t* in, std::uint8_t* out) noexcept {
  for (int w = 0; w < 4; ++w)
    std::memcpy(out + 4 * w, in + 4 * (3 - w), 4);
}

// Encrypts zeros so that the output is the keystream; `run` does the encryption.
template <class Run>
std::expected<void, cipher_error> keystream_words(std::span<std::uint32_t> out,
                                                  std::size_t max_words, Run&& run) noexcept {
  if (out.size() > max_words) return fail(cipher_errc::too_long);
  if (out.empty()) return {};
  detail::cipher_backend* b = detail::backend();
  if (b == nullptr) return fail(cipher_errc::backend_failure);
  const std::size_t n = out.size() * 4;
  try {
    if (b->scratch.size() < 2 * n) b->scratch.resize(2 * n);
  } catch (...) {
    return fail(cipher_errc::backend_failure);
  }
  std::uint8_t* zeros = b->scratch.data();
  std::uint8_t* ks = zeros + n;
  std::memset(zeros, 0, n);
  if (!run(*b, zeros, ks, n)) return fail(cipher_errc::backend_failure);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = load_be32(ks + 4 * i);
  secure_zero(bytes_span(ks, n));
  return {};
}

} // namespace

std::expected<void, cipher_error> snow3g_keystream(key_view key, iv_view iv,
                                                   std::span<std::uint32_t> out) noexcept {
  // f8 loads CK with k3 = CK[0..31] and IV with IV3 = IV[0..31] (TS 35.215 3.4), so the
  // printed k0..k3 / IV0..IV3 order maps to f8 input octets by reversing the words.
  return keystream_words(
      out, max_message_bits / 32,
      [&](detail::cipher_backend& b, const std::uint8_t* zeros, std::uint8_t* ks, std::size_t n) {
        std::uint8_t ck[16];
        alignas(16) std::uint8_t f8iv[16];
        reverse_words(key.data(), ck);
        reverse_words(iv.data(), f8iv);
        const bool ok = detail::snow3g_f8(b, ck, f8iv, zeros, ks, n);
        secure_zero(ck);
        return ok;
      });
}

std::expected<void, cipher_error> zuc_keystream(key_view key, iv_view iv,
                                                std::span<std::uint32_t> out) noexcept {
  // EEA3 with a caller-given 16-octet IV is the plain ZUC-128 keystream xor (TS 35.222 3.6).
  return keystream_words(
      out, max_zuc_message_bits / 32,
      [&](detail::cipher_backend& b, const std::uint8_t* zeros, std::uint8_t* ks, std::size_t n) {
        alignas(16) std::uint8_t ziv[16];
        std::memcpy(ziv, iv.data(), 16);
        IMB_ZUC_EEA3_1_BUFFER(b.mgr, key.data(), ziv, zeros, ks, static_cast<std::uint32_t>(n));
        return imb_get_errno(b.mgr) == 0;
      });
}

std::expected<void, cipher_error> uea2(key_view key, std::uint32_t count, std::uint8_t bearer,
                                       std::uint8_t direction, bytes_view in,
                                       std::size_t length_bits, bytes_span out) noexcept {
  // 128-NEA1 is defined as UEA2 with the same COUNT/BEARER/DIRECTION IV (TS 33.401 B.1.2).
  return nea(nea_alg::nea1, key, count, bearer, direction, in, length_bits, out);
}

} // namespace sec5g::crypto
