// 128-NIA0/1/2/3 one-shot and batch. Ref: TS 33.501 Annex D.3, TS 33.401 Annex B.2.
#include "sec5g/crypto/nia.hpp"

#include <algorithm>
#include <cstring>

#include "crypto/aes_oneshot.hpp"
#include "crypto/cipher_backend.hpp"
#include "crypto/nea2_aesni.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/stream_primitives.hpp"

namespace sec5g::crypto {
namespace {

using detail::cipher_backend;

constexpr std::uint8_t zero_block[16] = {};

std::unexpected<cipher_error> fail(cipher_errc code, std::size_t index = 0) noexcept {
  return std::unexpected(cipher_error{code, index});
}

std::expected<void, cipher_error> validate(nia_alg alg, std::uint8_t bearer, std::uint8_t direction,
                                           bytes_view msg, std::size_t length_bits,
                                           std::size_t index) noexcept {
  if (static_cast<std::uint8_t>(alg) > 3) return fail(cipher_errc::bad_algorithm, index);
  if (auto r = detail::check_params(bearer, direction, length_bits, alg == nia_alg::nia3, index);
      !r)
    return r;
  if (msg.size() < message_bytes(length_bits)) return fail(cipher_errc::input_too_short, index);
  // libipsec-mb's f9 and EIA3 reject empty messages; NAS/RRC messages are never empty.
  if (length_bits == 0 && (alg == nia_alg::nia1 || alg == nia_alg::nia3))
    return fail(cipher_errc::empty_message, index);
  return {};
}

// CMAC subkey doubling in GF(2^128). Ref: NIST SP 800-38B 6.1 (used by TS 33.401 B.2.3).
void cmac_double(const std::uint8_t* in, std::uint8_t* out) noexcept {
  const std::uint8_t msb = in[0] >> 7;
  for (int i = 0; i < 15; ++i)
    out[i] = static_cast<std::uint8_t>((in[i] << 1) | (in[i + 1] >> 7));
  out[15] = static_cast<std::uint8_t>((in[15] << 1) ^ (msb != 0 ? 0x87 : 0x00));
}

// AES-CMAC over prefix(8 octets)||msg, `total_bits` bits long (>= 64, any length, not only
// multiples of 8), on OpenSSL's AES-128-CBC (zero IV, no padding): OpenSSL's CMAC works on
// octets only, so the subkeys and the last block (complete: xor K1; partial: bit-level 10*
// padding, xor K2) are done here. One EVP context serves every length, which also makes this
// ~3x cheaper per message than an EVP_MAC CMAC re-keyed for each message (docs/performance).
// Ref: TS 33.401 B.2.3, NIST SP 800-38B 6.1-6.2.
} // namespace

bool detail::cmac_openssl_bits(cipher_backend& b, const std::uint8_t* key,
                               const std::uint8_t* prefix, const std::uint8_t* msg,
                               std::size_t total_bits, std::uint8_t* tag16) noexcept {
  EVP_CIPHER_CTX* ctx = b.cbc_ctx;
  std::uint8_t l[16];
  std::uint8_t k1[16];
  std::uint8_t k2[16];
  std::uint8_t buf[256];
  int outl = 0;
  // L = E_K(0^128) through CBC from the zero IV the context was created with (OpenSSL resets a
  // CBC chain to the original IV on a re-key with iv = NULL, and passing an IV costs a provider
  // parameter query). The chaining value is then L, which the first message block below is
  // pre-xored with, saving an IV reset: E(M1 ^ L ^ L) = E(M1).
  bool ok = EVP_EncryptInit_ex2(ctx, nullptr, key, nullptr, nullptr) == 1 &&
            EVP_EncryptUpdate(ctx, l, &outl, zero_block, 16) == 1;
  if (ok) {
    cmac_double(l, k1);
    cmac_double(k1, k2);
    // Copies octets [from, from + n) of prefix||msg into dst.
    auto copy = [&](std::uint8_t* dst, std::size_t from, std::size_t n) {
      while (n > 0) {
        if (from < 8) {
          *dst++ = prefix[from++];
          --n;
        } else {
          std::memcpy(dst, msg + (from - 8), n);
          n = 0;
        }
      }
    };
    const std::size_t blocks = (total_bits + 127) / 128; // >= 1 since total_bits >= 64
    const std::size_t full_bytes = (blocks - 1) * 16;
    std::size_t pos = 0;
    while (ok && pos < full_bytes) {
      const std::size_t n = std::min(sizeof buf, full_bytes - pos);
      copy(buf, pos, n);
      if (pos == 0)
        for (int i = 0; i < 16; ++i)
          buf[i] ^= l[i];
      ok = EVP_EncryptUpdate(ctx, buf, &outl, buf, static_cast<int>(n)) == 1;
      pos += n;
    }
    const std::size_t rem_bits = total_bits - full_bytes * 8; // 1..128
    std::uint8_t last[16] = {};
    copy(last, pos, (rem_bits + 7) / 8);
    if (rem_bits == 128) {
      for (int i = 0; i < 16; ++i)
        last[i] ^= k1[i];
    } else {
      const std::size_t at = rem_bits / 8;
      const unsigned shift = static_cast<unsigned>(rem_bits % 8);
      last[at] = static_cast<std::uint8_t>((last[at] & (0xff00u >> shift)) | (0x80u >> shift));
      for (int i = 0; i < 16; ++i)
        last[i] ^= k2[i];
    }
    if (full_bytes == 0)
      for (int i = 0; i < 16; ++i)
        last[i] ^= l[i];
    ok = ok && EVP_EncryptUpdate(ctx, tag16, &outl, last, 16) == 1;
    secure_zero(last);
  }
  // Replace the key schedule left in the reused context by the all-zero key's.
  if (EVP_EncryptInit_ex2(ctx, nullptr, zero_block, nullptr, nullptr) != 1) ok = false;
  secure_zero(l);
  secure_zero(k1);
  secure_zero(k2);
  secure_zero(buf);
  return ok;
}

namespace {

// 128-NIA2: AES-CMAC over COUNT||BEARER||DIRECTION||0^26||MESSAGE, MAC = first 32 bits.
// Ref: TS 33.401 B.2.3.
// AES-NI when the CPU has it: no EVP re-keys (OpenSSL 3 answers each with provider parameter
// look-ups that cost more than the CMAC of a NAS message; docs/DESIGN.md).
bool nia2_one(key_view key, std::uint32_t count, std::uint8_t bearer, std::uint8_t direction,
              bytes_view msg, std::size_t length_bits, std::uint8_t* mac) noexcept {
  std::uint8_t prefix[8];
  detail::count_bearer_dir(prefix, count, bearer, direction);
  std::uint8_t tag[16];
  bool ok = true;
  if (detail::nea2_aesni_available()) {
    detail::cmac_aesni_bits(key.data(), prefix, msg.data(), 64 + length_bits, tag);
  } else {
    cipher_backend* b = detail::backend();
    ok = b != nullptr &&
         detail::cmac_openssl_bits(*b, key.data(), prefix, msg.data(), 64 + length_bits, tag);
  }
  std::memcpy(mac, tag, 4);
  secure_zero(tag);
  return ok;
}

// Ref: TS 35.215 clause 4 (f9), key schedule wiped after use.
bool snow3g_f9(cipher_backend& b, const std::uint8_t* key, const std::uint8_t* iv,
               const std::uint8_t* msg, std::size_t length_bits, std::uint8_t* mac) noexcept {
  snow3g_key_schedule_t ks;
  if (IMB_SNOW3G_INIT_KEY_SCHED(b.mgr, key, &ks) != 0) return false;
  IMB_SNOW3G_F9_1_BUFFER(b.mgr, &ks, iv, msg, length_bits, mac);
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&ks), sizeof ks));
  return imb_get_errno(b.mgr) == 0;
}

} // namespace

std::expected<mac32, cipher_error> nia(nia_alg alg, key_view key, std::uint32_t count,
                                       std::uint8_t bearer, std::uint8_t direction, bytes_view msg,
                                       std::size_t length_bits) noexcept {
  if (auto r = validate(alg, bearer, direction, msg, length_bits, 0); !r)
    return std::unexpected(r.error());
  mac32 mac{};
  if (alg == nia_alg::nia0) return mac; // Ref: TS 33.501 D.1: NIA0 MAC = 32 zero bits.
  if (alg == nia_alg::nia2) {
    if (!nia2_one(key, count, bearer, direction, msg, length_bits, mac.data()))
      return fail(cipher_errc::backend_failure);
    return mac;
  }
  cipher_backend* b = detail::backend();
  if (b == nullptr) return fail(cipher_errc::backend_failure);
  bool ok = false;
  switch (alg) {
  case nia_alg::nia0: break;
  case nia_alg::nia1: {
    // Ref: TS 33.401 B.2.2: 128-EIA1 = UIA2 with FRESH = BEARER||0^27.
    alignas(16) std::uint8_t iv[16];
    detail::f9_iv(iv, count, static_cast<std::uint32_t>(bearer) << 27, direction);
    ok = snow3g_f9(*b, key.data(), iv, msg.data(), length_bits, mac.data());
    break;
  }
  case nia_alg::nia2: break; // above
  case nia_alg::nia3: {
    // Ref: TS 33.401 B.2.4: 128-EIA3 over ZUC.
    alignas(16) std::uint8_t iv[16];
    detail::eia3_iv(iv, count, bearer, direction);
    std::uint32_t tag = 0;
    IMB_ZUC_EIA3_1_BUFFER(b->mgr, key.data(), iv, msg.data(),
                          static_cast<std::uint32_t>(length_bits), &tag);
    std::memcpy(mac.data(), &tag, 4);
    ok = imb_get_errno(b->mgr) == 0;
    break;
  }
  }
  if (!ok) return fail(cipher_errc::backend_failure);
  return mac;
}

std::expected<bool, cipher_error>
nia_verify(nia_alg alg, key_view key, std::uint32_t count, std::uint8_t bearer,
           std::uint8_t direction, bytes_view msg, std::size_t length_bits,
           std::span<const std::uint8_t, 4> expected_mac) noexcept {
  auto mac = nia(alg, key, count, bearer, direction, msg, length_bits);
  if (!mac) return std::unexpected(mac.error());
  return constant_time_equal(*mac, expected_mac);
}

std::expected<byte_array<4>, cipher_error> uia2(key_view key, std::uint32_t count,
                                                std::uint32_t fresh, std::uint8_t direction,
                                                bytes_view msg, std::size_t length_bits) noexcept {
  if (direction > 1) return fail(cipher_errc::bad_direction);
  if (length_bits > max_message_bits) return fail(cipher_errc::too_long);
  if (length_bits == 0) return fail(cipher_errc::empty_message);
  if (msg.size() < message_bytes(length_bits)) return fail(cipher_errc::input_too_short);
  cipher_backend* b = detail::backend();
  if (b == nullptr) return fail(cipher_errc::backend_failure);
  alignas(16) std::uint8_t iv[16];
  detail::f9_iv(iv, count, fresh, direction);
  byte_array<4> mac{};
  if (!snow3g_f9(*b, key.data(), iv, msg.data(), length_bits, mac.data()))
    return fail(cipher_errc::backend_failure);
  return mac;
}

namespace {

constexpr std::size_t batch_chunk = 64;
// Longest input (bits) libipsec-mb 1.3 accepts in an IMB_AUTH_AES_CMAC_BITLEN job (measured).
constexpr std::size_t cmac_job_max_bits = 65534;

struct alignas(16) cmac_keys {
  std::uint8_t enc[16 * 11];
  std::uint8_t k1[16];
  std::uint8_t k2[16];
};

void fill_hash_job(IMB_JOB& job, IMB_HASH_ALG alg, const std::uint8_t* src, std::size_t length_bits,
                   std::uint8_t* tag) noexcept {
  job.cipher_mode = IMB_CIPHER_NULL;
  job.cipher_direction = IMB_DIR_ENCRYPT;
  job.chain_order = IMB_ORDER_HASH_CIPHER;
  job.hash_alg = alg;
  job.enc_keys = nullptr;
  job.dec_keys = nullptr;
  job.key_len_in_bytes = 16;
  job.src = src;
  job.dst = nullptr;
  job.cipher_start_src_offset_in_bytes = 0;
  job.msg_len_to_cipher_in_bytes = 0;
  job.iv = nullptr;
  job.iv_len_in_bytes = 0;
  job.hash_start_src_offset_in_bytes = 0;
  job.msg_len_to_hash_in_bits = length_bits;
  job.auth_tag_output = tag;
  job.auth_tag_output_len_in_bytes = 4;
  job.user_data = nullptr;
}

} // namespace

std::expected<void, cipher_error> nia_batch(nia_alg alg, std::span<const nia_request> requests,
                                            std::span<mac32> macs) noexcept {
  if (macs.size() != requests.size()) return fail(cipher_errc::size_mismatch);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    if (auto v = validate(alg, r.bearer, r.direction, r.msg, r.length_bits, i); !v) return v;
  }
  if (alg == nia_alg::nia0) {
    for (auto& m : macs)
      m = mac32{};
    return {};
  }
  cipher_backend* b = detail::backend();
  if (b == nullptr) return fail(cipher_errc::backend_failure);

  alignas(16) std::uint8_t ivs[batch_chunk][16];
  for (std::size_t base = 0; base < requests.size(); base += batch_chunk) {
    const std::size_t count = std::min(batch_chunk, requests.size() - base);
    const auto chunk = requests.subspan(base, count);
    const auto out = macs.subspan(base, count);
    if (count < detail::min_job_batch(false)) {
      // Too few messages to fill the lanes: one-shot calls are cheaper (same output).
      for (std::size_t i = 0; i < count; ++i) {
        const auto& r = chunk[i];
        auto m = nia(alg, r.key, r.count, r.bearer, r.direction, r.msg, r.length_bits);
        if (!m) return fail(m.error().code, base + i);
        out[i] = *m;
      }
      continue;
    }
    bool ok = true;
    switch (alg) {
    case nia_alg::nia0: break;
    case nia_alg::nia1: {
      // Ref: TS 33.401 B.2.2 (UIA2 lanes of the job API, FRESH = BEARER||0^27).
      snow3g_key_schedule_t ks[batch_chunk];
      for (std::size_t i = 0; i < count; ++i) {
        if (IMB_SNOW3G_INIT_KEY_SCHED(b->mgr, chunk[i].key.data(), &ks[i]) != 0) ok = false;
        detail::f9_iv(ivs[i], chunk[i].count, static_cast<std::uint32_t>(chunk[i].bearer) << 27,
                      chunk[i].direction);
      }
      if (ok)
        ok = detail::run_jobs(b->mgr, count, [&](IMB_JOB& job, std::size_t i) {
          fill_hash_job(job, IMB_AUTH_SNOW3G_UIA2_BITLEN, chunk[i].msg.data(), chunk[i].length_bits,
                        out[i].data());
          job.u.SNOW3G_UIA2._key = &ks[i];
          job.u.SNOW3G_UIA2._iv = ivs[i];
          return true;
        });
      secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(ks), sizeof ks));
      break;
    }
    case nia_alg::nia2: {
      // Ref: TS 33.401 B.2.3 (AES-CMAC lanes with bit lengths over prefix||message).
      // Longer messages than libipsec-mb 1.3's CMAC-BITLEN job takes (65534 bits with the
      // 64-bit prefix) go through the one-shot path after the jobs.
      auto in_job = [](const nia_request& r) { return 64 + r.length_bits <= cmac_job_max_bits; };
      std::size_t total = 0;
      for (const auto& r : chunk)
        if (in_job(r)) total += 8 + message_bytes(r.length_bits);
      try {
        if (b->scratch.size() < total) b->scratch.resize(total);
      } catch (...) {
        return fail(cipher_errc::backend_failure, base);
      }
      cmac_keys keys[batch_chunk];
      alignas(16) std::uint8_t dec_unused[16 * 11];
      std::uint8_t* srcs[batch_chunk];
      std::uint8_t* p = b->scratch.data();
      for (std::size_t i = 0; i < count; ++i) {
        if (!in_job(chunk[i])) continue;
        IMB_AES_KEYEXP_128(b->mgr, chunk[i].key.data(), keys[i].enc, dec_unused);
        IMB_AES_CMAC_SUBKEY_GEN_128(b->mgr, keys[i].enc, keys[i].k1, keys[i].k2);
        srcs[i] = p;
        detail::count_bearer_dir(p, chunk[i].count, chunk[i].bearer, chunk[i].direction);
        const std::size_t n = message_bytes(chunk[i].length_bits);
        if (n != 0) std::memcpy(p + 8, chunk[i].msg.data(), n);
        p += 8 + n;
      }
      ok = detail::run_jobs(b->mgr, count, [&](IMB_JOB& job, std::size_t i) {
        if (!in_job(chunk[i])) return false;
        fill_hash_job(job, IMB_AUTH_AES_CMAC_BITLEN, srcs[i], 64 + chunk[i].length_bits,
                      out[i].data());
        job.u.CMAC._key_expanded = keys[i].enc;
        job.u.CMAC._skey1 = keys[i].k1;
        job.u.CMAC._skey2 = keys[i].k2;
        return true;
      });
      secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(keys), sizeof keys));
      secure_zero(dec_unused);
      for (std::size_t i = 0; ok && i < count; ++i) {
        if (in_job(chunk[i])) continue;
        const auto& r = chunk[i];
        auto m = nia(alg, r.key, r.count, r.bearer, r.direction, r.msg, r.length_bits);
        if (!m) return fail(m.error().code, base + i);
        out[i] = *m;
      }
      break;
    }
    case nia_alg::nia3: {
      // Ref: TS 33.401 B.2.4 (ZUC EIA3 lanes, bit lengths).
      alignas(16) std::uint8_t keys[batch_chunk][16];
      for (std::size_t i = 0; i < count; ++i) {
        std::memcpy(keys[i], chunk[i].key.data(), 16);
        detail::eia3_iv(ivs[i], chunk[i].count, chunk[i].bearer, chunk[i].direction);
      }
      ok = detail::run_jobs(b->mgr, count, [&](IMB_JOB& job, std::size_t i) {
        fill_hash_job(job, IMB_AUTH_ZUC_EIA3_BITLEN, chunk[i].msg.data(), chunk[i].length_bits,
                      out[i].data());
        job.u.ZUC_EIA3._key = keys[i];
        job.u.ZUC_EIA3._iv = ivs[i];
        job.u.ZUC_EIA3._iv23 = nullptr;
        return true;
      });
      secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(keys), sizeof keys));
      break;
    }
    }
    if (!ok) return fail(cipher_errc::backend_failure, base);
  }
  return {};
}

} // namespace sec5g::crypto
