// Differential test against tshark on every shared capture: the NGAP user messages we deliver,
// per frame, must match the NGAP PDUs tshark dissects, per frame.
//
// The comparison: `tshark -r F -o sctp.checksum:NONE -Y ngap -T fields -e frame.number
// -e ngap.procedureCode` prints one line per frame with NGAP, its procedure codes separated by
// ',' (one per NGAP PDU, i.e. per DATA chunk / reassembled message); gen_tshark_sctp.sh runs
// it over all the captures once (the sctp_tshark fixture's cache). tshark's defaults matter:
// sctp.tsn_analysis is on, so a retransmitted DATA chunk is not dissected again (we drop it
// too), including retransmissions sent on another path of a multi-homed association
// (montimage_attack_ngap.pcap frames 161 ff.); sctp.reassembly is on, so a fragmented message
// counts in the frame of its last fragment (as ours). tshark's `ngap` filter also matches NGAP
// IE containers inside SBI HTTP multipart bodies (no procedure code): those lines are skipped.
// With these, all 57 captures agree frame by frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sec5g/sctp/pipeline.hpp"
#include "support/process.hpp"

namespace sec5g::sctp {
namespace {

/// tshark's NGAP PDUs per frame, by capture file name (the cache of gen_tshark_sctp.sh).
const std::map<std::string, std::map<std::uint64_t, int>>& tshark_pdus_per_frame() {
  static const auto counts = [] {
    std::map<std::string, std::map<std::uint64_t, int>> out;
    const std::string text = test::cached_script_output(
        SEC5G_CACHE_SCRIPT, std::string(SEC5G_SHARED_DIR) + "/captures", SEC5G_CACHE_FILE,
        "command -v tshark >/dev/null");
    for (const auto& line : test::lines(text)) {
      const auto cols = test::split(line, '\t');
      // NGAP with no procedure code: an NGAP IE container inside an SBI HTTP multipart body
      // (N2 information), not an NGAP PDU over SCTP.
      if (cols.size() < 3 || cols[2].empty()) continue;
      out[cols[0]][std::stoull(cols[1])] +=
          1 + static_cast<int>(std::count(cols[2].begin(), cols[2].end(), ','));
    }
    return out;
  }();
  return counts;
}

std::vector<std::filesystem::path> captures() {
  std::vector<std::filesystem::path> v;
  const std::filesystem::path dir = std::string(SEC5G_SHARED_DIR) + "/captures";
  if (!std::filesystem::is_directory(dir)) return v;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (ext == ".pcap" || ext == ".pcapng") v.push_back(e.path());
  }
  std::sort(v.begin(), v.end());
  return v;
}

// One test per capture: a failure names its capture.
class RealCaptureVsTshark : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(RealCaptureVsTshark, NgapMessagesPerFrameMatch) {
  if (!test::have_tool("tshark")) GTEST_SKIP() << "tshark not installed";
  const std::filesystem::path& f = GetParam();
  const auto& all = tshark_pdus_per_frame();
  ASSERT_FALSE(all.empty()) << "no tshark output for the shared captures";
  const auto found = all.find(f.filename().string());
  const std::map<std::uint64_t, int> none;
  const auto& theirs = found == all.end() ? none : found->second;
  std::map<std::uint64_t, int> ours;
  pipeline p;
  auto r = run_file(f, p, [&](const user_message& m) {
    ++ours[m.frame_number];
    EXPECT_FALSE(m.payload.empty());
    EXPECT_FALSE(m.association.empty());
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(ours, theirs) << f.filename();
}

std::string test_name(const ::testing::TestParamInfo<std::filesystem::path>& info) {
  std::string n = info.param.filename().string();
  for (char& c : n) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(SharedCaptures, RealCaptureVsTshark, ::testing::ValuesIn(captures()),
                         test_name);

TEST(RealCaptures, AllFiftySevenCapturesGiveTheTsharkTotal) {
  const auto files = captures();
  ASSERT_EQ(files.size(), 57u);
  std::uint64_t total = 0;
  for (const auto& f : files) {
    pipeline p;
    auto r = run_file(f, p, [&](const user_message&) { ++total; });
    ASSERT_TRUE(r) << r.error().message;
  }
  // 19 619 NGAP PDUs over SCTP in the 57 captures (tshark 4.0.17, counted as above).
  EXPECT_EQ(total, 19619u);
}

TEST(RealCaptures, BadChecksumsAreCountedLikeTheCaptureNotes) {
  // From shared/captures/README.md (tshark -o sctp.checksum:CRC-32C): bad / SCTP packets.
  struct expect {
    const char* file;
    std::uint64_t bad;
    std::uint64_t packets;
  };
  const expect cases[] = {
      {"oai_ueransim_registration.pcap", 12, 12}, {"oai_dstest_basic_nrf.pcap", 17, 36},
      {"authanomalies_test_replay.pcap", 57, 58}, {"rub_suci_catcher_oneplus8_500.pcapng", 0, 7931},
      {"montimage_attack_ngap.pcap", 0, 710},
  };
  for (const auto& c : cases) {
    pipeline p;
    std::uint64_t msgs = 0;
    auto r = run_file(std::string(SEC5G_SHARED_DIR) + "/captures/" + c.file, p,
                      [&](const user_message&) { ++msgs; });
    ASSERT_TRUE(r);
    EXPECT_EQ(p.stats()[capture::counter::sctp_bad_checksum], c.bad) << c.file;
    EXPECT_EQ(p.stats()[capture::counter::sctp_packets], c.packets) << c.file;
    EXPECT_GT(msgs, 0u);
  }
}

TEST(RealCaptures, AbortsCloseAssociationsAndNamesPutTheGnbFirst) {
  pipeline p;
  std::map<std::string, std::uint64_t> names;
  auto r = run_file(std::string(SEC5G_SHARED_DIR) + "/captures/open5gs_5g_roaming_lbo.pcapng", p,
                    [&](const user_message& m) { ++names[std::string(m.association)]; });
  ASSERT_TRUE(r);
  EXPECT_EQ(p.stats()[capture::counter::sctp_aborts], 2u);
  EXPECT_EQ(p.association_count(), 0u);
  for (const auto& [name, n] : names) {
    EXPECT_NE(name.find(":38412"), std::string::npos) << name;
    EXPECT_EQ(name.find(":38412-"), std::string::npos) << name; // the AMF side is second
  }
}

} // namespace
} // namespace sec5g::sctp
