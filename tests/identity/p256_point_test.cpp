// P-256 point decompression against OpenSSL's encodings of random keys.
#include "identity/p256_point.hpp"

#include <gtest/gtest.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>

namespace sec5g::identity::detail {
namespace {

TEST(P256Decompress, MatchesOpenSslForRandomPointsOfBothParities) {
  int parities[2] = {0, 0};
  for (int i = 0; i < 64; ++i) {
    EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    ASSERT_NE(k, nullptr);
    std::array<std::uint8_t, 65> full{};
    std::size_t len = 0;
    ASSERT_GT(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, full.data(), full.size(), &len), 0);
    ASSERT_EQ(len, 65u);
    EVP_PKEY_free(k);
    std::array<std::uint8_t, 33> comp{};
    comp[0] = static_cast<std::uint8_t>(0x02 | (full[64] & 1));
    std::copy(full.begin() + 1, full.begin() + 33, comp.begin() + 1);
    ++parities[full[64] & 1];
    std::array<std::uint8_t, 65> got{};
    ASSERT_TRUE(p256_decompress(comp, got));
    EXPECT_EQ(got, full) << i;
    // The other parity gives the negated point, which differs.
    comp[0] ^= 1;
    ASSERT_TRUE(p256_decompress(comp, got));
    EXPECT_NE(got, full);
  }
  EXPECT_GT(parities[0], 0);
  EXPECT_GT(parities[1], 0);
}

TEST(P256Decompress, RejectsBadPrefixXAboveFieldAndNonResidues) {
  std::array<std::uint8_t, 33> in{};
  std::array<std::uint8_t, 65> out{};
  in.fill(0xff);
  in[0] = 0x02;
  EXPECT_FALSE(p256_decompress(in, out)) << "x >= p";
  in[0] = 0x04;
  EXPECT_FALSE(p256_decompress(in, out)) << "prefix";
  // Roughly half of all x are not on the curve: among x = 0..15 some must be rejected.
  int rejected = 0;
  for (int x = 0; x < 16; ++x) {
    in.fill(0);
    in[0] = 0x02;
    in[32] = static_cast<std::uint8_t>(x);
    if (!p256_decompress(in, out)) ++rejected;
  }
  EXPECT_GT(rejected, 0);
  EXPECT_LT(rejected, 16);
}

}  // namespace
}  // namespace sec5g::identity::detail
