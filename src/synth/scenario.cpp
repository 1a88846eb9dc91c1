#include <array>
#include <string>

#include "sec5g/synth/synth.hpp"

namespace sec5g::synth {

namespace {

struct scenario_name {
  scenario s;
  std::string_view name;
};

constexpr std::array<scenario_name, 19> names{{
    {scenario::benign, "benign"},
    {scenario::benign_eap, "benign-eap"},
    {scenario::null_integrity, "null-integrity"},
    {scenario::null_ciphering, "null-ciphering"},
    {scenario::suci_null_scheme, "suci-null-scheme"},
    {scenario::suci_replay, "suci-replay"},
    {scenario::bidding_down, "bidding-down"},
    {scenario::smc_reject, "smc-reject"},
    {scenario::smc_ciphered, "smc-ciphered"},
    {scenario::unprotected_after_smc, "unprotected-after-smc"},
    {scenario::nas_replay, "nas-replay"},
    {scenario::mac_failure, "mac-failure"},
    {scenario::auth_failure_storm, "auth-failure-storm"},
    {scenario::registration_flood, "registration-flood"},
    {scenario::pei_before_security, "pei-before-security"},
    {scenario::path_switch_bidding_down, "path-switch-bidding-down"},
    {scenario::caps_mismatch_ngap, "caps-mismatch-ngap"},
    {scenario::container_in_clear, "container-in-clear"},
    {scenario::mixed, "mixed"},
}};

constexpr std::array<scenario, 19> all = [] {
  std::array<scenario, 19> a{};
  for (std::size_t i = 0; i < names.size(); ++i) a[i] = names[i].s;
  return a;
}();

}  // namespace

std::span<const scenario> all_scenarios() noexcept { return all; }

std::string_view to_string(scenario s) noexcept {
  for (const auto& n : names) {
    if (n.s == s) return n.name;
  }
  return "unknown";
}

std::optional<scenario> parse_scenario(std::string_view name) noexcept {
  for (const auto& n : names) {
    if (n.name == name) return n.s;
  }
  return std::nullopt;
}

std::string to_json_line(const truth_finding& f) {
  // Hand-written: every value is a number or a string of [a-z0-9._-].
  std::string s = R"({"type":"truth","rule":")" + f.rule + R"(","frame":)" +
                  std::to_string(f.frame) + R"(,"frames":[)";
  for (std::size_t i = 0; i < f.frames.size(); ++i) {
    if (i != 0) s += ',';
    s += std::to_string(f.frames[i]);
  }
  s += "]";
  if (!f.no_ue) {
    s += R"(,"ue":{"index":)" + std::to_string(f.ue);
    if (!f.supi.empty()) s += R"(,"supi":")" + f.supi + '"';
    if (f.ran_ue_ngap_id) s += R"(,"ran_ue_ngap_id":)" + std::to_string(*f.ran_ue_ngap_id);
    if (f.amf_ue_ngap_id) s += R"(,"amf_ue_ngap_id":)" + std::to_string(*f.amf_ue_ngap_id);
    s += "}";
  }
  s += R"(,"gnb":)" + std::to_string(f.gnb) + "}";
  return s;
}

}  // namespace sec5g::synth
