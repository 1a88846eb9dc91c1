// The AES-NI AUTN candidate scan gives the same answer as one MILENAGE AUTN check per
// candidate (find_subscriber_by_autn), for every set size, start index and position of the
// matching candidate, with duplicates, and for the TS 35.208 test set 1 challenge.
#include "sec5g/crypto/autn_scanner.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "support/random_source.hpp"

namespace sec5g::crypto {
namespace {

struct candidate_set {
  std::vector<byte_array<16>> k, opc;
  std::vector<subscriber_keys> views;
  void build() {
    views.clear();
    for (std::size_t i = 0; i < k.size(); ++i)
      views.push_back({k[i], opc[i]});
  }
};

// A challenge (RAND, AUTN) made with candidate `c`'s keys.
autn128 challenge(const candidate_set& s, std::size_t c, const byte_array<16>& rand,
                  std::uint64_t sqn_value, byte_array<2> amf = {0x80, 0x00}) {
  auto m = milenage::create(s.k[c], s.opc[c]);
  EXPECT_TRUE(m.has_value());
  byte_array<6> sqn{};
  for (int i = 0; i < 6; ++i)
    sqn[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sqn_value >> (8 * (5 - i)));
  auto out = m->compute(rand, sqn, amf);
  EXPECT_TRUE(out.has_value());
  return assemble_autn(sqn, out->ak.view(), amf, out->mac_a);
}

TEST(AutnScanner, AgreesWithOneMilenageCheckPerCandidate) {
  test::random_source rnd(0x5ca11);
  for (std::size_t n : {1u, 2u, 7u, 8u, 9u, 17u, 64u, 101u}) {
    candidate_set s;
    for (std::size_t i = 0; i < n; ++i) {
      s.k.push_back(rnd.key());
      s.opc.push_back(rnd.key());
    }
    s.build();
    autn_scanner scan(s.views);
    ASSERT_EQ(scan.size(), n);
    for (std::size_t target = 0; target < n; target += (n > 20 ? 7 : 1)) {
      byte_array<16> rand = rnd.key();
      const autn128 autn = challenge(s, target, rand, 0x20 + target);
      for (std::size_t from : {std::size_t{0}, target, target + 1}) {
        auto want =
            find_subscriber_by_autn(std::span(s.views).subspan(std::min(from, n)), rand, autn);
        auto got = scan.find(rand, autn, from);
        ASSERT_TRUE(want && got);
        const std::optional<std::size_t> want_abs =
            *want ? std::optional<std::size_t>(std::min(from, n) + **want) : std::nullopt;
        EXPECT_EQ(*got, want_abs) << "n=" << n << " target=" << target << " from=" << from;
      }
      // One wrong bit anywhere in the AUTN: no candidate.
      for (std::size_t bit : {0u, 47u, 48u, 63u, 64u, 127u}) {
        autn128 bad = autn;
        bad[bit / 8] ^= static_cast<std::uint8_t>(0x80 >> (bit % 8));
        auto got = scan.find(rand, bad);
        ASSERT_TRUE(got);
        // A flipped SQN/AMF bit changes the MAC input; a flipped MAC bit the comparison.
        EXPECT_FALSE(got->has_value()) << "bit " << bit;
      }
    }
  }
}

TEST(AutnScanner, DuplicatesAreFoundInOrderAndTestSet1Verifies) {
  // TS 35.208 test set 1: K, OPc, RAND, SQN, AMF -> MAC-A 4a9ffac354dfafb3.
  candidate_set s;
  test::random_source rnd(7);
  for (int i = 0; i < 10; ++i) {
    s.k.push_back(rnd.key());
    s.opc.push_back(rnd.key());
  }
  const auto k1 = *from_hex("465b5ce8b199b49faa5f0a2ee238a6bc");
  const auto opc1 = *from_hex("cd63cb71954a9f4e48a5994e37a02baf");
  for (std::size_t i : {3u, 9u}) {
    std::copy(k1.begin(), k1.end(), s.k[i].begin());
    std::copy(opc1.begin(), opc1.end(), s.opc[i].begin());
  }
  s.build();
  autn_scanner scan(s.views);
  byte_array<16> rand{};
  const auto r = *from_hex("23553cbe9637a89d218ae64dae47bf35");
  std::copy(r.begin(), r.end(), rand.begin());
  const autn128 autn = challenge(s, 3, rand, 0xff9bb4d0b607ULL, {0xb9, 0xb9});
  EXPECT_EQ(to_hex(bytes_view(autn).subspan(8)), "4a9ffac354dfafb3");
  auto first = scan.find(rand, autn);
  ASSERT_TRUE(first && first->has_value());
  EXPECT_EQ(**first, 3u);
  auto second = scan.find(rand, autn, 4);
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ(**second, 9u);
  auto none = scan.find(rand, autn, 10);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  autn_scanner empty({});
  auto e = empty.find(rand, autn);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->has_value());
}

} // namespace
} // namespace sec5g::crypto
