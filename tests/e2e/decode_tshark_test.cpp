// Differential test of the whole decode pipeline (capture -> SCTP -> NGAP -> NAS) against
// tshark on every shared capture: per frame the NGAP procedure codes, and per NAS message the
// message type, the SUCI protection scheme id, the selected NAS algorithms, the 5GMM cause and
// the UE security capability (5G-EA / 5G-IA octets), with null deciphering on both sides.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace sec5g {
namespace {

namespace fs = std::filesystem;
using test::run_command;
using test::shell_quote;

using test::sec5g_bin;

/// The values compared for one frame; each list is sorted so that only the multiset counts
/// (nested messages are listed by tshark in tree order, by us depth first).
struct frame_values {
  std::vector<std::string> procedure_codes;
  std::vector<std::string> mm_types;
  std::vector<std::string> sm_types;
  std::vector<std::string> suci_schemes;
  std::vector<std::string> algorithms;  // "enc/int"
  std::vector<std::string> causes;
  std::vector<std::string> ue_caps;     // "ea/ia"
  void sort_all() {
    for (auto* v : {&procedure_codes, &mm_types, &sm_types, &suci_schemes, &algorithms, &causes,
                    &ue_caps})
      std::sort(v->begin(), v->end());
  }
  bool operator==(const frame_values&) const = default;
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::string describe(const frame_values& v) {
  return "proc[" + join(v.procedure_codes) + "] mm[" + join(v.mm_types) + "] sm[" +
         join(v.sm_types) + "] suci[" + join(v.suci_schemes) + "] alg[" + join(v.algorithms) +
         "] cause[" + join(v.causes) + "] caps[" + join(v.ue_caps) + "]";
}

/// tshark fields after the frame number, in this order.
const std::vector<std::string> tshark_fields = {
    "ngap.procedureCode",     "nas_5gs.mm.message_type",
    "nas_5gs.sm.message_type", "nas_5gs.mm.suci.scheme_id", "nas_5gs.mm.nas_sec_algo_enc",
    "nas_5gs.mm.nas_sec_algo_ip", "nas_5gs.mm.5gmm_cause",
    // UE security capability bits, most significant first.
    "nas_5gs.mm.5g_ea0", "nas_5gs.mm.128_5g_ea1", "nas_5gs.mm.128_5g_ea2",
    "nas_5gs.mm.128_5g_ea3", "nas_5gs.mm.5g_ea4", "nas_5gs.mm.5g_ea5", "nas_5gs.mm.5g_ea6",
    "nas_5gs.mm.5g_ea7", "nas_5gs.mm.ia0", "nas_5gs.mm.5g_128_ia1", "nas_5gs.mm.5g_128_ia2",
    "nas_5gs.mm.5g_128_ia3", "nas_5gs.mm.5g_128_ia4", "nas_5gs.mm.5g_ia5", "nas_5gs.mm.5g_ia6",
    "nas_5gs.mm.5g_ia7"};

/// Numeric text of a tshark value ("0x41" or "65" or "True").
std::string num(const std::string& v) {
  if (v == "True") return "1";
  if (v == "False") return "0";
  return std::to_string(std::stoul(v, nullptr, 0));
}

using capture_values = std::map<std::uint64_t, frame_values>;

/// tshark's values of every NGAP frame of the captures in `dir`, by capture file name: one
/// tshark process over all of them (tests/support/tshark_captures.sh; tshark's start-up, not
/// the captures, was most of this test's time with one process per capture).
std::map<std::string, capture_values> tshark_values(const fs::path& dir) {
  std::string cmd = "sh " + shell_quote(SEC5G_SOURCE_DIR "/tests/support/tshark_captures.sh") +
                    " " + shell_quote(dir.string()) +
                    " -n -o sctp.checksum:NONE -o nas-5gs.null_decipher:TRUE -Y \"ngap && sctp\""
                    " -E occurrence=a -E aggregator=, -E separator=/t";
  for (const auto& f : tshark_fields) cmd += " -e " + f;
  cmd += " 2>/dev/null";
  const auto r = run_command(cmd);
  std::map<std::string, capture_values> out;
  for (const auto& line : test::lines(r.out)) {
    if (line.empty()) continue;
    auto cols = test::split(line, '\t');
    cols.resize(2 + tshark_fields.size());
    auto& v = out[cols[0]][std::stoull(cols[1])];
    auto list = [&](std::size_t i) {
      std::vector<std::string> vals;
      for (const auto& x : test::split(cols[2 + i], ',')) if (!x.empty()) vals.push_back(num(x));
      return vals;
    };
    v.procedure_codes = list(0);
    v.mm_types = list(1);
    v.sm_types = list(2);
    v.suci_schemes = list(3);
    const auto enc = list(4), integ = list(5);
    for (std::size_t i = 0; i < std::min(enc.size(), integ.size()); ++i)
      v.algorithms.push_back(enc[i] + "/" + integ[i]);
    v.causes = list(6);
    // One UE security capability per occurrence index.
    std::vector<std::vector<std::string>> bits;
    for (std::size_t i = 7; i < 23; ++i) bits.push_back(list(i));
    const std::size_t caps = bits[0].size();
    for (std::size_t k = 0; k < caps; ++k) {
      unsigned ea = 0, ia = 0;
      for (std::size_t b = 0; b < 8; ++b) {
        if (k < bits[b].size() && bits[b][k] == "1") ea |= 0x80u >> b;
        if (k < bits[8 + b].size() && bits[8 + b][k] == "1") ia |= 0x80u >> b;
      }
      v.ue_caps.push_back(std::to_string(ea) + "/" + std::to_string(ia));
    }
    v.sort_all();
  }
  return out;
}

/// Walks a NAS object of `sec5g decode --json` and its nested containers.
void collect_nas(const nlohmann::json& nas, frame_values& v) {
  if (!nas.is_object()) return;
  // tshark adds no message type field for an unknown type ("Unknown Message Type 0x7e", seen in
  // the tuc_fuzz_* captures), so only named types are compared.
  if (nas.contains("epd") && nas.contains("message_type") && nas["message_type"].is_number() &&
      nas.contains("message") && nas["message"].is_string()) {
    const auto type = std::to_string(nas["message_type"].get<unsigned>());
    (nas["epd"].get<unsigned>() == 126 ? v.mm_types : v.sm_types).push_back(type);
  }
  for (const auto& [key, val] : nas.items()) {
    if (key == "mobile_identity" && val.is_object() && val.contains("protection_scheme_id"))
      v.suci_schemes.push_back(std::to_string(val["protection_scheme_id"].get<unsigned>()));
    if (key == "selected_nas_security_algorithms" && val.is_object())
      v.algorithms.push_back(std::to_string(val["ciphering"].get<unsigned>()) + "/" +
                             std::to_string(val["integrity"].get<unsigned>()));
    if (key == "gmm_cause" && val.is_number())
      v.causes.push_back(std::to_string(val.get<unsigned>()));
    if ((key == "ue_security_capability" || key == "replayed_ue_security_capabilities") &&
        val.is_object() && val.contains("ea"))
      v.ue_caps.push_back(std::to_string(val["ea"].get<unsigned>()) + "/" +
                          std::to_string(val["ia"].get<unsigned>()));
    if (val.is_object()) collect_nas(val, v);
  }
}

capture_values our_values(const fs::path& file, std::string& summary) {
  const auto r = run_command(sec5g_bin + " decode --json --null-decipher " +
                             shell_quote(file.string()) + " 2>/dev/null");
  capture_values out;
  for (const auto& line : test::lines(r.out)) {
    if (line.empty()) continue;
    const auto rec = nlohmann::json::parse(line);
    if (rec["type"] == "summary") {
      summary = line;
      continue;
    }
    auto& v = out[rec["frame"].get<std::uint64_t>()];
    if (rec.contains("procedure_code"))
      v.procedure_codes.push_back(std::to_string(rec["procedure_code"].get<unsigned>()));
    if (rec.contains("nas"))
      for (const auto& n : rec["nas"]) collect_nas(n, v);
  }
  for (auto& [_, v] : out) v.sort_all();
  return out;
}

std::vector<fs::path> captures() {
  std::vector<fs::path> files;
  const fs::path& dir = test::shared_captures;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (ext == ".pcap" || ext == ".pcapng") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(DecodeVersusTshark, EveryCaptureAgreesFrameByFrame) {
  if (!test::have_tool("tshark")) GTEST_SKIP() << "tshark is not installed";
  const auto files = captures();
  ASSERT_EQ(files.size(), 57u) << "the shared captures are expected beside the checkout";
  std::size_t frames = 0, agree = 0, with_nas = 0;
  const auto all_theirs = tshark_values(test::shared_captures);
  const capture_values no_frames;
  for (const auto& f : files) {
    std::string summary;
    const auto found = all_theirs.find(f.filename().string());
    const auto& theirs = found == all_theirs.end() ? no_frames : found->second;
    const auto ours = our_values(f, summary);
    ASSERT_FALSE(summary.empty()) << f << ": no summary record";
    for (const auto& [frame, tv] : theirs) {
      ++frames;
      const auto it = ours.find(frame);
      const frame_values none{};
      const auto& ov = it == ours.end() ? none : it->second;
      if (ov == tv) {
        ++agree;
        if (!tv.mm_types.empty() || !tv.sm_types.empty()) ++with_nas;
      } else {
        ADD_FAILURE() << f.filename() << " frame " << frame << "\n  tshark: " << describe(tv)
                      << "\n  sec5g:  " << describe(ov);
      }
    }
    for (const auto& [frame, ov] : ours)
      EXPECT_TRUE(theirs.contains(frame))
          << f.filename() << " frame " << frame << ": NGAP that tshark does not show: "
          << describe(ov);
  }
  std::printf("decode vs tshark: %zu/%zu NGAP frames agree (%zu with NAS) in %zu captures\n",
              agree, frames, with_nas, files.size());
  EXPECT_GT(with_nas, 1000u);
}

TEST(DecodeCli, NotACaptureExitsThreeNamingTheFile) {
  const auto r = run_command(sec5g_bin + " decode " + shell_quote(SEC5G_SOURCE_DIR "/README.md") +
                             " 2>&1");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("README.md"), std::string::npos) << r.out;
}

TEST(DecodeCli, MissingFileExitsThree) {
  EXPECT_EQ(run_command(sec5g_bin + " decode /nonexistent.pcap 2>/dev/null").exit_code, 3);
}

TEST(DecodeCli, UsageErrorExitsTwo) {
  EXPECT_EQ(run_command(sec5g_bin + " decode --no-such-flag x 2>/dev/null").exit_code, 2);
}

TEST(DecodeCli, SummaryOnlyPrintsOneSummaryRecord) {
  const auto f = (test::shared_captures / "oai_ueransim_registration.pcap").string();
  if (!fs::exists(f)) GTEST_SKIP() << "shared captures missing";
  const auto r = run_command(sec5g_bin + " decode --summary-only " + shell_quote(f));
  ASSERT_EQ(r.exit_code, 0);
  const auto lines = test::lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  const auto s = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(s["type"], "summary");
  EXPECT_EQ(s["ngap_pdus"], 13);
  EXPECT_EQ(s["nas_messages"], 9);
  EXPECT_EQ(s["nas_protected"], 6);
}

TEST(DecodeCli, JsonRecordsFollowTheContractOrder) {
  const auto f = (test::shared_captures / "oai_ueransim_registration.pcap").string();
  if (!fs::exists(f)) GTEST_SKIP() << "shared captures missing";
  const auto r = run_command(sec5g_bin + " decode --json " + shell_quote(f));
  ASSERT_EQ(r.exit_code, 0);
  const auto first = test::lines(r.out).at(2);
  EXPECT_EQ(first.rfind("{\"type\":\"ngap\",\"frame\":37,\"time\":\"2021-12-01T08:26:56.783803000Z\","
                        "\"assoc\":\"192.168.70.141:47592-192.168.70.132:38412\",\"pdu\":"
                        "\"initiating\",\"procedure_code\":15,\"procedure\":\"InitialUEMessage\","
                        "\"ran_ue_ngap_id\":1,\"ies\":[85,38,121,90,112],\"nas\":[{",
                        0),
            0u)
      << first;
  // A ciphered message that was not deciphered has a null message type.
  EXPECT_NE(r.out.find("\"message_type\":null"), std::string::npos);
}

}  // namespace
}  // namespace sec5g

namespace sec5g {
namespace {

std::string shared(const std::string& rel) { return std::string(SEC5G_SHARED_DIR) + "/" + rel; }

TEST(DecodeWithKeys, OaiNea1MessagesAreDecipheredAndEveryMacVerifies) {
  const auto cap = shared("captures/oai_ueransim_registration.pcap");
  if (!fs::exists(cap)) GTEST_SKIP() << "shared captures missing";
  const auto r = test::run_command(sec5g_bin + " decode --json --keys " +
                                   test::shell_quote(shared("captures/keys/oai.csv")) + " " +
                                   test::shell_quote(cap));
  ASSERT_EQ(r.exit_code, 0);
  std::size_t deciphered = 0, verified = 0, failed = 0;
  nlohmann::json summary;
  for (const auto& line : test::lines(r.out)) {
    if (line.empty()) continue;
    const auto rec = nlohmann::json::parse(line);
    if (rec["type"] == "summary") {
      summary = rec;
      continue;
    }
    for (const auto& n : rec["nas"]) {
      if (n.value("deciphered", false)) {
        ++deciphered;
        EXPECT_TRUE(n["message_type"].is_number()) << line;
        EXPECT_TRUE(n.contains("count")) << line;
      }
      if (n.contains("mac_verified")) (n["mac_verified"].get<bool>() ? verified : failed) += 1;
    }
  }
  EXPECT_EQ(deciphered, 5u);
  EXPECT_EQ(verified, 6u);
  EXPECT_EQ(failed, 0u);
  EXPECT_EQ(summary["deciphered"], 5);
  EXPECT_EQ(summary["mac_ok"], 6);
}

TEST(DecodeWithKeys, MessagesOfAContextWithEa0AreReadAsPlainAndNotCalledDeciphered) {
  // free5GC with 5G-EA0 (NIA2): the messages under security header type 2 are plain inside.
  const auto cap = shared("captures/telekom_free5gc_registration.pcap");
  if (!fs::exists(cap)) GTEST_SKIP() << "shared captures missing";
  const auto r = test::run_command(sec5g_bin + " decode --json --keys " +
                                   test::shell_quote(shared("captures/keys/free5gc-test.csv")) +
                                   " " + test::shell_quote(cap));
  ASSERT_EQ(r.exit_code, 0);
  std::size_t read = 0;
  nlohmann::json accept;
  for (const auto& line : test::lines(r.out)) {
    if (line.empty()) continue;
    const auto rec = nlohmann::json::parse(line);
    if (rec["type"] == "summary") {
      EXPECT_EQ(rec["deciphered"], 0);
      EXPECT_EQ(rec["mac_ok"], 6);
      continue;
    }
    for (const auto& n : rec["nas"]) {
      if (n.value("security_header", 0) != 2) continue;
      EXPECT_FALSE(n.contains("deciphered")) << line;
      EXPECT_EQ(n.value("mac_verified", false), true) << line;
      EXPECT_TRUE(n["message_type"].is_number()) << line;
      ++read;
      if (rec["frame"] == 171) accept = n;
    }
  }
  EXPECT_EQ(read, 5u);  // frames 76, 171, 175 (two messages) and 228
  ASSERT_TRUE(accept.is_object());
  EXPECT_EQ(accept["message"], "RegistrationAccept");
  EXPECT_EQ(accept["guti"]["guti"], "5g-guti-20893cafe0000000001");
  EXPECT_EQ(accept["anomalies"],
            nlohmann::json::array({"nas.inner_security_header", "nas.identity_filler"}));
}

TEST(DecodeWithKeys, WithoutSubscriberKeysAMessageOfAnEa0SmcIsReadAsPlainToo) {
  // A commercial phone on a 5G-EA0 network, only the home-network key given: the SMC (frame
  // 26, security header type 3) chooses 5G-EA0, so the later messages are plain inside.
  const auto cap = shared("captures/rub_registration_oneplus8.pcapng");
  if (!fs::exists(cap)) GTEST_SKIP() << "shared captures missing";
  const auto r = test::run_command(
      sec5g_bin + " decode --json --hn-key 27:" +
      test::shell_quote(shared("captures/keys/hnet-profile-b-ts33501.pem")) + " " +
      test::shell_quote(cap));
  ASSERT_EQ(r.exit_code, 0);
  std::map<std::uint64_t, std::string> read;
  for (const auto& line : test::lines(r.out)) {
    if (line.empty()) continue;
    const auto rec = nlohmann::json::parse(line);
    if (rec["type"] != "ngap") continue;
    for (const auto& n : rec["nas"]) {
      const int sht = n.value("security_header", 0);
      if (sht != 2 && sht != 4) continue;
      EXPECT_FALSE(n.contains("deciphered")) << line;
      EXPECT_FALSE(n.contains("mac_verified")) << line;  // no subscriber keys: no verdict
      read[rec["frame"].get<std::uint64_t>()] = n.value("message", "");
    }
  }
  EXPECT_EQ(read, (std::map<std::uint64_t, std::string>{{27, "SecurityModeComplete"},
                                                        {59, "RegistrationAccept"},
                                                        {65, "RegistrationComplete"},
                                                        {67, "DeregistrationRequestUEOriginating"}}));
}

TEST(DecodeWithKeys, Open5gsMacsVerifyAndNoKeyMaterialIsPrinted) {
  const auto cap = shared("captures/open5gs_testregistration.pcapng");
  const auto keys = shared("captures/keys/open5gs-2020.csv");
  if (!fs::exists(cap)) GTEST_SKIP() << "shared captures missing";
  const auto r = test::run_command(sec5g_bin + " decode --json --keys " + test::shell_quote(keys) +
                                   " " + test::shell_quote(cap));
  ASSERT_EQ(r.exit_code, 0);
  const auto last = test::lines(r.out).back();
  const auto s = nlohmann::json::parse(last);
  // 1038 protected PDUs; two use a context established before the capture started.
  EXPECT_EQ(s["nas_protected"], 1038);
  EXPECT_EQ(s["mac_ok"], 1036);
  EXPECT_EQ(s["mac_failed"], 0);
  // No K or OPc of the key file appears anywhere in the output (lowercase or uppercase hex).
  const auto key_text = test::run_command("cat " + test::shell_quote(keys)).out;
  for (const auto& line : test::lines(key_text)) {
    for (const auto& field : test::split(line, ',')) {
      if (field.size() != 32) continue;
      std::string lower = field;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_EQ(r.out.find(lower), std::string::npos) << "key material in the output";
      EXPECT_EQ(r.out.find(field), std::string::npos) << "key material in the output";
    }
  }
}

}  // namespace
}  // namespace sec5g
