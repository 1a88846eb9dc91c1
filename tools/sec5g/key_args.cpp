#include "key_args.hpp"

#include <fmt/format.h>

#include "sec5g/crypto/key_hierarchy.hpp"

namespace sec5g::cli {

void add_key_args(CLI::App& cmd, key_args& args, bool keys_required) {
  auto* k = cmd.add_option("--keys", args.keys,
                           "Subscriber keys CSV: supi,k,opc[,op][,amf][,sqn] (docs/FORMATS.md)");
  if (keys_required) k->required();
  cmd.add_option("--hn-key", args.hn_keys,
                 "Home network private key for SUCI de-concealment, ID:FILE.pem (repeatable)");
  cmd.add_option("--snn", args.snn,
                 "Serving network name, e.g. 5G:mnc093.mcc208.3gppnetwork.org (default: from the "
                 "PLMN seen on N2)")
      ->check(CLI::Validator(
          [](const std::string& snn) { return check_serving_network_name(snn); }, "SNN"));
}

std::string check_serving_network_name(std::string_view snn) {
  // Ref: TS 33.501 6.1.1.4: the service code "5G", ':', the serving network identity
  // (TS 24.501 9.12.1: mnc<MNC>.mcc<MCC>.3gppnetwork.org, for an SNPN followed by ':' and the
  // NID). It enters K_AUSF, RES* and the EAP-AKA' keys as given: a name without the "5G:"
  // prefix can never match the network's, so it is refused rather than failing every MAC.
  if (snn.size() > crypto::max_name_len)
    return fmt::format("longer than {} characters", crypto::max_name_len);
  for (char c : snn)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
      return "printable ASCII only";
  if (snn.size() > 3 && snn.starts_with("5G:")) return {};
  return "'" + std::string(snn) +
         "' is not a serving network name: \"5G:\" then the serving network identity, e.g. "
         "5G:mnc093.mcc208.3gppnetwork.org (TS 33.501 6.1.1.4)";
}

hn_key_spec parse_hn_key_spec(const std::string& spec) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos) throw usage_error("--hn-key: '" + spec + "' is not ID:FILE.pem");
  return {static_cast<std::uint8_t>(parse_uint("--hn-key", spec.substr(0, colon), 0, 255)),
          spec.substr(colon + 1)};
}

void append_key_files(const key_args& args, std::vector<named_path>& files) {
  if (!args.keys.empty()) files.push_back({"--keys", args.keys});
  for (const auto& spec : args.hn_keys) files.push_back({"--hn-key", parse_hn_key_spec(spec).file});
}

void load_hn_keys(const std::vector<std::string>& specs, identity::hn_key_store& store) {
  for (const auto& spec : specs) {
    const auto [id, file] = parse_hn_key_spec(spec);
    auto added = store.add_pem_file(id, file);
    if (!added) throw input_error("--hn-key " + spec + ": " + identity::describe(added.error()));
  }
}

std::optional<analysis::subscriber_db> load_subscriber_db(const std::string& path) {
  if (path.empty()) return std::nullopt;
  auto loaded = analysis::load_subscriber_keys(path);
  if (!loaded) throw input_error("--keys " + analysis::describe(loaded.error()));
  return std::move(*loaded);
}

}  // namespace sec5g::cli
