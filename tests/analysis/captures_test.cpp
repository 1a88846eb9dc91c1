// The tracker on real captures with their subscriber keys (shared/captures/README.md).
#include <gtest/gtest.h>

#include <string>

#include "sec5g/analysis/capture_run.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/identity/sidf.hpp"

namespace sec5g::analysis {
namespace {

const std::string captures = std::string(SEC5G_SHARED_DIR) + "/captures/";

struct verdict_sink : event_sink {
  std::uint64_t ciphered_seen = 0, deciphered = 0, failed = 0, ok = 0;
  std::vector<std::uint64_t> no_context_frames;
  std::vector<std::string> supis, gutis;
  void on_nas(const nas_event& e) override {
    if (e.ciphered) ++ciphered_seen;
    if (e.deciphered) ++deciphered;
    if (e.mac == mac_verdict::failed) ++failed;
    if (e.mac == mac_verdict::ok) ++ok;
    if (e.mac == mac_verdict::no_context) no_context_frames.push_back(e.pkt->frame);
  }
  void on_ngap(const ngap_event&) override {}
  void on_ue_end(const ue_context& ue) override {
    if (!ue.supi.empty()) supis.emplace_back(ue.supi.view());
    if (ue.guti) gutis.push_back(ue.guti_text());
  }
};

struct run_result {
  verdict_sink sink;
  tracker_stats st;
};

void run(const std::string& file, const std::string& keys, run_result& out,
         const identity::hn_key_store* hn = nullptr) {
  std::optional<subscriber_db> db;
  if (!keys.empty()) {
    auto loaded = load_subscriber_keys(captures + "keys/" + keys);
    ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
    db = std::move(*loaded);
  }
  tracker trk({}, db ? &*db : nullptr, hn, out.sink);
  sctp::pipeline pipe;
  current_message cur;
  run_stats rs;
  auto r = run_capture_file(captures + file, pipe, trk, cur, rs);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  trk.finish();
  out.st = trk.stats();
}

TEST(captures, oai_ueransim_nea1_deciphered_and_every_mac_verified) {
  run_result r;
  run("oai_ueransim_registration.pcap", "oai.csv", r);
  EXPECT_EQ(r.st.deciphered, 5u);
  EXPECT_EQ(r.sink.ciphered_seen, 5u);
  EXPECT_EQ(r.st.protected_nas, 6u);
  EXPECT_EQ(r.st.mac_ok, 6u);
  EXPECT_EQ(r.st.mac_failed, 0u);
}

TEST(captures, oai_slicing_nea1_ue_deciphered_others_verified) {
  run_result r;
  run("oai_slicing_multi_ue.pcap", "oai.csv", r);
  EXPECT_EQ(r.st.deciphered, 5u);
  EXPECT_EQ(r.st.mac_failed, 0u);
  EXPECT_EQ(r.st.mac_ok + r.sink.no_context_frames.size(), r.st.protected_nas);
  // Frames 230-236: that UE's authentication is not in the capture -> "no context".
  for (auto f : r.sink.no_context_frames) {
    EXPECT_GE(f, 230u);
    EXPECT_LE(f, 236u);
  }
}

TEST(captures, open5gs_testregistration_all_verifiable_pdus_verify) {
  run_result r;
  run("open5gs_testregistration.pcapng", "open5gs-2020.csv", r);
  EXPECT_EQ(r.st.protected_nas, 1038u);
  EXPECT_EQ(r.st.mac_failed, 0u);
  // Frames 151 and 3977 use a context from before the capture.
  EXPECT_EQ(r.sink.no_context_frames, (std::vector<std::uint64_t>{151, 3977}));
  EXPECT_EQ(r.st.mac_ok, 1036u);
}

TEST(captures, free5gc_inner_header_type_and_guti_filler_are_read_not_malformed) {
  // Frame 171: the Registration Accept under 5G-EA0 says security header type 2 inside as well
  // as outside, and its 5G-GUTI starts 0x02, not 0xf2. The UE took both; so does the tracker.
  run_result r;
  run("telekom_free5gc_registration.pcap", "free5gc-test.csv", r);
  EXPECT_EQ(r.st.malformed, 0u);
  EXPECT_EQ(r.st.protected_nas, 6u);
  EXPECT_EQ(r.st.mac_ok, 6u);
  EXPECT_EQ(r.sink.gutis, (std::vector<std::string>{"5g-guti-20893cafe0000000001"}));
}

TEST(captures, without_keys_nothing_is_verified_or_failed) {
  run_result r;
  run("oai_ueransim_registration.pcap", "", r);
  EXPECT_EQ(r.st.mac_ok + r.st.mac_failed + r.st.deciphered, 0u);
  EXPECT_EQ(r.st.no_context, r.st.protected_nas);
}

TEST(captures, authanomalies_sucis_are_deconcealed_with_the_profile_a_key) {
  identity::hn_key_store hn;
  ASSERT_TRUE(hn.add_pem_file(1, captures + "keys/hnet-profile-a-open5gs-1.pem").has_value());
  run_result r;
  run("authanomalies_normal_traffic.pcap", "open5gs-default.csv", r, &hn);
  EXPECT_EQ(r.st.auth_identified, 0u);  // SUPIs come from the SUCIs, not from the AUTN scan
  ASSERT_FALSE(r.sink.supis.empty());
  for (const auto& s : r.sink.supis) EXPECT_TRUE(s.starts_with("00101000000000")) << s;
  EXPECT_EQ(r.st.mac_ok, r.st.protected_nas);
}

TEST(captures, unknown_supi_identified_from_the_autn) {
  // Without the home-network key the profile-A SUCIs stay concealed: the subscriber is found
  // by checking the candidate keys against the AUTN's MAC.
  run_result r;
  run("authanomalies_normal_traffic.pcap", "open5gs-default.csv", r);
  EXPECT_GE(r.st.auth_identified, 1u);
  EXPECT_EQ(r.st.mac_ok, r.st.protected_nas);
}

}  // namespace
}  // namespace sec5g::analysis
