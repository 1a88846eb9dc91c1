#pragma once
/// The key options shared by `audit`, `decipher` and `decode`: subscriber keys (--keys),
/// home-network SUCI keys (--hn-key ID:FILE, repeatable) and the serving network name (--snn).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/identity/sidf.hpp"

namespace sec5g::cli {

/// The values of the key options as given on the command line.
struct key_args {
  std::string keys;                  ///< --keys FILE.csv
  std::vector<std::string> hn_keys;  ///< --hn-key ID:FILE.pem ...
  std::string snn;                   ///< --snn TEXT
  [[nodiscard]] bool any() const { return !keys.empty() || !hn_keys.empty(); }
};

/// Adds --keys, --hn-key and --snn to `cmd`; with `keys_required`, --keys must be given.
/// --snn is refused (usage error) unless check_serving_network_name accepts it.
void add_key_args(CLI::App& cmd, key_args& args, bool keys_required = false);

/// Empty when `snn` can be a serving network name ("5G:" and a serving network identity,
/// TS 33.501 6.1.1.4), else the reason it cannot.
std::string check_serving_network_name(std::string_view snn);

/// One --hn-key ID:FILE.pem, split. Throws usage_error when there is no ':' or ID is not 0..255.
struct hn_key_spec {
  std::uint8_t id = 0;
  std::string file;
};
hn_key_spec parse_hn_key_spec(const std::string& spec);

/// Appends the files the key options name (--keys FILE, the FILE of each --hn-key ID:FILE) to
/// `files`, for check_outputs_distinct. Throws usage_error for a malformed --hn-key.
void append_key_files(const key_args& args, std::vector<named_path>& files);

/// Loads each ID:FILE.pem into `store`. Throws usage_error for a malformed spec, input_error
/// for a file that cannot be read or is not a profile A/B private key.
void load_hn_keys(const std::vector<std::string>& specs, identity::hn_key_store& store);

/// Loads the subscriber key file, or nothing for an empty path. Throws input_error naming
/// file:line:column (never a key).
std::optional<analysis::subscriber_db> load_subscriber_db(const std::string& path);

}  // namespace sec5g::cli
