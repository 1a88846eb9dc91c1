// The one-shot 128-NEA2 / 128-NIA2 on AES-NI (what nea()/nia() use when the CPU has AES-NI)
// against the same calls on OpenSSL's EVP AES-128-CTR / AES-128-CBC (the fallback, an
// independent implementation): every bit length 0..6000, in place and not, unaligned buffers
// with guard octets, random keys/COUNT/BEARER/DIRECTION; and the public calls against OpenSSL.
// Ref: TS 33.401 B.1.3 (128-EEA2), B.2.3 (128-EIA2), NIST SP 800-38B.
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/aes_oneshot.hpp"
#include "crypto/cipher_backend.hpp"
#include "crypto/nea2_aesni.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"
#include "support/random_source.hpp"

namespace sec5g::crypto {
namespace {

constexpr std::size_t max_bits = 6000;
constexpr std::size_t oneshot_guard = 19;

struct oneshot_random : test::random_source {
  oneshot_random() : test::random_source(0x41455331) {}
};

class aes_oneshot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!detail::nea2_aesni_available()) GTEST_SKIP() << "no AES-NI on this CPU";
    backend_ = detail::backend();
    ASSERT_NE(backend_, nullptr);
  }
  detail::cipher_backend* backend_ = nullptr;
};

TEST_F(aes_oneshot, nea2_aesni_matches_openssl_ctr_on_every_length_in_and_out_of_place) {
  oneshot_random r;
  for (std::size_t n = 0; n <= max_bits / 8 + 1; ++n) {
    byte_array<16> key{};
    r.fill(key);
    std::uint8_t head[8];
    r.fill(bytes_span(head, 8));
    byte_buffer in(n + 2 * oneshot_guard);
    r.fill(in);
    const std::size_t off = n % 7 + 1;  // never 16-aligned relative to the buffer start
    byte_buffer expect(n + 2 * oneshot_guard, 0xcc);
    byte_buffer got(n + 2 * oneshot_guard, 0xcc);
    ASSERT_TRUE(detail::nea2_openssl_one(*backend_, key.data(), head, in.data() + off,
                                         expect.data() + oneshot_guard, n));
    detail::nea2_aesni_one(key.data(), head, in.data() + off, got.data() + oneshot_guard, n);
    ASSERT_EQ(got, expect) << n << " octets";
    // In place.
    byte_buffer same(in);
    detail::nea2_aesni_one(key.data(), head, same.data() + off, same.data() + off, n);
    ASSERT_TRUE(std::equal(same.begin() + static_cast<std::ptrdiff_t>(off),
                           same.begin() + static_cast<std::ptrdiff_t>(off + n),
                           expect.begin() + static_cast<std::ptrdiff_t>(oneshot_guard)))
        << n << " octets in place";
    ASSERT_TRUE(std::equal(same.begin(), same.begin() + static_cast<std::ptrdiff_t>(off),
                           in.begin()));
    ASSERT_TRUE(std::equal(same.begin() + static_cast<std::ptrdiff_t>(off + n), same.end(),
                           in.begin() + static_cast<std::ptrdiff_t>(off + n)));
  }
}

TEST_F(aes_oneshot, cmac_aesni_matches_openssl_cbc_cmac_on_every_bit_length) {
  oneshot_random r;
  byte_buffer msg(max_bits / 8 + 1 + oneshot_guard);
  for (std::size_t bits = 0; bits <= max_bits; ++bits) {
    byte_array<16> key{};
    r.fill(key);
    std::uint8_t prefix[8];
    r.fill(bytes_span(prefix, 8));
    r.fill(msg);
    const std::uint8_t* m = msg.data() + bits % 5;  // unaligned
    std::uint8_t expect[16];
    std::uint8_t got[16];
    ASSERT_TRUE(detail::cmac_openssl_bits(*backend_, key.data(), prefix, m, 64 + bits, expect));
    detail::cmac_aesni_bits(key.data(), prefix, m, 64 + bits, got);
    ASSERT_EQ(0, std::memcmp(got, expect, 16)) << bits << " bits";
    // The bits after the message in its last octet do not count.
    if (bits % 8 != 0) {
      byte_buffer flipped(m, m + (bits + 7) / 8);
      flipped.back() ^= static_cast<std::uint8_t>(0xffu >> (bits % 8));
      detail::cmac_aesni_bits(key.data(), prefix, flipped.data(), 64 + bits, got);
      ASSERT_EQ(0, std::memcmp(got, expect, 16)) << bits << " bits, tail flipped";
    }
  }
}

// The public one-shots (AES-NI here) against the OpenSSL path with the same parameters,
// including the tail-bit clearing of nea() and the MAC truncation of nia().
TEST_F(aes_oneshot, public_nea2_and_nia2_match_the_openssl_path) {
  oneshot_random r;
  for (std::size_t bits = 1; bits <= max_bits; bits += 37) {
    byte_array<16> key{};
    r.fill(key);
    const auto count = r.u32();
    const auto bearer = static_cast<std::uint8_t>(r.below(32));
    const auto dir = static_cast<std::uint8_t>(r.below(2));
    const std::size_t n = message_bytes(bits);
    byte_buffer in(n);
    r.fill(in);
    byte_buffer out(n);
    ASSERT_TRUE(nea(nea_alg::nea2, key, count, bearer, dir, in, bits, out).has_value());
    std::uint8_t head[8];
    detail::count_bearer_dir(head, count, bearer, dir);
    byte_buffer expect(n);
    ASSERT_TRUE(detail::nea2_openssl_one(*backend_, key.data(), head, in.data(), expect.data(), n));
    detail::clear_tail_bits(expect.data(), bits);
    ASSERT_EQ(out, expect) << bits;

    const auto mac = nia(nia_alg::nia2, key, count, bearer, dir, in, bits);
    ASSERT_TRUE(mac.has_value());
    std::uint8_t tag[16];
    ASSERT_TRUE(detail::cmac_openssl_bits(*backend_, key.data(), head, in.data(), 64 + bits, tag));
    EXPECT_EQ(0, std::memcmp(mac->data(), tag, 4)) << bits;
  }
}

}  // namespace
}  // namespace sec5g::crypto
