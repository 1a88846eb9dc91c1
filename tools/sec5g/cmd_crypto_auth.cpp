// `sec5g crypto milenage|tuak|kdf|eap-aka-prime`: one authentication algorithm / key derivation
// on given inputs, printed as lowercase hex (JSON objects with a fixed key order).
// Ref: TS 35.206 (MILENAGE), TS 35.231 (TUAK), TS 33.220 B.2 (KDF), RFC 5448 (EAP-AKA').
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "auth_cli_fields.hpp"
#include "commands.hpp"
#include "sec5g/crypto/eap_aka_prime.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/crypto/tuak.hpp"

namespace sec5g::cli {
namespace {

using namespace auth_cli;

// Registers a subcommand whose options are all strings keyed by option name.
struct string_options {
  std::map<std::string, std::string> values;
  std::vector<std::string> params;
  std::string input;
};

CLI::App* add_cmd(CLI::App& parent, const char* name, const char* description,
                  string_options& o,
                  std::initializer_list<std::pair<const char*, const char*>> options) {
  CLI::App* cmd = parent.add_subcommand(name, description);
  for (const auto& [opt, help] : options) cmd->add_option(opt, o.values[opt], help);
  cmd->add_option("--input", o.input, input_help);
  cmd->footer(footer);
  return cmd;
}

std::vector<std::string> allowed_fields(std::initializer_list<const char*> options) {
  std::vector<std::string> out;
  for (const char* o : options) out.push_back(fields::field_name(o));
  return out;
}

std::optional<std::string> input_of(const CLI::App& cmd, const string_options& o) {
  if (cmd.count("--input") > 0) return o.input;
  return std::nullopt;
}

unsigned bits_option(const fields& f, const std::string& option, unsigned dflt,
                     std::initializer_list<unsigned> allowed) {
  auto v = f.get(option);
  if (!v) return dflt;
  const auto n = static_cast<unsigned>(parse_uint(option, *v, 0, 1024));
  for (unsigned a : allowed)
    if (a == n) return n;
  throw usage_error(fmt::format("{}: {} is not one of {}", option, n, fmt::join(allowed, "|")));
}

void add_milenage(CLI::App& crypto, action& selected) {
  auto o = std::make_shared<string_options>();
  CLI::App* cmd = add_cmd(crypto, "milenage",
                          "MILENAGE f1..f5* (TS 35.206): prints {\"opc\",\"f1\",\"f1star\",\"f2\","
                          "\"f3\",\"f4\",\"f5\",\"f5star\"}",
                          *o,
                          {{"--k", "K, 128 bits (32 hex digits)"},
                           {"--op", "OP, 128 bits (OPc is computed)"},
                           {"--opc", "OPc, 128 bits"},
                           {"--rand", "RAND, 128 bits"},
                           {"--sqn", "SQN, 48 bits (12 hex digits)"},
                           {"--amf", "AMF, 16 bits (4 hex digits)"}});
  cmd->callback([cmd, o, &selected] {
    selected = [cmd, o] {
      fields f(*cmd, o->values, input_of(*cmd, *o),
               allowed_fields({"--k", "--op", "--opc", "--rand", "--sqn", "--amf"}));
      const auto k = secret_opt<16>("--k", f.require("--k"));
      const auto [which, op_text] = f.one_of("--op", "--opc");
      const auto rand = parse_hex_array<16>("--rand", f.require("--rand"));
      const auto sqn = parse_hex_array<6>("--sqn", f.require("--sqn"));
      const auto amf = parse_hex_array<2>("--amf", f.require("--amf"));
      auto op = secret_opt<16>(which, op_text);
      auto m = value_or_fail(which == "--op" ? crypto::milenage::create_from_op(k.view(), op.view())
                                             : crypto::milenage::create(k.view(), op.view()));
      const auto out = value_or_fail(m.compute(rand, sqn, amf));
      json_line()
          .add("opc", m.opc())
          .add("f1", out.mac_a)
          .add("f1star", out.mac_s)
          .add("f2", out.res.view())
          .add("f3", out.ck.view())
          .add("f4", out.ik.view())
          .add("f5", out.ak.view())
          .add("f5star", out.ak_star.view())
          .print();
      return exit_ok;
    };
  });
}

void add_tuak(CLI::App& crypto, action& selected) {
  auto o = std::make_shared<string_options>();
  CLI::App* cmd = add_cmd(
      crypto, "tuak",
      "TUAK f1..f5* (TS 35.231): prints {\"topc\",\"f1\",\"f1star\",\"f2\",\"f3\",\"f4\",\"f5\","
      "\"f5star\"}",
      *o,
      {{"--k", "K, 128 or 256 bits"},
       {"--top", "TOP, 256 bits (TOPc is computed)"},
       {"--topc", "TOPc, 256 bits"},
       {"--rand", "RAND, 128 bits"},
       {"--sqn", "SQN, 48 bits"},
       {"--amf", "AMF, 16 bits"},
       {"--keccak-iterations", "KeccakIterations, 1..256 (default 1)"},
       {"--mac-bits", "MAC-A/MAC-S length: 64 (default), 128 or 256"},
       {"--res-bits", "RES length: 32, 64 (default), 128 or 256"},
       {"--ck-bits", "CK length: 128 (default) or 256"},
       {"--ik-bits", "IK length: 128 (default) or 256"}});
  cmd->callback([cmd, o, &selected] {
    selected = [cmd, o] {
      fields f(*cmd, o->values, input_of(*cmd, *o),
               allowed_fields({"--k", "--top", "--topc", "--rand", "--sqn", "--amf",
                               "--keccak-iterations", "--mac-bits", "--res-bits", "--ck-bits",
                               "--ik-bits"}));
      std::string k_text = f.require("--k");
      const auto k = secret_buffer(parse_hex("--k", k_text));
      wipe(k_text);
      if (k.size() != 16 && k.size() != 32)
        throw usage_error(fmt::format("--k: expected 16 or 32 octets, got {}", k.size()));
      const auto [which, top_text] = f.one_of("--top", "--topc");
      auto top = secret_opt<32>(which, top_text);
      const auto rand = parse_hex_array<16>("--rand", f.require("--rand"));
      const auto sqn = parse_hex_array<6>("--sqn", f.require("--sqn"));
      const auto amf = parse_hex_array<2>("--amf", f.require("--amf"));
      crypto::tuak_config c;
      if (auto it = f.get("--keccak-iterations"))
        c.keccak_iterations = static_cast<unsigned>(
            parse_uint("--keccak-iterations", *it, 1, crypto::tuak_max_keccak_iterations));
      c.mac_bits = bits_option(f, "--mac-bits", 64, {64, 128, 256});
      c.res_bits = bits_option(f, "--res-bits", 64, {32, 64, 128, 256});
      c.ck_bits = bits_option(f, "--ck-bits", 128, {128, 256});
      c.ik_bits = bits_option(f, "--ik-bits", 128, {128, 256});
      auto t = value_or_fail(which == "--top" ? crypto::tuak::create_from_top(k.view(), top.view(), c)
                                              : crypto::tuak::create(k.view(), top.view(), c));
      const auto f1 = value_or_fail(t.f1(rand, sqn, amf));
      const auto f1s = value_or_fail(t.f1star(rand, sqn, amf));
      const auto o25 = value_or_fail(t.f2345(rand));
      const auto f5s = value_or_fail(t.f5star(rand));
      json_line()
          .add("topc", t.topc())
          .add("f1", f1)
          .add("f1star", f1s)
          .add("f2", o25.res.view())
          .add("f3", o25.ck.view())
          .add("f4", o25.ik.view())
          .add("f5", o25.ak.view())
          .add("f5star", f5s.view())
          .print();
      return exit_ok;
    };
  });
}

void add_kdf(CLI::App& crypto, action& selected) {
  auto o = std::make_shared<string_options>();
  CLI::App* cmd = crypto.add_subcommand(
      "kdf",
      "The TS 33.220 B.2 KDF: prints HMAC-SHA-256(key, FC || P0 || L0 || ... || Pn || Ln), 32 "
      "octets");
  cmd->add_option("--key", o->values["--key"], "KDF key, hex (e.g. 64 hex digits)");
  cmd->add_option("--fc", o->values["--fc"], "FC, one octet (2 hex digits)");
  cmd->add_option("--param", o->params,
                  "Parameter P_i, hex; repeat for P0, P1, ... (L_i is its length, 2 octets)")
      ->allow_extra_args(false);
  cmd->add_option("--input", o->input, input_help);
  cmd->footer(footer);
  cmd->callback([cmd, o, &selected] {
    selected = [cmd, o] {
      fields f(*cmd, o->values, input_of(*cmd, *o), {"key", "fc", "param"});
      std::string key_text = f.require("--key");
      const auto key = secret_buffer(parse_hex("--key", key_text));
      wipe(key_text);
      const auto fc = parse_hex_array<1>("--fc", f.require("--fc"));
      const auto texts = f.list("--param", o->params);
      if (texts.size() > crypto::kdf_max_params)
        throw usage_error(fmt::format("--param: at most {} parameters", crypto::kdf_max_params));
      std::vector<byte_buffer> params;
      for (const auto& t : texts) {
        params.push_back(parse_hex("--param", t));
        if (params.back().size() > crypto::kdf_max_param_len)
          throw usage_error(fmt::format("--param: longer than {} octets", crypto::kdf_max_param_len));
      }
      const std::vector<bytes_view> views(params.begin(), params.end());
      const auto out = value_or_fail(crypto::kdf(key.view(), fc[0], views));
      std::string hex = to_hex(out.view());
      std::cout << hex << "\n";
      wipe(hex);
      return exit_ok;
    };
  });
}

void add_eap_aka_prime(CLI::App& crypto, action& selected) {
  auto o = std::make_shared<string_options>();
  CLI::App* cmd = add_cmd(
      crypto, "eap-aka-prime",
      "EAP-AKA' keys (RFC 5448 3.3/3.4, TS 33.501 A.3): prints {\"ck_prime\",\"ik_prime\","
      "\"k_encr\",\"k_aut\",\"k_re\",\"msk\",\"emsk\"}",
      *o,
      {{"--ck", "CK, 128 bits"},
       {"--ik", "IK, 128 bits"},
       {"--sqn-xor-ak", "SQN xor AK (AUTN octets 0..5), 48 bits"},
       {"--network-name", "access network identity (5G: the serving network name), text"},
       {"--identity", "EAP identity (e.g. the SUPI/SUCI NAI or IMSI digits), text"}});
  cmd->callback([cmd, o, &selected] {
    selected = [cmd, o] {
      fields f(*cmd, o->values, input_of(*cmd, *o),
               allowed_fields({"--ck", "--ik", "--sqn-xor-ak", "--network-name", "--identity"}));
      const auto ck = secret_opt<16>("--ck", f.require("--ck"));
      const auto ik = secret_opt<16>("--ik", f.require("--ik"));
      const auto sqn_xor_ak = parse_hex_array<6>("--sqn-xor-ak", f.require("--sqn-xor-ak"));
      const auto name = f.require("--network-name");
      const auto identity = f.require("--identity");
      const auto p = value_or_fail(crypto::derive_ck_ik_prime(ck.view(), ik.view(), name, sqn_xor_ak));
      const auto k = value_or_fail(
          crypto::derive_eap_aka_prime_keys(p.ck_prime.view(), p.ik_prime.view(), identity));
      json_line()
          .add("ck_prime", p.ck_prime.view())
          .add("ik_prime", p.ik_prime.view())
          .add("k_encr", k.k_encr.view())
          .add("k_aut", k.k_aut.view())
          .add("k_re", k.k_re.view())
          .add("msk", k.msk.view())
          .add("emsk", k.emsk.view())
          .print();
      return exit_ok;
    };
  });
}

}  // namespace

void add_crypto_auth_commands(CLI::App& crypto, action& selected) {
  add_milenage(crypto, selected);
  add_tuak(crypto, selected);
  add_kdf(crypto, selected);
  add_eap_aka_prime(crypto, selected);
}

}  // namespace sec5g::cli
