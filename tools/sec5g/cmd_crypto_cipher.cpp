// `sec5g crypto nea` and `sec5g crypto nia`: one 128-NEA/NIA computation on given inputs.
// Ref: TS 33.501 Annex D (D.2 ciphering, D.3 integrity).
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth_cli_fields.hpp"
#include "commands.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"

namespace sec5g::cli {
namespace {

constexpr const char* cipher_input_help =
    "JSON object with the same fields (\"alg\", \"key\", \"count\", \"bearer\", \"direction\", "
    "\"bits\", \"data\"; numbers as JSON integers or strings, hex as strings; \"count\" as 8 hex "
    "digits or a JSON integer) read from FILE or "
    "standard input ('-'), so that keys need not appear in argv. Options given on the command "
    "line override the same field of the JSON object; the other fields complement each other.";

constexpr const char* cipher_footer =
    "Precedence: a command-line option wins over the same field of --input; every field must "
    "come from one of the two, except --bits, which defaults to 8 x the data octets.\n"
    "Hex is case-insensitive; output is lowercase. Errors: exit 2 for malformed or out-of-range "
    "values, exit 3 when the --input file cannot be read or is not a JSON object.\n";

// The option values as given on the command line, by option name (App::count tells whether
// each was given), completed by --input through auth_cli::fields.
struct cipher_options {
  std::map<std::string, std::string> values;
  std::string input;
};

// The resolved, validated inputs of one NEA/NIA computation.
struct cipher_inputs {
  std::uint8_t alg = 0;
  secret<16> key;
  std::uint32_t count = 0;
  std::uint8_t bearer = 0;
  std::uint8_t direction = 0;
  std::size_t bits = 0;
  byte_buffer data;
};

cipher_inputs resolve(const CLI::App& cmd, const cipher_options& o) {
  const auth_cli::fields f(cmd, o.values,
                           cmd.count("--input") > 0 ? std::optional<std::string>(o.input)
                                                    : std::nullopt,
                           {"alg", "key", "count", "bearer", "direction", "bits", "data"});
  cipher_inputs in;
  in.alg = static_cast<std::uint8_t>(parse_uint("--alg", f.require("--alg"), 0, 3));
  in.key = auth_cli::secret_opt<16>("--key", f.require("--key"));
  // COUNT is 8 hex digits on the command line and as a JSON string; a JSON integer is a number.
  if (const auto* c = f.json_field("--count"); c != nullptr && c->is_number_unsigned()) {
    const auto v = c->get<std::uint64_t>();
    if (v > 0xffffffffu) throw usage_error(fmt::format("--input: count {} exceeds 32 bits", v));
    in.count = static_cast<std::uint32_t>(v);
  } else {
    in.count = load_be32(parse_hex_array<4>("--count", f.require("--count")).data());
  }
  in.bearer = static_cast<std::uint8_t>(parse_uint("--bearer", f.require("--bearer"), 0, 31));
  in.direction =
      static_cast<std::uint8_t>(parse_uint("--direction", f.require("--direction"), 0, 1));
  in.data = parse_hex("--data", f.require("--data"));
  const auto bits = f.get("--bits");
  in.bits = bits
                ? static_cast<std::size_t>(parse_uint("--bits", *bits, 0, crypto::max_message_bits))
                : 8 * in.data.size();
  if (in.bits > crypto::max_message_bits)
    throw usage_error(fmt::format("--data: more than {} octets", crypto::max_message_bits / 8));
  if (in.data.size() < crypto::message_bytes(in.bits))
    throw usage_error(fmt::format("--data: {} octets, but --bits {} needs {}", in.data.size(),
                                  in.bits, crypto::message_bytes(in.bits)));
  return in;
}

CLI::App* add_cipher_subcommand(CLI::App& crypto, const char* name, const char* description,
                                cipher_options& o) {
  CLI::App* cmd = crypto.add_subcommand(name, description);
  cmd->add_option("--alg", o.values["--alg"], "Algorithm: 0, 1 (SNOW 3G), 2 (AES), 3 (ZUC)");
  cmd->add_option("--key", o.values["--key"], "128-bit key, 32 hex digits");
  cmd->add_option("--count", o.values["--count"], "COUNT, 32 bits as 8 hex digits");
  cmd->add_option("--bearer", o.values["--bearer"], "BEARER, 0..31 (NAS over 3GPP access: 0)");
  cmd->add_option("--direction", o.values["--direction"], "DIRECTION, 0 uplink or 1 downlink");
  cmd->add_option("--bits", o.values["--bits"], "Message length in bits (default: 8 x data octets)");
  cmd->add_option("--data", o.values["--data"], "Message, hex, at least ceil(bits/8) octets");
  cmd->add_option("--input", o.input, cipher_input_help);
  cmd->footer(cipher_footer);
  return cmd;
}

} // namespace

void add_crypto_cipher_commands(CLI::App& crypto, action& selected) {
  auto nea_opts = std::make_shared<cipher_options>();
  CLI::App* nea_cmd = add_cipher_subcommand(
      crypto, "nea",
      "128-NEA0/1/2/3 ciphering (= deciphering), TS 33.501 D.2: prints ceil(bits/8) octets as "
      "hex, bits after --bits set to zero",
      *nea_opts);
  nea_cmd->callback([nea_cmd, nea_opts, &selected] {
    selected = [nea_cmd, nea_opts] {
      auto in = resolve(*nea_cmd, *nea_opts);
      byte_buffer out(crypto::message_bytes(in.bits));
      const auto r = crypto::nea(static_cast<crypto::nea_alg>(in.alg), in.key.view(), in.count,
                                 in.bearer, in.direction, in.data, in.bits, out);
      if (!r) throw usage_error(crypto::to_string(r.error().code));
      std::cout << to_hex(out) << "\n";
      return exit_ok;
    };
  });

  auto nia_opts = std::make_shared<cipher_options>();
  CLI::App* nia_cmd = add_cipher_subcommand(
      crypto, "nia",
      "128-NIA0/1/2/3 integrity, TS 33.501 D.3: prints the 32-bit MAC as 8 hex digits", *nia_opts);
  nia_cmd->callback([nia_cmd, nia_opts, &selected] {
    selected = [nia_cmd, nia_opts] {
      auto in = resolve(*nia_cmd, *nia_opts);
      const auto mac = crypto::nia(static_cast<crypto::nia_alg>(in.alg), in.key.view(), in.count,
                                   in.bearer, in.direction, in.data, in.bits);
      if (!mac) throw usage_error(crypto::to_string(mac.error().code));
      std::cout << to_hex(*mac) << "\n";
      return exit_ok;
    };
  });
}

} // namespace sec5g::cli
