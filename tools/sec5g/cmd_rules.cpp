// `sec5g rules`: the rule catalogue (id, severity, title, spec clause).
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "sec5g/rules/catalogue.hpp"

namespace sec5g::cli {

void add_rules_command(CLI::App& app, action& selected) {
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("rules", "List the security rules: id, severity, title, spec");
  sub->add_flag("--json", *json, "JSON Lines, one object per rule");
  sub->callback([json, &selected] {
    selected = [json] {
      for (const auto& r : rules::catalogue()) {
        if (*json) {
          nlohmann::ordered_json j;
          j["type"] = "rule";
          j["id"] = std::string(r.id);
          j["severity"] = std::string(rules::to_string(r.level));
          j["title"] = std::string(r.title);
          j["spec"] = std::string(r.spec);
          j["needs_keys"] = r.needs_keys;
          std::cout << j.dump() << '\n';
        } else {
          std::cout << r.id << std::string(32 > r.id.size() ? 32 - r.id.size() : 1, ' ')
                    << rules::to_string(r.level)
                    << std::string(8 - rules::to_string(r.level).size(), ' ') << r.title
                    << "  [" << r.spec << "]" << (r.needs_keys ? "  (needs keys)" : "") << '\n';
        }
      }
      return exit_ok;
    };
  });
}

}  // namespace sec5g::cli
