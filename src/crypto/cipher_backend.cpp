// Per-thread cipher back ends (libipsec-mb manager, OpenSSL EVP contexts).
#include "crypto/cipher_backend.hpp"

namespace sec5g::crypto {

const char* to_string(cipher_errc code) noexcept {
  switch (code) {
  case cipher_errc::bad_algorithm: return "algorithm outside 0..3";
  case cipher_errc::bad_bearer: return "BEARER outside 0..31";
  case cipher_errc::bad_direction: return "DIRECTION outside 0..1";
  case cipher_errc::too_long:
    return "message longer than the supported maximum (65504 octets; 8188 for NEA3/NIA3)";
  case cipher_errc::input_too_short: return "input shorter than ceil(length_bits/8) octets";
  case cipher_errc::output_too_short: return "output shorter than ceil(length_bits/8) octets";
  case cipher_errc::overlap: return "input and output overlap";
  case cipher_errc::size_mismatch: return "batch output count differs from request count";
  case cipher_errc::empty_message:
    return "empty message (length 0) not supported by this algorithm";
  case cipher_errc::backend_failure: return "cipher back end failure";
  }
  return "unknown cipher error";
}

namespace detail {

cipher_backend::cipher_backend() noexcept {
  mgr = alloc_mb_mgr(0);
  if (mgr == nullptr) return;
  init_mb_mgr_auto(mgr, nullptr);
  if (imb_get_errno(mgr) != 0) return;
  aes_ctr = EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr);
  aes_cbc = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
  ctr_ctx = EVP_CIPHER_CTX_new();
  cbc_ctx = EVP_CIPHER_CTX_new();
  if (aes_ctr == nullptr || aes_cbc == nullptr || ctr_ctx == nullptr || cbc_ctx == nullptr) return;
  // Bind each context to its cipher once, with an all-zero key: later calls only re-key.
  static constexpr std::uint8_t zero[16] = {};
  if (EVP_EncryptInit_ex2(ctr_ctx, aes_ctr, zero, zero, nullptr) != 1) return;
  if (EVP_EncryptInit_ex2(cbc_ctx, aes_cbc, zero, zero, nullptr) != 1) return;
  if (EVP_CIPHER_CTX_set_padding(cbc_ctx, 0) != 1) return;
  ok = true;
}

cipher_backend::~cipher_backend() {
  EVP_CIPHER_CTX_free(cbc_ctx);
  EVP_CIPHER_CTX_free(ctr_ctx);
  EVP_CIPHER_free(aes_cbc);
  EVP_CIPHER_free(aes_ctr);
  if (mgr != nullptr) free_mb_mgr(mgr);
}

cipher_backend* backend() noexcept {
  thread_local cipher_backend instance;
  return instance.ok ? &instance : nullptr;
}

} // namespace detail
} // namespace sec5g::crypto
