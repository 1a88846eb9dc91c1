// 128-NEA0/1/2/3 one-shot, in place and batch. Ref: TS 33.501 Annex D.2, TS 33.401 Annex B.1.
#include "sec5g/crypto/nea.hpp"

#include <algorithm>
#include <cstring>

#include "crypto/aes_oneshot.hpp"
#include "crypto/cipher_backend.hpp"
#include "crypto/nea2_aesni.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/nia.hpp"

namespace sec5g::crypto {
namespace {

using detail::cipher_backend;

std::expected<void, cipher_error> fail(cipher_errc code, std::size_t index = 0) noexcept {
  return std::unexpected(cipher_error{code, index});
}

bool overlaps_badly(bytes_view in, bytes_span out, std::size_t n) noexcept {
  if (n == 0 || in.data() == out.data()) return false;
  const auto a = reinterpret_cast<std::uintptr_t>(in.data());
  const auto b = reinterpret_cast<std::uintptr_t>(out.data());
  return a < b + n && b < a + n;
}

std::expected<void, cipher_error> validate(nea_alg alg, std::uint8_t bearer, std::uint8_t direction,
                                           bytes_view in, std::size_t length_bits, bytes_span out,
                                           std::size_t index) noexcept {
  if (static_cast<std::uint8_t>(alg) > 3) return fail(cipher_errc::bad_algorithm, index);
  if (auto r = detail::check_params(bearer, direction, length_bits, alg == nea_alg::nea3, index);
      !r)
    return r;
  const std::size_t n = message_bytes(length_bits);
  if (in.size() < n) return fail(cipher_errc::input_too_short, index);
  if (out.size() < n) return fail(cipher_errc::output_too_short, index);
  if (overlaps_badly(in, out, n)) return fail(cipher_errc::overlap, index);
  return {};
}

} // namespace

namespace detail {

// 128-NEA2 = AES-128-CTR with T1 = COUNT||BEARER||DIRECTION||0^26||0^64. Ref: TS 33.401 B.1.3.
// The context only ever sees whole blocks: OpenSSL keeps the keystream of a partial last block
// in the context, so the tail is ciphered here as a zero-padded block on the stack and wiped.
bool nea2_openssl_one(cipher_backend& b, const std::uint8_t* key, const std::uint8_t* head8,
                      const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept {
  std::uint8_t iv[16] = {};
  std::memcpy(iv, head8, 8);
  const std::size_t full = n - n % 16;
  int outl = 0;
  bool ok =
      EVP_EncryptInit_ex2(b.ctr_ctx, nullptr, key, iv, nullptr) == 1 &&
      (full == 0 || EVP_EncryptUpdate(b.ctr_ctx, out, &outl, in, static_cast<int>(full)) == 1);
  if (ok && full != n) {
    std::uint8_t tail[16] = {};
    std::memcpy(tail, in + full, n - full);
    ok = EVP_EncryptUpdate(b.ctr_ctx, tail, &outl, tail, 16) == 1;
    std::memcpy(out + full, tail, n - full);
    secure_zero(tail);
  }
  // The key schedule stays in this thread's context until the next OpenSSL NEA2 call replaces
  // it, and is wiped when the thread ends (EVP_CIPHER_CTX_free clears it). Re-keying with a
  // zero key after every message cost a second key expansion; the key itself is held by the
  // caller (a UE's security context) at least as long.
  return ok;
}

// Ref: TS 35.215 clause 3 (f8 over SNOW 3G); IV already in libipsec-mb order.
bool snow3g_f8(cipher_backend& b, const std::uint8_t* key, const std::uint8_t* iv,
               const std::uint8_t* in, std::uint8_t* out, std::size_t len_bytes) noexcept {
  snow3g_key_schedule_t ks;
  if (IMB_SNOW3G_INIT_KEY_SCHED(b.mgr, key, &ks) != 0) return false;
  IMB_SNOW3G_F8_1_BUFFER(b.mgr, &ks, iv, in, out, static_cast<std::uint32_t>(len_bytes));
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&ks), sizeof ks));
  return imb_get_errno(b.mgr) == 0;
}

} // namespace detail

std::expected<void, cipher_error> nea(nea_alg alg, key_view key, std::uint32_t count,
                                      std::uint8_t bearer, std::uint8_t direction, bytes_view in,
                                      std::size_t length_bits, bytes_span out) noexcept {
  if (auto r = validate(alg, bearer, direction, in, length_bits, out, 0); !r) return r;
  const std::size_t n = message_bytes(length_bits);
  if (n == 0) return {};
  bool ok = true;
  switch (alg) {
  case nea_alg::nea0:
    // Ref: TS 33.501 D.1: NEA0 output = input (keystream of zeros).
    if (in.data() != out.data()) std::memmove(out.data(), in.data(), n);
    break;
  case nea_alg::nea1: {
    // Ref: TS 33.401 B.1.2: 128-EEA1 = UEA2 f8 with BEARER/DIRECTION/COUNT as the IV.
    cipher_backend* b = detail::backend();
    if (b == nullptr) return fail(cipher_errc::backend_failure);
    alignas(16) std::uint8_t iv[16];
    detail::f8_iv(iv, count, bearer, direction);
    ok = detail::snow3g_f8(*b, key.data(), iv, in.data(), out.data(), n);
    break;
  }
  case nea_alg::nea2: {
    std::uint8_t head[8];
    detail::count_bearer_dir(head, count, bearer, direction);
    // AES-NI when the CPU has it: no EVP re-key (OpenSSL 3 answers each with provider
    // parameter look-ups that cost more than the AES of a NAS message; docs/DESIGN.md).
    if (detail::nea2_aesni_available()) {
      detail::nea2_aesni_one(key.data(), head, in.data(), out.data(), n);
      break;
    }
    cipher_backend* b = detail::backend();
    if (b == nullptr) return fail(cipher_errc::backend_failure);
    ok = detail::nea2_openssl_one(*b, key.data(), head, in.data(), out.data(), n);
    break;
  }
  case nea_alg::nea3: {
    // Ref: TS 33.401 B.1.4: 128-EEA3 = ZUC keystream xor, IV from COUNT/BEARER/DIRECTION.
    cipher_backend* b = detail::backend();
    if (b == nullptr) return fail(cipher_errc::backend_failure);
    alignas(16) std::uint8_t iv[16];
    detail::f8_iv(iv, count, bearer, direction);
    IMB_ZUC_EEA3_1_BUFFER(b->mgr, key.data(), iv, in.data(), out.data(),
                          static_cast<std::uint32_t>(n));
    ok = imb_get_errno(b->mgr) == 0;
    break;
  }
  }
  if (!ok) return fail(cipher_errc::backend_failure);
  detail::clear_tail_bits(out.data(), length_bits);
  return {};
}

std::expected<bool, cipher_error>
nia_verify_and_nea(nia_alg ia, key_view k_int, nea_alg ea, key_view k_enc, std::uint32_t count,
                   std::uint8_t bearer, std::uint8_t direction, bytes_view msg,
                   std::size_t msg_bits, std::span<const std::uint8_t, 4> expected_mac,
                   bytes_view cipher_in, std::size_t cipher_bits, bytes_span cipher_out) noexcept {
  const std::size_t n = message_bytes(cipher_bits);
  const std::size_t m = message_bytes(msg_bits);
  // The interleaved path: both AES-based, AES-NI, a non-empty keystream written where the CMAC
  // does not read. Anything else, or invalid parameters (reported as the two calls report
  // them), takes the two calls in turn: the MAC first, so that it reads `msg` before any output
  // is written.
  const auto at_msg = reinterpret_cast<std::uintptr_t>(msg.data());
  const auto at_out = reinterpret_cast<std::uintptr_t>(cipher_out.data());
  const bool apart = at_out + n <= at_msg || at_msg + m <= at_out;
  if (ia == nia_alg::nia2 && ea == nea_alg::nea2 && n != 0 && apart &&
      detail::nea2_aesni_available() && msg.size() >= m &&
      detail::check_params(bearer, direction, msg_bits, false).has_value() &&
      validate(ea, bearer, direction, cipher_in, cipher_bits, cipher_out, 0).has_value()) {
    std::uint8_t head[8];
    detail::count_bearer_dir(head, count, bearer, direction);
    std::uint8_t tag[16];
    detail::cmac_and_nea2_aesni(k_int.data(), head, msg.data(), 64 + msg_bits, tag,
                                k_enc.data(), head, cipher_in.data(), cipher_out.data(), n);
    detail::clear_tail_bits(cipher_out.data(), cipher_bits);
    const bool ok = constant_time_equal(bytes_view(tag, 4), expected_mac);
    secure_zero(tag);
    return ok;
  }
  auto v = nia_verify(ia, k_int, count, bearer, direction, msg, msg_bits, expected_mac);
  if (!v) return v;
  if (auto e = nea(ea, k_enc, count, bearer, direction, cipher_in, cipher_bits, cipher_out); !e)
    return std::unexpected(e.error());
  return *v;
}

std::expected<void, cipher_error> nea_in_place(nea_alg alg, key_view key, std::uint32_t count,
                                               std::uint8_t bearer, std::uint8_t direction,
                                               bytes_span data, std::size_t length_bits) noexcept {
  return nea(alg, key, count, bearer, direction, data, length_bits, data);
}

namespace {

constexpr std::size_t batch_chunk = 64;

struct alignas(16) aes_keys {
  std::uint8_t enc[16 * 11];
};

void fill_cipher_job(IMB_JOB& job, const nea_request& r, IMB_CIPHER_MODE mode, const void* keys,
                     const std::uint8_t* iv) noexcept {
  job.cipher_mode = mode;
  job.cipher_direction = IMB_DIR_ENCRYPT;
  job.chain_order = IMB_ORDER_CIPHER_HASH;
  job.hash_alg = IMB_AUTH_NULL;
  job.enc_keys = keys;
  job.dec_keys = keys;
  job.key_len_in_bytes = 16;
  job.src = r.in.data();
  job.dst = r.out.data();
  job.cipher_start_src_offset_in_bytes = 0;
  if (mode == IMB_CIPHER_ZUC_EEA3)
    job.msg_len_to_cipher_in_bytes = message_bytes(r.length_bits);
  else
    job.msg_len_to_cipher_in_bits = r.length_bits;
  job.iv = iv;
  job.iv_len_in_bytes = 16;
  job.hash_start_src_offset_in_bytes = 0;
  job.msg_len_to_hash_in_bytes = 0;
  job.auth_tag_output = nullptr;
  job.auth_tag_output_len_in_bytes = 0;
  job.user_data = nullptr;
}

} // namespace

std::expected<void, cipher_error> nea_batch(nea_alg alg,
                                            std::span<const nea_request> requests) noexcept {
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    if (auto v = validate(alg, r.bearer, r.direction, r.in, r.length_bits, r.out, i); !v) return v;
  }
  if (alg == nea_alg::nea0) {
    for (const auto& r : requests) {
      const std::size_t n = message_bytes(r.length_bits);
      if (n == 0) continue;
      if (r.in.data() != r.out.data()) std::memmove(r.out.data(), r.in.data(), n);
      detail::clear_tail_bits(r.out.data(), r.length_bits);
    }
    return {};
  }
  if (alg == nea_alg::nea2 && detail::nea2_aesni_available()) {
    // Our multi-message AES-CTR (libipsec-mb 1.3 runs one job per message; docs/DESIGN.md).
    // It also beats one-shot calls for a single message, so no minimum batch size.
    detail::nea2_aesni_batch(requests, detail::nea2_vaes_available());
    for (const auto& r : requests)
      if (r.length_bits != 0) detail::clear_tail_bits(r.out.data(), r.length_bits);
    return {};
  }
  return detail::nea_batch_jobs(alg, requests);
}

std::expected<void, cipher_error>
detail::nea_batch_jobs(nea_alg alg, std::span<const nea_request> requests) noexcept {
  if (alg == nea_alg::nea0 || static_cast<std::uint8_t>(alg) > 3)
    return fail(cipher_errc::bad_algorithm);
  cipher_backend* b = detail::backend();
  if (b == nullptr) return fail(cipher_errc::backend_failure);

  alignas(16) std::uint8_t ivs[batch_chunk][16];
  for (std::size_t base = 0; base < requests.size(); base += batch_chunk) {
    const auto chunk = requests.subspan(base, std::min(batch_chunk, requests.size() - base));
    if (chunk.size() < detail::min_job_batch(alg == nea_alg::nea1)) {
      // Too few messages to fill the lanes: flushing a sparse manager costs more than
      // one-shot calls (the output is the same either way).
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        const auto& r = chunk[i];
        if (auto v = nea(alg, r.key, r.count, r.bearer, r.direction, r.in, r.length_bits, r.out);
            !v)
          return fail(v.error().code, base + i);
      }
      continue;
    }
    bool ok = true;
    switch (alg) {
    case nea_alg::nea0: break;
    case nea_alg::nea1: {
      // Ref: TS 33.401 B.1.2 (UEA2 lanes of the job API, bit lengths).
      snow3g_key_schedule_t ks[batch_chunk];
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        if (IMB_SNOW3G_INIT_KEY_SCHED(b->mgr, chunk[i].key.data(), &ks[i]) != 0) ok = false;
        detail::f8_iv(ivs[i], chunk[i].count, chunk[i].bearer, chunk[i].direction);
      }
      if (ok)
        ok = detail::run_jobs(b->mgr, chunk.size(), [&](IMB_JOB& job, std::size_t i) {
          if (chunk[i].length_bits == 0) return false;
          fill_cipher_job(job, chunk[i], IMB_CIPHER_SNOW3G_UEA2_BITLEN, &ks[i], ivs[i]);
          // libipsec-mb 1.3 writes one octet past the output when the bit length is not a
          // multiple of 8: cipher whole octets and clear the tail bits afterwards.
          job.msg_len_to_cipher_in_bits = 8 * message_bytes(chunk[i].length_bits);
          job.cipher_start_src_offset_in_bits = 0;
          return true;
        });
      secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(ks), sizeof ks));
      break;
    }
    case nea_alg::nea2: {
      // Ref: TS 33.401 B.1.3 (AES-CTR with bit lengths, CNTR_BITLEN).
      aes_keys keys[batch_chunk];
      alignas(16) std::uint8_t dec_unused[16 * 11];
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        IMB_AES_KEYEXP_128(b->mgr, chunk[i].key.data(), keys[i].enc, dec_unused);
        std::memset(ivs[i], 0, 16);
        detail::count_bearer_dir(ivs[i], chunk[i].count, chunk[i].bearer, chunk[i].direction);
      }
      ok = detail::run_jobs(b->mgr, chunk.size(), [&](IMB_JOB& job, std::size_t i) {
        if (chunk[i].length_bits == 0) return false;
        fill_cipher_job(job, chunk[i], IMB_CIPHER_CNTR_BITLEN, keys[i].enc, ivs[i]);
        job.cipher_start_src_offset_in_bits = 0;
        return true;
      });
      // Only the schedules of this set were written.
      secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(keys), chunk.size() * sizeof keys[0]));
      secure_zero(dec_unused);
      break;
    }
    case nea_alg::nea3: {
      // Ref: TS 33.401 B.1.4 (ZUC EEA3 lanes; byte lengths, tail bits cleared below).
      alignas(16) std::uint8_t keys[batch_chunk][16];
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        std::memcpy(keys[i], chunk[i].key.data(), 16);
        detail::f8_iv(ivs[i], chunk[i].count, chunk[i].bearer, chunk[i].direction);
      }
      ok = detail::run_jobs(b->mgr, chunk.size(), [&](IMB_JOB& job, std::size_t i) {
        if (chunk[i].length_bits == 0) return false;
        fill_cipher_job(job, chunk[i], IMB_CIPHER_ZUC_EEA3, keys[i], ivs[i]);
        return true;
      });
      secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(keys), sizeof keys));
      break;
    }
    }
    if (!ok) return fail(cipher_errc::backend_failure, base);
    for (const auto& r : chunk)
      if (r.length_bits != 0) detail::clear_tail_bits(r.out.data(), r.length_bits);
  }
  return {};
}

} // namespace sec5g::crypto
