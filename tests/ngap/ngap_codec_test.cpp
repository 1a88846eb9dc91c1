// Unit tests: the APER primitives, the name tables, each IE decoder/encoder, the envelope, and
// the message encoders the synthesizer uses. Hex inputs are real PDUs from the shared captures
// (capture and frame named) or built from the ASN.1 by hand (bits spelled out).
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "ngap/aper.hpp"
#include "ngap/internal.hpp"
#include "sec5g/core/hex.hpp"
#include "sec5g/ngap/ies.hpp"
#include "sec5g/ngap/message.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::ngap {
namespace {

byte_buffer hx(std::string_view text) {
  std::string s(text);
  std::erase(s, ' ');
  auto b = from_hex(s);
  EXPECT_TRUE(b.has_value()) << s;
  return b ? *b : byte_buffer{};
}

// oai_gnbsim.pcap frame 62: NGSetupRequest (gNB id 1 of 22 bits, TAC 0xa000, SST 222 SD 123).
constexpr std::string_view ng_setup_request_hex =
    "00150028000003001b00080002f8590000000400660010000000a0000002f859000016f000007b0015400100";
// oai_gnbsim.pcap frame 70: InitialUEMessage (RAN-UE-NGAP-ID 0, Registration Request).
constexpr std::string_view initial_ue_message_hex =
    "000f40440000050055000200000026001a197e004171000d0102f8592143000000000000132e04802000000079"
    "000f4002f859000004001002f85900a000005a4001180070400100";
// 5greplay_oai_registration.pcap frame 130: InitialContextSetupRequest with K_gNB.
constexpr std::string_view ics_request_hex =
    "000e00809f000007000a0002000800550005c09e06692d001c00070002f859800041007700091c000e00070003"
    "8000005e0020a1a345bdae67d2678a4068e106b76994bbf5461384defa85acc2203625a9d0150026403f3e7e02"
    "810b6714017e0042010177000bf202f8598000410000000854070002f85900a000151208de00007b0000000008"
    "0100000c00000000210201005e01be0000000a22de00007b100800000c";

// ---- APER primitives (X.691) ----

TEST(NgapAper, ConstrainedWholeNumbersUseTheAlignedVariantsWidths) {
  struct row {
    std::uint64_t lb, ub, v;
    const char* hex; // encoding right after a single leading 1-bit
  };
  // A leading 1-bit shows whether the field is octet-aligned (padding) or a bit-field.
  const row rows[] = {
      {0, 2, 2, "c0"},                          // range 3: 2-bit field, no alignment
      {0, 254, 5, "82 80"},                     // range 255: 8-bit field, no alignment
      {0, 255, 5, "80 05"},                     // range 256: one aligned octet
      {0, 65535, 0x1234, "80 1234"},            // range 64K: two aligned octets
      {0, 4294967295ULL, 0x12345, "c0 012345"}, // 2-bit length (3 octets) then aligned
      {0, 1099511627775ULL, 0x0102030405ULL, "c0 0102030405"}, // 3-bit length (5 octets)
      {0, 1099511627775ULL, 8, "80 08"},
  };
  for (const auto& r : rows) {
    byte_buffer out;
    aper::writer w(out);
    w.bit(true);
    w.constrained(r.v, r.lb, r.ub);
    std::string want(r.hex);
    std::erase(want, ' ');
    EXPECT_EQ(to_hex(out), want) << r.ub << " " << r.v;
    aper::reader rd(out);
    ASSERT_TRUE(rd.bit("t").value());
    auto v = rd.constrained(r.lb, r.ub, "t");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(*v, r.v);
  }
}

TEST(NgapAper, ConstrainedWholeNumberAboveItsUpperBoundIsBadValue) {
  const auto b = hx("c0"); // 2-bit field value 3 for a range of 3
  aper::reader r(b);
  auto v = r.constrained(0, 2, "t");
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, decode_errc::bad_value);
  const auto c = hx("e0ffffffffff"); // 5-octet length field value 8 > 5 octets
  aper::reader r2(c);
  EXPECT_FALSE(r2.constrained(0, 1099511627775ULL, "t").has_value());
}

TEST(NgapAper, LengthDeterminantsOneAndTwoOctetsAndFragmentsUnsupported) {
  for (std::uint32_t n : {0U, 1U, 127U, 128U, 300U, 16383U}) {
    byte_buffer out;
    aper::writer w(out);
    w.length(n);
    EXPECT_EQ(out.size(), n < 128 ? 1U : 2U);
    aper::reader r(out);
    EXPECT_EQ(r.length("t").value(), n);
  }
  const auto frag = hx("c1");
  aper::reader r(frag);
  auto v = r.length("t");
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, decode_errc::unsupported);
}

TEST(NgapAper, EnumeratedAndNormallySmallExtensionValues) {
  byte_buffer out;
  aper::writer w(out);
  w.enumerated(3, 10, true);  // root value: ext bit 0 + 4 bits
  w.enumerated(11, 10, true); // extension value 1: ext bit 1 + normally small (0 + 6 bits)
  aper::reader r(out);
  EXPECT_EQ(r.enumerated(10, true, "t").value(), 3U);
  EXPECT_EQ(r.enumerated(10, true, "t").value(), 11U);
  EXPECT_EQ(to_hex(out), "1c08"); // 0 0011 | 1 0 000001
}

TEST(NgapAper, ReadsNeverPassTheEndOfTheView) {
  const auto b = hx("ff");
  aper::reader r(b);
  EXPECT_TRUE(r.bits(7, "t").has_value());
  EXPECT_FALSE(r.bits(2, "t").has_value());
  EXPECT_EQ(r.bits(1, "t").value(), 1U);
  EXPECT_FALSE(r.bit("t").has_value());
  aper::reader r2(b);
  EXPECT_FALSE(r2.octets(2, "t").has_value());
  const auto c = hx("05 0102");
  aper::reader r3(c);
  auto o = r3.octet_string("t");
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().code, decode_errc::truncated);
}

TEST(NgapAper, BitsEqualABitByBitReadAtEveryPositionAndWidthNearTheEnd) {
  // bits() reads through one 64-bit word: a single load with eight octets left, else the
  // octets the field touches. Against a bit-by-bit reference on views of 1..12 octets, from
  // every start bit, for every width that fits (including the last bit of the view).
  byte_buffer all(12);
  std::uint32_t x = 0x9e3779b9u;
  for (auto& o : all) {
    x = x * 1664525u + 1013904223u;
    o = static_cast<std::uint8_t>(x >> 24);
  }
  for (std::size_t len = 1; len <= all.size(); ++len) {
    const bytes_view v = bytes_view(all).first(len);
    for (unsigned start = 0; start < 8 * len; ++start) {
      for (unsigned n = 0; n <= 64 && start + n <= 8 * len; ++n) {
        std::uint64_t want = 0;
        for (unsigned i = start; i < start + n; ++i)
          want = (want << 1) | ((v[i / 8] >> (7 - i % 8)) & 1U);
        aper::reader r(v);
        for (unsigned done = 0; done < start; done += 32)
          ASSERT_TRUE(r.bits(std::min(32U, start - done), "t").has_value());
        const auto got = r.bits(n, "t");
        ASSERT_TRUE(got.has_value()) << len << " " << start << " " << n;
        ASSERT_EQ(*got, want) << len << " " << start << " " << n;
        EXPECT_EQ(r.bit_pos(), start + n);
      }
      aper::reader past(v);
      for (unsigned done = 0; done < start; done += 32)
        ASSERT_TRUE(past.bits(std::min(32U, start - done), "t").has_value());
      EXPECT_FALSE(past.bits(8 * static_cast<unsigned>(len) - start + 1, "t").has_value());
    }
  }
}

// ---- names ----

TEST(NgapAper, IeFieldReadsWhatTheGenericPrimitivesRead) {
  // ie_field against constrained(0, 65535) + bits(2) (> 2 refused) + open_type(): same values,
  // same end position, same errors (code, offset, field) on every prefix of IE fields with one-
  // and two-octet lengths, every criticality value, a fragmented length, and random octets;
  // from bit positions 0..7 (the id is aligned first) and with a base offset.
  auto generic = [](aper::reader& r, std::uint16_t& id, std::uint8_t& crit,
                    aper::octets_view& v) -> std::expected<void, decode_error> {
    auto i = r.constrained(0, 65535, "id");
    if (!i) return std::unexpected(i.error());
    auto c = r.bits(2, "crit");
    if (!c) return std::unexpected(c.error());
    if (*c > 2) return std::unexpected(r.error(decode_errc::bad_value, "crit"));
    auto o = r.open_type("value");
    if (!o) return std::unexpected(o.error());
    id = static_cast<std::uint16_t>(*i);
    crit = static_cast<std::uint8_t>(*c);
    v = *o;
    return {};
  };
  std::vector<byte_buffer> inputs;
  for (std::uint8_t c = 0; c < 4; ++c) {
    inputs.push_back({0x00, 0x55, static_cast<std::uint8_t>(c << 6), 0x03, 0xaa, 0xbb, 0xcc});
    byte_buffer two = {0x01, 0x79, static_cast<std::uint8_t>((c << 6) | 0x15), 0x81, 0x02};
    two.resize(two.size() + 0x102, 0x5a);
    inputs.push_back(two);
  }
  inputs.push_back({0x00, 0x0a, 0x00, 0xc1, 0x00, 0x00});  // fragmented length: unsupported
  std::uint64_t seed = 99;
  for (int k = 0; k < 300; ++k) {
    byte_buffer b(1 + k % 23);
    for (auto& o : b) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      o = static_cast<std::uint8_t>(seed >> 56);
    }
    if (b.size() > 3 && (k & 1)) b[3] &= 0x0f;  // short lengths that fit
    inputs.push_back(b);
  }
  std::size_t checked = 0, ok = 0;
  for (const auto& whole : inputs) {
    for (std::size_t n = 0; n <= whole.size(); ++n) {
      const bytes_view b = bytes_view(whole).first(n);
      for (unsigned skip = 0; skip < 8; ++skip) {
        aper::reader g(b, 40), f(b, 40);
        if (skip > 0 && (!g.bits(skip, "pad") || !f.bits(skip, "pad"))) continue;
        std::uint16_t gi = 0, fi = 0;
        std::uint8_t gc = 0, fc = 0;
        aper::octets_view gv, fv;
        const auto ge = generic(g, gi, gc, gv);
        const auto fe =
            f.ie_field(fi, fc, fv, "id", "crit", "value");
        ++checked;
        ASSERT_EQ(ge.has_value(), fe.has_value()) << "n=" << n << " skip=" << skip;
        if (!ge) {
          EXPECT_EQ(ge.error().code, fe.error().code);
          EXPECT_EQ(ge.error().offset, fe.error().offset);
          EXPECT_STREQ(ge.error().field, fe.error().field);
          continue;
        }
        ++ok;
        EXPECT_EQ(gi, fi);
        EXPECT_EQ(gc, fc);
        EXPECT_EQ(gv.offset, fv.offset);
        EXPECT_EQ(gv.bytes.data(), fv.bytes.data());
        EXPECT_EQ(gv.bytes.size(), fv.bytes.size());
        EXPECT_EQ(g.bit_pos(), f.bit_pos());
      }
    }
  }
  EXPECT_GT(ok, 50u);
  EXPECT_GT(checked, 5000u);
}

TEST(NgapEnvelope, FindAnswersLikeAScanOfTheIes) {
  // find() consults the id bitmap kept by decode_pdu: same answer as a scan, for every id.
  for (std::string_view hex : {ng_setup_request_hex, initial_ue_message_hex}) {
    const byte_buffer b = hx(hex);
    pdu p;
    ASSERT_TRUE(decode_pdu(b, p));
    ASSERT_GT(p.ie_count, 1u);
    for (std::uint32_t id = 0; id < 70000; id = id < 300 ? id + 1 : id * 2) {
      const protocol_ie* want = nullptr;
      for (const auto& e : p.ies())
        if (e.id == id) {
          want = &e;
          break;
        }
      EXPECT_EQ(p.find(static_cast<std::uint16_t>(id)), want) << id;
    }
    // Decoding another PDU into the same object forgets the first one's ids.
    const byte_buffer other = hx(hex == ng_setup_request_hex ? initial_ue_message_hex
                                                             : ng_setup_request_hex);
    ASSERT_TRUE(decode_pdu(other, p));
    const auto first = decode_pdu(b);
    ASSERT_TRUE(first.has_value());
    for (const auto& e : first->ies()) {
      bool in_other = false;
      for (const auto& o : p.ies()) in_other = in_other || o.id == e.id;
      EXPECT_EQ(p.find(e.id) != nullptr, in_other) << e.id;
    }
  }
}

TEST(NgapIes, UserLocationInformationFastPathEqualsTheGeneralDecoder) {
  // decode_user_location_information reads the usual NR form octet by octet: the same result
  // as the general decoder (values, or error code/offset/field) on encodings of every kind,
  // with and without a time stamp, on every prefix, every single-bit flip and with trailing
  // octets.
  auto same = [](bytes_view b, const std::string& what) {
    const auto a = decode_user_location_information(b);
    const auto g = detail::decode_user_location_information_general(b);
    ASSERT_EQ(a.has_value(), g.has_value()) << what;
    if (!a) {
      EXPECT_EQ(a.error().code, g.error().code) << what;
      EXPECT_EQ(a.error().offset, g.error().offset) << what;
      EXPECT_STREQ(a.error().field, g.error().field) << what;
      return;
    }
    EXPECT_EQ(a->type, g->type) << what;
    EXPECT_EQ(a->nr, g->nr) << what;
    EXPECT_EQ(a->eutra, g->eutra) << what;
    EXPECT_EQ(a->ta, g->ta) << what;
    EXPECT_EQ(a->time_stamp, g->time_stamp) << what;
    EXPECT_EQ(a->n3iwf_ip_address.data(), g->n3iwf_ip_address.data()) << what;
    EXPECT_EQ(a->n3iwf_ip_address.size(), g->n3iwf_ip_address.size()) << what;
    EXPECT_EQ(a->n3iwf_ip_address_bits, g->n3iwf_ip_address_bits) << what;
    EXPECT_EQ(a->n3iwf_port, g->n3iwf_port) << what;
    EXPECT_EQ(a->extension_value.data(), g->extension_value.data()) << what;
    EXPECT_EQ(a->extension_value.size(), g->extension_value.size()) << what;
    EXPECT_EQ(a->extension_id, g->extension_id) << what;
    EXPECT_EQ(a->has_extensions, g->has_extensions) << what;
  };
  std::vector<byte_buffer> encodings;
  for (auto kind : {user_location_information::kind::nr, user_location_information::kind::eutra}) {
    for (bool ts : {false, true}) {
      user_location_information u;
      u.type = kind;
      u.nr.plmn = {0x02, 0xf8, 0x39};
      u.nr.nr_cell_identity = 0xabcdef123ULL;
      u.eutra.plmn = {0x00, 0xf1, 0x10};
      u.eutra.eutra_cell_identity = 0xfedcba9;
      u.ta.plmn = {0x13, 0x00, 0x14};
      u.ta.tac = 0x00a00b;
      if (ts) u.time_stamp = 0xe5f6a7b8u;
      auto e = encode_user_location_information(u);
      ASSERT_TRUE(e.has_value());
      encodings.push_back(*e);
    }
  }
  // The NR form must be the one the fast path takes.
  ASSERT_EQ(encodings[0][0] & 0xeeU, 0x40U);
  std::size_t fast_ok = 0;
  for (const auto& enc : encodings) {
    for (std::size_t n = 0; n <= enc.size(); ++n) same(bytes_view(enc).first(n), "prefix");
    byte_buffer longer = enc;
    longer.insert(longer.end(), {0xff, 0x00, 0x7f});
    same(longer, "trailing");
    for (std::size_t bit = 0; bit < enc.size() * 8; ++bit) {
      byte_buffer m = enc;
      m[bit / 8] = static_cast<std::uint8_t>(m[bit / 8] ^ (0x80U >> (bit % 8)));
      same(m, "flip " + std::to_string(bit));
      if (decode_user_location_information(m)) ++fast_ok;
    }
  }
  EXPECT_GT(fast_ok, 100u);
}

TEST(NgapEnvelope, UeIdsEqualTheGeneralReadersOnEveryValueEncoding) {
  // ue_ids reads AMF-/RAN-UE-NGAP-ID values octet by octet: the same ids (or the same error)
  // as detail::read_amf_ue_ngap_id / read_ran_ue_ngap_id on values of every octet count, cut
  // short, with bad counts and with trailing octets.
  std::vector<byte_buffer> values;
  std::uint64_t seed = 7;
  for (int k = 0; k < 400; ++k) {
    byte_buffer b(static_cast<std::size_t>(k % 8));
    for (auto& o : b) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      o = static_cast<std::uint8_t>(seed >> 56);
    }
    values.push_back(b);
  }
  for (std::uint64_t v : {0ull, 1ull, 255ull, 256ull, 65535ull, 0xffffffffull, 0xffffffffffull}) {
    byte_buffer amf, ran;
    aper::writer wa(amf);
    wa.constrained(v, 0, 1099511627775ULL);
    values.push_back(amf);
    if (v <= 0xffffffffull) {
      aper::writer wr(ran);
      wr.constrained(v, 0, 4294967295ULL);
      values.push_back(ran);
    }
  }
  std::size_t ok = 0;
  for (const auto& val : values) {
    for (std::uint16_t id : {ie_id::amf_ue_ngap_id, ie_id::ran_ue_ngap_id}) {
      std::array<protocol_ie, 1> ies{};
      ies[0].id = id;
      ies[0].crit = criticality::reject;
      ies[0].value = val;
      auto enc = encode_pdu(pdu_type::initiating, 46, criticality::ignore, ies);
      ASSERT_TRUE(enc.has_value());
      auto p = decode_pdu(*enc);
      ASSERT_TRUE(p.has_value());
      const auto got = ue_ids(*p);
      aper::reader r(p->ies()[0].value, p->ies()[0].value_offset);
      if (id == ie_id::amf_ue_ngap_id) {
        const auto want = detail::read_amf_ue_ngap_id(r);
        ASSERT_EQ(got.has_value(), want.has_value());
        if (want) {
          EXPECT_EQ(got->amf_ue_ngap_id, *want);
          ++ok;
        } else {
          EXPECT_EQ(got.error().code, want.error().code);
          EXPECT_EQ(got.error().offset, want.error().offset);
        }
      } else {
        const auto want = detail::read_ran_ue_ngap_id(r);
        ASSERT_EQ(got.has_value(), want.has_value());
        if (want) {
          EXPECT_EQ(got->ran_ue_ngap_id, *want);
          ++ok;
        } else {
          EXPECT_EQ(got.error().code, want.error().code);
          EXPECT_EQ(got.error().offset, want.error().offset);
        }
      }
    }
  }
  EXPECT_GT(ok, 300u);
}

TEST(NgapNames, ProcedureMessageAndIeNamesFollowTheSpec) {
  EXPECT_STREQ(procedure_name(procedure::initial_context_setup), "InitialContextSetup");
  EXPECT_STREQ(procedure_name(procedure::handover_preparation), "HandoverPreparation");
  EXPECT_STREQ(procedure_name(procedure::connection_establishment_indication),
               "ConnectionEstablishmentIndication");
  EXPECT_STREQ(procedure_name(200), "unknown");
  EXPECT_STREQ(message_name(pdu_type::initiating, 14), "InitialContextSetupRequest");
  EXPECT_STREQ(message_name(pdu_type::successful, 14), "InitialContextSetupResponse");
  EXPECT_STREQ(message_name(pdu_type::unsuccessful, 14), "InitialContextSetupFailure");
  EXPECT_STREQ(message_name(pdu_type::initiating, 12), "HandoverRequired");
  EXPECT_STREQ(message_name(pdu_type::successful, 12), "HandoverCommand");
  EXPECT_STREQ(message_name(pdu_type::unsuccessful, 12), "HandoverPreparationFailure");
  EXPECT_STREQ(message_name(pdu_type::initiating, 11), "HandoverNotify");
  EXPECT_STREQ(message_name(pdu_type::successful, 25), "PathSwitchRequestAcknowledge");
  EXPECT_STREQ(message_name(pdu_type::successful, 41), "UEContextReleaseComplete");
  EXPECT_STREQ(message_name(pdu_type::successful, 15), "unknown"); // class 2
  EXPECT_STREQ(ie_name(ie_id::amf_ue_ngap_id), "AMF-UE-NGAP-ID");
  EXPECT_STREQ(ie_name(ie_id::ue_security_capabilities), "UESecurityCapabilities");
  EXPECT_STREQ(ie_name(156), "SecurityResult");
  EXPECT_STREQ(ie_name(274), "Extended-AMFName");
  EXPECT_STREQ(ie_name(275), "GlobalCable-ID");
  EXPECT_STREQ(ie_name(359), "ManagementBasedMDTPLMNModificationList");
  EXPECT_STREQ(ie_name(360), "unknown");
  EXPECT_STREQ(ie_name(113), "unknown");
  EXPECT_STREQ(message_name(pdu_type::unsuccessful, 66), "BroadcastSessionModificationFailure");
  EXPECT_STREQ(message_name(pdu_type::initiating, 75), "BroadcastSessionReleaseRequired");
  EXPECT_STREQ(procedure_name(80), "BroadcastSessionTransport");
  EXPECT_STREQ(procedure_name(81), "unknown");
  EXPECT_EQ(procedure_criticality(procedure::initial_ue_message), criticality::ignore);
  EXPECT_EQ(procedure_criticality(procedure::ng_setup), criticality::reject);
}

// ---- envelope ----

TEST(NgapEnvelope, DecodesTypeProcedureCriticalityAndIeViews) {
  const auto b = hx(initial_ue_message_hex);
  auto p = decode_pdu(b);
  ASSERT_TRUE(p.has_value()) << describe(p.error());
  EXPECT_EQ(p->type, pdu_type::initiating);
  EXPECT_EQ(p->procedure_code, procedure::initial_ue_message);
  EXPECT_EQ(p->crit, criticality::ignore);
  EXPECT_STREQ(p->message_name(), "InitialUEMessage");
  ASSERT_EQ(p->ies().size(), 5U);
  EXPECT_EQ(p->ies()[0].id, ie_id::ran_ue_ngap_id);
  EXPECT_EQ(p->ies()[0].crit, criticality::reject);
  EXPECT_EQ(p->ies()[1].id, ie_id::nas_pdu);
  EXPECT_EQ(p->ies()[4].id, ie_id::ue_context_request);
  EXPECT_EQ(p->trailing_len, 0U);
  EXPECT_EQ(p->bytes.size(), b.size());
  // Views point into the input.
  for (const auto& e : p->ies())
    EXPECT_EQ(e.value.data(), b.data() + e.value_offset);
  auto ids = ue_ids(*p);
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(ids->ran_ue_ngap_id, 0U);
  EXPECT_FALSE(ids->amf_ue_ngap_id.has_value());
}

TEST(NgapEnvelope, OctetHeaderEqualsTheGeneralReaderOnEveryHeaderEncoding) {
  // decode_pdu reads the usual header (CHOICE bit and index, procedure code, criticality, a
  // one- or two-octet length) in whole octets: the same PDU, or the same error (code, offset,
  // field), as detail::decode_pdu_general on headers of every first, third and length octet,
  // value lengths short, exact and long, and real messages cut at every length.
  std::vector<byte_buffer> inputs;
  const auto msg = hx(initial_ue_message_hex);
  for (std::size_t cut = 0; cut <= msg.size(); ++cut)
    inputs.emplace_back(msg.begin(), msg.begin() + static_cast<std::ptrdiff_t>(cut));
  std::uint64_t seed = 11;
  auto next = [&] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint8_t>(seed >> 56);
  };
  for (int first : {0x00, 0x20, 0x40, 0x60, 0x80, 0x1f, 0x3f}) {
    for (int third : {0x00, 0x40, 0x80, 0xc0, 0x3f}) {
      for (int len : {0x00, 0x03, 0x05, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xff}) {
        for (std::size_t body : {0u, 1u, 2u, 3u, 5u, 8u, 40u, 300u}) {
          byte_buffer b = {static_cast<std::uint8_t>(first), next(),
                           static_cast<std::uint8_t>(third), static_cast<std::uint8_t>(len)};
          if (len >= 0x80 && body > 0) b.push_back(static_cast<std::uint8_t>(body % 7));
          // A value that starts like a message: extension bit, an IE count, one IE.
          const byte_buffer value = {0x00, 0x00, 0x01, 0x00, 0x55, 0x00, 0x02, 0x12, 0x34};
          for (std::size_t i = 0; i < body; ++i)
            b.push_back(i < value.size() ? value[i] : next());
          inputs.push_back(b);
        }
      }
    }
  }
  std::size_t decoded = 0;
  for (const auto& in : inputs) {
    pdu a, g;
    const auto ra = decode_pdu(in, a);
    const auto rg = detail::decode_pdu_general(in, g);
    ASSERT_EQ(ra.has_value(), rg.has_value()) << to_hex(in);
    if (!rg) {
      EXPECT_EQ(ra.error().code, rg.error().code) << to_hex(in);
      EXPECT_EQ(ra.error().offset, rg.error().offset) << to_hex(in);
      EXPECT_STREQ(ra.error().field, rg.error().field) << to_hex(in);
      continue;
    }
    ++decoded;
    EXPECT_EQ(a.type, g.type);
    EXPECT_EQ(a.procedure_code, g.procedure_code);
    EXPECT_EQ(a.crit, g.crit);
    EXPECT_EQ(a.bytes.data(), g.bytes.data());
    EXPECT_EQ(a.bytes.size(), g.bytes.size());
    EXPECT_EQ(a.trailing_len, g.trailing_len);
    EXPECT_EQ(a.value.data(), g.value.data());
    EXPECT_EQ(a.value.size(), g.value.size());
    EXPECT_EQ(a.value_offset, g.value_offset);
    EXPECT_EQ(a.extended, g.extended);
    EXPECT_EQ(a.private_ies, g.private_ies);
    EXPECT_EQ(a.ids_below_256, g.ids_below_256);
    ASSERT_EQ(a.ies().size(), g.ies().size());
    for (std::size_t i = 0; i < a.ies().size(); ++i) {
      EXPECT_EQ(a.ies()[i].id, g.ies()[i].id);
      EXPECT_EQ(a.ies()[i].value.data(), g.ies()[i].value.data());
      EXPECT_EQ(a.ies()[i].value.size(), g.ies()[i].value.size());
      EXPECT_EQ(a.ies()[i].value_offset, g.ies()[i].value_offset);
    }
  }
  EXPECT_GT(decoded, 30u);  // both outcomes were compared
}

TEST(NgapEnvelope, TrailingBytesAreToleratedAndCounted) {
  auto b = hx(initial_ue_message_hex);
  b.insert(b.end(), 7, 0);
  auto p = decode_pdu(b);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->trailing_len, 7U);
  EXPECT_EQ(p->bytes.size(), b.size() - 7);
}

TEST(NgapEnvelope, MalformedEnvelopesAreNamedErrors) {
  auto ext = decode_pdu(hx("80")); // NGAP-PDU choice extension
  ASSERT_FALSE(ext.has_value());
  EXPECT_EQ(ext.error().code, decode_errc::unsupported);
  auto bad_type = decode_pdu(hx("6000000100")); // choice index 3
  ASSERT_FALSE(bad_type.has_value());
  EXPECT_EQ(bad_type.error().code, decode_errc::bad_value);
  auto bad_crit = decode_pdu(hx("000fc00100")); // criticality 3
  ASSERT_FALSE(bad_crit.has_value());
  EXPECT_EQ(bad_crit.error().code, decode_errc::bad_value);
  auto empty = decode_pdu(bytes_view{});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, decode_errc::truncated);
  auto frag = decode_pdu(hx("000f40c1")); // fragmented open type
  ASSERT_FALSE(frag.has_value());
  EXPECT_EQ(frag.error().code, decode_errc::unsupported);
  // 65 IEs announced: over max_ies.
  auto many = decode_pdu(hx("000f4003000041"));
  ASSERT_FALSE(many.has_value());
  EXPECT_EQ(many.error().code, decode_errc::length_too_large);
  // An IE value longer than its container.
  auto over = decode_pdu(hx("000f400700000100554005"));
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, decode_errc::truncated);
}

TEST(NgapEnvelope, UnknownIesAreKeptRawAndReencoded) {
  // InitialUEMessage with an IE id 999 (unknown) between RAN-UE-NGAP-ID and NAS-PDU.
  const auto ran = hx("0007"), unknown = hx("deadbeef"), nas = hx("027e00");
  const protocol_ie ies[] = {
      {ie_id::ran_ue_ngap_id, criticality::reject, ran, 0},
      {999, criticality::ignore, unknown, 0},
      {ie_id::nas_pdu, criticality::reject, nas, 0},
  };
  auto b =
      encode_pdu(pdu_type::initiating, procedure::initial_ue_message, criticality::ignore, ies);
  ASSERT_TRUE(b.has_value());
  auto m = decode_message(*b);
  ASSERT_TRUE(m.has_value()) << describe(m.error());
  ASSERT_EQ(m->other_ies.size(), 1U);
  EXPECT_EQ(m->other_ies[0].id, 999);
  EXPECT_STREQ(ie_name(999), "unknown");
  EXPECT_EQ(to_hex(m->other_ies[0].value), "deadbeef");
  EXPECT_EQ(m->ran_ue_ngap_id, 7U);
  auto again = encode_message(*m);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(to_hex(*again), to_hex(*b));
}

TEST(NgapEnvelope, PrivateMessageContainerIsNotWalked) {
  auto b = encode_pdu(pdu_type::initiating, procedure::private_message, criticality::ignore, {});
  ASSERT_TRUE(b.has_value());
  auto p = decode_pdu(*b);
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->private_ies);
  EXPECT_TRUE(p->ies().empty());
}

// ---- IEs from real PDUs ----

TEST(NgapIes, NgSetupRequestFromOaiGnbsim) {
  const auto b = hx(ng_setup_request_hex);
  auto m = decode_message(b);
  ASSERT_TRUE(m.has_value()) << describe(m.error());
  ASSERT_TRUE(m->global_ran_node_id.has_value());
  const auto& g = *m->global_ran_node_id;
  EXPECT_EQ(g.type, global_ran_node_id::kind::gnb);
  EXPECT_EQ(plmn_to_string(g.plmn), "208-95");
  EXPECT_EQ(g.node_id, 1U);
  EXPECT_EQ(g.node_id_bits, 22);
  ASSERT_TRUE(m->supported_ta_list.has_value());
  ASSERT_EQ(m->supported_ta_list->size(), 1U);
  const auto& ta = (*m->supported_ta_list)[0];
  EXPECT_EQ(ta.tac, 0xa000U);
  ASSERT_EQ(ta.broadcast_plmns.size(), 1U);
  ASSERT_EQ(ta.broadcast_plmns[0].slices.size(), 1U);
  EXPECT_EQ(ta.broadcast_plmns[0].slices[0].sst, 222);
  EXPECT_EQ(ta.broadcast_plmns[0].slices[0].sd, 123U);
  EXPECT_EQ(m->default_paging_drx, 0); // v32
  EXPECT_FALSE(m->ran_node_name.has_value());
  // Spec order and criticalities: the encoder reproduces the PDU from the domain struct alone.
  message clean = *m;
  clean.ie_order.clear();
  clean.crit.reset();
  auto e = encode_message(clean);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(to_hex(*e), to_hex(b));
}

TEST(NgapIes, InitialUeMessageFromOaiGnbsim) {
  const auto b = hx(initial_ue_message_hex);
  auto m = decode_message(b);
  ASSERT_TRUE(m.has_value()) << describe(m.error());
  EXPECT_EQ(m->ran_ue_ngap_id, 0U);
  ASSERT_TRUE(m->nas_pdu.has_value());
  EXPECT_EQ(m->nas_pdu->bytes.size(), 0x19U);
  EXPECT_EQ(m->nas_pdu->bytes[0], 0x7e);
  EXPECT_EQ(m->nas_pdu->offset, 18U); // open type length at 16, octet string length at 17
  EXPECT_EQ(m->nas_pdu->bytes.data(), b.data() + 18);
  ASSERT_TRUE(m->user_location_information.has_value());
  const auto& u = *m->user_location_information;
  EXPECT_EQ(u.type, user_location_information::kind::nr);
  EXPECT_EQ(plmn_to_string(u.nr.plmn), "208-95");
  EXPECT_EQ(u.nr.nr_cell_identity, 0x4001U);
  EXPECT_EQ(u.ta.tac, 0xa000U);
  EXPECT_FALSE(u.time_stamp.has_value());
  EXPECT_EQ(m->rrc_establishment_cause, 3); // mo-Signalling
  EXPECT_STREQ(rrc_establishment_cause_name(*m->rrc_establishment_cause), "mo-Signalling");
  EXPECT_EQ(m->ue_context_request, 0);
  message clean = *m;
  clean.ie_order.clear();
  auto e = encode_message(clean);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(to_hex(*e), to_hex(b));
}

TEST(NgapIes, InitialContextSetupRequestSecurityIes) {
  const auto b = hx(ics_request_hex);
  auto m = decode_message(b);
  ASSERT_TRUE(m.has_value()) << describe(m.error());
  EXPECT_STREQ(message_name(m->type, m->procedure_code), "InitialContextSetupRequest");
  EXPECT_EQ(m->amf_ue_ngap_id, 8U);
  EXPECT_EQ(m->ran_ue_ngap_id, 2651220269U);
  ASSERT_TRUE(m->ue_security_capabilities.has_value());
  const auto& c = *m->ue_security_capabilities;
  EXPECT_EQ(c.nr_encryption, 0xE000);
  EXPECT_EQ(c.nr_integrity, 0xE000);
  EXPECT_EQ(c.eutra_encryption, 0xE000);
  EXPECT_EQ(c.eutra_integrity, 0xE000);
  EXPECT_TRUE(has_algorithm(c.nr_integrity, 2));
  EXPECT_TRUE(has_algorithm(c.nr_integrity, 0));
  ASSERT_TRUE(m->security_key.has_value());
  EXPECT_EQ(to_hex(*m->security_key),
            "a1a345bdae67d2678a4068e106b76994bbf5461384defa85acc2203625a9d015");
  ASSERT_TRUE(m->guami.has_value());
  EXPECT_EQ(plmn_to_string(m->guami->plmn), "208-95");
  EXPECT_EQ(m->guami->amf_region_id, 0x80);
  EXPECT_EQ(m->guami->amf_set_id, 1);
  EXPECT_EQ(m->guami->amf_pointer, 1);
  ASSERT_TRUE(m->allowed_nssai.has_value());
  ASSERT_EQ(m->allowed_nssai->size(), 2U);
  EXPECT_EQ((*m->allowed_nssai)[0], (s_nssai{222, 123}));
  EXPECT_EQ((*m->allowed_nssai)[1], (s_nssai{1, 12}));
  ASSERT_TRUE(m->nas_pdu.has_value());
  EXPECT_EQ(m->nas_pdu->bytes[0], 0x7e);
  // Per-IE re-encoding is byte-identical.
  auto p = decode_pdu(b);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(to_hex(encode_ue_security_capabilities(c).value()),
            to_hex(p->find(ie_id::ue_security_capabilities)->value));
  EXPECT_EQ(to_hex(encode_security_key(*m->security_key).value()),
            to_hex(p->find(ie_id::security_key)->value));
  EXPECT_EQ(to_hex(encode_guami(*m->guami).value()), to_hex(p->find(ie_id::guami)->value));
  EXPECT_EQ(to_hex(encode_amf_ue_ngap_id(8).value()),
            to_hex(p->find(ie_id::amf_ue_ngap_id)->value));
  EXPECT_EQ(to_hex(encode_ran_ue_ngap_id(2651220269U).value()),
            to_hex(p->find(ie_id::ran_ue_ngap_id)->value));
  EXPECT_EQ(to_hex(encode_allowed_nssai(*m->allowed_nssai).value()),
            to_hex(p->find(ie_id::allowed_nssai)->value));
}

TEST(NgapIes, IdsOutOfRangeAreRejectedByEncoders) {
  EXPECT_FALSE(encode_amf_ue_ngap_id(1ULL << 40).has_value());
  EXPECT_TRUE(encode_amf_ue_ngap_id((1ULL << 40) - 1).has_value());
  EXPECT_FALSE(encode_ran_ue_ngap_id(1ULL << 32).has_value());
  EXPECT_FALSE(encode_security_key(hx("00")).has_value());
  EXPECT_FALSE(encode_printable_name("").has_value());
  EXPECT_FALSE(encode_five_g_s_tmsi({1024, 0, 0}).has_value());
  global_ran_node_id g;
  g.node_id = 1U << 22;
  g.node_id_bits = 22;
  EXPECT_FALSE(encode_global_ran_node_id(g).has_value());
}

TEST(NgapIes, RoundTripOfEachDomainType) {
  const auto nh = hx("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const security_context sc{5, nh};
  auto v = encode_security_context(sc);
  ASSERT_TRUE(v.has_value());
  auto d = decode_security_context(*v);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->next_hop_chaining_count, 5);
  EXPECT_EQ(to_hex(d->next_hop), to_hex(sc.next_hop));

  const five_g_s_tmsi s{0x3ff, 0x2a, 0xdeadbeef};
  EXPECT_EQ(decode_five_g_s_tmsi(encode_five_g_s_tmsi(s).value()).value(), s);

  for (const cause c : {cause{cause::group::radio_network, 20}, cause{cause::group::nas, 0},
                        cause{cause::group::misc, 5}, cause{cause::group::radio_network, 47}}) {
    EXPECT_EQ(decode_cause(encode_cause(c).value()).value(), c);
  }
  for (const auto& g :
       {global_ran_node_id{global_ran_node_id::kind::gnb, {0x02, 0xf8, 0x39}, 0x3fffffff, 30},
        global_ran_node_id{global_ran_node_id::kind::ng_enb, {0x00, 0xf1, 0x10}, 0x3ffff, 18},
        global_ran_node_id{global_ran_node_id::kind::n3iwf, {0x00, 0xf1, 0x10}, 0xabcd, 16}}) {
    EXPECT_EQ(decode_global_ran_node_id(encode_global_ran_node_id(g).value()).value(), g);
  }
  user_location_information u;
  u.type = user_location_information::kind::eutra;
  u.eutra = {{0x00, 0xf1, 0x10}, 0xabcdef1};
  u.ta = {{0x00, 0xf1, 0x10}, 0x000001};
  u.time_stamp = 0xe1a2b3c4;
  auto ud = decode_user_location_information(encode_user_location_information(u).value());
  ASSERT_TRUE(ud.has_value());
  EXPECT_EQ(ud->type, u.type);
  EXPECT_EQ(ud->eutra, u.eutra);
  EXPECT_EQ(ud->ta, u.ta);
  EXPECT_EQ(ud->time_stamp, u.time_stamp);

  const std::vector<served_guami_item> guamis = {
      {{{0x02, 0xf8, 0x39}, 0xca, 0x3fe, 0x3f}, "backup-amf"},
      {{{0x00, 0xf1, 0x10}, 0x01, 0x001, 0x01}, std::nullopt}};
  const auto guami_bytes = encode_served_guami_list(guamis).value();
  auto gd = decode_served_guami_list(guami_bytes);
  ASSERT_TRUE(gd.has_value());
  ASSERT_EQ(gd->size(), 2U);
  EXPECT_EQ((*gd)[0].value, guamis[0].value);
  EXPECT_EQ((*gd)[0].backup_amf_name, "backup-amf");
  EXPECT_FALSE((*gd)[1].backup_amf_name.has_value());

  const std::vector<plmn_support_item> plmns = {
      {{0x02, 0xf8, 0x39}, {{1, std::nullopt}, {2, 0x010203}}}};
  EXPECT_EQ(decode_plmn_support_list(encode_plmn_support_list(plmns).value()).value(), plmns);
  const auto name_bytes = encode_printable_name("OAI-AMF").value();
  EXPECT_EQ(decode_printable_name(name_bytes).value(), "OAI-AMF");
  EXPECT_EQ(decode_relative_amf_capacity(encode_relative_amf_capacity(255).value()).value(), 255);
  EXPECT_EQ(decode_rrc_establishment_cause(encode_rrc_establishment_cause(11).value()).value(), 11);
}

TEST(NgapIes, CauseValuesHaveTheirSpecNames) {
  EXPECT_STREQ(cause_value_name({cause::group::nas, 1}), "authentication-failure");
  EXPECT_STREQ(cause_value_name({cause::group::radio_network, 20}), "user-inactivity");
  EXPECT_STREQ(cause_value_name({cause::group::radio_network, 44}),
               "release-due-to-cn-detected-mobility");
  EXPECT_STREQ(cause_value_name({cause::group::radio_network, 50}), "cag-only-access-denied");
  EXPECT_STREQ(cause_value_name({cause::group::radio_network, 51}), "unknown");
  EXPECT_STREQ(cause_value_name({cause::group::protocol, 6}), "unspecified");
  EXPECT_STREQ(cause_value_name({cause::group::misc, 4}), "unknown-PLMN");
  EXPECT_STREQ(cause_value_name({cause::group::transport, 1}), "unspecified");
  EXPECT_STREQ(cause_value_name({cause::group::extension, 0}), "unknown");
  EXPECT_STREQ(cause_group_name(cause::group::radio_network), "radioNetwork");
}

TEST(NgapIes, UeSecurityCapabilityBitmapOfExtendedLengthKeepsTheFirst16Bits) {
  // nR enc: ext bit 1, length 24, bits c0 00 ff; others 16-bit root.
  byte_buffer v;
  aper::writer w(v);
  w.bit(false);
  w.bit(false);
  w.bit(true);
  const std::uint8_t ext_bits[] = {0xc0, 0x00, 0xff};
  w.length(24);
  w.octets(ext_bits);
  for (int i = 0; i < 3; ++i) {
    w.bit(false);
    w.bits(0x4000, 16);
  }
  auto c = decode_ue_security_capabilities(v);
  ASSERT_TRUE(c.has_value()) << describe(c.error());
  EXPECT_TRUE(c->extended_length);
  EXPECT_EQ(c->nr_encryption, 0xC000);
  EXPECT_EQ(c->nr_integrity, 0x4000);
  EXPECT_EQ(c->eutra_integrity, 0x4000);
}

TEST(NgapIes, SecurityIndicationOfASetupRequestTransfer) {
  // PDUSessionResourceSetupRequestTransfer { protocolIEs: { PDUSessionType ipv4v6 (134),
  //   SecurityIndication { required, preferred, maximumIntegrityProtectedDataRate-UL
  //   maximum-UE-rate } (138) } }
  // SecurityIndication bits: ext 0 | opt 1 0 | 0 00 (required) | 0 01 (preferred) | 0 1 (max).
  const auto t = hx("000002 0086 4001 20 008a 4002 40a0");
  auto d = decode_setup_request_transfer(t);
  ASSERT_TRUE(d.has_value()) << describe(d.error());
  ASSERT_TRUE(d->security.has_value());
  EXPECT_EQ(d->security->integrity, up_protection_indication::required);
  EXPECT_EQ(d->security->confidentiality, up_protection_indication::preferred);
  EXPECT_EQ(d->security->max_integrity_protected_data_rate_ul, 1);
  EXPECT_EQ(d->pdu_session_type, 2);
  EXPECT_STREQ(to_string(d->security->integrity), "required");
}

TEST(NgapIes, SecurityIndicationAloneSkipsTheOtherIes) {
  // The same transfer: decode_setup_request_security gives what the full decoder gives.
  const auto t = hx("000002 0086 4001 20 008a 4002 40a0");
  auto s = decode_setup_request_security(t);
  ASSERT_TRUE(s.has_value()) << describe(s.error());
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ(**s, *decode_setup_request_transfer(t)->security);
  // Without the SecurityIndication: none, not an error.
  auto none = decode_setup_request_security(hx("000001 0086 4001 20"));
  ASSERT_TRUE(none.has_value()) << describe(none.error());
  EXPECT_FALSE(none->has_value());
  // A PDUSessionType IE whose value ends early (an empty open type): the full decoder fails,
  // the SecurityIndication after it is still read.
  const auto bad_type = hx("000002 0086 4000 008a 4002 40a0");
  EXPECT_FALSE(decode_setup_request_transfer(bad_type).has_value());
  auto s2 = decode_setup_request_security(bad_type);
  ASSERT_TRUE(s2.has_value()) << describe(s2.error());
  ASSERT_TRUE(s2->has_value());
  EXPECT_EQ((*s2)->integrity, up_protection_indication::required);
  // The container cut anywhere: an error (or no indication), never a read past the end.
  for (std::size_t n = 0; n < t.size(); ++n) {
    auto c = decode_setup_request_security(bytes_view(t).first(n));
    EXPECT_TRUE(!c.has_value() || !c->has_value()) << n;
  }
}

TEST(NgapIes, SecurityResultOfASetupResponseTransfer) {
  // PDUSessionResourceSetupResponseTransfer: ext 0, opt {additionalDL 0, securityResult 1,
  // qosFlowFailed 0, iE-Ext 0}; dLQosFlowPerTNLInformation { GTP tunnel 10.0.0.1 TEID 1,
  // one QoS flow 9 }; securityResult { performed, not-performed }.
  byte_buffer t;
  aper::writer w(t);
  w.bit(false);
  w.bits(0b0100, 4);
  w.bit(false); // QosFlowPerTNLInformation ext
  w.bit(false); //   iE-Ext absent
  w.bits(0, 1); //   UPTransportLayerInformation: gTPTunnel
  w.bit(false); //   GTPTunnel ext
  w.bit(false); //   iE-Ext absent
  w.bit(false); //   TransportLayerAddress ext
  w.constrained(32, 1, 160);
  const std::uint8_t ip[] = {10, 0, 0, 1};
  w.octets(ip);
  const std::uint8_t teid[] = {0, 0, 0, 1};
  w.octets(teid);
  w.constrained(1, 1, 64); // associatedQosFlowList: 1 item
  w.bit(false);            //   item ext
  w.bits(0, 2);            //   no mapping, no iE-Ext
  w.bit(false);            //   QFI ext
  w.bits(9, 6);
  w.bit(false); // SecurityResult ext
  w.bit(false); //   iE-Ext absent
  w.enumerated(0, 2, true);
  w.enumerated(1, 2, true);
  auto d = decode_setup_response_transfer(t);
  ASSERT_TRUE(d.has_value()) << describe(d.error());
  ASSERT_TRUE(d->security.has_value());
  EXPECT_EQ(d->security->integrity, up_protection_result::performed);
  EXPECT_EQ(d->security->confidentiality, up_protection_result::not_performed);
}

// ---- transfer encoders: round trip, refusals, the bytes the synthesizer has always sent ----

const std::uint8_t upf_ip[4] = {10, 45, 0, 1};
const std::uint8_t gnb_ip[4] = {10, 1, 3, 10};

qos_flow_setup_request_item qfi1_5qi9_arp8() {
  qos_flow_setup_request_item q;
  q.qfi = 1;
  q.five_qi = 9;
  q.arp_priority_level = 8;
  q.pre_emptable = true;
  return q;
}

setup_request_transfer synth_request(up_protection_indication i, up_protection_indication c,
                                     std::uint32_t teid) {
  setup_request_transfer t;
  t.session_ambr_dl = 1'000'000'000;
  t.session_ambr_ul = 1'000'000'000;
  t.ul_tunnel = ipv4_tunnel(upf_ip, teid);
  t.pdu_session_type = 0;
  t.security = security_indication{i, c, std::nullopt};
  if (i != up_protection_indication::not_needed)
    t.security->max_integrity_protected_data_rate_ul = 1;
  t.qos_flows.push_back(qfi1_5qi9_arp8());
  return t;
}

template <class T, class D>
void expect_transfer_round_trip(const T& t, std::expected<byte_buffer, decode_error> enc, D dec) {
  ASSERT_TRUE(enc.has_value()) << describe(enc.error());
  auto d = dec(*enc);
  ASSERT_TRUE(d.has_value()) << describe(d.error()) << " in " << to_hex(*enc);
  EXPECT_TRUE(*d == t) << to_hex(*enc);
}

TEST(NgapTransfers, EncodersWriteTheBytesTheSynthesizerSent) {
  // Reference bytes: the synthesizer's hand-written APER of commit 50bbcaa (before it used
  // these encoders), for the same values.
  EXPECT_EQ(to_hex(encode_setup_request_transfer(synth_request(up_protection_indication::preferred,
                                                               up_protection_indication::preferred,
                                                               0x12345678))
                       .value()),
            "0000050082000a0c3b9aca00303b9aca00008b000a01f00a2d0001123456780086000100008a0002"
            "44a00088000700010000091c40");
  EXPECT_EQ(
      to_hex(encode_setup_request_transfer(synth_request(up_protection_indication::not_needed,
                                                         up_protection_indication::required, 1))
                 .value()),
      "0000050082000a0c3b9aca00303b9aca00008b000a01f00a2d0001000000010086000100008a0002"
      "08000088000700010000091c40");
  setup_response_transfer rsp;
  rsp.dl.tunnel = ipv4_tunnel(gnb_ip, 0x9abcdef0);
  rsp.dl.qfis = {1};
  rsp.security = security_result{up_protection_result::performed, up_protection_result::performed};
  EXPECT_EQ(to_hex(encode_setup_response_transfer(rsp).value()), "2003e00a01030a9abcdef0000100");
  rsp.dl.tunnel = ipv4_tunnel(gnb_ip, 7);
  rsp.security->integrity = up_protection_result::not_performed;
  EXPECT_EQ(to_hex(encode_setup_response_transfer(rsp).value()), "2003e00a01030a00000007000110");
  path_switch_request_transfer psr;
  psr.dl_tunnel = ipv4_tunnel(gnb_ip, 0xdeadbeef);
  psr.accepted_qfis = {1};
  EXPECT_EQ(to_hex(encode_path_switch_request_transfer(psr).value()), "001f0a01030adeadbeef0002");
  path_switch_ack_transfer psa;
  psa.ul_tunnel = ipv4_tunnel(upf_ip, 0x01020304);
  EXPECT_EQ(to_hex(encode_path_switch_ack_transfer(psa).value()), "401f0a2d000101020304");
}

TEST(NgapTransfers, DecodeOfEncodeGivesBackEveryTransfer) {
  auto req = synth_request(up_protection_indication::required, up_protection_indication::preferred,
                           0xFFFFFFFF);
  expect_transfer_round_trip(req, encode_setup_request_transfer(req),
                             decode_setup_request_transfer);
  // No AMBR, no SecurityIndication, an IPv6+IPv4 (160-bit) tunnel, three flows, big bit rates.
  setup_request_transfer t2;
  t2.ul_tunnel = gtp_tunnel{};
  for (std::size_t i = 0; i < 20; ++i)
    t2.ul_tunnel->address[i] = static_cast<std::uint8_t>(i + 1);
  t2.ul_tunnel->address_bits = 160;
  t2.ul_tunnel->teid = 42;
  t2.pdu_session_type = 4;
  for (std::uint8_t q = 0; q < 3; ++q) {
    qos_flow_setup_request_item item;
    item.qfi = static_cast<std::uint8_t>(61 + q);
    item.five_qi = static_cast<std::uint8_t>(250 + q);
    item.arp_priority_level = static_cast<std::uint8_t>(1 + 7 * q);
    item.may_trigger_pre_emption = q == 1;
    t2.qos_flows.push_back(item);
  }
  expect_transfer_round_trip(t2, encode_setup_request_transfer(t2), decode_setup_request_transfer);
  t2.session_ambr_dl = 4'000'000'000'000ULL;
  t2.session_ambr_ul = 0;
  t2.security = security_indication{up_protection_indication::not_needed,
                                    up_protection_indication::not_needed, 0};
  expect_transfer_round_trip(t2, encode_setup_request_transfer(t2), decode_setup_request_transfer);

  setup_response_transfer rsp;
  rsp.dl.tunnel = ipv4_tunnel(gnb_ip, 5);
  rsp.dl.qfis = {0, 63, 7};
  expect_transfer_round_trip(rsp, encode_setup_response_transfer(rsp),
                             decode_setup_response_transfer);
  rsp.security =
      security_result{up_protection_result::not_performed, up_protection_result::not_performed};
  expect_transfer_round_trip(rsp, encode_setup_response_transfer(rsp),
                             decode_setup_response_transfer);

  path_switch_request_transfer psr;
  psr.dl_tunnel = ipv4_tunnel(gnb_ip, 9);
  psr.accepted_qfis = {1, 2};
  expect_transfer_round_trip(psr, encode_path_switch_request_transfer(psr),
                             decode_path_switch_request_transfer);
  psr.dl_tunnel_reused = true;
  psr.up_security_result =
      security_result{up_protection_result::performed, up_protection_result::not_performed};
  psr.up_security_indication = security_indication{up_protection_indication::required,
                                                   up_protection_indication::not_needed, 0};
  expect_transfer_round_trip(psr, encode_path_switch_request_transfer(psr),
                             decode_path_switch_request_transfer);

  path_switch_ack_transfer psa;
  expect_transfer_round_trip(psa, encode_path_switch_ack_transfer(psa),
                             decode_path_switch_ack_transfer);
  psa.ul_tunnel = ipv4_tunnel(upf_ip, 3);
  psa.security = security_indication{up_protection_indication::preferred,
                                     up_protection_indication::required, std::nullopt};
  expect_transfer_round_trip(psa, encode_path_switch_ack_transfer(psa),
                             decode_path_switch_ack_transfer);
}

TEST(NgapTransfers, EncodersRefuseWhatTheyCannotWrite) {
  auto ok =
      synth_request(up_protection_indication::preferred, up_protection_indication::preferred, 1);
  ASSERT_TRUE(encode_setup_request_transfer(ok).has_value());
  auto t = ok;
  t.ul_tunnel.reset();
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  t = ok;
  t.qos_flows.clear();
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  t = ok;
  t.qos_flows[0].qfi = 64;
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  t = ok;
  t.qos_flows[0].dynamic_5qi = true;
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  t = ok;
  t.qos_flows[0].arp_priority_level = 0;
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  t = ok;
  t.session_ambr_ul.reset();
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  t = ok;
  t.session_ambr_dl = 4'000'000'000'001ULL;
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  t = ok;
  t.ul_tunnel->address_bits = 31;
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  t = ok;
  t.security->max_integrity_protected_data_rate_ul = 2;
  EXPECT_FALSE(encode_setup_request_transfer(t).has_value());
  setup_response_transfer rsp; // no DL tunnel
  EXPECT_FALSE(encode_setup_response_transfer(rsp).has_value());
  path_switch_request_transfer psr;
  psr.dl_tunnel = ipv4_tunnel(gnb_ip, 1);
  EXPECT_FALSE(encode_path_switch_request_transfer(psr).has_value()); // no accepted flow
  psr.accepted_qfis = {1};
  psr.up_security_result = security_result{}; // result without indication
  EXPECT_FALSE(encode_path_switch_request_transfer(psr).has_value());
}

TEST(NgapTransfers, QosFlowWithDynamic5qiGbrAndErabIdDecodes) {
  // One QosFlowSetupRequestItem as a real SMF may send it: QFI 5, dynamic 5QI descriptor with
  // fiveQI 1 and delayCritical, ARP 2, GBR information with notificationControl and both
  // packet loss rates, reflectiveQosAttribute, E-RAB ID 3.
  byte_buffer v;
  aper::writer w(v);
  w.constrained(1, 1, 64);
  w.bit(false);
  w.bits(0b10, 2); // e-RAB-ID present, iE-Ext absent
  w.bit(false);
  w.bits(5, 6); // QFI 5
  w.bit(false);
  w.bits(0b1100, 4);      // gBR and reflective present
  w.constrained(1, 0, 2); // dynamic5QI
  w.bit(false);
  w.bits(0b11000, 5); // fiveQI, delayCritical present
  w.bit(false);
  w.constrained(20, 1, 127);
  w.bit(false);
  w.constrained(100, 0, 1023);
  w.bit(false); // PacketErrorRate
  w.bit(false);
  w.bit(false);
  w.constrained(1, 0, 9);
  w.bit(false);
  w.constrained(6, 0, 9);
  w.bit(false);
  w.constrained(1, 0, 255); // fiveQI 1
  w.enumerated(0, 2, true); // delay-critical
  w.bit(false);             // ARP
  w.bit(false);
  w.constrained(2, 1, 15);
  w.enumerated(1, 2, true);
  w.enumerated(0, 2, true);
  w.bit(false); // GBR-QosInformation
  w.bits(0b1110, 4);
  for (std::uint64_t rate : {1000ULL, 2000ULL, 64000ULL, 4'000'000'000'000ULL}) {
    w.bit(false);
    w.constrained(rate, 0, 4'000'000'000'000ULL);
  }
  w.enumerated(0, 1, true);
  w.bit(false);
  w.constrained(10, 0, 1000);
  w.bit(false);
  w.constrained(1000, 0, 1000);
  w.enumerated(0, 1, true); // reflectiveQosAttribute
  w.bit(false);
  w.constrained(3, 0, 15); // E-RAB ID
  // In a transfer: the list IE (136) then a PDUSessionType IE (134) that must still be read.
  byte_buffer t;
  aper::writer tw(t);
  tw.bit(false);
  tw.constrained(2, 0, 65535);
  tw.constrained(ie_id::qos_flow_setup_request_list, 0, 65535);
  tw.bits(0, 2);
  tw.octet_string(v);
  tw.constrained(ie_id::pdu_session_type, 0, 65535);
  tw.bits(0, 2);
  const std::uint8_t ipv6[] = {0x10}; // ext 0, value 1 (ipv6)
  tw.octet_string(ipv6);
  auto d = decode_setup_request_transfer(t);
  ASSERT_TRUE(d.has_value()) << describe(d.error());
  ASSERT_EQ(d->qos_flows.size(), 1U);
  const auto& q = d->qos_flows[0];
  EXPECT_EQ(q.qfi, 5);
  EXPECT_TRUE(q.dynamic_5qi);
  EXPECT_EQ(q.five_qi, 1);
  EXPECT_TRUE(q.gbr);
  EXPECT_EQ(q.arp_priority_level, 2);
  EXPECT_TRUE(q.may_trigger_pre_emption);
  EXPECT_FALSE(q.pre_emptable);
  EXPECT_EQ(d->pdu_session_type, 1);
  EXPECT_FALSE(encode_setup_request_transfer(*d).has_value()); // dynamic 5QI, no UL tunnel
  // Cut anywhere inside the item: an error, never a read past the end.
  for (std::size_t n = 0; n < v.size(); ++n) {
    byte_buffer cut;
    aper::writer cw(cut);
    cw.bit(false);
    cw.constrained(1, 0, 65535);
    cw.constrained(ie_id::qos_flow_setup_request_list, 0, 65535);
    cw.bits(0, 2);
    cw.octet_string(bytes_view(v).first(n));
    EXPECT_FALSE(decode_setup_request_transfer(cut).has_value()) << n;
  }
}

// ---- encoders of the synthesizer's messages ----

message base(pdu_type t, std::uint8_t code) {
  message m;
  m.type = t;
  m.procedure_code = code;
  return m;
}

void expect_round_trip(const message& m, const char* name) {
  auto b = encode_message(m);
  ASSERT_TRUE(b.has_value()) << name;
  auto p = decode_pdu(*b);
  ASSERT_TRUE(p.has_value()) << name;
  EXPECT_STREQ(p->message_name(), name);
  EXPECT_EQ(p->crit, procedure_criticality(m.procedure_code));
  auto d = decode_message(*p);
  ASSERT_TRUE(d.has_value()) << name << ": " << describe(d.error());
  auto again = encode_message(*d);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(to_hex(*again), to_hex(*b)) << name;
}

TEST(NgapEncode, SynthesizerMessagesEncodeAndDecodeBack) {
  const plmn_identity plmn{0x00, 0xf1, 0x10};
  const auto nas = hx("7e004179000d0100f110000000000000000001");
  const auto key = hx("a1a345bdae67d2678a4068e106b76994bbf5461384defa85acc2203625a9d015");
  user_location_information uli;
  uli.nr = {plmn, 0x000000010};
  uli.ta = {plmn, 1};
  const ue_security_capabilities caps{0xE000, 0xE000, 0xE000, 0xE000, false};
  const guami g{plmn, 2, 1, 0};

  message setup = base(pdu_type::initiating, procedure::ng_setup);
  setup.global_ran_node_id = global_ran_node_id{global_ran_node_id::kind::gnb, plmn, 1, 22};
  setup.ran_node_name = "gnb-1";
  setup.supported_ta_list = std::vector<supported_ta_item>{{1, {{plmn, {{1, std::nullopt}}}}}};
  setup.default_paging_drx = 2;
  expect_round_trip(setup, "NGSetupRequest");

  message setup_resp = base(pdu_type::successful, procedure::ng_setup);
  setup_resp.amf_name = "amf-1";
  setup_resp.served_guami_list = std::vector<served_guami_item>{{g, std::nullopt}};
  setup_resp.relative_amf_capacity = 255;
  setup_resp.plmn_support_list = std::vector<plmn_support_item>{{plmn, {{1, 0x000001}}}};
  expect_round_trip(setup_resp, "NGSetupResponse");

  message init = base(pdu_type::initiating, procedure::initial_ue_message);
  init.ran_ue_ngap_id = 1;
  init.nas_pdu = octets_at{nas, 0};
  init.user_location_information = uli;
  init.rrc_establishment_cause = 3;
  init.ue_context_request = 0;
  expect_round_trip(init, "InitialUEMessage");

  message dl = base(pdu_type::initiating, procedure::downlink_nas_transport);
  dl.amf_ue_ngap_id = 1;
  dl.ran_ue_ngap_id = 1;
  dl.nas_pdu = octets_at{nas, 0};
  expect_round_trip(dl, "DownlinkNASTransport");

  message ul = base(pdu_type::initiating, procedure::uplink_nas_transport);
  ul.amf_ue_ngap_id = (1ULL << 40) - 1;
  ul.ran_ue_ngap_id = 0xffffffffU;
  ul.nas_pdu = octets_at{nas, 0};
  ul.user_location_information = uli;
  expect_round_trip(ul, "UplinkNASTransport");

  const auto transfer = hx("000002 0086 4001 20 008a 4002 40a0");
  message ics = base(pdu_type::initiating, procedure::initial_context_setup);
  ics.amf_ue_ngap_id = 1;
  ics.ran_ue_ngap_id = 1;
  ics.guami = g;
  ics.allowed_nssai = std::vector<s_nssai>{{1, std::nullopt}};
  ics.ue_security_capabilities = caps;
  ics.security_key = key;
  ics.nas_pdu = octets_at{nas, 0};
  pdu_session_item item;
  item.pdu_session_id = 1;
  item.nas_pdu = bytes_view(nas);
  item.snssai = s_nssai{1, std::nullopt};
  item.transfer = transfer;
  ics.pdu_session_lists.push_back({ie_id::pdu_session_resource_setup_list_cxt_req, {item}});
  expect_round_trip(ics, "InitialContextSetupRequest");
  {
    auto b = encode_message(ics).value();
    auto p = decode_pdu(b).value();
    nas_pdu_ref refs[4];
    ASSERT_EQ(collect_nas_pdus(p, refs).value(), 2U);
    EXPECT_EQ(refs[0].ie_id, ie_id::pdu_session_resource_setup_list_cxt_req);
    EXPECT_EQ(refs[0].pdu_session_id, 1);
    EXPECT_EQ(refs[1].ie_id, ie_id::nas_pdu);
    EXPECT_EQ(refs[1].pdu_session_id, -1);
    for (const auto& r : refs) {
      if (r.bytes.empty()) continue;
      EXPECT_EQ(std::memcmp(b.data() + r.offset, nas.data(), nas.size()), 0);
    }
    auto m = decode_message(p).value();
    const auto* l = m.find_list(ie_id::pdu_session_resource_setup_list_cxt_req);
    ASSERT_NE(l, nullptr);
    auto t = decode_setup_request_transfer(l->items[0].transfer);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->security->integrity, up_protection_indication::required);
  }

  message ics_resp = base(pdu_type::successful, procedure::initial_context_setup);
  ics_resp.amf_ue_ngap_id = 1;
  ics_resp.ran_ue_ngap_id = 1;
  expect_round_trip(ics_resp, "InitialContextSetupResponse");

  message su = base(pdu_type::initiating, procedure::pdu_session_resource_setup);
  su.amf_ue_ngap_id = 1;
  su.ran_ue_ngap_id = 1;
  su.pdu_session_lists.push_back({ie_id::pdu_session_resource_setup_list_su_req, {item}});
  expect_round_trip(su, "PDUSessionResourceSetupRequest");

  message su_resp = base(pdu_type::successful, procedure::pdu_session_resource_setup);
  su_resp.amf_ue_ngap_id = 1;
  su_resp.ran_ue_ngap_id = 1;
  pdu_session_item res;
  res.pdu_session_id = 1;
  res.transfer = transfer;
  su_resp.pdu_session_lists.push_back({ie_id::pdu_session_resource_setup_list_su_res, {res}});
  expect_round_trip(su_resp, "PDUSessionResourceSetupResponse");

  message rel = base(pdu_type::initiating, procedure::ue_context_release);
  rel.ue_ngap_ids = ue_ngap_id_choice{5, 6};
  rel.cause = cause{cause::group::nas, 2};
  expect_round_trip(rel, "UEContextReleaseCommand");
  {
    const auto bytes = encode_message(rel).value();
    auto p = decode_pdu(bytes);
    ASSERT_TRUE(p.has_value());
    auto ids = ue_ids(*p).value();
    EXPECT_EQ(ids.amf_ue_ngap_id, 5U);
    EXPECT_EQ(ids.ran_ue_ngap_id, 6U);
  }
  rel.ue_ngap_ids = ue_ngap_id_choice{5, std::nullopt};
  expect_round_trip(rel, "UEContextReleaseCommand");

  message rel_done = base(pdu_type::successful, procedure::ue_context_release);
  rel_done.amf_ue_ngap_id = 5;
  rel_done.ran_ue_ngap_id = 6;
  rel_done.user_location_information = uli;
  expect_round_trip(rel_done, "UEContextReleaseComplete");

  message ps = base(pdu_type::initiating, procedure::path_switch_request);
  ps.ran_ue_ngap_id = 9;
  ps.source_amf_ue_ngap_id = 5;
  ps.user_location_information = uli;
  ps.ue_security_capabilities = ue_security_capabilities{0x4000, 0x4000, 0, 0, false};
  pdu_session_item sw;
  sw.pdu_session_id = 1;
  const auto sw_transfer = hx("00");
  sw.transfer = sw_transfer;
  ps.pdu_session_lists.push_back({ie_id::pdu_session_resource_to_be_switched_dl_list, {sw}});
  expect_round_trip(ps, "PathSwitchRequest");
  {
    const auto bytes = encode_message(ps).value();
    auto p = decode_pdu(bytes).value();
    auto ids = ue_ids(p).value();
    EXPECT_EQ(ids.amf_ue_ngap_id, 5U);
    EXPECT_EQ(ids.ran_ue_ngap_id, 9U);
  }

  message ack = base(pdu_type::successful, procedure::path_switch_request);
  ack.amf_ue_ngap_id = 5;
  ack.ran_ue_ngap_id = 9;
  ack.ue_security_capabilities = caps;
  ack.security_context = security_context{2, key};
  ack.pdu_session_lists.push_back({ie_id::pdu_session_resource_switched_list, {sw}});
  expect_round_trip(ack, "PathSwitchRequestAcknowledge");
  {
    const auto bytes = encode_message(ack).value();
    auto m = decode_message(bytes).value();
    ASSERT_TRUE(m.security_context.has_value());
    EXPECT_EQ(m.security_context->next_hop_chaining_count, 2);
    EXPECT_EQ(to_hex(m.security_context->next_hop), to_hex(key));
    EXPECT_EQ(m.ue_security_capabilities, caps);
  }
}

TEST(NgapEncode, HandoverAndOtherSecurityCarryingMessagesDecode) {
  // Raw IE values (views) must outlive the messages that point at them.
  const auto zero = hx("00"), container = hx("0401020304"), paging_id = hx("000fc0deadbeef");
  const auto ho_transfer = hx("000002 0086 4001 20 008a 4002 40a0");
  const plmn_identity plmn{0x02, 0xf8, 0x39};
  const auto key = hx("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  message ho = base(pdu_type::initiating, procedure::handover_resource_allocation);
  ho.amf_ue_ngap_id = 77;
  ho.cause = cause{cause::group::radio_network, 16};
  ho.ue_security_capabilities = ue_security_capabilities{0x6000, 0x6000, 0, 0, false};
  ho.security_context = security_context{3, key};
  ho.guami = guami{plmn, 1, 2, 3};
  ho.allowed_nssai = std::vector<s_nssai>{{1, 0x000001}};
  pdu_session_item item;
  item.pdu_session_id = 5;
  item.snssai = s_nssai{1, 0x000001};
  item.transfer = ho_transfer;
  ho.pdu_session_lists.push_back({ie_id::pdu_session_resource_setup_list_ho_req, {item}});
  ho.other_ies.push_back({ie_id::handover_type, criticality::reject, zero, 0});
  ho.other_ies.push_back(
      {ie_id::source_to_target_transparent_container, criticality::reject, container, 0});
  expect_round_trip(ho, "HandoverRequest");
  const auto ho_bytes = encode_message(ho).value();
  auto m = decode_message(ho_bytes).value();
  EXPECT_EQ(m.security_context->next_hop_chaining_count, 3);
  EXPECT_EQ(m.ue_security_capabilities->nr_encryption, 0x6000);
  ASSERT_EQ(m.pdu_session_lists.size(), 1U);
  EXPECT_EQ(m.pdu_session_lists[0].items[0].snssai->sd, 1U);
  ASSERT_EQ(m.other_ies.size(), 2U);
  // IEs follow the spec order: AMF id, HandoverType, Cause, ...
  EXPECT_EQ(m.ie_order[0].first, ie_id::amf_ue_ngap_id);
  EXPECT_EQ(m.ie_order[1].first, ie_id::handover_type);
  EXPECT_EQ(m.ie_order[2].first, ie_id::cause);

  message cmd = base(pdu_type::successful, procedure::handover_preparation);
  cmd.amf_ue_ngap_id = 77;
  cmd.ran_ue_ngap_id = 78;
  cmd.other_ies.push_back({ie_id::handover_type, criticality::reject, zero, 0});
  pdu_session_item hl;
  hl.pdu_session_id = 5;
  hl.transfer = zero;
  cmd.pdu_session_lists.push_back({ie_id::pdu_session_resource_handover_list, {hl}});
  cmd.other_ies.push_back(
      {ie_id::target_to_source_transparent_container, criticality::reject, container, 0});
  expect_round_trip(cmd, "HandoverCommand");

  message ctxmod = base(pdu_type::initiating, procedure::ue_context_modification);
  ctxmod.amf_ue_ngap_id = 1;
  ctxmod.ran_ue_ngap_id = 2;
  ctxmod.security_key = key;
  ctxmod.ue_security_capabilities = ue_security_capabilities{0xE000, 0xE000, 0, 0, false};
  expect_round_trip(ctxmod, "UEContextModificationRequest");

  message err = base(pdu_type::initiating, procedure::error_indication);
  err.amf_ue_ngap_id = 1;
  err.ran_ue_ngap_id = 2;
  err.cause = cause{cause::group::protocol, 4};
  expect_round_trip(err, "ErrorIndication");

  message reset = base(pdu_type::initiating, procedure::ng_reset);
  reset.cause = cause{cause::group::misc, 3};
  reset.other_ies.push_back({ie_id::reset_type, criticality::reject, zero, 0});
  expect_round_trip(reset, "NGReset");

  message paging = base(pdu_type::initiating, procedure::paging);
  paging.other_ies.push_back({ie_id::ue_paging_identity, criticality::ignore, paging_id, 0});
  expect_round_trip(paging, "Paging");

  message notify = base(pdu_type::initiating, procedure::handover_notification);
  notify.amf_ue_ngap_id = 1;
  notify.ran_ue_ngap_id = 2;
  notify.user_location_information = user_location_information{};
  expect_round_trip(notify, "HandoverNotify");
}

} // namespace
} // namespace sec5g::ngap
