#pragma once
/// Subscriber key files: CSV with a header line naming the columns `supi,k,opc` (optional
/// columns `op`, `amf`, `sqn`, `tuak_top`), one subscriber per line.
///
/// Format (docs/formats/audit.md "Subscriber keys"):
/// - the first non-empty, non-comment line is the header; column names are case-insensitive,
///   in any order; `supi` and `k` are required, and `opc` or `op` (a row may leave `opc`
///   empty when it gives `op`);
/// - `supi` is `imsi-<5..15 digits>` or `nai-<user@realm>`;
/// - `k`, `opc`, `op` are 32 hex digits (16 octets), `amf` 4 hex digits, `sqn` 12 hex digits
///   (48 bits), `tuak_top` 64 hex digits (TUAK TOP, 32 octets);
/// - lines starting with `#` and blank lines are ignored; CR-LF line ends are accepted;
///   surrounding spaces of a field are ignored.
/// Errors name `file:line:column` and never quote a key value.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/core/text_index.hpp"

namespace sec5g::analysis {

/// One subscriber's long-term credentials. Move-only (holds secrets).
struct subscriber_keys {
  std::string supi;                 ///< "imsi-<digits>" or "nai-<user@realm>" (not secret)
  key128 k;                         ///< permanent key K
  bool has_opc = false;             ///< OPc given (else derived from `op` when needed)
  key128 opc;                       ///< OPc (valid when has_opc)
  bool has_op = false;              ///< OP given
  key128 op;                        ///< OP (valid when has_op)
  std::optional<byte_array<2>> amf; ///< authentication management field, if given
  std::optional<std::uint64_t> sqn; ///< 48-bit sequence number, if given
  bool has_tuak_top = false;        ///< TUAK TOP given (subscriber uses TUAK)
  key256 tuak_top;                  ///< TUAK TOP (valid when has_tuak_top)

  /// The IMSI digits without the "imsi-" prefix; empty for NAI SUPIs.
  [[nodiscard]] std::string_view imsi_digits() const noexcept;
};

/// Where and why a key file was rejected. `column` is 1-based (character column of the field).
struct key_file_error {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;  ///< never contains key material
};

/// "file:line:column: message".
std::string describe(const key_file_error& e);

/// Resource limits of the parser (untrusted input).
inline constexpr std::size_t max_subscribers = 1'000'000;
inline constexpr std::size_t max_key_line_len = 4096;
/// Bound on a key file's size (a million subscribers with every column take ~210 MB).
inline constexpr std::size_t max_key_file_size = std::size_t{512} << 20;

/// A parsed key file: subscribers in file order, indexed by SUPI.
class subscriber_db {
 public:
  subscriber_db() = default;
  subscriber_db(subscriber_db&&) noexcept = default;
  subscriber_db& operator=(subscriber_db&&) noexcept = default;

  /// The subscriber with this SUPI ("imsi-..." / "nai-..."), or nullptr.
  [[nodiscard]] const subscriber_keys* find(std::string_view supi) const;
  /// All subscribers, in file order (candidates for AUTN-based identification).
  [[nodiscard]] const std::vector<subscriber_keys>& all() const noexcept { return subs_; }
  [[nodiscard]] std::size_t size() const noexcept { return subs_.size(); }
  [[nodiscard]] bool empty() const noexcept { return subs_.empty(); }

  /// Room for `n` subscribers (no reallocation while they are added).
  void reserve(std::size_t n);

  /// Adds a subscriber; a later duplicate SUPI replaces nothing and returns false (`s` is
  /// then left as it was).
  bool add(subscriber_keys&& s);

  /// Appends every subscriber of `other` whose SUPI is not yet present.
  void merge(subscriber_db&& other);

 private:
  /// The index's key of entry `i`: its SUPI.
  [[nodiscard]] auto key_of() const noexcept {
    return [this](std::uint32_t i) -> std::string_view { return subs_[i].supi; };
  }
  std::vector<subscriber_keys> subs_;
  text_index index_;  ///< SUPI -> position in subs_
};

/// Parses a key file's text. `file_name` is used in errors only. Never throws.
std::expected<subscriber_db, key_file_error> parse_subscriber_keys(
    std::string_view text, std::string_view file_name) noexcept;

/// True when `supi` is a well-formed "imsi-<5..15 digits>" or "nai-<user@realm>".
bool is_valid_supi_text(std::string_view supi) noexcept;

}  // namespace sec5g::analysis

namespace sec5g::analysis {

/// Reads and parses a key file. Errors: the parse error, or line 0 / column 0 with
/// "cannot read file (reason)" when the file cannot be read.
std::expected<subscriber_db, key_file_error> load_subscriber_keys(const std::string& path);

}  // namespace sec5g::analysis
