// Malformed input: every truncation of every seed PDU, and deterministic bit flips, give an
// error or a success, never a crash or an over-read (the sanitizer build runs these too).
#include <gtest/gtest.h>

#include <cstdint>

#include "ngap_test_data.hpp"
#include "sec5g/ngap/ies.hpp"
#include "sec5g/ngap/message.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::ngap {
namespace {

// Decodes everything the module can decode from `b`; returns whether the envelope decoded.
bool exercise(bytes_view b) {
  auto p = decode_pdu(b);
  if (!p) return false;
  nas_pdu_ref refs[8];
  (void)collect_nas_pdus(*p, refs);
  (void)ue_ids(*p);
  auto m = decode_message(*p);
  if (m) {
    for (const auto& l : m->pdu_session_lists) {
      for (const auto& it : l.items) {
        (void)decode_setup_request_transfer(it.transfer);
        (void)decode_setup_response_transfer(it.transfer);
      }
    }
    (void)encode_message(*m);
  }
  for (const auto& e : p->ies()) {
    (void)decode_user_location_information(e.value);
    (void)decode_ue_security_capabilities(e.value);
    (void)decode_supported_ta_list(e.value);
  }
  return true;
}

TEST(NgapMalformed, EveryTruncationOfEverySeedIsAnErrorOrASuccess) {
  const auto corpus = test::corpus_pdus();
  ASSERT_FALSE(corpus.empty());
  std::size_t errors = 0, total = 0;
  for (const auto& [name, b] : corpus) {
    auto full = decode_pdu(b);
    ASSERT_TRUE(full.has_value()) << name;
    for (std::size_t n = 0; n < full->bytes.size(); ++n) {
      // An exactly sized heap copy so that an over-read is caught by ASan.
      byte_buffer cut(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
      if (!exercise(cut)) ++errors;
      ++total;
    }
  }
  // A PDU cut inside its open type can never decode: the outer length no longer fits.
  EXPECT_EQ(errors, total);
}

TEST(NgapMalformed, BitFlipsNeverCrash) {
  const auto corpus = test::corpus_pdus();
  std::uint32_t rng = 12345;
  std::size_t decoded = 0;
  for (const auto& [name, b] : corpus) {
    for (int k = 0; k < 64; ++k) {
      byte_buffer x = b;
      rng = rng * 1664525U + 1013904223U;
      const std::size_t pos = (rng >> 8) % x.size();
      x[pos] = static_cast<std::uint8_t>(x[pos] ^ (1U << ((rng >> 4) & 7U)));
      if (exercise(x)) ++decoded;
    }
  }
  EXPECT_GT(decoded, 0U);
}

TEST(NgapMalformed, RandomBytesNeverCrash) {
  std::uint32_t rng = 777;
  for (int k = 0; k < 20000; ++k) {
    byte_buffer x(1 + (k % 200));
    for (auto& c : x) {
      rng = rng * 1664525U + 1013904223U;
      c = static_cast<std::uint8_t>(rng >> 24);
    }
    if (k % 3 == 0) x[0] = 0x00; // make the envelope plausible more often
    (void)exercise(x);
  }
  SUCCEED();
}

} // namespace
} // namespace sec5g::ngap
