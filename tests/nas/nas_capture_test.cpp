// Real NAS PDUs from the shared captures (extracted with tshark): every one decodes, re-encodes
// byte-identically and renders to JSON; every truncation of every distinct PDU decodes to an
// error or to a message that re-encodes to exactly the truncated bytes (never a crash).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "sec5g/nas/nas.hpp"
#include "sec5g/nas/nas_json.hpp"
#include "tshark_corpus.hpp"

namespace sec5g::nas {
namespace {

const std::vector<byte_buffer>& distinct_pdus() {
  static const std::vector<byte_buffer> s = [] {
    std::set<std::string> seen;
    std::vector<byte_buffer> out;
    for (const auto& f : test::tshark_frames()) {
      for (const auto& p : f.pdus) {
        if (seen.insert(to_hex(p)).second) out.push_back(p);
      }
    }
    return out;
  }();
  return s;
}

TEST(NasCaptures, EveryRealPduDecodesAndReencodesByteIdentical) {
  const auto& pdus = distinct_pdus();
  if (pdus.empty()) GTEST_SKIP() << "tshark or the shared captures are not available";
  std::size_t decoded = 0;
  std::size_t failed = 0;
  for (const auto& p : pdus) {
    for (bool null_decipher : {false, true}) {
      nas_message m;
      auto r = decode_into(p, m, decode_options{.null_decipher = null_decipher});
      if (!r) {
        // Only the reserved security header types of the NAS fuzzing captures may fail.
        ++failed;
        EXPECT_STREQ(r.error().field, "nas.security_header_type") << to_hex(p);
        EXPECT_GT(p[1] & 0x0f, 4) << to_hex(p);
        continue;
      }
      ++decoded;
      byte_buffer out;
      encode(m, out);
      EXPECT_EQ(to_hex(out), to_hex(p));
      if (m.has_message) {
        byte_buffer plain;
        encode(m.message, plain);
        EXPECT_EQ(to_hex(plain), to_hex(m.message.raw));
      }
    }
  }
  EXPECT_LE(failed, 4u);
  EXPECT_GT(decoded, 10000u);
}

TEST(NasCaptures, EveryRealPduRendersToJsonWithTheContractKeys) {
  const auto& pdus = distinct_pdus();
  if (pdus.empty()) GTEST_SKIP() << "tshark or the shared captures are not available";
  for (const auto& p : pdus) {
    const auto j = decode_to_json(p, json_options{.null_decipher = true});
    ASSERT_TRUE(j.is_object());
    if (j.contains("error")) {
      EXPECT_EQ(j["field"], "nas.security_header_type") << to_hex(p);
      continue;
    }
    EXPECT_TRUE(j.contains("epd"));
    EXPECT_TRUE(j.contains("security_header"));
    EXPECT_TRUE(j.contains("message_type"));
    EXPECT_TRUE(j.contains("message"));
    if (j["security_header"] != 0) {
      EXPECT_EQ(j["mac"].get<std::string>().size(), 8u);
      EXPECT_TRUE(j["sqn"].is_number());
    }
  }
}

TEST(NasCaptures, EveryTruncationIsAnErrorOrAnExactPrefixMessage) {
  const auto& pdus = distinct_pdus();
  if (pdus.empty()) GTEST_SKIP() << "tshark or the shared captures are not available";
  std::size_t errors = 0;
  std::size_t ok = 0;
  for (const auto& p : pdus) {
    for (std::size_t len = 0; len < p.size(); ++len) {
      // An exactly sized copy, so that the sanitizer build catches any over-read.
      const byte_buffer cut(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(len));
      nas_message m;
      auto r = decode_into(cut, m, decode_options{.null_decipher = true});
      if (!r) {
        ++errors;
        EXPECT_LE(r.error().offset, len);
        continue;
      }
      ++ok;
      byte_buffer out;
      encode(m, out);
      ASSERT_EQ(to_hex(out), to_hex(cut));
    }
  }
  EXPECT_GT(errors, 0u);
  EXPECT_GT(ok, 0u);
}

}  // namespace
}  // namespace sec5g::nas
