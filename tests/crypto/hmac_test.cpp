// HMAC-SHA-256 (the primitive under the TS 33.220 KDF, PRF' and the 5G key chain) against
// OpenSSL's one-shot HMAC() for every key length 0..200 octets (empty, shorter than, equal to
// and longer than the 64-octet block: hashed first) and every message length 0..70 (the inner
// hash's last block holds messages up to 55 octets) and around the block boundaries, in one piece
// and split into parts; RFC 4231 test case 6 (131-octet key); SHA-256 against the EVP digest.
// Ref: RFC 2104, RFC 4231, TS 33.220 B.2.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <initializer_list>
#include <vector>

#include <gtest/gtest.h>

#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "support/random_source.hpp"

namespace sec5g::crypto {
namespace {

byte_array<32> openssl_hmac(bytes_view key, bytes_view msg) {
  byte_array<32> out{};
  unsigned int len = 0;
  static const std::uint8_t empty = 0;
  HMAC(EVP_sha256(), key.empty() ? &empty : key.data(), static_cast<int>(key.size()),
       msg.empty() ? &empty : msg.data(), msg.size(), out.data(), &len);
  EXPECT_EQ(len, 32u);
  return out;
}

TEST(HmacSha256, EqualsOpenSslForEveryKeyLengthAndBlockEdgeMessageLengths) {
  test::random_source r(0x484d4143);
  for (std::size_t key_len = 0; key_len <= 200; ++key_len) {
    const byte_buffer key = r.bytes(key_len);
    // Every length up to 70 (one padded block holds up to 55 after the key block), then edges.
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n <= 70; ++n) lengths.push_back(n);
    for (const std::size_t n : {119, 120, 128, 300}) lengths.push_back(n);
    for (const std::size_t msg_len : lengths) {
      const byte_buffer msg = r.bytes(msg_len);
      const auto got = hmac_sha256(key, msg);
      ASSERT_TRUE(got.has_value());
      ASSERT_EQ(*got, openssl_hmac(key, msg)) << key_len << " key octets, " << msg_len;
    }
  }
}

TEST(HmacSha256, KdfOfSplitParametersEqualsOpenSslOverTheConcatenation) {
  // KDF = HMAC(key, FC || P0 || L0 || P1 || L1 ...): the message arrives in parts.
  test::random_source r(0x4b444631);
  for (std::size_t key_len : {16, 32, 64, 65, 100}) {
    const byte_buffer key = r.bytes(key_len);
    for (std::size_t p_len = 0; p_len <= 140; p_len += 7) {
      const byte_buffer p0 = r.bytes(p_len);
      const byte_buffer p1 = r.bytes(p_len / 2 + 1);
      const auto got = kdf(key, 0x6c, {bytes_view(p0), bytes_view(p1)});
      ASSERT_TRUE(got.has_value());
      byte_buffer msg{0x6c};
      msg.insert(msg.end(), p0.begin(), p0.end());
      msg.push_back(static_cast<std::uint8_t>(p0.size() >> 8));
      msg.push_back(static_cast<std::uint8_t>(p0.size()));
      msg.insert(msg.end(), p1.begin(), p1.end());
      msg.push_back(static_cast<std::uint8_t>(p1.size() >> 8));
      msg.push_back(static_cast<std::uint8_t>(p1.size()));
      const auto expect = openssl_hmac(key, msg);
      ASSERT_TRUE(std::equal(got->view().begin(), got->view().end(), expect.begin()))
          << key_len << " key octets, P0 " << p_len;
    }
  }
}

// S = FC || P0 || L0 || P1 || L1 ..., built here independently of kdf().
byte_buffer kdf_s(std::uint8_t fc, std::initializer_list<bytes_view> params) {
  byte_buffer s{fc};
  for (const auto& p : params) {
    s.insert(s.end(), p.begin(), p.end());
    s.push_back(static_cast<std::uint8_t>(p.size() >> 8));
    s.push_back(static_cast<std::uint8_t>(p.size()));
  }
  return s;
}

TEST(HmacKey, PreparedKeyKdfAndMacEqualOpenSsl) {
  // hmac_key resumes SHA-256 after the key's inner and outer blocks; every HMAC here takes
  // that path. Every key length (empty, within, at and past the block); S ending in the first
  // block, on its edge, in later blocks, and past the 256 octets kdf() assembles on the stack
  // (then streamed in parts); mac() over a message cut into parts at every 13th octet.
  test::random_source r(0x484b4559);
  for (std::size_t key_len = 0; key_len <= 100; ++key_len) {
    const byte_buffer key = r.bytes(key_len);
    const auto prepared = hmac_key::prepare(key);
    ASSERT_TRUE(prepared.has_value());
    for (const std::size_t p_len : {0, 1, 4, 32, 49, 50, 51, 60, 120, 200, 251, 252, 300}) {
      const byte_buffer p0 = r.bytes(p_len);
      const byte_buffer p1 = r.bytes(1);
      const auto want = openssl_hmac(key, kdf_s(0x6e, {bytes_view(p0), bytes_view(p1)}));
      const auto got = kdf(*prepared, 0x6e, {bytes_view(p0), bytes_view(p1)});
      const auto raw = kdf(key, 0x6e, {bytes_view(p0), bytes_view(p1)});
      ASSERT_TRUE(got.has_value());
      ASSERT_TRUE(raw.has_value());
      ASSERT_TRUE(std::equal(want.begin(), want.end(), got->view().begin()))
          << key_len << " key octets, P0 " << p_len;
      ASSERT_TRUE(raw->equals(got->view())) << key_len << " key octets, P0 " << p_len;
    }
    const byte_buffer msg = r.bytes(key_len + 30);
    const auto want = openssl_hmac(key, msg);
    for (std::size_t cut = 0; cut <= msg.size(); cut += 13) {
      const bytes_view parts[] = {bytes_view(msg).first(cut), bytes_view{},
                                  bytes_view(msg).subspan(cut)};
      byte_array<32> got{};
      ASSERT_TRUE(prepared->mac(parts, got));
      ASSERT_EQ(got, want) << key_len << " key octets, cut at " << cut;
    }
    const auto copy = prepared->clone();
    const auto a = kdf(copy, 0x6f, {bytes_view(key)});
    const auto want_a = openssl_hmac(key, kdf_s(0x6f, {bytes_view(key)}));
    ASSERT_TRUE(a && std::equal(want_a.begin(), want_a.end(), a->view().begin()));
  }
  // Too many parameters: the same error as the raw-key KDF.
  const auto prepared = hmac_key::prepare(byte_buffer(32, 1));
  ASSERT_TRUE(prepared.has_value());
  std::vector<bytes_view> many(kdf_max_params + 1);
  EXPECT_FALSE(kdf(*prepared, 0x6e, std::span<const bytes_view>(many)).has_value());
  EXPECT_FALSE(kdf(byte_buffer(32, 1), 0x6e, std::span<const bytes_view>(many)).has_value());
}

TEST(Sha256, EqualsOpenSslEvpDigestForEveryLengthAroundTheBlocks) {
  // sha256() (HXRES*, TS 33.501 A.5) on the low-level calls, against the EVP digest: every
  // length 0..200 (the padding's length field fits in the last block up to 55 octets).
  test::random_source r(0x53484132);
  for (std::size_t n = 0; n <= 200; ++n) {
    const byte_buffer msg = r.bytes(n);
    byte_array<32> want{};
    unsigned int len = 0;
    static const std::uint8_t empty = 0;
    ASSERT_EQ(EVP_Digest(msg.empty() ? &empty : msg.data(), msg.size(), want.data(), &len,
                         EVP_sha256(), nullptr),
              1);
    const auto got = sha256(msg);
    ASSERT_TRUE(got.has_value());
    ASSERT_EQ(*got, want) << n << " octets";
  }
  // FIPS 180-4 example "abc".
  const std::uint8_t abc[] = {'a', 'b', 'c'};
  EXPECT_EQ(to_hex(*sha256(abc)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256, Rfc4231TestCase6KeyLongerThanTheBlock) {
  const byte_buffer key(131, 0xaa);
  const std::string text = "Test Using Larger Than Block-Size Key - Hash Key First";
  const auto got = hmac_sha256(
      key, bytes_view(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(to_hex(*got), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

}  // namespace
}  // namespace sec5g::crypto
