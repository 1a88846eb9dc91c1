#pragma once
/// The catalogue of security rules: stable ids, severities, titles and spec clauses.
/// Ids are permanent (ARCHITECTURE.md "Rule catalogue"); docs/RULES.md describes each rule.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace sec5g::rules {

/// Severity of a finding, in increasing order.
enum class severity : std::uint8_t { info = 0, low = 1, medium = 2, high = 3 };

/// "info", "low", "medium", "high".
std::string_view to_string(severity s) noexcept;
/// Parses a severity name (lowercase); nullopt for anything else.
std::optional<severity> parse_severity(std::string_view text) noexcept;

/// One rule of the catalogue.
struct rule_info {
  std::string_view id;        ///< stable id, e.g. "nas.null_integrity"
  severity level;             ///< default severity (a finding may escalate, see docs/RULES.md)
  std::string_view title;     ///< one-line title
  std::string_view spec;      ///< verified spec clause(s)
  bool needs_keys;            ///< silent unless subscriber keys give a security context
};

/// Every rule, sorted by id.
std::span<const rule_info> catalogue() noexcept;

/// The rule with this id, or nullptr.
const rule_info* find_rule(std::string_view id) noexcept;

}  // namespace sec5g::rules
