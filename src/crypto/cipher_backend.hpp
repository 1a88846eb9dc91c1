#pragma once
// Per-thread handles on the two cipher back ends: one libipsec-mb manager (SNOW 3G, ZUC and the
// multi-buffer job API) and the OpenSSL 3 EVP contexts for AES-CTR and AES-CBC (CMAC).
// Created on first use in a thread, freed at thread exit; never created per call.

#include <intel-ipsec-mb.h>
#include <openssl/evp.h>

#include <cstdint>
#include <expected>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/crypto/algorithms.hpp"

namespace sec5g::crypto::detail {

struct cipher_backend {
  IMB_MGR* mgr = nullptr;
  EVP_CIPHER* aes_ctr = nullptr;     // fetched once: AES-128-CTR
  EVP_CIPHER* aes_cbc = nullptr;     // fetched once: AES-128-CBC (CMAC)
  EVP_CIPHER_CTX* ctr_ctx = nullptr; // reused for every NEA2 call
  EVP_CIPHER_CTX* cbc_ctx = nullptr; // reused for every NIA2 call (CMAC on AES-CBC)
  byte_buffer scratch;               // batch NIA2: COUNT||BEARER||DIR prefix + message
  bool ok = false;

  cipher_backend() noexcept;
  ~cipher_backend();
  cipher_backend(const cipher_backend&) = delete;
  cipher_backend& operator=(const cipher_backend&) = delete;
};

/// This thread's back end, or nullptr when it could not be created.
cipher_backend* backend() noexcept;

/// COUNT||BEARER||DIRECTION||0^26 as 8 octets (NEA2 counter-block head, NIA2 message prefix,
/// NEA1/NEA3 IV halves). Ref: TS 33.401 B.1.3, B.2.3.
inline void count_bearer_dir(std::uint8_t* out, std::uint32_t count, std::uint8_t bearer,
                             std::uint8_t direction) noexcept {
  store_be32(out, count);
  out[4] = static_cast<std::uint8_t>((bearer << 3) | (direction << 2));
  out[5] = 0;
  out[6] = 0;
  out[7] = 0;
}

/// IV of UEA2 / 128-EEA1 / 128-EEA3 in the octet order libipsec-mb takes:
/// COUNT || BEARER||DIR||0 || COUNT || BEARER||DIR||0. Ref: TS 33.401 B.1.2, B.1.4 (EEA3 IV).
inline void f8_iv(std::uint8_t* iv, std::uint32_t count, std::uint8_t bearer,
                  std::uint8_t direction) noexcept {
  count_bearer_dir(iv, count, bearer, direction);
  count_bearer_dir(iv + 8, count, bearer, direction);
}

/// IV of UIA2 (f9): COUNT, FRESH, COUNT xor DIR<<31, FRESH xor DIR<<15 (big-endian words).
/// Ref: TS 35.215 4.3, TS 33.401 B.2.2.
inline void f9_iv(std::uint8_t* iv, std::uint32_t count, std::uint32_t fresh,
                  std::uint8_t direction) noexcept {
  store_be32(iv, count);
  store_be32(iv + 4, fresh);
  store_be32(iv + 8, count ^ (std::uint32_t{direction} << 31));
  store_be32(iv + 12, fresh ^ (std::uint32_t{direction} << 15));
}

/// IV of 128-EIA3 (revised, EEA3&EIA3 Doc 1 v1.7 / TS 33.401 B.2.4): IV0..3 = COUNT,
/// IV4 = BEARER<<3, IV8 = IV0 xor DIR<<7, IV14 = IV6 xor DIR<<7, IV9..13 = IV1..5, IV15 = IV7.
inline void eia3_iv(std::uint8_t* iv, std::uint32_t count, std::uint8_t bearer,
                    std::uint8_t direction) noexcept {
  store_be32(iv, count);
  iv[4] = static_cast<std::uint8_t>(bearer << 3);
  iv[5] = iv[6] = iv[7] = 0;
  iv[8] = static_cast<std::uint8_t>(iv[0] ^ (direction << 7));
  for (int i = 9; i <= 13; ++i)
    iv[i] = iv[i - 8];
  iv[14] = static_cast<std::uint8_t>(iv[6] ^ (direction << 7));
  iv[15] = iv[7];
}

/// Zeroes the bits after `length_bits` in the last octet of out[0, ceil(length_bits/8)).
inline void clear_tail_bits(std::uint8_t* out, std::size_t length_bits) noexcept {
  const unsigned rem = static_cast<unsigned>(length_bits % 8);
  if (rem != 0) out[length_bits / 8] &= static_cast<std::uint8_t>(0xffu << (8 - rem));
}

/// Validates the COUNT/BEARER/DIRECTION/length part shared by every entry point.
inline std::expected<void, cipher_error> check_params(std::uint8_t bearer, std::uint8_t direction,
                                                      std::size_t length_bits, bool zuc,
                                                      std::size_t index = 0) noexcept {
  if (bearer > 31) return std::unexpected(cipher_error{cipher_errc::bad_bearer, index});
  if (direction > 1) return std::unexpected(cipher_error{cipher_errc::bad_direction, index});
  if (length_bits > (zuc ? max_zuc_message_bits : max_message_bits))
    return std::unexpected(cipher_error{cipher_errc::too_long, index});
  return {};
}

// Submits the jobs that `fill(job, i)` prepares (it returns false to skip i), then flushes.
// True when every submitted job completed.
template <class Fill> bool run_jobs(IMB_MGR* mgr, std::size_t n, Fill&& fill) noexcept {
  std::size_t submitted = 0;
  std::size_t completed = 0;
  bool ok = true;
  auto drain = [&](IMB_JOB* job) {
    while (job != nullptr) {
      ++completed;
      if (job->status != IMB_STATUS_COMPLETED) ok = false;
      job = IMB_GET_COMPLETED_JOB(mgr);
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    IMB_JOB* job = IMB_GET_NEXT_JOB(mgr);
    if (!fill(*job, i)) continue;
    ++submitted;
    drain(IMB_SUBMIT_JOB(mgr));
  }
  while (IMB_JOB* job = IMB_FLUSH_JOB(mgr))
    drain(job);
  return ok && completed == submitted;
}

/// Fewest messages for which a batch goes through the job API: libipsec-mb's flush of a
/// sparsely filled manager is slower than one-shot calls (measured: SNOW 3G UEA2 with 1-8 jobs
/// costs several times the 1_BUFFER call; UIA2, ZUC and AES break even near 2-4 jobs).
constexpr std::size_t min_job_batch(bool uea2) noexcept {
  return uea2 ? 16 : 4;
}

/// Raw UEA2 with the f8 IV already built (shared by NEA1, UEA2 and the SNOW 3G keystream).
bool snow3g_f8(cipher_backend& b, const std::uint8_t* key, const std::uint8_t* iv,
               const std::uint8_t* in, std::uint8_t* out, std::size_t len_bytes) noexcept;

} // namespace sec5g::crypto::detail
