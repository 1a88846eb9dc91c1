// `sec5g keys derive`: the 5G-AKA key hierarchy for one subscriber and challenge, from MILENAGE
// to K_gNB. Ref: TS 33.501 6.1.3.2, Annex A (A.2, A.4 - A.9); TS 35.206.
#include <cctype>
#include <memory>
#include <string>

#include "auth_cli_fields.hpp"
#include "commands.hpp"
#include "key_args.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"
#include "sec5g/crypto/milenage.hpp"

namespace sec5g::cli {
namespace {

using namespace auth_cli;

struct keys_options {
  std::map<std::string, std::string> values;
  std::string input;
};

constexpr std::initializer_list<std::pair<const char*, const char*>> derive_options = {
    {"--k", "K, 128 bits (32 hex digits)"},
    {"--op", "OP, 128 bits (OPc is computed)"},
    {"--opc", "OPc, 128 bits"},
    {"--rand", "RAND, 128 bits"},
    {"--sqn", "SQN, 48 bits (12 hex digits)"},
    {"--amf", "AMF, 16 bits (4 hex digits)"},
    {"--snn", "serving network name, e.g. 5G:mnc093.mcc208.3gppnetwork.org"},
    {"--supi", "SUPI as imsi-<5..15 digits>"},
    {"--abba", "ABBA, hex, at least 2 octets (default 0000)"},
    {"--nas-enc-alg", "NAS ciphering algorithm 0..3 for K_NASenc (default 2)"},
    {"--nas-int-alg", "NAS integrity algorithm 0..3 for K_NASint (default 2)"},
    {"--ul-nas-count", "uplink NAS COUNT for K_gNB, 0..16777215 (default 0)"},
};

// SUPI of type IMSI: "imsi-" and 5..15 decimal digits (TS 23.003 2.2, 2.2A).
void check_supi(const std::string& supi) {
  const std::string_view prefix = "imsi-";
  if (!supi.starts_with(prefix))
    throw usage_error(fmt::format("--supi: expected imsi-<digits>, got '{}'", supi));
  const std::string_view digits = std::string_view(supi).substr(prefix.size());
  if (digits.size() < 5 || digits.size() > 15 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw usage_error(fmt::format("--supi: expected 5..15 digits after imsi-, got '{}'", digits));
}

void check_snn(const std::string& snn) {
  if (auto why = check_serving_network_name(snn); !why.empty()) throw usage_error("--snn: " + why);
}

}  // namespace

void add_keys_command(CLI::App& app, action& selected) {
  CLI::App* keys = app.add_subcommand("keys", "5G key hierarchy (TS 33.501 Annex A)");
  keys->require_subcommand(1);
  auto o = std::make_shared<keys_options>();
  CLI::App* cmd = keys->add_subcommand(
      "derive",
      "Run MILENAGE and the 5G-AKA key chain; prints {\"ck\",\"ik\",\"ak\",\"res\",\"mac_a\","
      "\"autn\",\"res_star\",\"hxres_star\",\"k_ausf\",\"k_seaf\",\"k_amf\",\"k_nas_enc\","
      "\"k_nas_int\",\"k_gnb\"}");
  for (const auto& [opt, help] : derive_options) cmd->add_option(opt, o->values[opt], help);
  cmd->add_option("--input", o->input, input_help);
  cmd->footer(footer);
  cmd->callback([cmd, o, &selected] {
    selected = [cmd, o] {
      std::vector<std::string> allowed;
      for (const auto& [opt, help] : derive_options) allowed.push_back(fields::field_name(opt));
      fields f(*cmd, o->values,
               cmd->count("--input") > 0 ? std::optional<std::string>(o->input) : std::nullopt,
               allowed);
      const auto k = secret_opt<16>("--k", f.require("--k"));
      const auto [which, op_text] = f.one_of("--op", "--opc");
      auto op = secret_opt<16>(which, op_text);
      const auto rand = parse_hex_array<16>("--rand", f.require("--rand"));
      const auto sqn = parse_hex_array<6>("--sqn", f.require("--sqn"));
      const auto amf = parse_hex_array<2>("--amf", f.require("--amf"));
      const std::string snn = f.require("--snn");
      check_snn(snn);
      const std::string supi = f.require("--supi");
      check_supi(supi);
      byte_buffer abba = {0x00, 0x00};
      if (auto a = f.get("--abba")) {
        abba = parse_hex("--abba", *a);
        if (abba.size() < 2 || abba.size() > 255)
          throw usage_error(fmt::format("--abba: expected 2..255 octets, got {}", abba.size()));
      }
      crypto::aka_5g_params p;
      p.serving_network_name = snn;
      p.supi = supi;
      p.abba = abba;
      if (auto v = f.get("--nas-enc-alg"))
        p.nas_enc_alg = static_cast<std::uint8_t>(parse_uint("--nas-enc-alg", *v, 0, 3));
      if (auto v = f.get("--nas-int-alg"))
        p.nas_int_alg = static_cast<std::uint8_t>(parse_uint("--nas-int-alg", *v, 0, 3));
      if (auto v = f.get("--ul-nas-count"))
        p.uplink_nas_count = static_cast<std::uint32_t>(parse_uint("--ul-nas-count", *v, 0, 0xFFFFFF));
      auto m = value_or_fail(which == "--op" ? crypto::milenage::create_from_op(k.view(), op.view())
                                             : crypto::milenage::create(k.view(), op.view()));
      const auto r = value_or_fail(crypto::derive_5g_aka(m, rand, sqn, amf, p));
      json_line()
          .add("ck", r.ck.view())
          .add("ik", r.ik.view())
          .add("ak", r.ak.view())
          .add("res", r.res.view())
          .add("mac_a", r.mac_a)
          .add("autn", r.autn)
          .add("res_star", r.res_star.view())
          .add("hxres_star", r.hxres_star)
          .add("k_ausf", r.k_ausf.view())
          .add("k_seaf", r.k_seaf.view())
          .add("k_amf", r.k_amf.view())
          .add("k_nas_enc", r.k_nas_enc.view())
          .add("k_nas_int", r.k_nas_int.view())
          .add("k_gnb", r.k_gnb.view())
          .print();
      return exit_ok;
    };
  });
}

}  // namespace sec5g::cli
