// Properties of NEA/NIA on random inputs: decipher(cipher(x)) = x for every length, batch =
// one-shot (for NEA2/NIA2 this compares OpenSSL with libipsec-mb, two independent
// implementations), tail bits zero, and the error contract.
#include <algorithm>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "support/random_source.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"

namespace sec5g::crypto {
namespace {

constexpr nea_alg all_nea[] = {nea_alg::nea0, nea_alg::nea1, nea_alg::nea2, nea_alg::nea3};
constexpr nia_alg all_nia[] = {nia_alg::nia0, nia_alg::nia1, nia_alg::nia2, nia_alg::nia3};

struct random_source : test::random_source {
  random_source() : test::random_source(20261129) {}
};

// Lengths 1..6000: every one for `every_length`, else a sample with all residues mod 8 and
// the block edges.
std::vector<std::size_t> lengths(bool every_length) {
  std::vector<std::size_t> out;
  for (std::size_t n = 1; n <= 6000; ++n)
    if (every_length || n < 300 || n % 37 == 0 || n % 128 < 2 || n % 128 > 126) out.push_back(n);
  return out;
}

void round_trip(nea_alg alg, bool every_length) {
  random_source r;
  for (std::size_t bits : lengths(every_length)) {
    const auto key = r.key();
    const auto count = r.u32();
    const auto bearer = static_cast<std::uint8_t>(r.below(32));
    const auto dir = static_cast<std::uint8_t>(r.below(2));
    const auto plain = r.bytes(message_bytes(bits));
    byte_buffer c(plain.size());
    byte_buffer back(plain.size());
    ASSERT_TRUE(nea(alg, key, count, bearer, dir, plain, bits, c).has_value()) << bits;
    ASSERT_TRUE(nea(alg, key, count, bearer, dir, c, bits, back).has_value()) << bits;
    auto masked = plain;
    if (bits % 8 != 0) masked.back() &= static_cast<std::uint8_t>(0xff << (8 - bits % 8));
    ASSERT_EQ(back, masked) << "length " << bits;
    if (bits % 8 != 0) {
      ASSERT_EQ(c.back() & (0xff >> (bits % 8)), 0) << "tail bits not zero at " << bits;
    }
    if (alg != nea_alg::nea0 && bits >= 64) {
      ASSERT_NE(c, masked) << bits;
    }
  }
}

TEST(NeaProperty, Nea1DecipherCipherIsIdentityForEveryLength1To6000) {
  round_trip(nea_alg::nea1, true);
}
TEST(NeaProperty, Nea2DecipherCipherIsIdentityForEveryLength1To6000) {
  round_trip(nea_alg::nea2, true);
}
TEST(NeaProperty, Nea3DecipherCipherIsIdentityForEveryLength1To6000) {
  round_trip(nea_alg::nea3, true);
}
TEST(NeaProperty, Nea0IsIdentityWithTailBitsCleared) {
  round_trip(nea_alg::nea0, false);
}

TEST(NeaProperty, InPlaceEqualsOneShot) {
  random_source r;
  for (auto alg : all_nea) {
    for (std::size_t bits : {1u, 7u, 8u, 9u, 127u, 128u, 129u, 1000u, 4093u}) {
      const auto key = r.key();
      const auto plain = r.bytes(message_bytes(bits));
      byte_buffer out(plain.size());
      ASSERT_TRUE(nea(alg, key, 7, 3, 1, plain, bits, out).has_value());
      auto data = plain;
      ASSERT_TRUE(nea_in_place(alg, key, 7, 3, 1, data, bits).has_value());
      EXPECT_EQ(data, out) << static_cast<int>(alg) << " " << bits;
    }
  }
}

TEST(NeaProperty, BatchEqualsOneShotWithMixedKeysAndLengths) {
  random_source r;
  for (auto alg : all_nea) {
    SCOPED_TRACE(static_cast<int>(alg));
    constexpr std::size_t n = 150; // spans more than two internal chunks of 64
    std::vector<byte_array<16>> keys(n);
    std::vector<byte_buffer> in(n), expect(n), out(n);
    std::vector<nea_request> reqs;
    for (std::size_t i = 0; i < n; ++i) {
      keys[i] = r.key();
      const std::size_t bits = i == 0 ? 0 : 1 + r.below(3000);
      in[i] = r.bytes(message_bytes(bits));
      expect[i].resize(in[i].size());
      out[i].assign(in[i].size(), 0xa5); // garbage that the tail clearing must remove
      const auto count = r.u32();
      const auto bearer = static_cast<std::uint8_t>(r.below(32));
      const auto dir = static_cast<std::uint8_t>(r.below(2));
      ASSERT_TRUE(nea(alg, keys[i], count, bearer, dir, in[i], bits, expect[i]).has_value());
      reqs.push_back({keys[i], count, bearer, dir, in[i], bits, out[i]});
    }
    ASSERT_TRUE(nea_batch(alg, reqs).has_value());
    for (std::size_t i = 0; i < n; ++i)
      EXPECT_EQ(out[i], expect[i]) << "message " << i;
  }
}

TEST(NeaProperty, BatchInPlaceEqualsOneShot) {
  random_source r;
  for (auto alg : all_nea) {
    const auto key = r.key();
    std::vector<byte_buffer> data(20), expect(20);
    std::vector<nea_request> reqs;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const std::size_t bits = 1 + r.below(500);
      data[i] = r.bytes(message_bytes(bits));
      expect[i].resize(data[i].size());
      ASSERT_TRUE(nea(alg, key, static_cast<std::uint32_t>(i), 1, 0, data[i], bits, expect[i]));
      reqs.push_back({key, static_cast<std::uint32_t>(i), 1, 0, data[i], bits, data[i]});
    }
    ASSERT_TRUE(nea_batch(alg, reqs).has_value());
    for (std::size_t i = 0; i < data.size(); ++i)
      EXPECT_EQ(data[i], expect[i]);
  }
}

TEST(NeaProperty, NothingIsWrittenPastTheLastOctet) {
  // Regression: libipsec-mb 1.3's SNOW 3G UEA2 bit-length job wrote one octet too many.
  random_source r;
  for (auto alg : all_nea) {
    for (std::size_t bits = 1; bits <= 300; ++bits) {
      const std::size_t n = message_bytes(bits);
      const auto key = r.key();
      const auto in = r.bytes(n);
      byte_buffer a(n + 32, 0xcc), b(n + 32, 0xcc);
      ASSERT_TRUE(nea(alg, key, 1, 2, 1, in, bits, bytes_span(a).first(n)));
      const nea_request req[] = {{key, 1, 2, 1, in, bits, bytes_span(b).first(n)}};
      ASSERT_TRUE(nea_batch(alg, req));
      for (std::size_t i = n; i < n + 32; ++i) {
        ASSERT_EQ(a[i], 0xcc) << static_cast<int>(alg) << " one-shot, bits " << bits;
        ASSERT_EQ(b[i], 0xcc) << static_cast<int>(alg) << " batch, bits " << bits;
      }
    }
  }
}

TEST(NiaProperty, BatchEqualsOneShotForLengths1To2100) {
  // For NIA2 the one-shot path is OpenSSL CMAC (octet lengths) or our bit-level CMAC on
  // AES-CBC, and the batch path is libipsec-mb's AES-CMAC-BITLEN: independent code.
  random_source r;
  for (auto alg : all_nia) {
    SCOPED_TRACE(static_cast<int>(alg));
    std::vector<byte_array<16>> keys;
    std::vector<byte_buffer> msgs;
    std::vector<nia_request> reqs;
    std::vector<mac32> expect;
    const std::size_t max_bits = alg == nia_alg::nia2 ? 2100 : 700;
    keys.reserve(max_bits);
    msgs.reserve(max_bits);
    for (std::size_t bits = 1; bits <= max_bits; ++bits) {
      keys.push_back(r.key());
      msgs.push_back(r.bytes(message_bytes(bits)));
      const auto count = r.u32();
      const auto bearer = static_cast<std::uint8_t>(r.below(32));
      const auto dir = static_cast<std::uint8_t>(r.below(2));
      const auto mac = nia(alg, keys.back(), count, bearer, dir, msgs.back(), bits);
      ASSERT_TRUE(mac.has_value());
      expect.push_back(*mac);
      reqs.push_back({keys.back(), count, bearer, dir, msgs.back(), bits});
    }
    std::vector<mac32> got(reqs.size());
    ASSERT_TRUE(nia_batch(alg, reqs, got).has_value());
    for (std::size_t i = 0; i < got.size(); ++i)
      ASSERT_EQ(got[i], expect[i]) << "bits " << i + 1;
  }
}

// OpenSSL's own CMAC (EVP_MAC) as an oracle for 128-NIA2 at octet lengths.
mac32 openssl_cmac_nia2(const byte_array<16>& key, std::uint32_t count, std::uint8_t bearer,
                        std::uint8_t dir, bytes_view msg) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char cipher[] = "AES-128-CBC";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                               OSSL_PARAM_construct_end()};
  std::uint8_t prefix[8] = {};
  store_be32(prefix, count);
  prefix[4] = static_cast<std::uint8_t>((bearer << 3) | (dir << 2));
  std::uint8_t tag[16] = {};
  std::size_t outl = 0;
  EXPECT_EQ(EVP_MAC_init(ctx, key.data(), 16, params), 1);
  EVP_MAC_update(ctx, prefix, 8);
  if (!msg.empty()) EVP_MAC_update(ctx, msg.data(), msg.size());
  EVP_MAC_final(ctx, tag, &outl, sizeof tag);
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return {tag[0], tag[1], tag[2], tag[3]};
}

TEST(NiaProperty, Nia2EqualsOpensslCmacAtOctetLengths0To300) {
  random_source r;
  for (std::size_t n = 0; n <= 300; ++n) {
    const auto key = r.key();
    const auto msg = r.bytes(n);
    const auto count = r.u32();
    const auto bearer = static_cast<std::uint8_t>(r.below(32));
    const auto dir = static_cast<std::uint8_t>(r.below(2));
    ASSERT_EQ(nia(nia_alg::nia2, key, count, bearer, dir, msg, 8 * n).value(),
              openssl_cmac_nia2(key, count, bearer, dir, msg))
        << n << " octets";
  }
}

TEST(NiaProperty, MacIgnoresBitsAfterLength) {
  random_source r;
  for (auto alg : all_nia) {
    const auto key = r.key();
    auto msg = r.bytes(40);
    const auto a = nia(alg, key, 1, 2, 1, msg, 315);
    msg.back() ^= 0x1f; // bits 315..319 are outside the message
    const auto b = nia(alg, key, 1, 2, 1, msg, 315);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
  }
}

TEST(NiaProperty, EveryInputChangesTheMac) {
  random_source r;
  for (auto alg : {nia_alg::nia1, nia_alg::nia2, nia_alg::nia3}) {
    const auto key = r.key();
    const auto msg = r.bytes(33);
    const auto base = nia(alg, key, 5, 4, 0, msg, 260).value();
    auto k2 = key;
    k2[15] ^= 1;
    EXPECT_NE(nia(alg, k2, 5, 4, 0, msg, 260).value(), base);
    EXPECT_NE(nia(alg, key, 6, 4, 0, msg, 260).value(), base);
    EXPECT_NE(nia(alg, key, 5, 5, 0, msg, 260).value(), base);
    EXPECT_NE(nia(alg, key, 5, 4, 1, msg, 260).value(), base);
    EXPECT_NE(nia(alg, key, 5, 4, 0, msg, 259).value(), base);
    auto m2 = msg;
    m2[32] ^= 0x10; // bit 259, the last one of the message
    EXPECT_NE(nia(alg, key, 5, 4, 0, m2, 260).value(), base);
    EXPECT_TRUE(nia_verify(alg, key, 5, 4, 0, msg, 260, base).value());
    auto bad = base;
    bad[3] ^= 1;
    EXPECT_FALSE(nia_verify(alg, key, 5, 4, 0, msg, 260, bad).value());
  }
}

TEST(NeaProperty, EveryInputChangesTheKeystream) {
  random_source r;
  for (auto alg : {nea_alg::nea1, nea_alg::nea2, nea_alg::nea3}) {
    const auto key = r.key();
    const byte_buffer zeros(32);
    byte_buffer base(32), other(32);
    ASSERT_TRUE(nea(alg, key, 9, 1, 0, zeros, 256, base));
    ASSERT_TRUE(nea(alg, key, 10, 1, 0, zeros, 256, other));
    EXPECT_NE(base, other);
    ASSERT_TRUE(nea(alg, key, 9, 2, 0, zeros, 256, other));
    EXPECT_NE(base, other);
    ASSERT_TRUE(nea(alg, key, 9, 1, 1, zeros, 256, other));
    EXPECT_NE(base, other);
  }
}

TEST(NiaZero, MacIsZeroAndVerifiesOnlyZero) {
  const byte_array<16> key{};
  const byte_buffer msg(10, 0x55);
  EXPECT_EQ(nia(nia_alg::nia0, key, 1, 0, 0, msg, 80).value(), mac32{});
  EXPECT_TRUE(nia_verify(nia_alg::nia0, key, 1, 0, 0, msg, 80, mac32{}).value());
  EXPECT_FALSE(nia_verify(nia_alg::nia0, key, 1, 0, 0, msg, 80, mac32{0, 0, 0, 1}).value());
}

TEST(CipherErrors, RejectsOutOfRangeParametersAndShortBuffers) {
  const byte_array<16> key{};
  byte_buffer in(10), out(10);
  auto code = [](auto r) { return r.error().code; };
  EXPECT_EQ(code(nea(static_cast<nea_alg>(4), key, 0, 0, 0, in, 80, out)),
            cipher_errc::bad_algorithm);
  EXPECT_EQ(code(nea(nea_alg::nea1, key, 0, 32, 0, in, 80, out)), cipher_errc::bad_bearer);
  EXPECT_EQ(code(nea(nea_alg::nea1, key, 0, 0, 2, in, 80, out)), cipher_errc::bad_direction);
  EXPECT_EQ(code(nea(nea_alg::nea2, key, 0, 0, 0, in, 81, out)), cipher_errc::input_too_short);
  EXPECT_EQ(code(nea(nea_alg::nea2, key, 0, 0, 0, in, 80, bytes_span(out).first(9))),
            cipher_errc::output_too_short);
  EXPECT_EQ(code(nea(nea_alg::nea3, key, 0, 0, 0, bytes_view(in).first(8), 64,
                     bytes_span(in).subspan(1, 8))),
            cipher_errc::overlap);
  EXPECT_EQ(code(nea(nea_alg::nea3, key, 0, 0, 0, in, max_message_bits + 1, out)),
            cipher_errc::too_long);
  EXPECT_EQ(code(nia(nia_alg::nia3, key, 0, 0, 0, in, 0)), cipher_errc::empty_message);
  EXPECT_EQ(code(nia(nia_alg::nia1, key, 0, 0, 0, in, 0)), cipher_errc::empty_message);
  EXPECT_TRUE(nia(nia_alg::nia2, key, 0, 0, 0, in, 0).has_value());
  EXPECT_EQ(code(nia(static_cast<nia_alg>(9), key, 0, 0, 0, in, 8)), cipher_errc::bad_algorithm);
  EXPECT_TRUE(nea(nea_alg::nea1, key, 0, 0, 0, in, 0, out).has_value());
}

// nia_verify_and_nea against nia_verify then nea, as a receiver of a ciphered NAS message
// calls it: the MAC over SQN || ciphered message, the ciphered message (a suffix of it)
// deciphered into another buffer. Every algorithm pair (128-NIA2 with 128-NEA2 takes the
// interleaved AES-NI path where the CPU has it), every bit length of the ciphered part 1..700,
// the right MAC and a MAC with one bit flipped.
TEST(NasReceive, VerifyAndDecipherEqualsTheTwoCallsForEveryAlgorithmPairAndLength) {
  random_source r;
  for (const nia_alg ia : all_nia) {
    for (const nea_alg ea : all_nea) {
      for (std::size_t bits = 1; bits <= 700; ++bits) {
        const auto k_int = r.key();
        const auto k_enc = r.key();
        const auto count = r.u32();
        const auto bearer = static_cast<std::uint8_t>(r.below(32));
        const auto dir = static_cast<std::uint8_t>(r.below(2));
        const std::size_t n = message_bytes(bits);
        const byte_buffer covered = r.bytes(1 + n);  // SQN || message
        const bytes_view inner = bytes_view(covered).subspan(1);
        const std::size_t covered_bits = 8 + bits;
        auto mac = nia(ia, k_int, count, bearer, dir, covered, covered_bits).value();
        byte_buffer want(n);
        ASSERT_TRUE(nea(ea, k_enc, count, bearer, dir, inner, bits, want).has_value());
        for (const bool flip : {false, true}) {
          if (flip) mac[bits % 4] ^= static_cast<std::uint8_t>(1u << (bits % 8));
          byte_buffer got(n + 1, 0xee);
          auto v = nia_verify_and_nea(ia, k_int, ea, k_enc, count, bearer, dir, covered,
                                      covered_bits, mac, inner, bits, bytes_span(got).first(n));
          ASSERT_TRUE(v.has_value()) << bits;
          // NIA0's MAC is zero whatever the message: a flipped one never verifies either.
          EXPECT_EQ(*v, !flip) << "nia" << int(ia) << " nea" << int(ea) << " bits " << bits;
          EXPECT_TRUE(std::equal(want.begin(), want.end(), got.begin()))
              << "nia" << int(ia) << " nea" << int(ea) << " bits " << bits;
          EXPECT_EQ(got[n], 0xee) << "written past the message at " << bits;
        }
      }
    }
  }
}

TEST(NasReceive, VerifyAndDecipherInPlaceOverTheMacInputStillVerifiesTheCipheredBytes) {
  // The output over the very bytes the MAC covers (deciphering in place): the MAC is that of
  // the ciphered message, as nia_verify says before nea overwrites it.
  random_source r;
  const auto k_int = r.key();
  const auto k_enc = r.key();
  for (std::size_t bits : {8u, 100u, 128u, 129u, 512u, 1000u}) {
    const std::size_t n = message_bytes(bits);
    byte_buffer covered = r.bytes(1 + n);
    const auto mac = nia(nia_alg::nia2, k_int, 7, 1, 0, covered, 8 + bits).value();
    byte_buffer want(n);
    ASSERT_TRUE(nea(nea_alg::nea2, k_enc, 7, 1, 0, bytes_view(covered).subspan(1), bits, want)
                    .has_value());
    const bytes_span inner = bytes_span(covered).subspan(1);
    auto v = nia_verify_and_nea(nia_alg::nia2, k_int, nea_alg::nea2, k_enc, 7, 1, 0, covered,
                                8 + bits, mac, inner, bits, inner);
    ASSERT_TRUE(v.has_value()) << bits;
    EXPECT_TRUE(*v) << bits;
    EXPECT_TRUE(std::equal(want.begin(), want.end(), inner.begin())) << bits;
  }
}

TEST(NasReceive, VerifyAndDecipherReportsTheErrorsOfTheTwoCallsAndWritesNothing) {
  const byte_array<16> key{};
  const byte_buffer msg(11, 0x42);
  const mac32 mac{};
  auto code = [](auto res) { return res.error().code; };
  for (const auto& [ia, ea] : {std::pair{nia_alg::nia2, nea_alg::nea2},
                              std::pair{nia_alg::nia1, nea_alg::nea3}}) {
    byte_buffer out(10, 0xee);
    const bytes_view inner = bytes_view(msg).subspan(1);
    EXPECT_EQ(code(nia_verify_and_nea(ia, key, ea, key, 0, 32, 0, msg, 88, mac, inner, 80, out)),
              cipher_errc::bad_bearer);
    EXPECT_EQ(code(nia_verify_and_nea(ia, key, ea, key, 0, 0, 2, msg, 88, mac, inner, 80, out)),
              cipher_errc::bad_direction);
    EXPECT_EQ(code(nia_verify_and_nea(ia, key, ea, key, 0, 0, 0, msg, 89, mac, inner, 80, out)),
              cipher_errc::input_too_short);
    EXPECT_EQ(code(nia_verify_and_nea(ia, key, ea, key, 0, 0, 0, msg, 88, mac, inner, 81, out)),
              cipher_errc::input_too_short);
    EXPECT_EQ(code(nia_verify_and_nea(ia, key, ea, key, 0, 0, 0, msg, 88, mac, inner, 80,
                                      bytes_span(out).first(9))),
              cipher_errc::output_too_short);
    EXPECT_EQ(code(nia_verify_and_nea(static_cast<nia_alg>(4), key, ea, key, 0, 0, 0, msg, 88,
                                      mac, inner, 80, out)),
              cipher_errc::bad_algorithm);
    EXPECT_EQ(code(nia_verify_and_nea(ia, key, static_cast<nea_alg>(4), key, 0, 0, 0, msg, 88,
                                      mac, inner, 80, out)),
              cipher_errc::bad_algorithm);
    EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](std::uint8_t o) { return o == 0xee; }));
  }
}

TEST(CipherLimits, LongestMessagesWorkInEveryPathAndOneBitMoreIsRejected) {
  random_source r;
  for (int a = 0; a < 4; ++a) {
    const auto ea = static_cast<nea_alg>(a);
    const auto ia = static_cast<nia_alg>(a);
    const std::size_t max_bits = a == 3 ? max_zuc_message_bits : max_message_bits;
    SCOPED_TRACE(a);
    const auto key = r.key();
    const auto plain = r.bytes(message_bytes(max_bits) + 1);
    const auto msg = bytes_view(plain).first(message_bytes(max_bits));
    byte_buffer c(msg.size()), back(msg.size());
    ASSERT_TRUE(nea(ea, key, 1, 2, 0, msg, max_bits, c));
    ASSERT_TRUE(nea(ea, key, 1, 2, 0, c, max_bits, back));
    EXPECT_TRUE(std::equal(back.begin(), back.end(), msg.begin()));
    std::vector<byte_buffer> outs(17, byte_buffer(msg.size()));
    std::vector<nea_request> reqs;
    for (auto& o : outs)
      reqs.push_back({key, 1, 2, 0, msg, max_bits, o});
    ASSERT_TRUE(nea_batch(ea, reqs));
    for (const auto& o : outs)
      EXPECT_EQ(o, c);
    const auto mac = nia(ia, key, 1, 2, 0, msg, max_bits);
    ASSERT_TRUE(mac.has_value());
    const std::vector<nia_request> nreqs(17, {key, 1, 2, 0, msg, max_bits});
    std::vector<mac32> macs(17);
    ASSERT_TRUE(nia_batch(ia, nreqs, macs));
    for (const auto& m : macs)
      EXPECT_EQ(m, *mac);

    byte_buffer big(msg.size() + 1);
    EXPECT_EQ(nea(ea, key, 1, 2, 0, plain, max_bits + 1, big).error().code, cipher_errc::too_long);
    EXPECT_EQ(nia(ia, key, 1, 2, 0, plain, max_bits + 1).error().code, cipher_errc::too_long);
    const nia_request one[] = {{key, 1, 2, 0, plain, max_bits + 1}};
    EXPECT_EQ(nia_batch(ia, one, std::span(macs).first(1)).error().code, cipher_errc::too_long);
  }
}

TEST(CipherLimits, Nia2BatchMixesJobAndOneShotAroundTheCmacJobLimit) {
  // libipsec-mb's CMAC-BITLEN job takes at most 65534 bits (64-bit prefix + message): longer
  // messages of a batch take the one-shot path, shorter ones the job path.
  random_source r;
  std::vector<byte_array<16>> keys;
  std::vector<byte_buffer> msgs;
  std::vector<nia_request> reqs;
  const std::size_t lens[] = {65470, 65471, 800,    65472, 65535, 8, 70001, 65469, 1,
                              2,     65470, 100000, 3,     4,     5, 6,     65471};
  for (std::size_t bits : lens) {
    keys.push_back(r.key());
    msgs.push_back(r.bytes(message_bytes(bits)));
  }
  for (std::size_t i = 0; i < keys.size(); ++i)
    reqs.push_back({keys[i], r.u32(), 3, 1, msgs[i], lens[i]});
  std::vector<mac32> macs(reqs.size());
  ASSERT_TRUE(nia_batch(nia_alg::nia2, reqs, macs));
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    const auto& q = reqs[i];
    EXPECT_EQ(
        macs[i],
        nia(nia_alg::nia2, q.key, q.count, q.bearer, q.direction, q.msg, q.length_bits).value())
        << lens[i];
  }
}

TEST(CipherErrors, BatchNamesTheBadRequestAndWritesNothing) {
  const byte_array<16> key{};
  byte_buffer in(10, 1), out0(10, 0xee), out1(10, 0xee);
  const nea_request reqs[] = {{key, 0, 0, 0, in, 80, out0}, {key, 0, 40, 0, in, 80, out1}};
  const auto r = nea_batch(nea_alg::nea2, reqs);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, cipher_errc::bad_bearer);
  EXPECT_EQ(r.error().index, 1u);
  EXPECT_EQ(out0, byte_buffer(10, 0xee));
  const nia_request nreqs[] = {{key, 0, 0, 0, in, 80}, {key, 0, 0, 0, in, 88}};
  mac32 macs[2];
  EXPECT_EQ(nia_batch(nia_alg::nia1, nreqs, std::span(macs).first(1)).error().code,
            cipher_errc::size_mismatch);
  const auto e = nia_batch(nia_alg::nia1, nreqs, macs);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code, cipher_errc::input_too_short);
  EXPECT_EQ(e.error().index, 1u);
}

TEST(CipherThreads, ConcurrentCallsAgreeWithSingleThreaded) {
  random_source r;
  const auto key = r.key();
  const auto msg = r.bytes(200);
  byte_buffer expect_c(200);
  ASSERT_TRUE(nea(nea_alg::nea1, key, 1, 2, 0, msg, 1600, expect_c));
  const auto expect_m = nia(nia_alg::nia2, key, 1, 2, 0, msg, 1600).value();
  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        byte_buffer c(200);
        if (!nea(nea_alg::nea1, key, 1, 2, 0, msg, 1600, c) || c != expect_c) ++bad[t];
        const auto m = nia(nia_alg::nia2, key, 1, 2, 0, msg, 1600);
        if (!m || *m != expect_m) ++bad[t];
      }
    });
  for (auto& th : threads)
    th.join();
  for (int t = 0; t < 4; ++t)
    EXPECT_EQ(bad[t], 0) << t;
}

} // namespace
} // namespace sec5g::crypto
