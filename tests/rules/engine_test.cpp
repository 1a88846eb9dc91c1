// Every rule: a positive and a negative case, on events built by hand (what the tracker emits).
#include "sec5g/rules/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "sec5g/identity/suci.hpp"

namespace sec5g::rules {
namespace {

/// A SUCI given in its UDM string form, as the tracker keeps it (the mobile identity's octets).
analysis::packed_suci suci_of(std::string_view text) {
  auto s = identity::parse_suci(text);
  EXPECT_TRUE(s.has_value()) << text;
  analysis::packed_suci out;
  if (!s) return out;
  byte_buffer b;
  EXPECT_TRUE(identity::encode_suci(*s, b).has_value()) << text;
  out.assign(b);
  EXPECT_EQ(out.text(), text) << "round trip";
  return out;
}

using analysis::direction;
using analysis::mac_verdict;
using analysis::mm_type;

constexpr std::uint8_t mt(mm_type t) { return static_cast<std::uint8_t>(t); }

/// A small harness: one UE, a clock, helpers that send NAS / NGAP events to an engine.
struct harness {
  engine eng;
  analysis::ue_context ue;
  analysis::packet_meta pkt;
  std::uint64_t frame = 0;

  explicit harness(engine_options o = {}) : eng(std::move(o)) {
    ue.id = 1;
    ue.has_ran_id = true;
    ue.ran_ue_ngap_id = 7;
    pkt.gnb = "10.0.0.2:9487";
    pkt.amf = "10.0.0.1:38412";
  }
  void tick(std::int64_t ms = 10) {
    ++frame;
    pkt.frame = frame;
    pkt.time_ns += ms * 1'000'000;
  }
  analysis::nas_event base(direction d, std::uint8_t header = 0) {
    tick();
    analysis::nas_event e;
    e.pkt = &pkt;
    e.ue = &ue;
    e.dir = d;
    e.epd = analysis::epd_5gmm;
    e.header_type = header;
    e.mac = header == 0 ? mac_verdict::not_protected : mac_verdict::no_context;
    e.security_active_before = ue.security_active;
    return e;
  }
  void nas(direction d, const analysis::mm_fields& mm, std::uint8_t header = 0, bool initial = false) {
    auto e = base(d, header);
    e.mm = &mm;
    e.initial_message = initial;
    eng.on_nas(e);
  }
  void ngap(std::uint8_t proc, std::uint8_t type, analysis::ngap_event e = {}) {
    tick();
    e.pkt = &pkt;
    e.ue = &ue;
    e.procedure_code = proc;
    e.pdu_type = type;
    eng.on_ngap(e);
  }
  std::size_t count(std::string_view rule) const {
    std::size_t n = 0;
    for (const auto& f : eng.findings())
      if (f.rule->id == rule) ++n;
    return n;
  }
  const finding* first(std::string_view rule) const {
    for (const auto& f : eng.findings())
      if (f.rule->id == rule) return &f;
    return nullptr;
  }
};

analysis::mm_fields msg(mm_type t) {
  analysis::mm_fields m;
  m.type = mt(t);
  return m;
}

analysis::ue_sec_caps caps(std::uint8_t ea, std::uint8_t ia, std::uint8_t eea = 0, std::uint8_t eia = 0,
                           std::uint8_t len = 4) {
  analysis::ue_sec_caps c;
  c.octets = {ea, ia, eea, eia};
  c.len = len;
  return c;
}

analysis::mm_fields smc(std::uint8_t nea, std::uint8_t nia, analysis::ue_sec_caps replayed) {
  auto m = msg(mm_type::security_mode_command);
  m.nea = nea;
  m.nia = nia;
  m.caps = replayed;
  return m;
}

TEST(rule_null_integrity, fires_on_ia0_and_not_on_ia2_or_emergency) {
  harness h;
  h.nas(direction::downlink, smc(0, 0, caps(0xf0, 0xf0)), 3);
  EXPECT_EQ(h.count("nas.null_integrity"), 1u);
  harness ok;
  ok.nas(direction::downlink, smc(2, 2, caps(0xf0, 0xf0)), 3);
  EXPECT_EQ(ok.count("nas.null_integrity"), 0u);
  harness emergency;
  emergency.ue.emergency = true;
  emergency.nas(direction::downlink, smc(0, 0, caps(0xf0, 0xf0)), 3);
  EXPECT_EQ(emergency.count("nas.null_integrity"), 0u);
}

TEST(rule_null_ciphering, fires_on_ea0_only) {
  harness h;
  h.nas(direction::downlink, smc(0, 2, caps(0xf0, 0xf0)), 3);
  ASSERT_EQ(h.count("nas.null_ciphering"), 1u);
  EXPECT_EQ(h.first("nas.null_ciphering")->evidence["selected_nia"], 2);
  harness ok;
  ok.nas(direction::downlink, smc(1, 2, caps(0xf0, 0xf0)), 3);
  EXPECT_EQ(ok.count("nas.null_ciphering"), 0u);
}

TEST(rule_smc_caps_mismatch, compares_replayed_with_sent_capabilities) {
  harness h;
  h.ue.nas_caps = caps(0xf0, 0xf0, 0xf0, 0xf0);
  h.nas(direction::downlink, smc(1, 1, caps(0x80, 0x80, 0xf0, 0xf0)), 3);
  ASSERT_EQ(h.count("nas.smc_caps_mismatch"), 1u);
  EXPECT_EQ(h.first("nas.smc_caps_mismatch")->evidence["replayed_capability"], "8080f0f0");
  harness ok;
  ok.ue.nas_caps = caps(0xf0, 0xf0, 0xf0, 0xf0);
  ok.nas(direction::downlink, smc(1, 1, caps(0xf0, 0xf0, 0xf0, 0xf0)), 3);
  EXPECT_EQ(ok.count("nas.smc_caps_mismatch"), 0u);
}

TEST(rule_smc_reject_caps, fires_on_cause_23_only) {
  harness h;
  auto rej = msg(mm_type::security_mode_reject);
  rej.cause = 23;
  h.nas(direction::uplink, rej);
  EXPECT_EQ(h.count("nas.smc_reject_caps"), 1u);
  harness other;
  rej.cause = 24;
  other.nas(direction::uplink, rej);
  EXPECT_EQ(other.count("nas.smc_reject_caps"), 0u);
}

TEST(rule_ue_caps_null_only, medium_when_rejected_high_when_accepted) {
  auto reg = msg(mm_type::registration_request);
  reg.caps = caps(0x80, 0x80);
  harness rejected;
  rejected.nas(direction::uplink, reg, 0, true);
  auto rr = msg(mm_type::registration_reject);
  rr.cause = 23;
  rejected.nas(direction::downlink, rr);
  ASSERT_EQ(rejected.count("nas.ue_caps_null_only"), 1u);
  EXPECT_EQ(rejected.first("nas.ue_caps_null_only")->level, severity::medium);
  EXPECT_EQ(rejected.first("nas.ue_caps_null_only")->frame, 1u);

  harness accepted;
  accepted.nas(direction::uplink, reg, 0, true);
  accepted.nas(direction::downlink, smc(0, 0, caps(0x80, 0x80)), 3);
  ASSERT_EQ(accepted.count("nas.ue_caps_null_only"), 1u);
  EXPECT_EQ(accepted.first("nas.ue_caps_null_only")->level, severity::high);

  harness normal;
  reg.caps = caps(0xe0, 0xe0);
  normal.nas(direction::uplink, reg, 0, true);
  normal.nas(direction::downlink, msg(mm_type::registration_reject));
  normal.eng.on_ue_end(normal.ue);
  EXPECT_EQ(normal.count("nas.ue_caps_null_only"), 0u);
}

// Several input files: frame numbers restart in each file, so an evidence frame of an earlier
// file names it (`<key>_file`), and a finding dated by an earlier frame is of that frame's file.
TEST(engine_files, evidence_frames_of_another_file_name_their_file) {
  engine_options o;
  o.files = {"a.pcap", "b.pcap"};
  auto reg = msg(mm_type::registration_request);
  analysis::identity_ref id;
  id.type = 1;
  reg.identity = id;
  reg.caps = caps(0x80, 0x80);
  auto fail = msg(mm_type::authentication_failure);
  fail.cause = 21;
  harness h(o);
  h.ue.suci = suci_of("suci-0-001-01-0000-1-1-aabbcc");
  h.ue.supi.assign("001010000000099");
  h.nas(direction::uplink, reg, 0, true);  // a.pcap frame 1
  h.nas(direction::uplink, fail);          // a.pcap frame 2
  h.nas(direction::uplink, fail);          // a.pcap frame 3
  h.pkt.file = 1;                          // b.pcap starts again at frame 1
  h.frame = 0;
  h.nas(direction::uplink, fail);  // b.pcap frame 1: the third failure
  auto again = reg;
  again.caps.reset();
  h.nas(direction::uplink, again, 0, true);  // b.pcap frame 2: the SUCI again
  h.nas(direction::downlink, smc(0, 0, caps(0x80, 0x80)), 3);  // b.pcap frame 3
  h.eng.finish();

  // The finding of `rule` is at (file, frame); its evidence frame `key` is `at` of `path`.
  const auto expect_finding = [&](std::string_view rule, std::uint32_t file, std::uint64_t frame,
                                  const std::string& key, std::uint64_t at, const char* path) {
    const finding* f = h.first(rule);
    ASSERT_NE(f, nullptr) << rule;
    EXPECT_EQ(f->file, file) << rule;
    EXPECT_EQ(f->frame, frame) << rule;
    EXPECT_EQ(f->evidence[key], at) << rule;
    EXPECT_EQ(f->evidence[key + "_file"], path) << rule;
  };
  expect_finding("id.suci_replay", 1, 2, "first_frame", 1, "a.pcap");

  const finding* storm = h.first("aka.auth_failure_storm");
  ASSERT_NE(storm, nullptr);
  EXPECT_EQ(storm->file, 1u);
  EXPECT_EQ(storm->evidence["frames"], nlohmann::ordered_json::parse("[2,3,1]"));
  EXPECT_EQ(storm->evidence["frames_file"],
            nlohmann::ordered_json::parse(R"(["a.pcap","a.pcap","b.pcap"])"));

  // Dated by the Registration Request of a.pcap, answered by the SMC of b.pcap.
  expect_finding("nas.ue_caps_null_only", 0, 1, "response_frame", 3, "b.pcap");
  // The findings of a.pcap come first.
  EXPECT_EQ(h.eng.findings().front().rule->id, "nas.ue_caps_null_only");

  // Within one file, no `_file` key is added.
  harness one(o);
  one.ue.suci = suci_of("suci-0-001-01-0000-1-1-aabbcc");
  one.nas(direction::uplink, reg, 0, true);
  one.nas(direction::uplink, reg, 0, true);
  ASSERT_NE(one.first("id.suci_replay"), nullptr);
  EXPECT_FALSE(one.first("id.suci_replay")->evidence.contains("first_frame_file"));

  // Without the paths (engine_options::files empty) nothing is added either.
  harness unnamed;
  unnamed.ue.suci = suci_of("suci-0-001-01-0000-1-1-aabbcc");
  unnamed.ue.supi.assign("001010000000099");
  unnamed.nas(direction::uplink, reg, 0, true);
  for (int i = 0; i < 2; ++i) unnamed.nas(direction::uplink, fail);
  unnamed.pkt.file = 1;
  unnamed.nas(direction::uplink, fail);
  unnamed.nas(direction::uplink, again, 0, true);
  ASSERT_NE(unnamed.first("id.suci_replay"), nullptr);
  ASSERT_NE(unnamed.first("aka.auth_failure_storm"), nullptr);
  EXPECT_FALSE(unnamed.first("id.suci_replay")->evidence.contains("first_frame_file"));
  EXPECT_FALSE(unnamed.first("aka.auth_failure_storm")->evidence.contains("frames_file"));
}

TEST(rule_smc_ciphered, fires_unless_header_type_3) {
  harness h;
  h.nas(direction::downlink, smc(1, 1, caps(0xf0, 0xf0)), 1);
  EXPECT_EQ(h.count("nas.smc_ciphered"), 1u);
  harness ok;
  ok.nas(direction::downlink, smc(1, 1, caps(0xf0, 0xf0)), 3);
  EXPECT_EQ(ok.count("nas.smc_ciphered"), 0u);
}

TEST(rule_unprotected_after_smc, plain_accept_after_activation_fires_allowed_ones_do_not) {
  harness h;
  h.ue.security_active = true;
  h.ue.smc_frame = 1;
  h.nas(direction::downlink, msg(mm_type::registration_accept));
  EXPECT_EQ(h.count("nas.unprotected_after_smc"), 1u);
  h.nas(direction::downlink, msg(mm_type::authentication_request));
  h.nas(direction::uplink, msg(mm_type::registration_request));
  EXPECT_EQ(h.count("nas.unprotected_after_smc"), 1u);
  harness before;
  before.nas(direction::downlink, msg(mm_type::registration_accept));
  EXPECT_EQ(before.count("nas.unprotected_after_smc"), 0u);
}

TEST(rule_mac_failure_and_count_replay, follow_the_tracker_verdicts) {
  harness h;
  auto e = h.base(direction::uplink, 2);
  e.mac = mac_verdict::failed;
  e.count = 5;
  h.eng.on_nas(e);
  EXPECT_EQ(h.count("nas.mac_failure"), 1u);
  auto ok = h.base(direction::uplink, 2);
  ok.mac = mac_verdict::ok;
  ok.count = 6;
  h.eng.on_nas(ok);
  auto none = h.base(direction::uplink, 2);
  none.mac = mac_verdict::no_context;
  h.eng.on_nas(none);
  EXPECT_EQ(h.count("nas.mac_failure"), 1u);
  EXPECT_EQ(h.count("nas.count_replay"), 0u);
  auto rep = h.base(direction::uplink, 2);
  rep.mac = mac_verdict::ok;
  rep.count = 0;
  rep.count_replay = true;
  rep.previous_count = 6;
  h.eng.on_nas(rep);
  ASSERT_EQ(h.count("nas.count_replay"), 1u);
  EXPECT_EQ(h.first("nas.count_replay")->evidence["previous_count"], 6);
}

TEST(rule_cleartext_ie_violation, only_cleartext_ies_in_initial_messages) {
  auto reg = msg(mm_type::registration_request);
  reg.ieis[0] = 0x2e;
  reg.ieis[1] = 0x2f;  // requested NSSAI: not a cleartext IE
  reg.iei_count = 2;
  harness h;
  h.nas(direction::uplink, reg, 0, true);
  ASSERT_EQ(h.count("nas.cleartext_ie_violation"), 1u);
  EXPECT_EQ(h.first("nas.cleartext_ie_violation")->evidence["non_cleartext_ieis"][0], "0x2f");
  reg.iei_count = 1;
  harness ok;
  ok.nas(direction::uplink, reg, 0, true);
  EXPECT_EQ(ok.count("nas.cleartext_ie_violation"), 0u);
}

TEST(rule_suci_null_scheme_and_replay, identities_in_registration) {
  auto reg = msg(mm_type::registration_request);
  analysis::identity_ref id;
  id.type = 1;
  reg.identity = id;
  harness h;
  h.ue.suci = suci_of("suci-0-001-01-0000-0-0-0000000003");
  h.ue.suci_null_scheme = true;
  h.ue.supi.assign("001010000000003");
  h.nas(direction::uplink, reg, 0, true);
  ASSERT_EQ(h.count("id.suci_null_scheme"), 1u);
  EXPECT_EQ(h.first("id.suci_null_scheme")->ue.supi, "imsi-001010000000003");

  harness concealed;
  concealed.ue.suci = suci_of("suci-0-001-01-0000-1-1-aabbcc");
  concealed.nas(direction::uplink, reg, 0, true);
  EXPECT_EQ(concealed.count("id.suci_null_scheme"), 0u);
  EXPECT_EQ(concealed.count("id.suci_replay"), 0u);
  concealed.nas(direction::uplink, reg, 0, true);  // same scheme output again
  EXPECT_EQ(concealed.count("id.suci_replay"), 1u);
  concealed.ue.suci = suci_of("suci-0-001-01-0000-1-1-ddeeff");
  concealed.nas(direction::uplink, reg, 0, true);
  EXPECT_EQ(concealed.count("id.suci_replay"), 1u);
}

TEST(rule_pei_before_security, imei_request_before_smc) {
  auto req = msg(mm_type::identity_request);
  req.identity_type_requested = 5;
  harness h;
  h.nas(direction::downlink, req);
  EXPECT_EQ(h.count("id.pei_before_security"), 1u);
  harness after;
  after.ue.security_active = true;
  after.nas(direction::downlink, req, 2);
  EXPECT_EQ(after.count("id.pei_before_security"), 0u);
  req.identity_type_requested = 1;
  harness suci;
  suci.nas(direction::downlink, req);
  EXPECT_EQ(suci.count("id.pei_before_security"), 0u);
}

TEST(rule_identity_request_flood, threshold_per_subscriber_in_window) {
  auto req = msg(mm_type::identity_request);
  req.identity_type_requested = 1;
  harness h;
  for (int i = 0; i < 3; ++i) h.nas(direction::downlink, req);
  EXPECT_EQ(h.count("id.identity_request_flood"), 1u);
  harness slow;
  for (int i = 0; i < 3; ++i) {
    slow.nas(direction::downlink, req);
    slow.pkt.time_ns += 61'000'000'000;
  }
  EXPECT_EQ(slow.count("id.identity_request_flood"), 0u);
}

TEST(rule_guti_not_refreshed, accept_without_guti_after_initial_registration) {
  harness h;
  h.ue.registration_type = 1;
  h.nas(direction::downlink, msg(mm_type::registration_accept), 2);
  EXPECT_EQ(h.count("id.guti_not_refreshed"), 1u);
  harness ok;
  ok.ue.registration_type = 1;
  auto acc = msg(mm_type::registration_accept);
  analysis::identity_ref id;
  id.type = 2;
  acc.identity = id;
  ok.nas(direction::downlink, acc, 2);
  harness periodic;
  periodic.ue.registration_type = 3;
  periodic.nas(direction::downlink, msg(mm_type::registration_accept), 2);
  EXPECT_EQ(ok.count("id.guti_not_refreshed") + periodic.count("id.guti_not_refreshed"), 0u);
}

TEST(rule_auth_failure_storm, three_failures_in_a_minute) {
  auto fail = msg(mm_type::authentication_failure);
  fail.cause = 20;
  harness h;
  h.ue.supi.assign("001010000000099");
  for (int i = 0; i < 3; ++i) h.nas(direction::uplink, fail);
  ASSERT_EQ(h.count("aka.auth_failure_storm"), 1u);
  EXPECT_EQ(h.first("aka.auth_failure_storm")->evidence["scope"], "subscriber");
  harness two;
  for (int i = 0; i < 2; ++i) two.nas(direction::uplink, fail);
  fail.cause = 9;  // not an authentication failure cause of the rule
  two.nas(direction::uplink, fail);
  EXPECT_EQ(two.count("aka.auth_failure_storm"), 0u);
}

TEST(rule_rand_reuse, answered_rand_sent_again) {
  auto req = msg(mm_type::authentication_request);
  req.rand = byte_array<16>{1, 2, 3};
  req.autn = byte_array<16>{0, 0, 0, 0, 0, 0, 0x80, 0};
  harness h;
  h.ue.supi.assign("001010000000001");
  h.nas(direction::downlink, req);
  h.nas(direction::downlink, req);  // retransmission (T3560): not a reuse
  EXPECT_EQ(h.count("aka.rand_reuse"), 0u);
  h.nas(direction::uplink, msg(mm_type::authentication_response));
  h.nas(direction::downlink, req);
  EXPECT_EQ(h.count("aka.rand_reuse"), 1u);
}

// The per-subscriber tables at scale: thousands of subscribers (the table grows many times),
// each RAND answered, then all sent again: one reuse each, with that subscriber's first frame;
// SUCIs likewise. Past max_tracked_subscribers the tables start over (nothing older is found).
TEST(rule_rand_reuse, thousands_of_subscribers_and_the_table_bound) {
  for (const std::size_t bound : {std::size_t{1'000'000}, std::size_t{100}}) {
    engine_options o;
    o.max_tracked_subscribers = bound;
    harness h(o);
    constexpr std::uint32_t subscribers = 3000;
    std::vector<std::uint64_t> first_frame(subscribers);
    auto req = msg(mm_type::authentication_request);
    req.autn = byte_array<16>{0, 0, 0, 0, 0, 0, 0x80, 0};
    auto reg = msg(mm_type::registration_request);
    analysis::identity_ref id;
    id.type = 1;
    reg.identity = id;
    auto as_subscriber = [&](std::uint32_t i) {
      h.ue.id = 1000 + i;
      h.ue.supi.assign(std::to_string(1'000'000'000ULL + i));
      char text[40];
      std::snprintf(text, sizeof text, "suci-0-001-01-0000-1-1-%08x", static_cast<unsigned>(i));
      h.ue.suci = suci_of(text);
      req.rand = byte_array<16>{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)};
    };
    for (int round = 0; round < 2; ++round) {
      for (std::uint32_t i = 0; i < subscribers; ++i) {
        as_subscriber(i);
        h.nas(direction::uplink, reg, 0, true);
        h.nas(direction::downlink, req);
        if (round == 0) first_frame[i] = h.frame;
        h.nas(direction::uplink, msg(mm_type::authentication_response));
      }
    }
    std::size_t reuses = 0;
    std::size_t replays = 0;
    for (const auto& f : h.eng.findings()) {
      if (f.rule->id == "id.suci_replay") ++replays;
      if (f.rule->id != "aka.rand_reuse") continue;
      ++reuses;
      const std::string sub = f.evidence["subscriber"].get<std::string>();
      const std::uint32_t i = static_cast<std::uint32_t>(std::stoull(sub.substr(5)) - 1'000'000'000ULL);
      ASSERT_LT(i, subscribers);
      EXPECT_EQ(f.evidence["first_frame"].get<std::uint64_t>(), first_frame[i]) << sub;
    }
    if (bound > subscribers) {
      EXPECT_EQ(reuses, subscribers);
      EXPECT_EQ(replays, subscribers);
    } else {
      // Cleared whenever they pass `bound` entries: by the time a subscriber comes back
      // (3000 others later) its first RAND and SUCI are forgotten.
      EXPECT_EQ(reuses, 0u);
      EXPECT_EQ(replays, 0u);
    }
  }
}

TEST(rule_amf_separation_bit, bit_0_of_the_autn_amf) {
  auto req = msg(mm_type::authentication_request);
  req.rand = byte_array<16>{9};
  req.autn = byte_array<16>{0, 0, 0, 0, 0, 0, 0x00, 0x00};
  harness h;
  h.nas(direction::downlink, req);
  EXPECT_EQ(h.count("aka.amf_separation_bit"), 1u);
  req.autn = byte_array<16>{0, 0, 0, 0, 0, 0, 0x80, 0x00};
  harness ok;
  ok.nas(direction::downlink, req);
  EXPECT_EQ(ok.count("aka.amf_separation_bit"), 0u);
}

TEST(rule_res_mismatch_accepted, wrong_res_then_smc) {
  harness h;
  h.ue.res_star_checked = true;
  h.ue.res_star_ok = false;
  h.ue.res_star_frame = 1;
  h.nas(direction::uplink, msg(mm_type::authentication_response));
  h.nas(direction::downlink, smc(1, 1, caps(0xf0, 0xf0)), 3);
  EXPECT_EQ(h.count("aka.res_mismatch_accepted"), 1u);
  harness rejected;
  rejected.ue.res_star_checked = true;
  rejected.ue.res_star_frame = 1;
  rejected.nas(direction::uplink, msg(mm_type::authentication_response));
  rejected.nas(direction::downlink, msg(mm_type::authentication_reject));
  rejected.nas(direction::downlink, smc(1, 1, caps(0xf0, 0xf0)), 3);
  EXPECT_EQ(rejected.count("aka.res_mismatch_accepted"), 0u);
}

TEST(rule_ngap_caps_mismatch, initial_context_setup_against_nas) {
  harness h;
  h.ue.nas_caps = caps(0xe0, 0xe0, 0xe0, 0xe0);
  analysis::ngap_event e;
  e.caps = caps(0x60, 0x60, 0x60, 0x60);  // NGAP has no null-algorithm bits
  h.ngap(14, 0, e);
  EXPECT_EQ(h.count("ngap.caps_mismatch"), 0u);
  e.caps = caps(0x40, 0x60, 0x60, 0x60);
  h.ngap(14, 0, e);
  EXPECT_EQ(h.count("ngap.caps_mismatch"), 1u);
}

TEST(rule_path_switch_caps_mismatch, uncorrected_capabilities) {
  harness h;
  h.ue.nas_caps = caps(0xe0, 0xe0, 0xe0, 0xe0);
  analysis::ngap_event req;
  req.caps = caps(0x00, 0x00, 0x00, 0x00);
  h.ngap(25, 0, req);
  h.ngap(25, 1);  // acknowledge without capabilities
  EXPECT_EQ(h.count("ngap.path_switch_caps_mismatch"), 1u);
  harness corrected;
  corrected.ue.nas_caps = caps(0xe0, 0xe0, 0xe0, 0xe0);
  corrected.ngap(25, 0, req);
  analysis::ngap_event ack;
  ack.caps = caps(0x60, 0x60, 0x60, 0x60);
  corrected.ngap(25, 1, ack);
  EXPECT_EQ(corrected.count("ngap.path_switch_caps_mismatch"), 0u);
}

TEST(rule_duplicate_ran_ue_id, reused_live_id) {
  harness h;
  analysis::ngap_event e;
  e.reused_live_ran_id = true;
  h.ngap(15, 0, e);
  EXPECT_EQ(h.count("ngap.duplicate_ran_ue_id"), 1u);
  h.ngap(15, 0);
  EXPECT_EQ(h.count("ngap.duplicate_ran_ue_id"), 1u);
}

TEST(rule_registration_flood, initial_ue_messages_per_gnb_per_second) {
  engine_options o;
  o.registrations_per_gnb = 10;
  harness h(o);
  for (int i = 0; i < 10; ++i) h.ngap(15, 0);  // 10 in 100 ms
  EXPECT_EQ(h.count("ngap.registration_flood"), 1u);
  harness slow(o);
  for (int i = 0; i < 10; ++i) {
    slow.ngap(15, 0);
    slow.pkt.time_ns += 200'000'000;
  }
  EXPECT_EQ(slow.count("ngap.registration_flood"), 0u);
}

// The window through bursts that grow its event buffer to hundreds and drain it again: each
// burst fires once, with the count of the events in the window and the first 16 of their frames.
TEST(rule_registration_flood, bursts_fire_once_each_with_the_window_s_first_frames) {
  engine_options o;
  o.registrations_per_gnb = 300;
  harness h(o);
  for (int burst = 0; burst < 3; ++burst) {
    const std::uint64_t first = h.frame + 1;
    for (int i = 0; i < 300; ++i) h.ngap(15, 0, {}), h.pkt.time_ns -= 9'000'000;  // 1 ms apart
    ASSERT_EQ(h.count("ngap.registration_flood"), static_cast<std::size_t>(burst + 1));
    const finding& f = h.eng.findings().back();
    EXPECT_EQ(f.evidence["count"], 300);
    std::vector<std::uint64_t> frames;
    for (std::uint64_t k = first; k < first + 16; ++k) frames.push_back(k);
    EXPECT_EQ(f.evidence["frames"], nlohmann::json(frames));
    // A few stragglers, then quiet past the window (1 s): the next burst starts from scratch.
    for (int i = 0; i < 5; ++i) h.ngap(15, 0, {}), h.pkt.time_ns += 400'000'000;
    h.pkt.time_ns += 2'000'000'000;
  }
}

// A flood sustained for far longer than the window is one burst, one finding; it ends when
// the count in the window falls below the threshold, and the next flood is a new finding.
// Each finding then carries the whole burst: its events and its last frame.
TEST(rule_registration_flood, a_sustained_flood_is_one_finding) {
  engine_options o;
  o.registrations_per_gnb = 50;
  harness h(o);
  // 60 s at 100 registrations per second (frames 1-6000, 10 ms apart): always >= 50 in the
  // 1 s window. It fires at the 50th.
  for (int i = 0; i < 6000; ++i) h.ngap(15, 0, {});
  ASSERT_EQ(h.count("ngap.registration_flood"), 1u);
  EXPECT_EQ(h.eng.findings()[0].evidence["count"], 50);
  EXPECT_FALSE(h.eng.findings()[0].evidence.contains("burst_events"));  // not over yet
  // Then 10 per second for 5 s (frames 6001-6050, 100 ms apart): the k-th of them sees
  // 110 - 9k events in the window, so the 7th (frame 6007) ends the burst at frame 6006.
  for (int i = 0; i < 50; ++i) h.ngap(15, 0, {}), h.pkt.time_ns += 90'000'000;
  ASSERT_EQ(h.count("ngap.registration_flood"), 1u);
  EXPECT_EQ(h.eng.findings()[0].evidence["burst_events"], 6006);
  EXPECT_EQ(h.eng.findings()[0].evidence["burst_last_frame"], 6006);
  // A second flood (frames 6051-6150), still going at the end of the input.
  for (int i = 0; i < 100; ++i) h.ngap(15, 0, {});
  ASSERT_EQ(h.count("ngap.registration_flood"), 2u);
  h.eng.finish();
  const auto& second = h.eng.findings()[1].evidence;
  EXPECT_EQ(second["burst_last_frame"], 6150);
  EXPECT_EQ(second["burst_events"].get<int>(),
            second["count"].get<int>() + 6150 - h.eng.findings()[1].frame);
}

TEST(rule_registration_flood, service_requests_of_registered_ues_are_not_counted) {
  engine_options o;
  o.registrations_per_gnb = 10;
  harness h(o);
  const auto sr = msg(mm_type::service_request);
  const auto reg = msg(mm_type::registration_request);
  // An InitialUEMessage carrying `mm`: the NAS event, then the NGAP event of the same frame.
  auto initial = [&](const analysis::mm_fields& mm, std::uint8_t header) {
    h.nas(direction::uplink, mm, header, true);
    h.pkt.time_ns -= 10'000'000;
    --h.frame;
    h.ngap(15, 0);
  };
  // 20 InitialUEMessages in 200 ms carrying Service Requests: the busy hour, not a flood.
  for (int i = 0; i < 20; ++i) initial(sr, 1);
  EXPECT_EQ(h.count("ngap.registration_flood"), 0u);
  // 10 carrying Registration Requests: a flood.
  for (int i = 0; i < 10; ++i) initial(reg, 0);
  EXPECT_EQ(h.count("ngap.registration_flood"), 1u);
}

TEST(rule_registration_flood, evidence_lists_the_frames_in_the_window_not_earlier_traffic) {
  // Steady traffic (one InitialUEMessage every 150 ms: never 10 in a second, but the window
  // never empties), then a burst: the evidence names the frames in the window when it fired.
  engine_options o;
  o.registrations_per_gnb = 10;
  harness h(o);
  for (int i = 0; i < 40; ++i) {
    h.ngap(15, 0);
    h.pkt.time_ns += 140'000'000;
  }
  ASSERT_EQ(h.count("ngap.registration_flood"), 0u);
  for (int i = 0; i < 10; ++i) h.ngap(15, 0);  // 10 ms apart
  const finding* f = h.first("ngap.registration_flood");
  ASSERT_NE(f, nullptr);
  const auto count = f->evidence.at("count").get<std::uint64_t>();
  const auto frames = f->evidence.at("frames").get<std::vector<std::uint64_t>>();
  ASSERT_EQ(count, 10u);
  ASSERT_EQ(frames.size(), 10u);
  EXPECT_EQ(frames.back(), f->frame);
  EXPECT_EQ(frames.front(), f->frame - count + 1);
}

TEST(rule_key_in_clear, once_per_association) {
  harness h;
  analysis::ngap_event e;
  e.security_key_present = true;
  h.ngap(14, 0, e);
  h.ngap(14, 0, e);
  EXPECT_EQ(h.count("ngap.key_in_clear"), 1u);
  harness none;
  none.ngap(14, 0);
  EXPECT_EQ(none.count("ngap.key_in_clear"), 0u);
}

TEST(rule_as_key_mismatch, fires_on_a_mismatching_k_gnb_or_nh_only) {
  harness h;
  analysis::ngap_event ok;
  ok.security_key = analysis::as_key_verdict::ok;
  ok.next_hop = analysis::as_key_verdict::ok;
  h.ngap(14, 0, ok);
  analysis::ngap_event unchecked;
  unchecked.security_key_present = true;  // no keys: not checked, silent
  h.ngap(14, 0, unchecked);
  EXPECT_EQ(h.count("ngap.as_key_mismatch"), 0u);
  analysis::ngap_event bad_key;
  bad_key.security_key = analysis::as_key_verdict::mismatch;
  bad_key.security_key_count = 3;
  h.ngap(14, 0, bad_key);
  analysis::ngap_event bad_nh;
  bad_nh.next_hop = analysis::as_key_verdict::mismatch;
  bad_nh.ncc = 2;
  h.ngap(25, 1, bad_nh);
  ASSERT_EQ(h.count("ngap.as_key_mismatch"), 2u);
  const finding* f = h.first("ngap.as_key_mismatch");
  EXPECT_EQ(f->evidence["ie"], "SecurityKey");
  EXPECT_EQ(f->evidence["uplink_nas_count"], 3);
  for (const auto& g : h.eng.findings()) {
    if (g.rule->id == "ngap.as_key_mismatch" && g.evidence["ie"] == "SecurityContext") {
      EXPECT_EQ(g.evidence["ncc"], 2);
    }
  }
}

TEST(rule_up_integrity_not_enforced, required_then_not_performed) {
  harness h;
  analysis::ngap_event req;
  req.up_integrity_required = true;
  req.pdu_session_id = 1;
  h.ngap(29, 0, req);
  analysis::ngap_event res;
  res.up_integrity_not_performed = true;
  res.pdu_session_id = 1;
  h.ngap(29, 1, res);
  EXPECT_EQ(h.count("ngap.up_integrity_not_enforced"), 1u);
  harness preferred;
  preferred.ngap(29, 1, res);
  EXPECT_EQ(preferred.count("ngap.up_integrity_not_enforced"), 0u);
}

TEST(engine, rule_selection_and_deterministic_order) {
  engine_options o;
  o.enabled.insert("nas.null_ciphering");
  harness h(o);
  h.nas(direction::downlink, smc(0, 0, caps(0xf0, 0xf0)), 1);
  EXPECT_EQ(h.eng.findings().size(), 1u);
  EXPECT_TRUE(h.eng.enabled("nas.null_ciphering"));
  EXPECT_FALSE(h.eng.enabled("nas.null_integrity"));

  harness all;
  all.nas(direction::downlink, smc(0, 0, caps(0xf0, 0xf0)), 1);
  all.eng.finish();
  const auto& f = all.eng.findings();
  ASSERT_GE(f.size(), 3u);
  for (std::size_t i = 1; i < f.size(); ++i) EXPECT_LE(f[i - 1].rule->id, f[i].rule->id);
  EXPECT_EQ(all.eng.counts().at("nas.null_integrity"), 1u);
}

TEST(rule_container_not_ciphered, fires_only_on_a_container_sent_in_clear) {
  harness h;
  h.ue.security_active = true;
  analysis::mm_fields outer = msg(mm_type::service_request);
  outer.has_nas_container = true;
  analysis::mm_fields inner = msg(mm_type::service_request);
  inner.ieis[0] = 0x40;  // Uplink data status
  inner.ieis[1] = 0x50;  // PDU session status
  inner.iei_count = 2;
  // An integrity-protected initial Service Request under 128-NEA2 with that container.
  const auto send = [&](bool in_clear) {
    auto e = h.base(direction::uplink, 1);
    e.initial_message = true;
    e.mac = mac_verdict::ok;
    e.nea = 2;
    e.mm = &outer;
    e.container_mm = &inner;
    e.container_deciphered = !in_clear;
    e.container_in_clear = in_clear;
    h.eng.on_nas(e);
  };
  send(false);  // deciphered (the UE ciphered it): silent
  EXPECT_EQ(h.count("nas.container_not_ciphered"), 0u);
  send(true);   // sent in clear
  ASSERT_EQ(h.count("nas.container_not_ciphered"), 1u);
  const finding* f = h.first("nas.container_not_ciphered");
  EXPECT_EQ(f->frame, h.frame);
  EXPECT_EQ(f->evidence["message_type"], "service_request");
  EXPECT_EQ(f->evidence["nea"], 2);
  EXPECT_EQ(f->evidence["exposed_ieis"], nlohmann::json::array({"0x40", "0x50"}));
}

TEST(rule_cleartext_ie_violation, looks_into_the_container_of_a_plain_initial_message) {
  analysis::mm_fields outer = msg(mm_type::registration_request);
  outer.has_nas_container = true;
  outer.ieis[0] = 0x71;
  outer.iei_count = 1;
  analysis::mm_fields inner = msg(mm_type::registration_request);
  inner.ieis[0] = 0x2e;  // UE security capability: cleartext
  inner.ieis[1] = 0x2f;  // requested NSSAI: not
  inner.iei_count = 2;
  harness h;
  const auto send = [&](std::uint8_t header) {
    auto e = h.base(direction::uplink, header);
    e.initial_message = true;
    e.mm = &outer;
    e.container_mm = &inner;
    h.eng.on_nas(e);
  };
  // Integrity protected: the container is ciphered (or judged by nas.container_not_ciphered).
  send(1);
  EXPECT_EQ(h.count("nas.cleartext_ie_violation"), 0u);
  // Plain: the requested NSSAI inside the container went in clear.
  send(0);
  ASSERT_EQ(h.count("nas.cleartext_ie_violation"), 1u);
  const finding* f = h.first("nas.cleartext_ie_violation");
  EXPECT_EQ(f->evidence["non_cleartext_ieis"], nlohmann::json::array());
  EXPECT_EQ(f->evidence["container_non_cleartext_ieis"], nlohmann::json::array({"0x2f"}));
}

// Memory: over a stream of UEs, each on its own gNB endpoint, each sent an Authentication
// Request it never answers and each ended by the tracker, the engine's tables stay within their
// bounds (an ended UE leaves nothing behind; per-gNB and per-subscriber tables start over at
// their bound). A crafted capture with a million associations must not grow them.
TEST(engine_memory, a_stream_of_ues_on_distinct_gnbs_leaves_bounded_state) {
  engine_options o;
  o.max_tracked_subscribers = 100;
  o.max_tracked_gnbs = 100;
  harness h(o);
  auto req = msg(mm_type::authentication_request);
  req.autn = byte_array<16>{0, 0, 0, 0, 0, 0, 0x80, 0};
  auto failure = msg(mm_type::authentication_failure);
  failure.cause = 21;
  std::string gnb;
  analysis::ngap_event key;
  key.security_key_present = true;
  std::size_t most = 0;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    gnb = "10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) + "." +
          std::to_string(i & 255) + ":38412";
    h.pkt.gnb = gnb;
    h.ue = analysis::ue_context{};
    h.ue.id = i + 1;
    h.ue.supi.assign(std::to_string(1'000'000'000ULL + i));
    req.rand = byte_array<16>{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)};
    h.ngap(15, 0);  // InitialUEMessage: the gNB's registration window
    h.nas(direction::downlink, req);
    if (i % 2 == 0) h.nas(direction::uplink, failure);  // per-subscriber and per-gNB windows
    h.ngap(14, 0, key);  // SecurityKey in clear: one report per association
    h.eng.on_ue_end(h.ue);
    most = std::max(most, h.eng.state_entries());
  }
  // 2 x 100 per-subscriber entries (RANDs, failures) + 4 x 100 per-gNB entries at most.
  EXPECT_LE(most, 600u);
  EXPECT_GT(h.count("ngap.key_in_clear"), 0u);
}

}  // namespace
}  // namespace sec5g::rules
