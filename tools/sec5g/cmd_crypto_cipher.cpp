// `sec5g crypto nea` and `sec5g crypto nia`: one 128-NEA/NIA computation on given inputs.
// Ref: TS 33.501 Annex D (D.2 ciphering, D.3 integrity).
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"

namespace sec5g::cli {
namespace {

constexpr const char* input_help =
    "JSON object with the same fields (\"alg\", \"key\", \"count\", \"bearer\", \"direction\", "
    "\"bits\", \"data\"; numbers as JSON integers or strings, hex as strings; \"count\" as 8 hex "
    "digits or a JSON integer) read from FILE or "
    "standard input ('-'), so that keys need not appear in argv. Options given on the command "
    "line override the same field of the JSON object; the other fields complement each other.";

constexpr const char* footer =
    "Precedence: a command-line option wins over the same field of --input; every field must "
    "come from one of the two, except --bits, which defaults to 8 x the data octets.\n"
    "Hex is case-insensitive; output is lowercase. Errors: exit 2 for malformed or out-of-range "
    "values, exit 3 when the --input file cannot be read or is not a JSON object.\n";

// The option values as given on the command line (App::count tells whether each was given).
struct cipher_options {
  std::string alg, key, count, bearer, direction, bits, data, input;
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

// A JSON field as option text: strings as they are, non-negative integers in decimal.
std::optional<std::string> json_text(const nlohmann::json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  throw usage_error(
      fmt::format("--input: field \"{}\" must be a string or a non-negative integer", name));
}

cipher_inputs resolve(const CLI::App& cmd, const cipher_options& o) {
  nlohmann::json j = nlohmann::json::object();
  if (cmd.count("--input") > 0) {
    std::string text = read_text_file(o.input);
    j = nlohmann::json::parse(text, nullptr, false);
    secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(text.data()), text.size()));
    if (j.is_discarded() || !j.is_object())
      throw input_error(fmt::format("{}: not a JSON object", o.input == "-" ? "stdin" : o.input));
    for (const auto& [name, value] : j.items()) {
      if (name != "alg" && name != "key" && name != "count" && name != "bearer" &&
          name != "direction" && name != "bits" && name != "data")
        throw usage_error(fmt::format("--input: unknown field \"{}\"", name));
    }
  }
  // The option text for `name`: the command line first, then the JSON field.
  auto get = [&](const char* option, const char* field, const std::string& value,
                 bool required) -> std::optional<std::string> {
    if (cmd.count(option) > 0) return value;
    auto v = json_text(j, field);
    if (!v && required)
      throw usage_error(fmt::format("missing {} (or \"{}\" in --input)", option, field));
    return v;
  };
  cipher_inputs in;
  in.alg = static_cast<std::uint8_t>(parse_uint("--alg", *get("--alg", "alg", o.alg, true), 0, 3));
  {
    auto key_text = *get("--key", "key", o.key, true);
    in.key = parse_hex_secret<16>("--key", key_text);
    secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(key_text.data()), key_text.size()));
  }
  // COUNT is 8 hex digits on the command line and as a JSON string; a JSON integer is a number.
  if (cmd.count("--count") == 0 && j.contains("count") && j["count"].is_number_unsigned()) {
    const auto c = j["count"].get<std::uint64_t>();
    if (c > 0xffffffffu) throw usage_error(fmt::format("--input: count {} exceeds 32 bits", c));
    in.count = static_cast<std::uint32_t>(c);
  } else {
    in.count =
        load_be32(parse_hex_array<4>("--count", *get("--count", "count", o.count, true)).data());
  }
  in.bearer = static_cast<std::uint8_t>(
      parse_uint("--bearer", *get("--bearer", "bearer", o.bearer, true), 0, 31));
  in.direction = static_cast<std::uint8_t>(
      parse_uint("--direction", *get("--direction", "direction", o.direction, true), 0, 1));
  in.data = parse_hex("--data", *get("--data", "data", o.data, true));
  const auto bits = get("--bits", "bits", o.bits, false);
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
  cmd->add_option("--alg", o.alg, "Algorithm: 0, 1 (SNOW 3G), 2 (AES), 3 (ZUC)");
  cmd->add_option("--key", o.key, "128-bit key, 32 hex digits");
  cmd->add_option("--count", o.count, "COUNT, 32 bits as 8 hex digits");
  cmd->add_option("--bearer", o.bearer, "BEARER, 0..31 (NAS over 3GPP access: 0)");
  cmd->add_option("--direction", o.direction, "DIRECTION, 0 uplink or 1 downlink");
  cmd->add_option("--bits", o.bits, "Message length in bits (default: 8 x data octets)");
  cmd->add_option("--data", o.data, "Message, hex, at least ceil(bits/8) octets");
  cmd->add_option("--input", o.input, input_help);
  cmd->footer(footer);
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
