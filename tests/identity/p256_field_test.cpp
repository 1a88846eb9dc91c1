// P-256 field arithmetic (Montgomery, portable C and x86-64 assembly) against OpenSSL BIGNUM.
#include "identity/p256_field.hpp"

#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <memory>
#include <vector>

namespace sec5g::identity::detail::p256 {
namespace {

struct bn_free_deleter {
  void operator()(BIGNUM* n) const noexcept { BN_free(n); }
};
struct bn_ctx_deleter {
  void operator()(BN_CTX* c) const noexcept { BN_CTX_free(c); }
};
using bn_ptr = std::unique_ptr<BIGNUM, bn_free_deleter>;
using be32 = std::array<std::uint8_t, 32>;

// Plain-form element from/to 32 big-endian octets through the API under test.
fe load(const be32& b) {
  std::uint8_t in[32];
  std::memcpy(in, b.data(), 32);
  fe f{};
  EXPECT_TRUE(from_be(in, f));
  return f;
}

be32 store(const fe& f) {
  std::uint8_t out[32];
  to_be(f, out);
  be32 b{};
  std::memcpy(b.data(), out, 32);
  return b;
}

class P256Field : public ::testing::Test {
 protected:
  std::unique_ptr<BN_CTX, bn_ctx_deleter> ctx{BN_CTX_new()};
  bn_ptr p{BN_new()};
  bn_ptr e{BN_new()};  // (p+1)/4

  void SetUp() override {
    ASSERT_TRUE(ctx && p && e);
    const be32 pb = store(prime);
    ASSERT_NE(BN_bin2bn(pb.data(), 32, p.get()), nullptr);
    ASSERT_EQ(BN_copy(e.get(), p.get()) != nullptr && BN_add_word(e.get(), 1) == 1 &&
                  BN_rshift(e.get(), e.get(), 2) == 1,
              true);
  }

  bn_ptr bn(const be32& b) const { return bn_ptr(BN_bin2bn(b.data(), 32, nullptr)); }
  static be32 bytes(const BIGNUM* n) {
    be32 b{};
    EXPECT_EQ(BN_bn2binpad(n, b.data(), 32), 32);
    return b;
  }

  // Inputs: the edge values 0, 1, 2, p-1, p-2, 2^255, 2^256-2^224 (limb patterns near p), then
  // random values below p.
  std::vector<be32> inputs(int random_count) const {
    std::vector<be32> v;
    be32 z{};
    v.push_back(z);
    z[31] = 1;
    v.push_back(z);
    z[31] = 2;
    v.push_back(z);
    be32 pm1 = store(prime);
    pm1[31] = static_cast<std::uint8_t>(pm1[31] - 1);
    v.push_back(pm1);
    pm1[31] = static_cast<std::uint8_t>(pm1[31] - 1);
    v.push_back(pm1);
    be32 top{};
    top[0] = 0x80;
    v.push_back(top);
    be32 hi{};
    for (int i = 0; i < 4; ++i) hi[static_cast<std::size_t>(i)] = 0xff;
    v.push_back(hi);
    for (int i = 0; i < random_count; ++i) {
      be32 r{};
      EXPECT_EQ(RAND_bytes(r.data(), 32), 1);
      std::uint8_t raw[32];
      std::memcpy(raw, r.data(), 32);
      fe f{};
      if (!from_be(raw, f)) continue;  // >= p (probability 2^-32)
      v.push_back(r);
    }
    return v;
  }
};

TEST_F(P256Field, FromBeRejectsValuesFromPUp) {
  std::uint8_t in[32];
  to_be(prime, in);
  fe f{};
  EXPECT_FALSE(from_be(in, f)) << "p";
  std::memset(in, 0xff, 32);
  EXPECT_FALSE(from_be(in, f)) << "2^256-1";
  to_be(prime, in);
  in[31] = static_cast<std::uint8_t>(in[31] - 1);
  EXPECT_TRUE(from_be(in, f)) << "p-1";
  EXPECT_EQ(f, (fe{prime[0] - 1, prime[1], prime[2], prime[3]}));
}

TEST_F(P256Field, MulSqrAddSubMatchBignumIncludingEdgeValues) {
  const auto in = inputs(300);
  bn_ptr r(BN_new());
  ASSERT_TRUE(r);
  for (std::size_t i = 0; i < in.size(); ++i) {
    for (std::size_t j = 0; j < in.size(); j += (i < 7 ? 1 : 37)) {
      const fe a = to_mont(load(in[i]));
      const fe b = to_mont(load(in[j]));
      const auto ba = bn(in[i]);
      const auto bb = bn(in[j]);
      ASSERT_EQ(BN_mod_mul(r.get(), ba.get(), bb.get(), p.get(), ctx.get()), 1);
      EXPECT_EQ(store(from_mont(mul(a, b))), bytes(r.get())) << i << "," << j;
      ASSERT_EQ(BN_mod_add(r.get(), ba.get(), bb.get(), p.get(), ctx.get()), 1);
      EXPECT_EQ(store(from_mont(add(a, b))), bytes(r.get())) << i << "," << j;
      ASSERT_EQ(BN_mod_sub(r.get(), ba.get(), bb.get(), p.get(), ctx.get()), 1);
      EXPECT_EQ(store(from_mont(sub(a, b))), bytes(r.get())) << i << "," << j;
    }
    const fe a = to_mont(load(in[i]));
    const auto ba = bn(in[i]);
    ASSERT_EQ(BN_mod_sqr(r.get(), ba.get(), p.get(), ctx.get()), 1);
    EXPECT_EQ(store(from_mont(sqr(a))), bytes(r.get())) << i;
    EXPECT_EQ(from_mont(a), load(in[i])) << "Montgomery round trip " << i;
  }
}

TEST_F(P256Field, SquareRootCandidateMatchesBignumForEveryImplementation) {
  const auto in = inputs(100);
  bn_ptr r(BN_new());
  ASSERT_TRUE(r);
  std::vector<impl> impls = {impl::automatic, impl::portable};
  if (adx_available()) impls.push_back(impl::adx);
  int squares = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto ba = bn(in[i]);
    ASSERT_EQ(BN_mod_exp(r.get(), ba.get(), e.get(), p.get(), ctx.get()), 1);
    const fe a = to_mont(load(in[i]));
    for (impl w : impls) {
      const fe y = sqrt_candidate(a, w);
      EXPECT_EQ(store(from_mont(y)), bytes(r.get())) << i << " impl " << static_cast<int>(w);
    }
    if (equal(sqr(sqrt_candidate(a)), a)) ++squares;
  }
  // About half of the random inputs are squares (0 and 1 are; so must be some random ones).
  EXPECT_GT(squares, 20);
  EXPECT_LT(squares, static_cast<int>(in.size()) - 20);
}

TEST_F(P256Field, AssemblyProductAndSquareMatchPortableC) {
  if (!adx_available()) GTEST_SKIP() << "no BMI2/ADX on this CPU";
  // Every pair of edge values (0, 1, 2, p-1, p-2, 2^255, limbs near p) and random values, in
  // both Montgomery and plain form (plain small values exercise the reduction differently).
  const auto in = inputs(200);
  for (std::size_t i = 0; i < in.size(); ++i) {
    for (std::size_t j = 0; j < in.size(); j += (i < 7 ? 1 : 13)) {
      const fe a = load(in[i]);
      const fe b = load(in[j]);
      EXPECT_EQ(mul(a, b, impl::adx), mul(a, b)) << i << "," << j;
      EXPECT_EQ(mul(to_mont(a), to_mont(b), impl::adx), mul(to_mont(a), to_mont(b))) << i << "," << j;
    }
    const fe a = load(in[i]);
    EXPECT_EQ(sqr(a, impl::adx), sqr(a)) << i;
    EXPECT_EQ(sqr(to_mont(a), impl::adx), sqr(to_mont(a))) << i;
  }
}

}  // namespace
}  // namespace sec5g::identity::detail::p256
