// Real PDUs: differential test against tshark 4.0 on every shared capture, decode -> encode
// byte identity on every PDU, and the committed seed corpus.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "ngap_test_data.hpp"
#include "sec5g/core/hex.hpp"
#include "sec5g/ngap/message.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::ngap {
namespace {

std::string hex16(std::uint16_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04x", v);
  return b;
}

void append(std::string& list, const std::string& v) {
  if (!list.empty()) list.push_back(',');
  list += v;
}

// Our view of a frame in tshark's column layout (see gen_tshark_ngap.sh): pdu type, procedure
// code, RAN/AMF-UE-NGAP-IDs, NAS-PDUs, the four security capability bitmaps, the Cause choice
// and its value per group.
std::vector<std::string> our_fields(const std::vector<byte_buffer>& pdus, std::string& error) {
  std::vector<std::string> f(17);
  std::multiset<std::string> nas;
  for (const auto& b : pdus) {
    auto p = decode_pdu(b);
    if (!p) {
      error = describe(p.error());
      return {};
    }
    append(f[0], std::to_string(static_cast<int>(p->type)));
    append(f[1], std::to_string(p->procedure_code));
    auto m = decode_message(*p);
    if (!m) {
      error = describe(m.error());
      return {};
    }
    // tshark lists every occurrence of each field, in wire order.
    for (const auto& e : p->ies()) {
      switch (e.id) {
      case ie_id::ran_ue_ngap_id: append(f[2], std::to_string(*m->ran_ue_ngap_id)); break;
      case ie_id::amf_ue_ngap_id: append(f[3], std::to_string(*m->amf_ue_ngap_id)); break;
      case ie_id::source_amf_ue_ngap_id:
        append(f[3], std::to_string(*m->source_amf_ue_ngap_id));
        break;
      case ie_id::ue_ngap_ids:
        if (m->ue_ngap_ids) {
          if (m->ue_ngap_ids->ran_ue_ngap_id) {
            append(f[2], std::to_string(*m->ue_ngap_ids->ran_ue_ngap_id));
          }
          append(f[3], std::to_string(m->ue_ngap_ids->amf_ue_ngap_id));
        }
        break;
      case ie_id::cause:
        if (m->cause && m->cause->type != cause::group::extension) {
          const auto g = static_cast<std::size_t>(m->cause->type);
          append(f[11], std::to_string(g));
          append(f[12 + g], std::to_string(m->cause->value));
        }
        break;
      default:
        if (const auto* l = m->find_list(e.id)) {
          // tshark also dissects the Cause inside the items' transfers.
          for (const auto& it : l->items) {
            auto c = decode_transfer_cause(e.id, it.transfer);
            if (c && c->type != cause::group::extension) {
              append(f[12 + static_cast<std::size_t>(c->type)], std::to_string(c->value));
            }
          }
        }
        break;
      case ie_id::ue_security_capabilities: {
        const auto& c = *m->ue_security_capabilities;
        append(f[7], hex16(c.nr_encryption));
        append(f[8], hex16(c.nr_integrity));
        append(f[9], hex16(c.eutra_encryption));
        append(f[10], hex16(c.eutra_integrity));
        break;
      }
      }
    }
    nas_pdu_ref refs[32];
    auto n = collect_nas_pdus(*p, refs);
    if (!n) {
      error = describe(n.error());
      return {};
    }
    for (std::size_t i = 0; i < *n && i < 32; ++i)
      nas.insert(to_hex(refs[i].bytes));
  }
  for (const auto& s : nas)
    append(f[4], s); // compared as a multiset (see below)
  return f;
}

std::string sorted_nas(const std::vector<std::string>& t) {
  std::multiset<std::string> all;
  for (int col : {4, 5, 6}) {
    if (t[static_cast<std::size_t>(col)].empty()) continue;
    for (const auto& s : test::split(t[static_cast<std::size_t>(col)], ','))
      all.insert(s);
  }
  std::string out;
  for (const auto& s : all)
    append(out, s);
  return out;
}

TEST(NgapTshark, EveryNgapPduOfTheSharedCapturesAgreesWithTshark) {
  const auto& frames = test::tshark_frames();
  if (frames.empty()) GTEST_SKIP() << "tshark or the shared captures are not available";
  std::size_t compared = 0, pdus = 0, disagreements = 0;
  std::map<std::string, std::size_t> per_capture;
  for (const auto& fr : frames) {
    if (fr.fields.size() < 17) continue; // tshark did not dissect NGAP in this frame
    ASSERT_FALSE(fr.pdus.empty()) << fr.capture << ":" << fr.frame;
    std::string error;
    auto ours = our_fields(fr.pdus, error);
    ASSERT_TRUE(error.empty()) << fr.capture << ":" << fr.frame << ": " << error;
    ++compared;
    pdus += fr.pdus.size();
    per_capture[fr.capture]++;
    std::vector<std::string> theirs = fr.fields;
    theirs[4] = sorted_nas(theirs);
    static const char* names[] = {"NGAP_PDU", "procedureCode", "RAN_UE_NGAP_ID", "AMF_UE_NGAP_ID",
                                  "NAS-PDUs"};
    for (std::size_t c : {0U, 1U, 2U, 3U, 4U, 7U, 8U, 9U, 10U, 11U, 12U, 13U, 14U, 15U, 16U}) {
      if (ours[c] != theirs[c]) {
        ++disagreements;
        ADD_FAILURE() << fr.capture << ":" << fr.frame << " column " << c << " ("
                      << (c < 5    ? names[c]
                          : c < 11 ? "security capabilities"
                                   : "cause")
                      << "): ours '" << ours[c] << "' tshark '" << theirs[c] << "'";
      }
    }
    if (disagreements > 20) break;
  }
  EXPECT_EQ(disagreements, 0U);
  // Every capture with NGAP contributes; the totals guard against silently empty extraction.
  EXPECT_GE(per_capture.size(), 50U);
  EXPECT_GE(compared, 19000U);
  EXPECT_GE(pdus, 19500U);
}

TEST(NgapTshark, EveryNgapPduOfTheSharedCapturesReencodesByteIdentically) {
  const auto& frames = test::tshark_frames();
  if (frames.empty()) GTEST_SKIP() << "tshark or the shared captures are not available";
  std::size_t n = 0, padded = 0;
  for (const auto& fr : frames) {
    for (const auto& b : fr.pdus) {
      auto m = decode_message(b);
      ASSERT_TRUE(m.has_value()) << fr.capture << ":" << fr.frame << ": " << describe(m.error());
      auto e = encode_message(*m);
      ASSERT_TRUE(e.has_value()) << fr.capture << ":" << fr.frame;
      auto p = decode_pdu(b);
      ASSERT_TRUE(p.has_value());
      if (p->trailing_len != 0) {
        // Only the OAI AMF sends DATA chunks longer than the PDU (its buffer, zero-filled).
        ++padded;
        EXPECT_NE(fr.capture.find("oai"), std::string::npos) << fr.capture << ":" << fr.frame;
      }
      ASSERT_EQ(to_hex(*e), to_hex(p->bytes))
          << fr.capture << ":" << fr.frame << " " << p->message_name();
      ++n;
    }
  }
  EXPECT_GE(n, 19500U);
  EXPECT_GT(padded, 0U);
}

TEST(NgapCorpus, EverySeedDecodesAndReencodesByteIdentically) {
  const auto corpus = test::corpus_pdus();
  ASSERT_GE(corpus.size(), 400U);
  std::set<std::string> kinds;
  for (const auto& [name, b] : corpus) {
    auto p = decode_pdu(b);
    ASSERT_TRUE(p.has_value()) << name << ": " << describe(p.error());
    EXPECT_STRNE(p->message_name(), "unknown") << name;
    kinds.insert(p->message_name());
    auto m = decode_message(*p);
    ASSERT_TRUE(m.has_value()) << name << ": " << describe(m.error());
    auto e = encode_message(*m);
    ASSERT_TRUE(e.has_value()) << name;
    EXPECT_EQ(to_hex(*e), to_hex(p->bytes)) << name;
  }
  EXPECT_GE(kinds.size(), 18U);
}

// Every NAS-PDU offset points at the NAS bytes inside the PDU: replacing them in place with
// same-length bytes (what `sec5g decipher` does) changes exactly those bytes.
TEST(NgapCorpus, NasPduOffsetsAddressTheNasBytesInPlace) {
  std::size_t checked = 0, session_nas = 0;
  for (const auto& [name, b] : test::corpus_pdus()) {
    auto p = decode_pdu(b);
    ASSERT_TRUE(p.has_value());
    nas_pdu_ref refs[16];
    auto n = collect_nas_pdus(*p, refs);
    ASSERT_TRUE(n.has_value()) << name;
    for (std::size_t i = 0; i < *n && i < 16; ++i) {
      const auto& r = refs[i];
      ASSERT_LE(r.offset + r.bytes.size(), b.size());
      ASSERT_EQ(r.bytes.data(), b.data() + r.offset) << name;
      if (r.pdu_session_id >= 0) ++session_nas;
      byte_buffer copy = b;
      for (std::size_t k = 0; k < r.bytes.size(); ++k)
        copy[r.offset + k] ^= 0x5A;
      auto q = decode_pdu(copy);
      ASSERT_TRUE(q.has_value()) << name;
      nas_pdu_ref again[16];
      auto m = collect_nas_pdus(*q, again);
      ASSERT_TRUE(m.has_value());
      ASSERT_EQ(*m, *n);
      EXPECT_EQ(again[i].offset, r.offset);
      EXPECT_EQ(again[i].bytes.size(), r.bytes.size());
      EXPECT_EQ(again[i].bytes[0], static_cast<std::uint8_t>(r.bytes[0] ^ 0x5A));
      ++checked;
    }
  }
  EXPECT_GE(checked, 200U);
  EXPECT_GE(session_nas, 20U);
}

} // namespace
} // namespace sec5g::ngap
