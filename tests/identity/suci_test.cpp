// SUCI string/NAI forms, concealment and de-concealment (TS 33.501 Annex C, TS 23.003 28.7.3,
// TS 29.503): vectors, properties, and the SUCIs of the shared real captures.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <variant>

#include "sec5g/core/hex.hpp"
#include "support/hex.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/nas/nas.hpp"
#include "sec5g/ngap/ngap.hpp"
#include "sec5g/sctp/pipeline.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"
#include "sec5g/identity/suci_vectors.hpp"

namespace sec5g::identity {
namespace {

using sec5g::test::hex;

nlohmann::json load_vectors() {
  std::ifstream in(std::string(SEC5G_VECTORS_DIR) + "/suci.json");
  EXPECT_TRUE(in.good());
  return nlohmann::json::parse(in);
}

// --- vectors --------------------------------------------------------------------------------

TEST(SuciVectors, EveryVectorOfSuciJsonPasses) {
  const auto all = load_vectors();
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), 8u);
  for (const auto& v : all) {
    auto r = run_suci_vector(v);
    ASSERT_TRUE(r.has_value()) << v.at("id");
    EXPECT_EQ(r->status, suci_vector_status::pass) << v.at("id") << ": " << r->reason;
  }
}

TEST(SuciVectors, AChangedExpectedValueOrAnUnknownFieldFails) {
  const auto all = load_vectors();
  for (const auto& v : all) {
    auto bad = v;
    for (const char* k : {"scheme_output", "mac_key", "suci_string", "username_ecies"}) {
      if (!bad.contains(k)) continue;
      auto s = bad.at(k).get<std::string>();
      s[s.size() / 2] = s[s.size() / 2] == '1' ? '2' : '1';
      bad[k] = s;
      break;
    }
    auto r = run_suci_vector(bad);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, suci_vector_status::fail) << v.at("id");
    auto extra = v;
    extra["surprise"] = 1;
    EXPECT_EQ(run_suci_vector(extra)->status, suci_vector_status::fail) << v.at("id");
  }
  EXPECT_FALSE(run_suci_vector(nlohmann::json{{"id", "milenage-1"}}).has_value());
}

// --- string forms ---------------------------------------------------------------------------

TEST(SuciString, ParsesNullSchemeImsiAndPrintsMsinDigits) {
  auto s = parse_suci("suci-0-274-012-678-0-0-001002086");
  ASSERT_TRUE(s.has_value()) << describe(s.error());
  EXPECT_EQ(s->plmn.mnc.view(), "012");
  EXPECT_EQ(to_hex(s->scheme_output), "00012080f6");
  EXPECT_EQ(to_udm_string(*s), "suci-0-274-012-678-0-0-001002086");
  EXPECT_EQ(*to_nai(*s), "type0.rid678.schid0.userid001002086@5gc.mnc012.mcc274.3gppnetwork.org");
}

TEST(SuciString, RealmWithHyphensIsSplitBeforeTheRoutingIndicator) {
  auto s = parse_suci("suci-1-my-operator.example-0012-1-7-" + std::string(92, 'a'));
  ASSERT_TRUE(s.has_value()) << describe(s.error());
  EXPECT_EQ(s->home_network_identifier, "my-operator.example");
  EXPECT_EQ(s->routing.view(), "0012");
  EXPECT_EQ(s->hn_public_key_id, 7);
}

TEST(SuciString, NamedErrorsForMalformedStrings) {
  struct bad_case {
    const char* text;
    const char* error;
  };
  const bad_case cases[] = {
      {"suci-0-27a-012-678-0-0-001002086", "bad digits: MCC"},
      {"suci-0-274-0123-678-0-0-001002086", "bad digits: MNC"},
      {"suci-0-274-012-67890-0-0-001002086", "bad digits: routing indicator"},
      {"suci-0-274-012-678-0-0-0010x2086", "bad digits: MSIN"},
      {"suci-0-274-012-678-1-256-00", "bad SUCI string: key id must be 0..255"},
      {"suci-0-274-012-678-1-1-0g", "bad SUCI string: scheme output must be hex"},
      {"suci-4-274-012-678-1-1-00", "bad SUCI string: SUPI type must be 0..3"},
      {"suci-0-274-012-678-1-1-", "bad SUCI string: empty scheme output"},
      {"type1.rid1.schid0.useridbob", "bad NAI: missing realm"},
      {"type1.schid0.useridbob@x.org", "bad NAI: missing rid"},
      {"type0.rid1.schid0.userid123@example.org",
       "bad NAI: type0 realm must be 5gc.mnc<MNC>.mcc<MCC>.3gppnetwork.org"},
      {"type1.rid1.schid1.hnkey1.ecckey00.cip00.mac0000000000000000@x.org",
       "bad NAI: ecckey has the wrong length for the profile"},
  };
  for (const auto& c : cases) {
    auto s = parse_suci(c.text);
    ASSERT_FALSE(s.has_value()) << c.text;
    EXPECT_EQ(describe(s.error()), c.error) << c.text;
  }
}

TEST(Supi, ParsesImsiAndNaiForms) {
  auto a = parse_supi("imsi-001010000000001");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->type, supi_type::imsi);
  EXPECT_EQ(to_string(*a), "imsi-001010000000001");
  auto b = parse_supi("nai-alice@example.com");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->value, "alice@example.com");
  EXPECT_FALSE(parse_supi("imsi-0010100000000012").has_value());
  EXPECT_FALSE(parse_supi("imsi-12a45").has_value());
  EXPECT_FALSE(parse_supi("nai-alice").has_value());
  EXPECT_FALSE(parse_supi("msisdn-123").has_value());
}

// --- conceal / deconceal properties ------------------------------------------------------------

struct profile_keys {
  hn_key_store store;
  byte_buffer pub_a;
  byte_buffer pub_b;
  profile_keys() {
    const auto a = hex("c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d");
    const auto b = hex("f1ab1074477ebcc7f554ea1c5fc368b1616730155e0041ac447d6301975fecda");
    EXPECT_TRUE(store.add_raw(std::uint8_t{1}, protection_scheme::profile_a, a).has_value());
    EXPECT_TRUE(store.add_raw(std::uint8_t{2}, protection_scheme::profile_b, b).has_value());
    pub_a = *store.public_key(1, protection_scheme::profile_a);
    pub_b = *store.public_key(2, protection_scheme::profile_b);
  }
};

supi random_supi(std::mt19937& rng, int kind) {
  auto digits = [&rng](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  supi s;
  if (kind == 2) {
    s.type = supi_type::nai;
    s.value = "user" + digits(1 + rng() % 20) + "@realm" + digits(2) + ".example";
    return s;
  }
  s.type = supi_type::imsi;
  s.mnc_digits = static_cast<std::uint8_t>(kind == 0 ? 2 : 3);
  const std::size_t msin_len = 15 - 3 - s.mnc_digits - (rng() % 2);  // odd and even lengths
  s.value = digits(3) + digits(s.mnc_digits) + digits(msin_len);
  return s;
}

TEST(SuciProperty, DeconcealOfConcealIsIdentityForRandomSupis) {
  profile_keys keys;
  sidf engine(keys.store);
  std::mt19937 rng(20261129);
  std::set<std::size_t> msin_parities;
  for (auto scheme : {protection_scheme::null_scheme, protection_scheme::profile_a,
                      protection_scheme::profile_b}) {
    for (int i = 0; i < 60; ++i) {
      const supi in = random_supi(rng, i % 3);
      if (in.type == supi_type::imsi) msin_parities.insert((in.value.size() - 3 - in.mnc_digits) % 2);
      conceal_options opt;
      opt.scheme = scheme;
      opt.hn_public_key_id = scheme == protection_scheme::profile_a ? 1 : 2;
      opt.hn_public_key = scheme == protection_scheme::profile_a ? keys.pub_a : keys.pub_b;
      opt.routing.assign(std::to_string(rng() % 10000));
      auto s = conceal(in, opt);
      ASSERT_TRUE(s.has_value()) << describe(s.error());
      // Through the UDM string, the NAI and the NAS encoding and back.
      auto from_udm = parse_suci(to_udm_string(*s));
      ASSERT_TRUE(from_udm.has_value()) << to_udm_string(*s);
      EXPECT_EQ(*from_udm, *s);
      byte_buffer nas;
      ASSERT_TRUE(encode_suci(*s, nas).has_value());
      auto mi = decode_mobile_identity(nas);
      ASSERT_TRUE(mi.has_value());
      auto back = engine.deconceal(std::get<suci_value>(*mi));
      ASSERT_TRUE(back.has_value()) << describe(back.error()) << " " << to_udm_string(*s);
      EXPECT_EQ(*back, in);
      if (in.type == supi_type::imsi) {
        EXPECT_EQ(back->mnc_digits, in.mnc_digits);
      }
    }
  }
  EXPECT_EQ(msin_parities.size(), 2u);
}

TEST(SuciProperty, FlippedBitAnywhereInTheSchemeOutputFailsWithMacTagMismatch) {
  profile_keys keys;
  sidf engine(keys.store);
  std::mt19937 rng(7);
  for (auto scheme : {protection_scheme::profile_a, protection_scheme::profile_b}) {
    const bool a = scheme == protection_scheme::profile_a;
    conceal_options opt;
    opt.scheme = scheme;
    opt.hn_public_key_id = a ? 1 : 2;
    opt.hn_public_key = a ? keys.pub_a : keys.pub_b;
    auto s = conceal(random_supi(rng, 0), opt);
    ASSERT_TRUE(s.has_value());
    const std::size_t klen = a ? 32 : 33;
    for (std::size_t bit = 0; bit < s->scheme_output.size() * 8; ++bit) {
      suci bad = *s;
      bad.scheme_output[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      auto r = engine.deconceal(bad);
      ASSERT_FALSE(r.has_value()) << bit;
      // Profile B: a flipped key bit may leave the curve (or flip the y parity octet to an
      // invalid prefix): the point is then rejected before any MAC is computed.
      if (!a && bit / 8 < klen && r.error().code == suci_errc::bad_ephemeral_key) continue;
      EXPECT_EQ(describe(r.error()), "MAC tag mismatch") << "bit " << bit;
    }
  }
}

// deconceal_batch gives what deconceal gives for each SUCI, in order, for every mix: Profile A
// under two keys (the eight-lane X25519 on CPUs with AVX-512 IFMA, runs of 1..20), Profile B,
// the null scheme, a flipped MAC bit, an unknown key id, ephemeral keys whose X25519 result is
// all zero (u = 0 and u = 1: refused, RFC 7748 6.1) and a non-canonical one (u = p + 9).
TEST(Sidf, BatchDeconcealEqualsOneByOneForEveryMix) {
  profile_keys keys;
  const auto a2 = hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
  ASSERT_TRUE(keys.store.add_raw(std::uint8_t{3}, protection_scheme::profile_a, a2).has_value());
  const byte_buffer pub_a2 = *keys.store.public_key(3, protection_scheme::profile_a);
  std::mt19937 rng(20261201);
  std::vector<suci> pool;
  auto add = [&](protection_scheme scheme, std::uint8_t id, bytes_view pub) {
    conceal_options opt;
    opt.scheme = scheme;
    opt.hn_public_key_id = id;
    opt.hn_public_key = pub;
    auto s = conceal(random_supi(rng, static_cast<int>(rng() % 3)), opt);
    ASSERT_TRUE(s.has_value());
    pool.push_back(*s);
  };
  for (int i = 0; i < 24; ++i) add(protection_scheme::profile_a, 1, keys.pub_a);
  for (int i = 0; i < 10; ++i) add(protection_scheme::profile_a, 3, pub_a2);
  for (int i = 0; i < 3; ++i) add(protection_scheme::profile_b, 2, keys.pub_b);
  for (int i = 0; i < 3; ++i) add(protection_scheme::null_scheme, 0, {});
  suci bad_mac = pool[0];
  bad_mac.scheme_output.back() ^= 1;
  pool.push_back(bad_mac);
  suci unknown = pool[1];
  unknown.hn_public_key_id = 9;
  pool.push_back(unknown);
  // u = 0, u = 1: all-zero shared secrets.
  for (std::uint8_t low : {std::uint8_t{0}, std::uint8_t{1}}) {
    suci z = pool[2];
    std::fill_n(z.scheme_output.data(), 32, std::uint8_t{0});
    z.scheme_output.data()[0] = low;
    pool.push_back(z);
  }
  suci noncanon = pool[3];  // u = p + 9 (= 9 mod p): a valid key agreement, then a MAC failure
  std::fill_n(noncanon.scheme_output.data(), 32, std::uint8_t{0xff});
  noncanon.scheme_output.data()[0] = std::uint8_t{0xed + 9};
  noncanon.scheme_output.data()[31] = 0x7f;
  pool.push_back(noncanon);

  sidf one(keys.store);
  sidf many(keys.store);
  std::vector<byte_buffer> nas(pool.size());
  std::vector<suci_value> values;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    ASSERT_TRUE(encode_suci(pool[i], nas[i]).has_value());
    auto mi = decode_mobile_identity(nas[i]);
    ASSERT_TRUE(mi.has_value());
    values.push_back(std::get<suci_value>(*mi));
  }
  std::size_t ok = 0;
  std::set<suci_errc> errors;
  for (int round = 0; round < 30; ++round) {
    std::vector<std::size_t> order(pool.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(1 + rng() % (round < 10 ? 20 : pool.size()));
    std::vector<const suci_value*> in;
    for (std::size_t i : order) in.push_back(&values[i]);
    std::vector<std::expected<supi, suci_error>> out(in.size());
    many.deconceal_batch(in, out);
    for (std::size_t j = 0; j < in.size(); ++j) {
      const auto want = one.deconceal(*in[j]);
      ASSERT_EQ(out[j].has_value(), want.has_value()) << "round " << round << " item " << j;
      if (want) {
        EXPECT_EQ(*out[j], *want);
        ++ok;
      } else {
        EXPECT_EQ(describe(out[j].error()), describe(want.error()));
        errors.insert(want.error().code);
      }
    }
  }
  EXPECT_GT(ok, 100u);
  EXPECT_EQ(errors, (std::set<suci_errc>{suci_errc::mac_mismatch, suci_errc::unknown_key_id,
                                         suci_errc::bad_ephemeral_key}));
}

TEST(Sidf, NamedErrorsForUnknownKeyShortOutputAndUnsupportedScheme) {
  profile_keys keys;
  sidf engine(keys.store);
  auto s = *parse_suci("suci-0-001-01-0000-1-9-" + std::string(2 * 45, '0'));
  EXPECT_EQ(describe(engine.deconceal(s).error()), "unknown home network public key id 9");
  s.hn_public_key_id = 1;
  s.scheme_output.resize(40);
  EXPECT_EQ(describe(engine.deconceal(s).error()), "scheme output too short for profile A");
  s.protection_scheme_id = 2;
  s.hn_public_key_id = 2;
  EXPECT_EQ(describe(engine.deconceal(s).error()), "scheme output too short for profile B");
  s.protection_scheme_id = 5;
  EXPECT_EQ(describe(engine.deconceal(s).error()), "unsupported protection scheme id 5");
}

TEST(Sidf, ProfileBRejectsAnEphemeralKeyOffTheCurve) {
  profile_keys keys;
  sidf engine(keys.store);
  suci s = *parse_suci("suci-0-001-01-0000-2-2-02" + std::string(64, 'f') + "0011223344" + "0011223344556677");
  auto r = engine.deconceal(s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, suci_errc::bad_ephemeral_key);
}

TEST(Sidf, ProfileBRejectsAnXWithoutPointAndABadPrefixByName) {
  profile_keys keys;
  sidf engine(keys.store);
  // x < p but x^3 - 3x + b is not a square mod p: no point has this x.
  suci s = *parse_suci("suci-0-001-01-0000-2-2-020000000000000000000000000000000000000000000000000000000000000001" + std::string("0011223344") + "0011223344556677");
  auto r = engine.deconceal(s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, suci_errc::bad_ephemeral_key);
  EXPECT_NE(describe(r.error()).find("not a compressed secp256r1 point"), std::string::npos)
      << describe(r.error());
  // Prefix 04 (uncompressed marker) on 33 octets.
  s.scheme_output[0] = 0x04;
  r = engine.deconceal(s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, suci_errc::bad_ephemeral_key);
  // The same SUCI stays rejected on a second call (no state left behind by the failure).
  r = engine.deconceal(s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, suci_errc::bad_ephemeral_key);
}

// --- key store ----------------------------------------------------------------------------

TEST(KeyStore, LoadsTheOpen5gsAndTs33501PemFiles) {
  const std::string dir = std::string(SEC5G_SHARED_DIR) + "/captures/keys/";
  hn_key_store store;
  auto a = store.add_pem_file(1, dir + "hnet-profile-a-open5gs-1.pem");
  ASSERT_TRUE(a.has_value()) << describe(a.error());
  EXPECT_EQ(*a, protection_scheme::profile_a);
  auto b = store.add_pem_file(27, dir + "hnet-profile-b-ts33501.pem");
  ASSERT_TRUE(b.has_value()) << describe(b.error());
  EXPECT_EQ(*b, protection_scheme::profile_b);
  EXPECT_TRUE(to_hex(*store.public_key(1, protection_scheme::profile_a)).starts_with("e421686f"));
  EXPECT_EQ(to_hex(*store.public_key(27, protection_scheme::profile_b)),
            "0272da71976234ce833a6907425867b82e074d44ef907dfb4b3e21c1c2256ebcd1");
  EXPECT_FALSE(store.public_key(2, protection_scheme::profile_b).has_value());
}

TEST(KeyStore, AcceptsEcParametersBlockAndGeneratedKeysAndRejectsGarbage) {
  for (auto p : {protection_scheme::profile_a, protection_scheme::profile_b}) {
    auto g = generate_hn_key(p);
    ASSERT_TRUE(g.has_value());
    std::string pem(reinterpret_cast<const char*>(g->pem.view().data()), g->pem.size());
    if (p == protection_scheme::profile_b) {
      EXPECT_NE(pem.find("BEGIN EC PRIVATE KEY"), std::string::npos);
      pem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + pem;
      EXPECT_EQ(g->public_key.size(), 33u);
    } else {
      EXPECT_NE(pem.find("BEGIN PRIVATE KEY"), std::string::npos);
      EXPECT_EQ(g->public_key.size(), 32u);
    }
    hn_key_store store;
    auto r = store.add_pem(5, pem);
    ASSERT_TRUE(r.has_value()) << describe(r.error());
    EXPECT_EQ(*r, p);
    EXPECT_EQ(*store.public_key(5, p), g->public_key);
  }
  hn_key_store store;
  auto bad = store.add_pem(1, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, suci_errc::key_file);
  EXPECT_FALSE(store.add_pem_file(1, "/nonexistent/key.pem").has_value());
  EXPECT_FALSE(store.add_raw(std::uint8_t{1}, protection_scheme::profile_b, byte_buffer(32, 0)).has_value());
  EXPECT_FALSE(store.add_raw(std::uint8_t{1}, protection_scheme::profile_a, byte_buffer(31, 1)).has_value());
}

// --- real captures ------------------------------------------------------------------------
// The SUCIs are extracted with sec5g's own decoders (capture reader -> SCTP pipeline -> NGAP ->
// NAS with null deciphering -> 5GS mobile identity); one capture is cross-checked with tshark.

struct capture_case {
  const char* file;
  protection_scheme profile;
  std::uint8_t key_id;
  const char* mcc;  // expected PLMN of the SUCIs (README.md)
  const char* mnc;
  std::size_t count;  // concealed SUCIs (README.md, NAS under EA0 deciphered)
  std::set<std::string> msins;
};

// Every SUCI (any scheme) in the 5GS mobile identity IEs of the NAS PDUs carried by the NGAP
// messages of `path` (and of the NAS messages in their NAS message containers), in capture
// order. PDUs or identities that do not decode are counted in `undecodable` (shown on failure).
std::vector<suci> sucis_of_capture(const std::string& path, std::size_t& undecodable) {
  std::vector<suci> out;
  sctp::pipeline pipe;
  ngap::pdu pdu;
  std::array<ngap::nas_pdu_ref, 8> nas_refs{};
  // The SUCIs of one NAS PDU, and of the complete NAS message inside its NAS message container
  // (the Registration Request that a Security Mode Complete repeats, TS 24.501 5.4.2.3).
  auto scan_nas = [&](bytes_view bytes, int depth, auto&& self) -> void {
    auto msg = nas::decode(bytes, {.null_decipher = true});
    if (!msg) {
      ++undecodable;
      return;
    }
    if (!msg->has_message) return;
    for (const auto& ie : msg->message.ies()) {
      if (ie.kind() == nas::ie_kind::nas_message_container && depth == 0) {
        self(ie.value, depth + 1, self);
        continue;
      }
      if (ie.kind() != nas::ie_kind::mobile_identity) continue;
      auto id = decode_mobile_identity(ie.value);
      if (!id) {
        ++undecodable;
        continue;
      }
      const auto* v = std::get_if<suci_value>(&*id);
      if (v == nullptr) continue;
      auto s = to_suci(*v);
      if (!s) {
        ++undecodable;
        continue;
      }
      out.push_back(std::move(*s));
    }
  };
  auto on_message = [&](const sctp::user_message& m) {
    if (!ngap::decode_pdu(m.payload, pdu)) {
      ++undecodable;
      return;
    }
    auto n = ngap::collect_nas_pdus(pdu, nas_refs);
    if (!n) {
      ++undecodable;
      return;
    }
    for (std::size_t i = 0; i < std::min(*n, nas_refs.size()); ++i) scan_nas(nas_refs[i].bytes, 0, scan_nas);
  };
  auto r = sctp::run_file(path, pipe, on_message);
  EXPECT_TRUE(r.has_value()) << path;
  return out;
}

TEST(SuciCaptures, EveryConcealedSuciOfTheSharedCapturesDeconceals) {
  const std::string dir = std::string(SEC5G_SHARED_DIR) + "/captures/";
  hn_key_store store;
  ASSERT_TRUE(store.add_pem_file(1, dir + "keys/hnet-profile-a-open5gs-1.pem").has_value());
  ASSERT_TRUE(store.add_pem_file(27, dir + "keys/hnet-profile-b-ts33501.pem").has_value());
  ASSERT_TRUE(store.add_pem_file(2, dir + "keys/hnet-profile-b-ts33501.pem").has_value());
  sidf engine(store);

  const std::set<std::string> a_msins = {"0000000001", "0000000002", "0000000003",
                                         "0000000004", "0000000005", "0000000006"};
  const std::set<std::string> rub = {"0000044880", "0000044882"};
  const std::set<std::string> mont = {"0000000001", "0000000002", "0000000003", "0000000004",
                                      "0000000005"};
  const auto A = protection_scheme::profile_a;
  const auto B = protection_scheme::profile_b;
  const std::vector<capture_case> cases = {
      {"authanomalies_normal_traffic.pcap", A, 1, "001", "01", 4, a_msins},
      {"authanomalies_brute_force.pcap", A, 1, "001", "01", 16, a_msins},
      {"authanomalies_supi_harvest.pcap", A, 1, "001", "01", 4, a_msins},
      {"authanomalies_bidding_down.pcap", A, 1, "001", "01", 7, a_msins},
      {"authanomalies_replay.pcap", A, 1, "001", "01", 2, a_msins},
      {"authanomalies_false_bs.pcap", A, 1, "001", "01", 6, a_msins},
      {"authanomalies_test_normal_traffic.pcap", A, 1, "001", "01", 4, a_msins},
      {"authanomalies_test_supi_harvest.pcap", A, 1, "001", "01", 4, a_msins},
      {"authanomalies_test_bidding_down.pcap", A, 1, "001", "01", 8, a_msins},
      {"authanomalies_test_replay.pcap", A, 1, "001", "01", 2, a_msins},
      {"authanomalies_test_false_bs.pcap", A, 1, "001", "01", 6, a_msins},
      {"rub_registration_oneplus8.pcapng", B, 27, "001", "01", 2, rub},
      {"rub_registration_quectel.pcapng", B, 27, "001", "01", 2, rub},
      {"rub_suci_catcher_oneplus8_32.pcapng", B, 27, "001", "01", 33, rub},
      {"rub_suci_catcher_oneplus8_500.pcapng", B, 27, "001", "01", 501, rub},
      {"rub_suci_catcher_quectel_500.pcapng", B, 27, "001", "01", 472, rub},
      {"rub_hold_ue_30min_quectel.pcapng", B, 27, "001", "01", 245, rub},
      {"rub_hold_ue_increase_timeout_oneplus8.pcapng", B, 27, "001", "01", 15, rub},
      {"rub_hold_ue_increase_timeout_quectel.pcapng", B, 27, "001", "01", 17, rub},
      {"montimage_attack_ngap.pcap", B, 2, "208", "93", 25, mont},
  };
  std::size_t total = 0;
  for (const auto& c : cases) {
    std::size_t undecodable = 0;
    const auto all = sucis_of_capture(dir + c.file, undecodable);
    std::size_t found = 0;
    for (const auto& s : all) {
      if (s.protection_scheme_id == 0) continue;  // null-scheme SUCIs (SUPI harvesting UEs)
      ASSERT_EQ(s.format, supi_format::imsi) << c.file;
      ASSERT_EQ(s.protection_scheme_id, static_cast<std::uint8_t>(c.profile)) << c.file;
      ASSERT_EQ(s.hn_public_key_id, c.key_id) << c.file;
      // The PLMN used to build the SUPI is the SUCI's own.
      EXPECT_EQ(s.plmn.mcc.view(), c.mcc) << c.file;
      EXPECT_EQ(s.plmn.mnc.view(), c.mnc) << c.file;
      auto r = engine.deconceal(s);
      ASSERT_TRUE(r.has_value()) << c.file << ": " << describe(r.error()) << " " << to_udm_string(s);
      ASSERT_EQ(r->type, supi_type::imsi);
      EXPECT_EQ(r->value.substr(0, 5), std::string(c.mcc) + c.mnc) << c.file;
      const std::string msin = r->value.substr(5);
      EXPECT_TRUE(c.msins.contains(msin)) << c.file << ": unexpected MSIN " << msin;
      ++found;
    }
    EXPECT_EQ(found, c.count) << c.file << " (" << undecodable << " undecodable PDUs/identities)";
    total += found;
  }
  EXPECT_EQ(total, 1375u);
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// A number printed by tshark as decimal digits, left-padded with zeros to `width`.
std::string fmt_digits(const std::string& n, std::size_t width) {
  std::string d = std::to_string(std::stoi(n));
  if (d.size() < width) d.insert(0, width - d.size(), '0');
  return d;
}

// Our SUCI list for one capture (the Montimage one: PLMN 208/93, profile B) equals tshark's,
// field by field and in order.
TEST(SuciCaptures, OurSuciListEqualsTsharksForOneCapture) {
  if (run("command -v tshark").empty()) GTEST_SKIP() << "tshark is not installed";
  const std::string path = std::string(SEC5G_SHARED_DIR) + "/captures/montimage_attack_ngap.pcap";
  std::size_t undecodable = 0;
  std::vector<std::string> ours;
  for (const auto& s : sucis_of_capture(path, undecodable)) {
    if (s.protection_scheme_id == 0) continue;
    ours.push_back(std::string(s.plmn.mcc.view()) + "-" + std::string(s.plmn.mnc.view()) + "-" +
                   std::string(s.routing.view()) + "-" + std::to_string(s.protection_scheme_id) +
                   "-" + std::to_string(s.hn_public_key_id) + "-" + to_hex(s.scheme_output));
  }
  // One line per frame; several SUCIs in a frame are joined by '|', field by field.
  const std::string out = run(
      "tshark -o nas-5gs.null_decipher:TRUE -r '" + path +
      "' -Y nas_5gs.mm.suci.scheme_output.ecc_public_key -T fields -E occurrence=a "
      "-E aggregator='|' -e nas_5gs.mm.suci.routing_indicator -e nas_5gs.mm.suci.scheme_id "
      "-e nas_5gs.mm.suci.pki -e nas_5gs.mm.suci.scheme_output.ecc_public_key "
      "-e nas_5gs.mm.suci.scheme_output.ciphertext -e nas_5gs.mm.suci.scheme_output.mac_tag "
      "-e e212.mcc -e e212.mnc 2>/dev/null");
  std::vector<std::string> theirs;
  for (const auto& line : split(out, '\n')) {
    if (line.empty()) continue;
    const auto cols = split(line, '\t');
    ASSERT_EQ(cols.size(), 8u) << line;
    const auto ris = split(cols[0], '|');
    const auto schemes = split(cols[1], '|');
    const auto pkis = split(cols[2], '|');
    const auto keys = split(cols[3], '|');
    const auto cts = split(cols[4], '|');
    const auto macs = split(cols[5], '|');
    // The SUCI's PLMN comes first among the E.212 fields of the frame (tshark prints numbers).
    const std::string mcc = fmt_digits(split(cols[6], '|')[0], 3);
    const std::string mnc = fmt_digits(split(cols[7], '|')[0], 2);
    ASSERT_EQ(keys.size(), cts.size());
    ASSERT_EQ(keys.size(), macs.size());
    ASSERT_LE(keys.size(), ris.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::string mac = macs[i].starts_with("0x") ? macs[i].substr(2) : macs[i];
      mac.insert(0, 16 - std::min<std::size_t>(16, mac.size()), '0');
      theirs.push_back(mcc + "-" + mnc + "-" + ris[i] + "-" + schemes[i] + "-" + pkis[i] + "-" +
                       keys[i] + cts[i] + mac);
    }
  }
  EXPECT_EQ(theirs.size(), 25u);
  EXPECT_EQ(ours, theirs);
}

}  // namespace
}  // namespace sec5g::identity
