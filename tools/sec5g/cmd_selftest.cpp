// `sec5g selftest [--vectors DIR] [--quiet]`: runs every *.json vector file through the library
// (authentication and cipher families in crypto, SUCI in identity; others reported as skipped).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "sec5g/crypto/vectors.hpp"
#if __has_include("sec5g/identity/suci_vectors.hpp")
#include "sec5g/identity/suci_vectors.hpp"
#define SEC5G_SELFTEST_HAVE_SUCI 1
#endif

namespace sec5g::cli {
namespace {

struct selftest_options {
  std::string vectors;
  bool quiet = false;
};

// SUCI vectors go to the identity module (which depends on crypto), the rest to crypto.
crypto::vector_result run_any(const nlohmann::json& v) {
#ifdef SEC5G_SELFTEST_HAVE_SUCI
  if (auto r = identity::run_suci_vector(v)) {
    switch (r->status) {
      case identity::suci_vector_status::pass: return {crypto::vector_status::pass, {}};
      case identity::suci_vector_status::fail: return {crypto::vector_status::fail, r->reason};
      case identity::suci_vector_status::skipped: return {crypto::vector_status::skipped, r->reason};
    }
  }
#endif
  return crypto::run_vector(v);
}

struct tally {
  std::size_t passed = 0, failed = 0, skipped = 0;
};

// One line per vector, unless quiet.
void run_file(const std::string& name, std::string_view content, bool quiet, tally& t) {
  auto report = [&](const char* what, const std::string& id, const std::string& reason) {
    if (quiet) return;
    if (reason.empty())
      std::cout << fmt::format("{} {}:{}\n", what, name, id);
    else
      std::cout << fmt::format("{} {}:{}: {}\n", what, name, id, reason);
  };
  const auto doc = nlohmann::json::parse(content, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) {
    ++t.failed;
    report("FAIL", "*", "not a JSON array of vectors");
    return;
  }
  std::size_t index = 0;
  for (const auto& v : doc) {
    std::string id = fmt::format("#{}", index++);
    if (v.is_object() && v.contains("id") && v["id"].is_string()) id = v["id"].get<std::string>();
    const auto r = run_any(v);
    switch (r.status) {
      case crypto::vector_status::pass: ++t.passed; report("PASS", id, {}); break;
      case crypto::vector_status::fail: ++t.failed; report("FAIL", id, r.reason); break;
      case crypto::vector_status::skipped: ++t.skipped; report("SKIP", id, r.reason); break;
    }
  }
}

}  // namespace

void add_selftest_command(CLI::App& app, action& selected) {
  auto o = std::make_shared<selftest_options>();
  CLI::App* cmd = app.add_subcommand(
      "selftest",
      "Run every test vector (*.json in the schema of tests/data/vectors/README.md) through the "
      "library; ends with 'N passed, M failed' (and ', K skipped'); exit 1 if any fails");
  cmd->add_option("--vectors", o->vectors,
                  "Directory of *.json vector files (default: the vectors built into sec5g, a "
                  "copy of tests/data/vectors)");
  cmd->add_flag("--quiet,-q", o->quiet, "Print only the summary line");
  cmd->callback([cmd, o, &selected] {
    selected = [cmd, o] {
      tally t;
      if (cmd->count("--vectors") > 0) {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (!fs::is_directory(o->vectors, ec))
          throw input_error(fmt::format("{}: not a directory", o->vectors));
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(o->vectors, ec)) {
          if (e.is_regular_file(ec) && e.path().extension() == ".json") files.push_back(e.path());
        }
        if (ec) throw input_error(fmt::format("{}: {}", o->vectors, ec.message()));
        std::sort(files.begin(), files.end());
        for (const auto& p : files)
          run_file(p.filename().string(), read_text_file(p.string()), o->quiet, t);
      } else {
        for (const auto& f : crypto::embedded_vector_files())
          run_file(std::string(f.name), f.content, o->quiet, t);
      }
      std::cout << fmt::format("{} passed, {} failed", t.passed, t.failed);
      if (t.skipped > 0) std::cout << fmt::format(", {} skipped", t.skipped);
      std::cout << "\n";
      return t.failed > 0 ? exit_findings : exit_ok;
    };
  });
}

}  // namespace sec5g::cli
