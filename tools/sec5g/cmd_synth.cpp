// sec5g synth: simulated UEs, gNBs and an AMF; writes the N2 traffic as pcapng.
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "sec5g/synth/file_sink.hpp"
#include "sec5g/synth/synth.hpp"

namespace sec5g::cli {

namespace {

struct synth_args {
  std::string scenario_name = "benign";
  std::uint64_t ues = 10;
  std::uint64_t seed = 1;
  unsigned nea = 2;
  unsigned nia = 2;
  std::string profile = "A";
  std::uint32_t gnbs = 1;
  std::uint32_t window = 4096;
  std::uint32_t cycles = 1;
  std::string out;
  std::string keys_out;
  std::string hn_key_out;
  std::string truth_out;
  bool quiet = false;
};

std::string scenario_list() {
  std::string s;
  for (auto sc : synth::all_scenarios()) {
    if (!s.empty()) s += ", ";
    s += synth::to_string(sc);
  }
  return s;
}

int run_synth(const synth_args& a) {
  synth::options opt;
  auto sc = synth::parse_scenario(a.scenario_name);
  if (!sc) {
    throw usage_error("unknown scenario '" + a.scenario_name + "' (one of: " + scenario_list() +
                      ")");
  }
  opt.what = *sc;
  opt.ues = a.ues;
  opt.seed = a.seed;
  opt.nea = static_cast<std::uint8_t>(a.nea);
  opt.nia = static_cast<std::uint8_t>(a.nia);
  if (a.profile == "null") {
    opt.profile = synth::suci_profile::null_scheme;
  } else if (a.profile == "A" || a.profile == "a") {
    opt.profile = synth::suci_profile::profile_a;
  } else if (a.profile == "B" || a.profile == "b") {
    opt.profile = synth::suci_profile::profile_b;
  } else {
    throw usage_error("--profile must be null, A or B");
  }
  opt.gnbs = a.gnbs;
  opt.window = a.window;
  opt.cycles = a.cycles;

  {
    const named_path outputs[] = {{"-o", a.out},
                                  {"--keys-out", a.keys_out},
                                  {"--hn-key-out", a.hn_key_out},
                                  {"--truth-out", a.truth_out}};
    check_outputs_distinct({}, outputs);
  }
  if (!a.hn_key_out.empty()) {
    auto pem = synth::home_network_key_pem(opt);
    if (!pem) {
      throw usage_error("--hn-key-out: " + pem.error().message +
                        " (use --profile A or B)");
    }
    std::ofstream f(a.hn_key_out, std::ios::binary | std::ios::trunc);
    f << *pem;
    if (!f) throw input_error(a.hn_key_out + ": cannot write the key file");
  }

  auto sink = synth::file_sink::create(
      a.out, a.keys_out.empty() ? std::nullopt : std::optional<std::string>(a.keys_out),
      a.truth_out.empty() ? std::nullopt : std::optional<std::string>(a.truth_out));
  if (!sink) throw input_error(sink.error().message);
  const auto start = std::chrono::steady_clock::now();
  auto stats = synth::run(opt, **sink);
  auto closed = (*sink)->close();
  if (!stats) throw std::runtime_error(stats.error().message);
  if (!closed) throw input_error(closed.error().message);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!a.quiet) {
    std::cerr << fmt::format(
        "sec5g synth: {} UEs ({} attacking), {} frames, {} NGAP, {} NAS, {} truth findings, "
        "{:.1f} MB in {:.2f} s -> {}\n",
        stats->ues, stats->attacking_ues, stats->frames, stats->ngap_messages,
        stats->nas_messages, stats->truth_findings, static_cast<double>(stats->bytes) / 1e6,
        secs, a.out);
  }
  return exit_ok;
}

}  // namespace

void add_synth_command(CLI::App& app, action& selected) {
  auto args = std::make_shared<synth_args>();
  auto* sub = app.add_subcommand(
      "synth",
      "Simulate UEs, gNBs and an AMF running the real 5G procedures with real crypto; write the "
      "N2 traffic (NGAP/SCTP/IPv4/Ethernet) as pcapng");
  sub->add_option("--scenario", args->scenario_name, "Scenario: " + scenario_list())
      ->default_val("benign");
  sub->add_option("--ues", args->ues, "Number of UEs (subscribers)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10000000000ULL}));
  sub->add_option("--seed", args->seed, "Seed: same seed, same bytes");
  sub->add_option("--nea", args->nea, "Ciphering algorithm the AMF selects (0-3)")
      ->check(CLI::Range(0U, 3U));
  sub->add_option("--nia", args->nia, "Integrity algorithm the AMF selects (0-3)")
      ->check(CLI::Range(0U, 3U));
  sub->add_option("--profile", args->profile, "SUCI protection scheme: null, A or B")
      ->default_val("A");
  sub->add_option("--gnbs", args->gnbs, "Number of gNBs (SCTP associations)")
      ->check(CLI::Range(1U, 4000U));
  sub->add_option("--window", args->window, "Most UE contexts alive at once (memory bound)")
      ->check(CLI::Range(1U, 1000000U));
  sub->add_option("--cycles", args->cycles,
                  "Connected/idle cycles of each benign UE before it deregisters: each is a "
                  "connected period (in one of three also a second PDU session set up and "
                  "released), the release to CM-IDLE, every third cycle a periodic registration "
                  "update, then a Service Request with a new N2 connection. 1 = registration "
                  "storm traffic (register, one cycle, deregister); 10 = steady-state N2 traffic "
                  "(most NAS messages from UEs registered long ago)")
      ->check(CLI::Range(std::uint32_t{1}, synth::max_cycles))
      ->default_val(1);
  sub->add_option("-o,--output", args->out, "Output capture (pcapng)")->required();
  sub->add_option("--keys-out", args->keys_out, "Write the subscriber keys (CSV supi,k,opc)");
  sub->add_option("--hn-key-out", args->hn_key_out,
                  "Write the home network private key (PEM, profile A or B)");
  sub->add_option("--truth-out", args->truth_out,
                  "Write the findings the traffic is built to produce (JSON Lines)");
  sub->add_flag("-q,--quiet", args->quiet, "No summary line on stderr");
  sub->callback([args, &selected] {
    selected = [args] { return run_synth(*args); };
  });
}

}  // namespace sec5g::cli
