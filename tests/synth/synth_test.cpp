// Tests of the traffic synthesizer: determinism, timestamps, round trip through our own decoders
// (NGAP, NAS, identity, key file), truth per scenario, bounded window.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/crypto/nia.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"
#include "sec5g/nas/ies.hpp"
#include "sec5g/nas/nas.hpp"
#include "sec5g/ngap/message.hpp"
#include "sec5g/ngap/ngap.hpp"
#include "sec5g/sctp/crc32c.hpp"
#include "sec5g/synth/synth.hpp"

namespace {

using namespace sec5g;

struct captured_frame {
  std::int64_t t = 0;
  byte_buffer bytes;
  std::string comment;
};

// Keeps everything in memory (tests only; the real sink streams).
class memory_sink final : public synth::sink {
 public:
  void on_frame(std::int64_t t, bytes_view f, std::string_view c) override {
    frames.push_back({t, byte_buffer(f.begin(), f.end()), std::string(c)});
  }
  void on_subscriber(const synth::subscriber& s) override { subscribers.push_back(s); }
  void on_truth(const synth::truth_finding& f) override { truths.push_back(f); }
  std::vector<captured_frame> frames;
  std::vector<synth::subscriber> subscribers;
  std::vector<synth::truth_finding> truths;
};

synth::options make_options(synth::scenario s, std::uint64_t ues, std::uint64_t seed = 7) {
  synth::options o;
  o.what = s;
  o.ues = ues;
  o.seed = seed;
  return o;
}

memory_sink run_ok(const synth::options& o) {
  memory_sink s;
  auto r = synth::run(o, s);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return s;
}

// An NGAP PDU carried in a frame: Ethernet, IPv4, SCTP with one DATA chunk (after an optional
// SACK). Returns the PDU bytes (empty for frames without DATA).
bytes_view ngap_of(const byte_buffer& f, bool* crc_ok = nullptr) {
  if (f.size() < 14 + 20 + 12) return {};
  const std::size_t ihl = (f[14] & 0x0F) * 4u;
  const bytes_view sctp(f.data() + 14 + ihl, f.size() - 14 - ihl);
  if (crc_ok != nullptr) *crc_ok = sctp::sctp_checksum(sctp) == sctp::stored_checksum(sctp);
  std::size_t pos = 12;
  while (pos + 4 <= sctp.size()) {
    const std::uint8_t type = sctp[pos];
    const std::uint16_t len = load_be16(sctp.data() + pos + 2);
    if (len < 4 || pos + len > sctp.size()) return {};
    if (type == 0) {
      EXPECT_EQ(load_be32(sctp.data() + pos + 12), 60u) << "PPID";
      return sctp.subspan(pos + 16, len - 16u);
    }
    pos += (len + 3u) & ~3u;
  }
  return {};
}

TEST(SynthScenarios, NamesRoundTrip) {
  EXPECT_EQ(synth::all_scenarios().size(), 19u);
  for (auto s : synth::all_scenarios()) {
    auto back = synth::parse_scenario(synth::to_string(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
  }
  EXPECT_FALSE(synth::parse_scenario("no-such-scenario").has_value());
}

TEST(SynthDeterminism, SameSeedGivesIdenticalFramesAndTimes) {
  const auto o = make_options(synth::scenario::mixed, 40, 11);
  const auto a = run_ok(o);
  const auto b = run_ok(o);
  ASSERT_EQ(a.frames.size(), b.frames.size());
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    ASSERT_EQ(a.frames[i].t, b.frames[i].t) << i;
    ASSERT_EQ(a.frames[i].bytes, b.frames[i].bytes) << i;
  }
  ASSERT_EQ(a.truths.size(), b.truths.size());
}

TEST(SynthDeterminism, OtherSeedGivesOtherTraffic) {
  const auto a = run_ok(make_options(synth::scenario::benign, 5, 1));
  const auto b = run_ok(make_options(synth::scenario::benign, 5, 2));
  EXPECT_NE(a.frames[10].bytes, b.frames[10].bytes);
  EXPECT_NE(a.subscribers[0].k_hex, b.subscribers[0].k_hex);
}

TEST(SynthTiming, TimestampsNeverGoBackAndCrcIsRight) {
  const auto s = run_ok(make_options(synth::scenario::mixed, 60));
  ASSERT_FALSE(s.frames.empty());
  for (std::size_t i = 1; i < s.frames.size(); ++i) {
    ASSERT_LE(s.frames[i - 1].t, s.frames[i].t) << "frame " << i + 1;
  }
  for (const auto& f : s.frames) {
    bool ok = false;
    (void)ngap_of(f.bytes, &ok);
    ASSERT_TRUE(ok);
  }
}

// Per UE (by RAN-UE-NGAP-ID per association is not enough across service requests, so by the
// NAS message types in order for the first UE of a benign run).
TEST(SynthRoundTrip, BenignUeRunsTheWholeProcedureChain) {
  const auto s = run_ok(make_options(synth::scenario::benign, 1));
  std::vector<std::string> procs;
  std::vector<int> plain_nas_types;
  for (const auto& f : s.frames) {
    const auto pdu = ngap_of(f.bytes);
    if (pdu.empty()) continue;
    auto m = ngap::decode_message(pdu);
    ASSERT_TRUE(m.has_value()) << describe(m.error());
    procs.push_back(ngap::message_name(m->type, m->procedure_code));
    if (m->nas_pdu) {
      auto n = nas::decode(m->nas_pdu->bytes);
      ASSERT_TRUE(n.has_value());
      if (n->security_header == nas::security_header_type::plain ||
          n->security_header == nas::security_header_type::integrity_protected ||
          n->security_header == nas::security_header_type::integrity_protected_new_context) {
        ASSERT_TRUE(n->has_message);
        plain_nas_types.push_back(n->message.message_type);
      }
    }
  }
  const std::vector<std::string> expected = {
      "NGSetupRequest", "NGSetupResponse", "InitialUEMessage", "DownlinkNASTransport",
      "UplinkNASTransport", "DownlinkNASTransport", "UplinkNASTransport",
      "InitialContextSetupRequest", "InitialContextSetupResponse", "UplinkNASTransport",
      "UplinkNASTransport", "PDUSessionResourceSetupRequest", "PDUSessionResourceSetupResponse",
      "UEContextReleaseRequest", "UEContextReleaseCommand", "UEContextReleaseComplete",
      "InitialUEMessage", "InitialContextSetupRequest", "InitialContextSetupResponse",
      "UplinkNASTransport", "DownlinkNASTransport", "UEContextReleaseCommand",
      "UEContextReleaseComplete"};
  EXPECT_EQ(procs, expected);
  // Readable without keys: Registration Request, Authentication Request/Response, the SMC
  // (integrity protected with new context) and the Service Request (integrity protected).
  const std::vector<int> readable = {0x41, 0x56, 0x57, 0x5d, 0x4c};
  EXPECT_EQ(plain_nas_types, readable);
  EXPECT_TRUE(s.truths.empty());
}

// The keys written for the key file reproduce the whole chain: the AUTN verifies, the K_gNB
// in InitialContextSetup equals the derivation, and every protected NAS MAC verifies.
TEST(SynthRoundTrip, KeysFromTheKeyFileVerifyAutnKgnbAndEveryMac) {
  auto o = make_options(synth::scenario::benign, 1, 3);
  const auto s = run_ok(o);
  std::string csv = "supi,k,opc\n";
  for (const auto& sub : s.subscribers) csv += sub.supi + "," + sub.k_hex + "," + sub.opc_hex + "\n";
  auto db = analysis::parse_subscriber_keys(csv, "keys.csv");
  ASSERT_TRUE(db.has_value()) << describe(db.error());
  const auto* sub = db->find("imsi-001010000000001");
  ASSERT_NE(sub, nullptr);
  auto mil = crypto::milenage::create(sub->k.view(), sub->opc.view());
  ASSERT_TRUE(mil.has_value());

  std::optional<crypto::aka_5g_keys> keys;
  std::uint64_t first_amf_id = 0;
  int verified = 0;
  std::uint32_t ul = 0, dl = 0;
  for (const auto& f : s.frames) {
    const auto pdu = ngap_of(f.bytes);
    if (pdu.empty()) continue;
    auto m = ngap::decode_message(pdu);
    ASSERT_TRUE(m.has_value());
    if (m->amf_ue_ngap_id && first_amf_id == 0 && keys) first_amf_id = *m->amf_ue_ngap_id;
    if (m->security_key && keys && m->procedure_code == ngap::procedure::initial_context_setup &&
        m->amf_ue_ngap_id == first_amf_id) {
      auto kg = crypto::derive_k_gnb(keys->k_amf.view(), 0);
      ASSERT_TRUE(kg.has_value());
      EXPECT_TRUE(std::equal(kg->view().begin(), kg->view().end(), m->security_key->begin()));
    }
    std::vector<bytes_view> nases;
    if (m->nas_pdu) nases.push_back(m->nas_pdu->bytes);
    for (const auto& l : m->pdu_session_lists) {
      for (const auto& it : l.items) {
        if (it.nas_pdu) nases.push_back(*it.nas_pdu);
      }
    }
    const bool uplink = m->type == ngap::pdu_type::successful ||
                        m->procedure_code == ngap::procedure::initial_ue_message ||
                        m->procedure_code == ngap::procedure::uplink_nas_transport;
    for (auto bytes : nases) {
      auto n = nas::decode(bytes);
      ASSERT_TRUE(n.has_value());
      if (n->security_header == nas::security_header_type::plain) {
        if (n->message.message_type == 0x56 && !keys) {
          const auto* r = n->message.find(nas::ie_kind::rand);
          const auto* a = n->message.find(nas::ie_kind::autn);
          ASSERT_TRUE(r && a);
          auto rv = nas::decode_rand(r->value);
          auto av = nas::decode_autn(a->value);
          ASSERT_TRUE(rv && av);
          auto chk = crypto::check_autn(*mil, *rv, *av);
          ASSERT_TRUE(chk.has_value());
          EXPECT_TRUE(chk->mac_ok);
          EXPECT_EQ(chk->amf[0] & 0x80, 0x80) << "AMF separation bit";
          crypto::aka_5g_params p;
          p.serving_network_name = "5G:mnc001.mcc001.3gppnetwork.org";
          p.supi = sub->supi;
          auto k = crypto::derive_5g_aka(*mil, *rv, chk->sqn, chk->amf, p);
          ASSERT_TRUE(k.has_value());
          keys.emplace(std::move(*k));
        }
        continue;
      }
      ASSERT_TRUE(keys.has_value());
      std::uint32_t& count = uplink ? ul : dl;
      if (n->security_header == nas::security_header_type::integrity_protected_new_context ||
          n->security_header == nas::security_header_type::integrity_protected_ciphered_new_context) {
        count = 0;
      }
      if ((count & 0xFF) != n->sqn) count = (count & ~0xFFu) | n->sqn;
      auto ok = crypto::nia_verify(crypto::nia_alg::nia2, keys->k_nas_int.view(), count, 1,
                                   uplink ? 0 : 1, n->mac_input, n->mac_input.size() * 8, n->mac);
      ASSERT_TRUE(ok.has_value());
      EXPECT_TRUE(*ok) << "MAC of a NAS message in frame with count " << count;
      ++verified;
      ++count;
    }
  }
  // SMC, SMC Complete, Registration Accept/Complete, PDU session request/accept, Service
  // Request/Accept, De-registration Request/Accept.
  EXPECT_EQ(verified, 10);
}

TEST(SynthRoundTrip, ConcealedSucisDeconcealWithTheWrittenHomeNetworkKey) {
  for (auto profile : {synth::suci_profile::profile_a, synth::suci_profile::profile_b}) {
    auto o = make_options(synth::scenario::benign, 3, 5);
    o.profile = profile;
    auto pem = synth::home_network_key_pem(o);
    ASSERT_TRUE(pem.has_value()) << pem.error().message;
    identity::hn_key_store store;
    auto added = store.add_pem(o.hn_key_id, *pem);
    ASSERT_TRUE(added.has_value()) << identity::describe(added.error());
    identity::sidf sidf(store);
    const auto s = run_ok(o);
    std::set<std::string> supis;
    for (const auto& f : s.frames) {
      const auto pdu = ngap_of(f.bytes);
      if (pdu.empty()) continue;
      auto m = ngap::decode_message(pdu);
      ASSERT_TRUE(m.has_value());
      if (m->procedure_code != ngap::procedure::initial_ue_message || !m->nas_pdu) continue;
      auto n = nas::decode(m->nas_pdu->bytes);
      ASSERT_TRUE(n.has_value());
      if (n->message.message_type != 0x41) continue;
      const auto* ie = n->message.find(nas::ie_kind::mobile_identity);
      ASSERT_NE(ie, nullptr);
      auto mi = identity::decode_mobile_identity(ie->value);
      ASSERT_TRUE(mi.has_value());
      const auto* sv = std::get_if<identity::suci_value>(&*mi);
      ASSERT_NE(sv, nullptr);
      EXPECT_EQ(sv->protection_scheme_id, static_cast<std::uint8_t>(profile));
      auto supi = sidf.deconceal(*sv);
      ASSERT_TRUE(supi.has_value()) << identity::describe(supi.error());
      supis.insert("imsi-" + supi->value);
    }
    EXPECT_EQ(supis, (std::set<std::string>{"imsi-001010000000001", "imsi-001010000000002",
                                            "imsi-001010000000003"}));
  }
}

TEST(SynthRoundTrip, InitialContextSetupCapabilitiesMatchTheNasOnes) {
  const auto s = run_ok(make_options(synth::scenario::benign, 2));
  int seen = 0;
  for (const auto& f : s.frames) {
    const auto pdu = ngap_of(f.bytes);
    if (pdu.empty()) continue;
    auto m = ngap::decode_message(pdu);
    ASSERT_TRUE(m.has_value());
    if (!m->ue_security_capabilities) continue;
    // NAS 0xF0: EA0..EA3 -> NGAP NEA1..3 = 0xE000.
    EXPECT_EQ(m->ue_security_capabilities->nr_encryption, 0xE000);
    EXPECT_EQ(m->ue_security_capabilities->nr_integrity, 0xE000);
    ASSERT_TRUE(m->security_key.has_value());
    EXPECT_EQ(m->security_key->size(), 32u);
    ++seen;
  }
  EXPECT_EQ(seen, 4);  // registration and service request, two UEs
}

TEST(SynthRoundTrip, PduSessionTransfersDecodeWithTheirSecurityPolicy) {
  const auto s = run_ok(make_options(synth::scenario::benign, 1));
  int req = 0, rsp = 0;
  for (const auto& f : s.frames) {
    const auto pdu = ngap_of(f.bytes);
    if (pdu.empty()) continue;
    auto m = ngap::decode_message(pdu);
    ASSERT_TRUE(m.has_value());
    if (const auto* l = m->find_list(ngap::ie_id::pdu_session_resource_setup_list_su_req)) {
      ASSERT_EQ(l->items.size(), 1u);
      auto t = ngap::decode_setup_request_transfer(l->items[0].transfer);
      ASSERT_TRUE(t.has_value()) << describe(t.error());
      ASSERT_TRUE(t->security.has_value());
      EXPECT_EQ(t->security->integrity, ngap::up_protection_indication::preferred);
      EXPECT_EQ(t->pdu_session_type, 0);
      ++req;
    }
    if (const auto* l = m->find_list(ngap::ie_id::pdu_session_resource_setup_list_su_res)) {
      auto t = ngap::decode_setup_response_transfer(l->items[0].transfer);
      ASSERT_TRUE(t.has_value()) << describe(t.error());
      ASSERT_TRUE(t->security.has_value());
      EXPECT_EQ(t->security->integrity, ngap::up_protection_result::performed);
      ++rsp;
    }
  }
  EXPECT_EQ(req, 1);
  EXPECT_EQ(rsp, 1);
}

// Which rules each attack scenario must produce, at least once.
TEST(SynthTruth, EveryAttackScenarioProducesItsFindingAndBenignNone) {
  const std::map<synth::scenario, std::string> expected = {
      {synth::scenario::null_integrity, "nas.null_integrity"},
      {synth::scenario::null_ciphering, "nas.null_ciphering"},
      {synth::scenario::suci_null_scheme, "id.suci_null_scheme"},
      {synth::scenario::suci_replay, "id.suci_replay"},
      {synth::scenario::bidding_down, "nas.smc_caps_mismatch"},
      {synth::scenario::smc_reject, "nas.smc_reject_caps"},
      {synth::scenario::smc_ciphered, "nas.smc_ciphered"},
      {synth::scenario::unprotected_after_smc, "nas.unprotected_after_smc"},
      {synth::scenario::nas_replay, "nas.count_replay"},
      {synth::scenario::mac_failure, "nas.mac_failure"},
      {synth::scenario::auth_failure_storm, "aka.auth_failure_storm"},
      {synth::scenario::registration_flood, "ngap.registration_flood"},
      {synth::scenario::pei_before_security, "id.pei_before_security"},
      {synth::scenario::path_switch_bidding_down, "ngap.path_switch_caps_mismatch"},
      {synth::scenario::caps_mismatch_ngap, "ngap.caps_mismatch"},
      {synth::scenario::container_in_clear, "nas.container_not_ciphered"},
  };
  for (const auto& [sc, rule] : expected) {
    const auto s = run_ok(make_options(sc, 8));
    std::set<std::string> rules;
    for (const auto& t : s.truths) {
      rules.insert(t.rule);
      ASSERT_FALSE(t.frames.empty());
      EXPECT_TRUE(std::find(t.frames.begin(), t.frames.end(), t.frame) != t.frames.end());
      for (auto fr : t.frames) {
        ASSERT_GE(fr, 1u);
        ASSERT_LE(fr, s.frames.size());
        EXPECT_FALSE(s.frames[fr - 1].comment.empty()) << rule << " frame " << fr;
      }
    }
    EXPECT_EQ(rules, std::set<std::string>{rule}) << synth::to_string(sc);
  }
  for (auto sc : {synth::scenario::benign, synth::scenario::benign_eap}) {
    EXPECT_TRUE(run_ok(make_options(sc, 8)).truths.empty()) << synth::to_string(sc);
  }
}

TEST(SynthTruth, MixedCoversEveryRuleOfTheScenarios) {
  const auto s = run_ok(make_options(synth::scenario::mixed, 120));
  std::set<std::string> rules;
  for (const auto& t : s.truths) rules.insert(t.rule);
  EXPECT_EQ(rules.size(), 15u);
}

TEST(SynthTruth, NullAlgorithmsChosenByOptionAreTruthForEveryUe) {
  auto o = make_options(synth::scenario::benign, 4);
  o.nea = 0;
  const auto s = run_ok(o);
  EXPECT_EQ(s.truths.size(), 4u);
  for (const auto& t : s.truths) EXPECT_EQ(t.rule, "nas.null_ciphering");
}

TEST(SynthTruth, JsonLineHasTheDocumentedFields) {
  synth::truth_finding f;
  f.rule = "nas.null_integrity";
  f.frame = 12;
  f.frames = {12, 13};
  f.ue = 3;
  f.supi = "imsi-001010000000004";
  f.gnb = 1;
  f.ran_ue_ngap_id = 4;
  f.amf_ue_ngap_id = 9;
  EXPECT_EQ(synth::to_json_line(f),
            R"({"type":"truth","rule":"nas.null_integrity","frame":12,"frames":[12,13],)"
            R"("ue":{"index":3,"supi":"imsi-001010000000004","ran_ue_ngap_id":4,)"
            R"("amf_ue_ngap_id":9},"gnb":1})");
}

TEST(SynthScale, SmallWindowStillRunsEveryUe) {
  auto o = make_options(synth::scenario::benign, 50);
  o.window = 3;
  o.gnbs = 3;
  memory_sink s;
  auto r = synth::run(o, s);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->ues, 50u);
  EXPECT_EQ(s.subscribers.size(), 50u);
  EXPECT_EQ(r->frames, s.frames.size());
}

// ---- --cycles ----

// The NGAP procedure names and the readable (not ciphered) 5GMM message types of a run, and the
// frames of the InitialUEMessages with their RAN-UE-NGAP-ID and 5G-S-TMSI.
struct run_view {
  std::vector<std::string> procs;
  std::vector<int> plain_nas_types;
  std::vector<std::uint8_t> registration_types;  // of the readable Registration Requests
  std::vector<std::uint32_t> initial_ran_ids;
  std::vector<std::optional<std::uint32_t>> initial_tmsis;
  std::vector<ngap::cause> release_transfer_causes;  // PDUSessionResourceReleaseCommand
  std::vector<std::uint8_t> uplink_sqns;             // protected uplink NAS, in order
};

run_view view_of(const memory_sink& s) {
  run_view v;
  for (const auto& f : s.frames) {
    const auto pdu = ngap_of(f.bytes);
    if (pdu.empty()) continue;
    auto m = ngap::decode_message(pdu);
    EXPECT_TRUE(m.has_value()) << describe(m.error());
    if (!m) continue;
    v.procs.push_back(ngap::message_name(m->type, m->procedure_code));
    const bool uplink = m->type == ngap::pdu_type::successful ||
                        m->procedure_code == ngap::procedure::initial_ue_message ||
                        m->procedure_code == ngap::procedure::uplink_nas_transport;
    if (m->procedure_code == ngap::procedure::initial_ue_message) {
      v.initial_ran_ids.push_back(m->ran_ue_ngap_id.value_or(0));
      v.initial_tmsis.push_back(m->five_g_s_tmsi ? std::optional(m->five_g_s_tmsi->five_g_tmsi)
                                                 : std::nullopt);
    }
    if (const auto* l = m->find_list(ngap::ie_id::pdu_session_resource_to_release_list_rel_cmd)) {
      for (const auto& it : l->items) {
        auto c = ngap::decode_transfer_cause(l->ie_id, it.transfer);
        EXPECT_TRUE(c.has_value());
        if (c) v.release_transfer_causes.push_back(*c);
      }
    }
    if (!m->nas_pdu) continue;
    auto n = nas::decode(m->nas_pdu->bytes);
    EXPECT_TRUE(n.has_value());
    if (!n) continue;
    if (uplink && n->security_header != nas::security_header_type::plain) {
      v.uplink_sqns.push_back(n->sqn);
    }
    if (n->has_message) {
      v.plain_nas_types.push_back(n->message.message_type);
      if (n->message.message_type == 0x41) {
        const auto* rt = n->message.find(nas::ie_kind::registration_type);
        EXPECT_NE(rt, nullptr);
        if (rt != nullptr) v.registration_types.push_back(rt->half & 0x7);
      }
    }
  }
  return v;
}

std::size_t count_of(const std::vector<std::string>& v, std::string_view name) {
  return static_cast<std::size_t>(std::count(v.begin(), v.end(), name));
}

// FNV-1a over the capture times and bytes of every frame and the truth frames.
std::uint64_t digest(const memory_sink& s) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::uint64_t v, int octets) {
    for (int i = 0; i < octets; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 1099511628211ULL;
    }
  };
  for (const auto& f : s.frames) {
    mix(static_cast<std::uint64_t>(f.t), 8);
    for (auto b : f.bytes) mix(b, 1);
  }
  for (const auto& t : s.truths) {
    for (auto fr : t.frames) mix(fr, 8);
  }
  return h;
}

// The traffic of --cycles 1 (the default) is byte for byte what it was before --cycles existed
// (digests taken with the synthesizer of commit c2da865). A change here changes every capture
// users made with a given seed: only on purpose, with a changelog line.
TEST(SynthGolden, DefaultTrafficIsUnchanged) {
  EXPECT_EQ(digest(run_ok(make_options(synth::scenario::benign, 4, 1))), 12747921126049314871ULL);
  EXPECT_EQ(digest(run_ok(make_options(synth::scenario::benign_eap, 3, 2))),
            12293644822363719099ULL);
  EXPECT_EQ(digest(run_ok(make_options(synth::scenario::mixed, 30, 9))), 15777353301885462583ULL);
}

TEST(SynthCycles, BenignUeRepeatsConnectedIdleCyclesBeforeDeregistering) {
  auto o = make_options(synth::scenario::benign, 1, 2);
  o.cycles = 6;
  const auto s = run_ok(o);
  const auto v = view_of(s);
  // Registration + 6 Service Requests + 2 periodic registration updates (before the Service
  // Requests of cycles 3 and 6), each in its own N2 connection with a fresh RAN-UE-NGAP-ID.
  EXPECT_EQ(count_of(v.procs, "InitialUEMessage"), 9u);
  EXPECT_EQ(std::count(v.plain_nas_types.begin(), v.plain_nas_types.end(), 0x4c), 6);
  EXPECT_EQ(v.registration_types, (std::vector<std::uint8_t>{1, 3, 3}));
  EXPECT_EQ(std::set<std::uint32_t>(v.initial_ran_ids.begin(), v.initial_ran_ids.end()).size(),
            v.initial_ran_ids.size());
  // Every InitialUEMessage after the registration names the UE by its 5G-S-TMSI; the periodic
  // registration update re-allocates the 5G-GUTI (3 different TMSIs in all).
  ASSERT_EQ(v.initial_tmsis.size(), 9u);
  EXPECT_FALSE(v.initial_tmsis[0].has_value());
  std::set<std::uint32_t> tmsis;
  for (std::size_t i = 1; i < v.initial_tmsis.size(); ++i) {
    ASSERT_TRUE(v.initial_tmsis[i].has_value()) << i;
    tmsis.insert(*v.initial_tmsis[i]);
  }
  EXPECT_EQ(tmsis.size(), 3u);
  // Idle transitions: one UEContextReleaseRequest per cycle; the releases after the two
  // periodic updates and the final one are AMF-initiated.
  EXPECT_EQ(count_of(v.procs, "UEContextReleaseRequest"), 6u);
  EXPECT_EQ(count_of(v.procs, "UEContextReleaseCommand"), 6u + 2u + 1u);
  EXPECT_EQ(count_of(v.procs, "InitialContextSetupRequest"), 1u + 6u);
  // Second PDU sessions set up and released in some cycles (seed 2: two).
  const auto releases = count_of(v.procs, "PDUSessionResourceReleaseCommand");
  EXPECT_EQ(releases, 2u);
  EXPECT_EQ(count_of(v.procs, "PDUSessionResourceReleaseResponse"), releases);
  EXPECT_EQ(count_of(v.procs, "PDUSessionResourceSetupRequest"), 1u + releases);
  ASSERT_EQ(v.release_transfer_causes.size(), releases);
  for (const auto& c : v.release_transfer_causes) {
    EXPECT_EQ(c.type, ngap::cause::group::nas);
    EXPECT_EQ(c.value, 0);  // normal-release
  }
  EXPECT_EQ(v.procs.back(), "UEContextReleaseComplete");
  // One uplink NAS COUNT across all the connections: the sequence numbers go 0, 1, 2, ...
  // (fewer than 256 uplink messages here).
  for (std::size_t i = 0; i < v.uplink_sqns.size(); ++i) {
    EXPECT_EQ(v.uplink_sqns[i], i) << i;
  }
  EXPECT_TRUE(s.truths.empty());
}

TEST(SynthCycles, OneCycleIsTheDefaultAndAttackersRunOne) {
  EXPECT_EQ(synth::options{}.cycles, 1u);
  // Attacking UEs keep their single cycle: the truth of an attack scenario is the same.
  auto o = make_options(synth::scenario::null_integrity, 8, 5);
  const auto one = run_ok(o);
  o.cycles = 4;
  const auto four = run_ok(o);
  ASSERT_EQ(one.truths.size(), four.truths.size());
  for (std::size_t i = 0; i < one.truths.size(); ++i) {
    EXPECT_EQ(one.truths[i].rule, four.truths[i].rule);
    EXPECT_EQ(one.truths[i].supi, four.truths[i].supi);
  }
  EXPECT_GT(four.frames.size(), one.frames.size());
}

TEST(SynthCycles, SmallWindowStillRunsEveryUe) {
  auto o = make_options(synth::scenario::benign, 30);
  o.window = 2;
  o.gnbs = 2;
  o.cycles = 4;
  memory_sink s;
  auto r = synth::run(o, s);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->ues, 30u);
  EXPECT_EQ(r->frames, s.frames.size());
}

TEST(SynthOptions, InvalidOptionsAreErrors) {
  memory_sink s;
  auto o = make_options(synth::scenario::benign, 1);
  o.nea = 4;
  EXPECT_FALSE(synth::run(o, s).has_value());
  o = make_options(synth::scenario::benign, 1);
  o.gnbs = 0;
  EXPECT_FALSE(synth::run(o, s).has_value());
  o = make_options(synth::scenario::benign, 1);
  o.profile = synth::suci_profile::null_scheme;
  EXPECT_FALSE(synth::home_network_key_pem(o).has_value());
  o = make_options(synth::scenario::benign, 1);
  o.cycles = 0;
  EXPECT_FALSE(synth::run(o, s).has_value());
  o.cycles = synth::max_cycles + 1;
  EXPECT_FALSE(synth::run(o, s).has_value());
}

}  // namespace
