#pragma once
// Private to the CLI: option values completed by an `--input FILE|-` JSON object (snake_case
// field names), secret parsing and fixed-order JSON output, shared by cmd_crypto_auth.cpp,
// cmd_crypto_cipher.cpp and cmd_keys.cpp.
#include <algorithm>
#include <expected>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "sec5g/crypto/auth_types.hpp"

namespace sec5g::cli::auth_cli {

inline constexpr const char* input_help =
    "JSON object with the same fields as the options (snake_case: the option name without the "
    "leading dashes, '-' -> '_', e.g. \"k\", \"opc\", \"sqn_xor_ak\"; hex and text as strings, "
    "numbers as integers or strings) read from FILE or standard input ('-'), so that keys need "
    "not appear in argv. A command-line option wins over the same field.";

inline constexpr const char* footer =
    "Hex is case-insensitive; output is lowercase. Errors: exit 2 for malformed hex, wrong "
    "lengths or out-of-range values, exit 3 when the --input file cannot be read or is not a "
    "JSON object.\n";

inline void wipe(std::string& s) {
  secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(s.data()), s.size()));
}

// Option values from the command line, completed by the --input JSON object.
class fields {
 public:
  fields(const CLI::App& cmd, const std::map<std::string, std::string>& cli_values,
         const std::optional<std::string>& input, std::vector<std::string> allowed)
      : cmd_(cmd), cli_(cli_values) {
    if (!input) return;
    std::string text = read_text_file(*input);
    j_ = nlohmann::json::parse(text, nullptr, false);
    wipe(text);
    if (j_.is_discarded() || !j_.is_object())
      throw input_error(fmt::format("{}: not a JSON object", *input == "-" ? "stdin" : *input));
    for (const auto& [name, value] : j_.items()) {
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
        throw usage_error(fmt::format("--input: unknown field \"{}\"", name));
    }
  }
  fields(const fields&) = delete;
  fields& operator=(const fields&) = delete;
  ~fields() {
    for (auto& [k, v] : cli_) wipe(v);
  }

  // "--sqn-xor-ak" -> "sqn_xor_ak"
  static std::string field_name(std::string_view option) {
    std::string f(option.substr(2));
    for (auto& c : f)
      if (c == '-') c = '_';
    return f;
  }

  std::optional<std::string> get(const std::string& option) const {
    if (cmd_.count(option) > 0) return cli_.at(option);
    const auto f = field_name(option);
    const auto it = j_.find(f);
    if (it == j_.end()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
    throw usage_error(
        fmt::format("--input: field \"{}\" must be a string or a non-negative integer", f));
  }
  std::string require(const std::string& option) const {
    auto v = get(option);
    if (!v) throw usage_error(fmt::format("missing {} (or \"{}\" in --input)", option, field_name(option)));
    return *v;
  }
  // The JSON value of `option`'s field when the command line does not give the option.
  const nlohmann::json* json_field(const std::string& option) const {
    if (cmd_.count(option) > 0) return nullptr;
    const auto it = j_.find(field_name(option));
    return it == j_.end() ? nullptr : &*it;
  }
  // Exactly one of two alternative options (e.g. --op / --opc): returns {which, value}.
  std::pair<std::string, std::string> one_of(const std::string& a, const std::string& b) const {
    auto va = get(a);
    auto vb = get(b);
    if (va && vb) throw usage_error(fmt::format("give either {} or {}, not both", a, b));
    if (!va && !vb) throw usage_error(fmt::format("missing {} or {}", a, b));
    return va ? std::pair{a, *va} : std::pair{b, *vb};
  }
  // A repeatable option: the command-line list, else the JSON array (or single string).
  std::vector<std::string> list(const std::string& option, const std::vector<std::string>& cli) const {
    if (cmd_.count(option) > 0) return cli;
    const auto f = field_name(option);
    const auto it = j_.find(f);
    std::vector<std::string> out;
    if (it == j_.end()) return out;
    if (it->is_string()) return {it->get<std::string>()};
    if (!it->is_array()) throw usage_error(fmt::format("--input: field \"{}\" must be an array of strings", f));
    for (const auto& e : *it) {
      if (!e.is_string()) throw usage_error(fmt::format("--input: field \"{}\" must be an array of strings", f));
      out.push_back(e.get<std::string>());
    }
    return out;
  }

 private:
  const CLI::App& cmd_;
  std::map<std::string, std::string> cli_;
  nlohmann::json j_ = nlohmann::json::object();
};

template <std::size_t N>
secret<N> secret_opt(const std::string& option, std::string text) {
  auto s = parse_hex_secret<N>(option, text);
  wipe(text);
  return s;
}

[[noreturn]] inline void crypto_failure(crypto::auth_errc c) {
  if (c == crypto::auth_errc::backend_failure)
    throw std::runtime_error(crypto::to_string(c));
  throw usage_error(crypto::to_string(c));
}

template <class T>
T value_or_fail(std::expected<T, crypto::auth_error> e) {
  if (!e) crypto_failure(e.error().code);
  return std::move(*e);
}

// {"a":"..","b":".."} in the given order.
class json_line {
 public:
  json_line& add(std::string_view key, bytes_view value) {
    out_ += out_.empty() ? "{" : ",";
    out_ += fmt::format("\"{}\":\"{}\"", key, to_hex(value));
    return *this;
  }
  void print() {
    std::cout << out_ << "}\n";
    wipe(out_);
  }

 private:
  std::string out_;
};

}  // namespace sec5g::cli::auth_cli
