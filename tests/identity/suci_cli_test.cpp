// `sec5g suci` command line contract: keygen file mode, conceal -> deconceal, exit codes, the
// batch SIDF mode (order kept, bad lines do not stop it), parse JSON. Runs the built `sec5g`
// binary (or $SEC5G_CLI); skipped when neither exists.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/process.hpp"

namespace {

std::string cli() {
  if (const char* env = std::getenv("SEC5G_CLI"); env != nullptr && *env != '\0') return env;
  return sec5g::test::sec5g_bin;
}

struct result {
  int code = -1;
  std::string out;
};

result run(const std::string& args, const std::string& stdin_file = "") {
  std::string cmd = "'" + cli() + "' " + args + " 2>/dev/null";
  if (!stdin_file.empty()) cmd += " < '" + stdin_file + "'";
  result r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

class SuciCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(cli())) GTEST_SKIP() << "no sec5g binary at " << cli();
    dir_ = std::filesystem::temp_directory_path() /
           ("sec5g_suci_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(SuciCli, KeygenConcealDeconcealRoundTripForBothProfiles) {
  for (const char* profile : {"A", "B"}) {
    const auto pem = (dir_ / (std::string(profile) + ".pem")).string();
    auto kg = run(std::string("suci keygen --profile ") + profile + " -o " + pem);
    ASSERT_EQ(kg.code, 0);
    const std::string pub = trim(kg.out);
    EXPECT_EQ(pub.size(), profile[0] == 'A' ? 64u : 66u);
    struct stat st {};
    ASSERT_EQ(::stat(pem.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto c = run(std::string("suci conceal --supi imsi-001010000000042 --profile ") + profile +
                 " --hn-pub " + pub + " --hn-key-id 5 --routing-indicator 12");
    ASSERT_EQ(c.code, 0);
    const std::string suci = trim(c.out);
    EXPECT_TRUE(suci.starts_with(std::string("suci-0-001-01-12-") + (profile[0] == 'A' ? "1" : "2") + "-5-"))
        << suci;
    auto d = run("suci deconceal --hn-key 5:" + pem + " " + suci);
    EXPECT_EQ(d.code, 0);
    EXPECT_EQ(trim(d.out), "imsi-001010000000042");
    // Wrong key id: named failure, exit 3.
    EXPECT_EQ(run("suci deconceal --hn-key 6:" + pem + " " + suci).code, 3);
  }
}

TEST_F(SuciCli, VectorSuciDeconcealsWithRawKeyAndFlippedMacExits3) {
  const std::string suci =
      "suci-0-274-012-678-1-27-b2e92f836055a255837debf850b528997ce0201cb82adfe4be1f587d07d8457dcb02352410cddd9e730ef3fa87";
  const std::string key = "--hn-priv c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d --profile A ";
  auto ok = run("suci deconceal " + key + suci);
  EXPECT_EQ(ok.code, 0);
  EXPECT_EQ(trim(ok.out), "imsi-274012001002086");
  std::string bad = suci;
  bad.back() = bad.back() == '7' ? '6' : '7';
  EXPECT_EQ(run("suci deconceal " + key + bad).code, 3);
  EXPECT_EQ(run("suci deconceal " + suci).code, 2) << "no key is a usage error";
  EXPECT_EQ(run("suci conceal --supi imsi-12 --profile null").code, 2);
}

TEST_F(SuciCli, BatchModeKeepsOrderAndReportsBadLines) {
  const std::string key = "--hn-priv c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d --profile A";
  const std::string good =
      "suci-0-274-012-678-1-27-b2e92f836055a255837debf850b528997ce0201cb82adfe4be1f587d07d8457dcb02352410cddd9e730ef3fa87";
  std::string bad = good;
  bad[bad.size() - 3] = bad[bad.size() - 3] == '0' ? '1' : '0';
  const auto in = (dir_ / "in.txt").string();
  {
    std::ofstream f(in);
    for (int i = 0; i < 300; ++i) {
      if (i % 3 == 0) f << good << "\n";
      else if (i % 3 == 1) f << "suci-0-001-01-0000-0-0-" << (1000000 + i) << "\n";
      else f << bad << "\n";
    }
    f << "\n";
  }
  for (const char* threads : {"1", "2"}) {
    auto r = run("suci deconceal " + key + " --threads " + threads + " -", in);
    ASSERT_EQ(r.code, 0);
    std::istringstream lines(r.out);
    std::string line;
    int i = 0;
    for (; std::getline(lines, line) && i < 300; ++i) {
      if (i % 3 == 0) EXPECT_EQ(line, "imsi-274012001002086") << i;
      else if (i % 3 == 1) EXPECT_EQ(line, "imsi-00101" + std::to_string(1000000 + i)) << i;
      else EXPECT_EQ(line, "error: MAC tag mismatch") << i;
    }
    EXPECT_EQ(i, 300);
    EXPECT_EQ(line, "error: empty line");
  }
}

TEST_F(SuciCli, ParsePrintsTheFieldsAsJson) {
  auto r = run("suci parse type1.rid84.schid2.hnkey250.ecckeye9b9916c911f448d8792e6b2f387f85d3ecab9040049427d9edbb5431b0bc71195"
               ".cip023be6a057.macb45d936238aebeb7@example.com");
  ASSERT_EQ(r.code, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("supi_type"), 1);
  EXPECT_EQ(j.at("home_network_identifier"), "example.com");
  EXPECT_EQ(j.at("routing_indicator"), "84");
  EXPECT_EQ(j.at("protection_scheme_id"), 2);
  EXPECT_EQ(j.at("hn_public_key_id"), 250);
  EXPECT_EQ(j.at("scheme_output"),
            "e9b9916c911f448d8792e6b2f387f85d3ecab9040049427d9edbb5431b0bc71195023be6a057b45d936238aebeb7");
  auto imsi = run("suci parse suci-0-274-012-678-0-0-001002086");
  ASSERT_EQ(imsi.code, 0);
  EXPECT_EQ(trim(imsi.out),
            R"({"supi_type":0,"mcc":"274","mnc":"012","routing_indicator":"678","protection_scheme_id":0,"hn_public_key_id":0,"scheme_output":"001002086"})");
  EXPECT_EQ(run("suci parse suci-9-x").code, 3);
}

}  // namespace
