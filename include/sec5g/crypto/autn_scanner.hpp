#pragma once
/// Identifying the subscriber of an authentication challenge among many candidate keys: the
/// MILENAGE AUTN check (AK = f5(RAND), SQN = AUTN[0..5] xor AK, MAC-A = f1(RAND, SQN, AMF))
/// for every candidate, with each candidate's AES-128 key schedule computed once and the three
/// dependent AES calls of 8 candidates interleaved on AES-NI. Falls back to
/// find_subscriber_by_autn() (OpenSSL, one re-key per candidate) on CPUs without AES-NI.
/// Ref: TS 35.206 4.1 (f1, f5), TS 33.102 6.3.3 (the AUTN check).

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <vector>

#include "sec5g/crypto/auth_types.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"

namespace sec5g::crypto {

/// A prepared set of candidate subscribers (K, OPc). The key schedules are secrets: they are
/// wiped when the scanner is destroyed. Not copyable; find() is const and thread-safe.
class autn_scanner {
public:
  /// Prepares `candidates` (the views must stay valid for the fallback path).
  explicit autn_scanner(std::span<const subscriber_keys> candidates);
  ~autn_scanner();
  autn_scanner(const autn_scanner&) = delete;
  autn_scanner& operator=(const autn_scanner&) = delete;
  autn_scanner(autn_scanner&&) noexcept;
  autn_scanner& operator=(autn_scanner&&) noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return candidates_.size(); }
  /// Whether the AES-NI path is in use.
  [[nodiscard]] bool accelerated() const noexcept {
    return !schedules_.empty() || candidates_.empty();
  }

  /// The first candidate at index >= `from` whose keys verify the AUTN's MAC-A for RAND, or
  /// std::nullopt. Errors: backend_failure (fallback path only).
  std::expected<std::optional<std::size_t>, auth_error> find(rand_view rand, autn_view autn,
                                                             std::size_t from = 0) const noexcept;

private:
  std::vector<subscriber_keys> candidates_;
  std::vector<std::uint8_t> schedules_; ///< 11 round keys (176 octets) + OPc (16) per candidate
};

} // namespace sec5g::crypto
