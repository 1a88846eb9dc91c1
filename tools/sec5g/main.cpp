// sec5g: judge 5G security by technical evidence against the 3GPP standards.
#include <exception>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"

namespace {

using registration = void (*)(CLI::App&, sec5g::cli::action&);

// The subcommand table: `sec5g --help` lists them in this order.
constexpr registration subcommands[] = {
    &sec5g::cli::add_crypto_command,
    &sec5g::cli::add_keys_command,
    &sec5g::cli::add_selftest_command,
    &sec5g::cli::add_suci_command,
    &sec5g::cli::add_decode_command,
    &sec5g::cli::add_synth_command,
    &sec5g::cli::add_audit_command,
    &sec5g::cli::add_decipher_command,
    &sec5g::cli::add_rules_command,
    nullptr,
};

// A command word that names no command of its level (`sec5g nosuch`, `sec5g crypto nosuch`):
// CLI11 would report "A subcommand is required", which does not say which word was wrong.
void check_command_words(const CLI::App& app, int argc, char** argv) {
  const CLI::App* level = &app;
  std::string path = "sec5g";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word.front() == '-') return;
    const auto subs =
        level->get_subcommands([](const CLI::App* a) { return !a->get_name().empty(); });
    if (subs.empty()) return;  // a command's own arguments
    const CLI::App* next = nullptr;
    std::string names;
    for (const CLI::App* s : subs) {
      if (s->check_name(word)) next = s;
      names += (names.empty() ? "" : ", ") + s->get_name();
    }
    if (next == nullptr) {
      throw sec5g::cli::usage_error(
          fmt::format("'{}' is not a command of {} (one of: {})", word, path, names));
    }
    path += " " + next->get_name();
    level = next;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sec5g::cli;
  CLI::App app{"sec5g: 5G security auditor (TS 33.501, TS 24.501, TS 38.413)", "sec5g"};
  app.set_version_flag("--version", "sec5g 0.1.0");
  app.require_subcommand(1);
  app.fallthrough(false);
  // CLI11's own parse errors (a missing argument, an unknown option) in the form of the tool's
  // other diagnostics.
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    return "sec5g: error: " + CLI::FailureMessage::simple(a, e);
  });
  action selected;
  for (auto reg : subcommands) {
    if (reg != nullptr) reg(app, selected);
  }
  try {
    check_command_words(app, argc, argv);
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  } catch (const usage_error& e) {
    std::cerr << "sec5g: error: " << e.what() << "\n";
    return exit_usage;
  }
  if (!selected) {
    std::cerr << app.help();
    return exit_usage;
  }
  try {
    return selected();
  } catch (const usage_error& e) {
    std::cerr << "sec5g: error: " << e.what() << "\n";
    return exit_usage;
  } catch (const input_error& e) {
    std::cerr << "sec5g: error: " << e.what() << "\n";
    return exit_input;
  } catch (const std::exception& e) {
    std::cerr << "sec5g: internal error: " << e.what() << "\n";
    return exit_internal;
  }
}
