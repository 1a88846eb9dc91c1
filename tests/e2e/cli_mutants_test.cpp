// Damaged real captures through the whole CLI: `audit`, `decipher` and `decode`, each with the
// capture's subscriber and home-network keys, so that the reader, IP/SCTP reassembly, NGAP,
// NAS, key derivation, SUCI de-concealment, deciphering, MAC checks, the rules, the writers
// and decipher's rewriting all meet the same damage. Every run must end with exit 0, 1 or 3
// and without a sanitizer report (in the ASan+UBSan build a report also exits 1, so stderr is
// read). The mutants are fixed (seeded), so a failure reproduces; fuzz/cli_mutants.sh is the
// long random version of this test.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace sec5g {
namespace {

namespace fs = std::filesystem;
using test::run_command;
using test::shell_quote;

using test::sec5g_bin;
using test::shared_captures;
const fs::path keys = shared_captures / "keys";

struct subject {
  const char* capture;
  std::string key_args;     ///< --keys / --hn-key for this capture
  bool subscriber_keys;     ///< decipher needs --keys
};

std::vector<subject> subjects() {
  const auto k = [](const char* f) { return shell_quote((keys / f).string()); };
  return {
      {"oai_ueransim_registration.pcap", "--keys " + k("oai.csv"), true},
      {"authanomalies_supi_harvest.pcap",
       "--keys " + k("open5gs-default.csv") + " --hn-key 1:" + k("hnet-profile-a-open5gs-1.pem"),
       true},
      {"telekom_free5gc_registration.pcap", "--keys " + k("free5gc-test.csv"), true},
      {"tuc_fuzz_open5gs_007a.pcapng", "--keys " + k("tuc.csv"), true},
      {"rub_suci_catcher_oneplus8_32.pcapng", "--hn-key 27:" + k("hnet-profile-b-ts33501.pem"),
       false},
      {"montimage_attack_ngap.pcap", "--hn-key 2:" + k("hnet-profile-b-ts33501.pem"), false},
  };
}

std::vector<std::uint8_t> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// 1 to 256 edits after the first 64 octets (the file header mostly survives, so the damage
/// reaches the layers above the reader): a random octet, a bit flip, 0x00/0x7f/0x80/0xff, a
/// deletion of 1-31 octets, or a truncation (which ends the edits).
std::vector<std::uint8_t> mutate(std::vector<std::uint8_t> b, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const auto below = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  static constexpr std::size_t edit_counts[] = {1, 4, 16, 64, 256};
  static constexpr std::uint8_t interesting[] = {0x00, 0x7f, 0x80, 0xff};
  const std::size_t edits = edit_counts[below(std::size(edit_counts))];
  for (std::size_t e = 0; e < edits && b.size() > 64; ++e) {
    const std::size_t i = 64 + below(b.size() - 64);
    switch (below(10)) {
      case 0: case 1: case 2: case 3: case 4: case 5:
        b[i] = static_cast<std::uint8_t>(below(256));
        break;
      case 6:
        b[i] ^= static_cast<std::uint8_t>(1U << below(8));
        break;
      case 7:
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(i),
                b.begin() + static_cast<std::ptrdiff_t>(std::min(b.size(), i + 1 + below(31))));
        break;
      case 8:
        b[i] = interesting[below(std::size(interesting))];
        break;
      default:
        b.resize(i);
        return b;
    }
  }
  return b;
}

/// What a run left on stderr that says it went wrong: a sanitizer report or a crash.
bool sanitizer_report(const std::string& err) {
  return err.find("Sanitizer") != std::string::npos ||
         err.find("runtime error:") != std::string::npos;
}

TEST(CliMutants, DamagedCapturesEndWithAnExitStatusNeverACrash) {
  if (!fs::exists(sec5g_bin)) GTEST_SKIP() << "sec5g binary not built";
  if (!fs::exists(shared_captures)) GTEST_SKIP() << "no shared captures at " << shared_captures;
  const fs::path dir =
      fs::temp_directory_path() / ("sec5g_cli_mutants_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path in = dir / "mutant.pcap";
  const fs::path out = dir / "out.pcapng";
  const fs::path err = dir / "stderr";
  constexpr std::uint32_t mutants_per_capture = 16;
  std::size_t runs = 0;
  for (const subject& s : subjects()) {
    const fs::path original = shared_captures / s.capture;
    if (!fs::exists(original)) continue;
    const auto bytes = read_file(original);
    for (std::uint32_t m = 0; m < mutants_per_capture; ++m) {
      const std::uint32_t seed = 1000 * m + static_cast<std::uint32_t>(bytes.size() % 997);
      const auto mutant = mutate(bytes, seed);
      {
        std::ofstream f(in, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(mutant.data()),
                static_cast<std::streamsize>(mutant.size()));
      }
      // Every other mutant: the sequential driver, the annotated copy (its second pass runs
      // the tracker again) and a findings cap small enough to be reached.
      const std::string audit_mode =
          m % 2 == 0 ? " --threads 2"
                     : " --threads 1 --max-findings 2 --annotate " + shell_quote(out.string());
      std::vector<std::string> commands = {
          "audit " + shell_quote(in.string()) + " " + s.key_args + " --format jsonl" +
              audit_mode + " -o /dev/null",
          "decode " + shell_quote(in.string()) + " " + s.key_args + " --json",
      };
      if (s.subscriber_keys)
        commands.push_back("decipher " + shell_quote(in.string()) + " -o " +
                           shell_quote(out.string()) + " " + s.key_args);
      for (const std::string& c : commands) {
        const auto r = run_command("timeout 120 " + sec5g_bin + " " + c + " >/dev/null 2>" +
                                   shell_quote(err.string()));
        const auto e = read_file(err);
        const std::string stderr_text(e.begin(), e.end());
        ++runs;
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 3)
            << s.capture << " mutant seed " << seed << ": sec5g " << c << " exited "
            << r.exit_code << "\n" << stderr_text.substr(0, 2000);
        EXPECT_FALSE(sanitizer_report(stderr_text))
            << s.capture << " mutant seed " << seed << ": sec5g " << c << "\n"
            << stderr_text.substr(0, 4000);
      }
    }
  }
  EXPECT_EQ(runs, 6U * 2U * mutants_per_capture + 4U * mutants_per_capture)
      << "a shared capture is missing";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sec5g
