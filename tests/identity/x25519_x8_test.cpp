// The eight-lane X25519 (AVX-512 IFMA) against RFC 7748's test vectors and OpenSSL's X25519.
// Skipped on CPUs without AVX-512 IFMA (the SIDF then uses OpenSSL alone).
#include "identity/x25519_x8.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "sec5g/core/hex.hpp"

namespace sec5g::identity::detail {
namespace {

using b32 = std::array<std::uint8_t, 32>;
using lanes = std::array<b32, x25519_lanes>;

b32 from_hex32(std::string_view h) {
  auto v = from_hex(h);
  EXPECT_TRUE(v.has_value());
  b32 out{};
  if (v && v->size() == 32) std::memcpy(out.data(), v->data(), 32);
  return out;
}

// OpenSSL's X25519; nullopt when it refuses (an all-zero result, RFC 7748 6.1).
std::optional<b32> reference(const b32& scalar, const b32& u) {
  struct pkey_free {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  };
  struct ctx_free {
    void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
  };
  std::unique_ptr<EVP_PKEY, pkey_free> priv(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, scalar.data(), 32));
  std::unique_ptr<EVP_PKEY, pkey_free> peer(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, u.data(), 32));
  if (!priv || !peer) ADD_FAILURE() << "OpenSSL key objects";
  std::unique_ptr<EVP_PKEY_CTX, ctx_free> ctx(EVP_PKEY_CTX_new(priv.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) <= 0) {
    ADD_FAILURE() << "OpenSSL derive setup";
    return std::nullopt;
  }
  b32 out{};
  std::size_t len = out.size();
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) <= 0) return std::nullopt;
  return out;
}

lanes run(const b32& scalar, const lanes& u) {
  lanes out{};
  x25519_x8(scalar, u, out);
  return out;
}

class X25519x8 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!x25519_x8_available()) GTEST_SKIP() << "this CPU has no AVX-512 IFMA";
  }
};

TEST_F(X25519x8, Rfc7748Section52VectorsInEveryLane) {
  struct vec {
    const char* scalar;
    const char* u;
    const char* out;
  };
  const vec v[2] = {
      {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
       "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
       "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
      {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
       "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
       "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
  };
  for (const auto& t : v) {
    lanes u;
    u.fill(from_hex32(t.u));
    const lanes out = run(from_hex32(t.scalar), u);
    EXPECT_EQ(reference(from_hex32(t.scalar), u[0]), from_hex32(t.out)) << "OpenSSL";
    for (std::size_t i = 0; i < x25519_lanes; ++i) EXPECT_EQ(out[i], from_hex32(t.out)) << i;
  }
}

// RFC 7748 5.2: k = u = 9, then k, u = X25519(k, u), k; after 1 and 1 000 iterations.
TEST_F(X25519x8, Rfc7748Section52Iterations) {
  b32 k{};
  k[0] = 9;
  b32 u = k;
  for (int i = 1; i <= 1000; ++i) {
    lanes in;
    in.fill(u);
    const lanes out = run(k, in);
    for (std::size_t l = 1; l < x25519_lanes; ++l) ASSERT_EQ(out[l], out[0]) << "lane " << l;
    u = k;
    k = out[0];
    if (i == 1) {
      EXPECT_EQ(k, from_hex32("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"));
    }
  }
  EXPECT_EQ(k, from_hex32("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"));
}

// u-coordinates that stress the decoding and the final reduction: 0, 1 and the other points of
// small order (all-zero results), p - 1, p, p + 1 and the other non-canonical values up to
// 2^255 - 1, the top bit set (ignored).
std::vector<b32> edge_coordinates() {
  std::vector<b32> v;
  auto le = [](std::string_view hex_be) {
    b32 b = from_hex32(hex_be);
    std::reverse(b.begin(), b.end());
    return b;
  };
  const char* p = "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed";
  for (const char* h :
       {"0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000001",
        "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",  // p - 1
        p,
        "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffee",  // p + 1
        "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // 2^255 - 1
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "8000000000000000000000000000000000000000000000000000000000000009",  // top bit + 9
        // points of order 8 (RFC 7748 7 / the usual list of small-order u-coordinates)
        "00b8495f16056286fdb1329ceb8d09da6ac49ff1fae35616aeb8413b7c7aebe0",
        "57119fd0dd4e22d8868e1c58c45c44045bef839c55b1d0b1248c50a3bc959c5f"})
    v.push_back(le(h));
  // Limb boundaries: 2^51 - 1, 2^51, 2^102, 2^204 - 1 and so on.
  for (int bit : {50, 51, 52, 101, 102, 153, 204, 254}) {
    b32 b{};
    b[static_cast<std::size_t>(bit) / 8] = static_cast<std::uint8_t>(1u << (bit % 8));
    v.push_back(b);
    b32 m{};
    for (int i = 0; i < bit; ++i)
      m[static_cast<std::size_t>(i) / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
    v.push_back(m);
  }
  return v;
}

void expect_like_openssl(const b32& scalar, const lanes& u) {
  const lanes out = run(scalar, u);
  for (std::size_t i = 0; i < x25519_lanes; ++i) {
    const auto ref = reference(scalar, u[i]);
    if (ref) {
      EXPECT_EQ(out[i], *ref) << "lane " << i << " u " << to_hex(u[i]);
    } else {
      EXPECT_EQ(out[i], b32{}) << "OpenSSL refused (all-zero result); lane " << i << " u "
                               << to_hex(u[i]);
    }
  }
}

TEST_F(X25519x8, EdgeCoordinatesLikeOpenSsl) {
  const auto edges = edge_coordinates();
  for (int round = 0; round < 4; ++round) {
    b32 scalar{};
    ASSERT_EQ(RAND_bytes(scalar.data(), 32), 1);
    for (std::size_t first = 0; first < edges.size(); first += x25519_lanes) {
      lanes u{};
      for (std::size_t i = 0; i < x25519_lanes; ++i) u[i] = edges[(first + i) % edges.size()];
      expect_like_openssl(scalar, u);
    }
  }
}

TEST_F(X25519x8, RandomInputsLikeOpenSsl) {
  for (int batch = 0; batch < 500; ++batch) {
    b32 scalar{};
    lanes u{};
    ASSERT_EQ(RAND_bytes(scalar.data(), 32), 1);
    for (auto& x : u) ASSERT_EQ(RAND_bytes(x.data(), 32), 1);
    expect_like_openssl(scalar, u);
  }
}

}  // namespace
}  // namespace sec5g::identity::detail
