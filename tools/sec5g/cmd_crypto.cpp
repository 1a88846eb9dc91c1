// `sec5g crypto ...`: the parent of the algorithm subcommands (NEA/NIA here, the
// authentication algorithms from cmd_crypto_auth.cpp).
#include "commands.hpp"

namespace sec5g::cli {

void add_crypto_command(CLI::App& app, action& selected) {
  CLI::App* crypto = app.add_subcommand(
      "crypto", "Run one 3GPP security algorithm on given inputs (NEA/NIA, MILENAGE, TUAK, KDF, "
                "EAP-AKA')");
  crypto->require_subcommand(1);
  add_crypto_cipher_commands(*crypto, selected);
  add_crypto_auth_commands(*crypto, selected);
}

} // namespace sec5g::cli
