// 128-NEA2 batch paths against OpenSSL EVP AES-128-CTR (the one-shot's fallback path, an
// independent implementation): our multi-message AES-NI lanes, the same with 512-bit VAES runs for long
// messages, the libipsec-mb job fallback, and the public nea_batch() that picks one of them.
// Every bit length 1..6000, block-run edges, unaligned buffers, batch sizes 1..70 with mixed
// lengths and keys (some shared), in place. Ref: TS 33.401 B.1.3, TS 33.501 D.2.3.
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/aes_oneshot.hpp"
#include "crypto/cipher_backend.hpp"
#include "crypto/nea2_aesni.hpp"
#include "support/random_source.hpp"
#include "sec5g/crypto/nea.hpp"

namespace sec5g::crypto {
namespace {

struct batch_random : test::random_source {
  batch_random() : test::random_source(0x4e454132) {}
};

struct batch_path {
  std::string name;
  std::function<bool(std::span<const nea_request>)> run;
};

// Every path this CPU can run. The AES-NI paths leave the tail bits to the caller (nea_batch).
std::vector<batch_path> available_paths() {
  std::vector<batch_path> p;
  p.push_back({"nea_batch", [](std::span<const nea_request> r) {
                 return nea_batch(nea_alg::nea2, r).has_value();
               }});
  p.push_back({"libipsec-mb jobs", [](std::span<const nea_request> r) {
                 return detail::nea_batch_jobs(nea_alg::nea2, r).has_value();
               }});
  auto aesni = [](bool wide) {
    return [wide](std::span<const nea_request> r) {
      detail::nea2_aesni_batch(r, wide);
      for (const auto& q : r)
        if (q.length_bits != 0) detail::clear_tail_bits(q.out.data(), q.length_bits);
      return true;
    };
  };
  if (detail::nea2_aesni_available()) p.push_back({"aes-ni lanes", aesni(false)});
  if (detail::nea2_vaes_available()) p.push_back({"aes-ni lanes + vaes runs", aesni(true)});
  return p;
}

// One message: its own input, the OpenSSL result and an output area inside a guarded buffer
// (0xcc on both sides, at an offset so that it is not 16-aligned unless asked).
struct message {
  byte_array<16> key{};
  std::uint32_t count = 0;
  std::uint8_t bearer = 0;
  std::uint8_t direction = 0;
  std::size_t bits = 0;
  bool in_place = false;
  std::size_t in_offset = 0;
  std::size_t out_offset = 0;
  byte_buffer in_buf;
  byte_buffer out_buf;
  byte_buffer expect;

  std::size_t n() const { return message_bytes(bits); }
  bytes_view in() const {
    return in_place ? bytes_view(out_buf).subspan(out_offset, n())
                    : bytes_view(in_buf).subspan(in_offset, n());
  }
  bytes_span out() { return bytes_span(out_buf).subspan(out_offset, n()); }
};

constexpr std::size_t guard = 24;

message make_message(batch_random& r, std::size_t bits, const byte_array<16>& key, bool in_place,
                     std::size_t in_offset, std::size_t out_offset) {
  message m;
  m.key = key;
  m.count = r.u32();
  m.bearer = static_cast<std::uint8_t>(r.below(32));
  m.direction = static_cast<std::uint8_t>(r.below(2));
  m.bits = bits;
  m.in_place = in_place;
  m.in_offset = in_offset;
  m.out_offset = out_offset;
  const std::size_t n = m.n();
  byte_buffer plain(n);
  r.fill(plain);
  m.in_buf.assign(in_offset + n + guard, 0x5a);
  if (n != 0) std::memcpy(m.in_buf.data() + in_offset, plain.data(), n);  // (memcpy(.., nullptr, 0) is UB)
  m.expect.resize(n);
  // The reference: OpenSSL's AES-128-CTR (nea() itself runs on AES-NI when the CPU has it).
  std::uint8_t head[8];
  detail::count_bearer_dir(head, m.count, m.bearer, m.direction);
  detail::cipher_backend* b = detail::backend();
  EXPECT_NE(b, nullptr);
  if (b != nullptr && n != 0) {
    EXPECT_TRUE(detail::nea2_openssl_one(*b, m.key.data(), head, plain.data(), m.expect.data(), n));
    detail::clear_tail_bits(m.expect.data(), bits);
  }
  return m;
}

// Resets the outputs (garbage inside, 0xcc guards), runs `path` on all messages, checks each
// against the OpenSSL result and the guards against stray writes.
void check_path(const batch_path& path, std::vector<message>& msgs) {
  std::vector<nea_request> reqs;
  for (auto& m : msgs) {
    m.out_buf.assign(m.out_offset + m.n() + guard, 0xcc);
    if (m.in_place)
      std::memcpy(m.out_buf.data() + m.out_offset, m.in_buf.data() + m.in_offset, m.n());
    else
      std::memset(m.out_buf.data() + m.out_offset, 0xa5, m.n());
  }
  for (auto& m : msgs)
    reqs.push_back({m.key, m.count, m.bearer, m.direction, m.in(), m.bits, m.out()});
  ASSERT_TRUE(path.run(reqs)) << path.name;
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    auto& m = msgs[i];
    const auto out = m.out();
    ASSERT_TRUE(std::equal(out.begin(), out.end(), m.expect.begin(), m.expect.end()))
        << path.name << ": message " << i << " of " << msgs.size() << ", " << m.bits
        << " bits, out offset " << m.out_offset << (m.in_place ? ", in place" : "");
    for (std::size_t j = 0; j < m.out_offset; ++j)
      ASSERT_EQ(m.out_buf[j], 0xcc) << path.name << ": write before message " << i;
    for (std::size_t j = m.out_offset + m.n(); j < m.out_buf.size(); ++j)
      ASSERT_EQ(m.out_buf[j], 0xcc) << path.name << ": write after message " << i;
  }
}

TEST(Nea2Batch, EveryLength1To6000BitsEqualsOneShotOnEveryPath) {
  batch_random r;
  std::vector<message> msgs;
  for (std::size_t bits = 1; bits <= 6000; ++bits)
    msgs.push_back(make_message(r, bits, r.key(), false, r.below(16), r.below(16)));
  for (const auto& p : available_paths())
    check_path(p, msgs);
}

TEST(Nea2Batch, LengthsAroundTheWideRunsEqualOneShotOnEveryPath) {
  // 16-block VAES runs: lengths just below, at and above multiples of 256 octets, up to the
  // longest message, with every residue of the bit length mod 8 at some of them.
  batch_random r;
  std::vector<message> msgs;
  for (std::size_t octets :
       {255u, 256u, 257u, 271u, 272u, 273u, 511u, 512u, 513u, 767u, 1500u, 4096u, 9000u, 65504u})
    for (std::size_t extra : {0u, 1u, 7u})
      if (8 * (octets - 1) + extra + 1 <= max_message_bits)
        msgs.push_back(make_message(r, 8 * (octets - 1) + extra + 1, r.key(), r.below(2) == 0,
                                    r.below(16), r.below(16)));
  for (const auto& p : available_paths())
    check_path(p, msgs);
}

TEST(Nea2Batch, BatchSizes1To70WithMixedLengthsKeysAndAlignmentEqualOneShot) {
  batch_random r;
  const auto paths = available_paths();
  std::vector<byte_array<16>> keys(5);
  for (auto& k : keys)
    k = r.key();
  for (std::size_t size = 1; size <= 70; ++size) {
    SCOPED_TRACE("batch of " + std::to_string(size));
    std::vector<message> msgs;
    for (std::size_t i = 0; i < size; ++i) {
      // Mostly short (the NAS case), some empty, some past the 16-block runs.
      const std::size_t pick = r.below(10);
      const std::size_t bits = pick == 0  ? 0
                               : pick < 7 ? 1 + r.below(8 * 64)
                                          : 1 + r.below(8 * 700);
      // A fresh key or one shared with other messages of the batch.
      const auto key = r.below(3) == 0 ? keys[r.below(keys.size())] : r.key();
      msgs.push_back(make_message(r, bits, key, r.below(4) == 0, r.below(16), r.below(16)));
    }
    for (const auto& p : paths)
      check_path(p, msgs);
  }
}

} // namespace
} // namespace sec5g::crypto
