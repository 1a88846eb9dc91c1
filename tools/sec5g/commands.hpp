#pragma once
/// Registration of every subcommand. Each adds its options to the CLI11 app and, when picked,
/// stores its work in `selected`. One file per subcommand (ARCHITECTURE.md "Layout").

#include "cli.hpp"

namespace sec5g::cli {

// One declaration per cmd_*.cpp file; main.cpp calls each in the order of `sec5g --help`.
// (add new subcommands here and in main.cpp's table)
/// `crypto` (cmd_crypto.cpp): the parent of the algorithm subcommands.
void add_crypto_command(CLI::App& app, action& selected);
/// `crypto nea`, `crypto nia` (cmd_crypto_cipher.cpp), registered by add_crypto_command.
void add_crypto_cipher_commands(CLI::App& crypto, action& selected);
/// `crypto milenage|tuak|kdf|eap-aka-prime` (cmd_crypto_auth.cpp), registered by add_crypto_command.
void add_crypto_auth_commands(CLI::App& crypto, action& selected);
/// `keys derive` (cmd_keys.cpp).
void add_keys_command(CLI::App& app, action& selected);
/// `selftest` (cmd_selftest.cpp).
void add_selftest_command(CLI::App& app, action& selected);
/// `suci keygen|conceal|deconceal|parse` (cmd_suci.cpp).
void add_suci_command(CLI::App& app, action& selected);
/// `decode` (cmd_decode.cpp).
void add_decode_command(CLI::App& app, action& selected);
/// `synth` (cmd_synth.cpp).
void add_synth_command(CLI::App& app, action& selected);
/// `audit` (cmd_audit.cpp).
void add_audit_command(CLI::App& app, action& selected);
/// `decipher` (cmd_decipher.cpp).
void add_decipher_command(CLI::App& app, action& selected);
/// `rules` (cmd_rules.cpp).
void add_rules_command(CLI::App& app, action& selected);

}  // namespace sec5g::cli
