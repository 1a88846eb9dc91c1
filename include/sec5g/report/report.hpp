#pragma once
/// Report sinks of `sec5g audit` / `sec5g decipher`: JSON Lines (docs/formats/audit.md), the
/// text report (grouped by severity, then UE) and the shared summary.
/// Nothing here ever prints key material: findings carry none and the summary is counters.

#include <cstdint>
#include <map>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sec5g/rules/engine.hpp"

namespace sec5g::report {

/// The summary line (counters of the whole run).
struct summary {
  std::uint64_t frames = 0;
  std::uint64_t ngap = 0;
  std::uint64_t nas = 0;
  std::uint64_t protected_nas = 0;  ///< "protected"
  std::uint64_t deciphered = 0;
  std::uint64_t mac_ok = 0;
  std::uint64_t mac_failed = 0;
  std::uint64_t malformed = 0;
  std::uint64_t ues = 0;
  std::uint64_t evicted = 0;
  std::map<std::string, std::uint64_t> findings;  ///< by rule id
  /// Findings counted in `findings` but not listed (rules::engine_options::max_listed_findings);
  /// written only when not 0.
  std::uint64_t findings_not_listed = 0;
  /// The input files when there were several (findings then name theirs: "file"); empty for
  /// one file (the output is as before).
  std::vector<std::string> files;

  /// The file name a finding carries ("file"), or empty when the run had one input file.
  [[nodiscard]] std::string_view file_of(const rules::finding& f) const noexcept {
    return files.size() > 1 && f.file < files.size() ? std::string_view(files[f.file])
                                                     : std::string_view{};
  }
};

/// Fills the tracker counters of a summary (frames and findings are set by the caller).
summary make_summary(const analysis::tracker_stats& st);

/// Digits after the decimal point of an ISO-8601 time (the fraction is truncated, not rounded).
enum class time_precision : std::uint8_t { microseconds = 6, nanoseconds = 9 };

/// Appends the ISO-8601 UTC time of `time_ns` (nanoseconds since the Unix epoch; negative
/// values count back from it) to `out`, e.g. "2026-04-29T12:34:56.123456Z" (microseconds) or
/// "2026-04-29T12:34:56.123456789Z" (nanoseconds).
void append_iso8601(std::string& out, std::int64_t time_ns, time_precision precision);

/// The same as a string; microseconds by default (the audit reports).
std::string iso8601(std::int64_t time_ns,
                    time_precision precision = time_precision::microseconds);

/// append_iso8601 for a stream of mostly increasing times (packets): the date and time of day
/// are formatted once per second (gmtime_r is most of the cost), the fraction every time. The
/// output equals append_iso8601's.
class iso8601_cache {
 public:
  explicit iso8601_cache(time_precision precision) noexcept : precision_(precision) {}
  /// Appends the time of `time_ns` to `out`.
  void append(std::string& out, std::int64_t time_ns);

 private:
  time_precision precision_;
  std::int64_t second_ = 0;
  bool valid_ = false;
  std::string prefix_;  ///< "YYYY-MM-DDTHH:MM:SS." of second_
};

/// One finding as the JSON object of the contract (keys absent when unknown). `file`: the
/// name of the finding's input file when the run had several (summary::file_of), else empty
/// (no "file" key).
nlohmann::ordered_json to_json(const rules::finding& f, std::string_view file = {});
/// The summary as the JSON object of the contract.
nlohmann::ordered_json to_json(const summary& s);

/// Writes one line per finding, then the summary line. With several input files
/// (summary::files), each finding names its file ("file", before "frame") and the summary lists
/// the files ("files").
void write_jsonl(std::ostream& out, std::span<const rules::finding> findings, const summary& s);

/// Writes the text report: findings grouped by severity (high first), then by UE, with frames;
/// then the summary.
void write_text(std::ostream& out, std::span<const rules::finding> findings, const summary& s);

/// The short annotation of a finding for a pcapng packet comment:
/// "sec5g: high nas.null_integrity (TS 33.501 5.5.2...): selected_nia=0".
std::string comment_of(const rules::finding& f);

}  // namespace sec5g::report
