#pragma once
/// The tracker's hook for SUCI de-concealment done elsewhere (e.g. ahead of time on other
/// threads: suci_prefetch.hpp). Set in tracker_options::suci_cache.

#include <expected>

#include "sec5g/core/bytes.hpp"
#include "sec5g/identity/suci.hpp"

namespace sec5g::identity {
class sidf;
}  // namespace sec5g::identity

namespace sec5g::analysis {

/// Where the tracker gets SUCI de-concealments from (tracker_options::suci_cache).
class suci_source {
 public:
  virtual ~suci_source() = default;
  /// The SUPI of the SUCI whose 5GS mobile identity IE value is `identity_value` (decoded as
  /// `sv`): a precomputed result, or `fallback.deconceal(sv)` computed on the calling thread.
  /// The result always equals `fallback.deconceal(sv)`.
  virtual std::expected<identity::supi, identity::suci_error> deconceal(
      bytes_view identity_value, const identity::suci_value& sv, identity::sidf& fallback) = 0;
};

}  // namespace sec5g::analysis
