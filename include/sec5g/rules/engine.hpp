#pragma once
/// The rules engine: receives the tracker's events (decoded NGAP/NAS + state), runs every
/// enabled rule of the catalogue and collects findings with evidence (frames, UE ids, values
/// compared). Rules never decode; they read events and the tracker's UE contexts.
/// Memory is bounded: per-UE rule state lives only while the tracker's context lives, and the
/// per-gNB / per-subscriber tables are capped.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "sec5g/analysis/tracker.hpp"
#include "sec5g/rules/catalogue.hpp"

namespace sec5g::rules {

/// The UE a finding is about, as far as known (empty / nullopt = unknown, key absent in JSON).
struct ue_ids {
  std::optional<std::uint32_t> ran_ue_ngap_id;
  std::optional<std::uint64_t> amf_ue_ngap_id;
  std::string supi;  ///< "imsi-<digits>"
  std::string suci;
  std::string guti;
};

/// One finding. `evidence` holds rule-specific fields in a fixed insertion order; it never holds
/// key material.
struct finding {
  const rule_info* rule = nullptr;
  severity level = severity::info;  ///< may exceed rule->level (escalation, see docs/RULES.md)
  std::uint64_t frame = 0;
  std::uint32_t file = 0;  ///< index of the input file of `frame` (analysis::packet_meta::file)
  /// Sets `frame` and `file` from a reference to a frame of the run.
  void at(analysis::frame_ref r) noexcept {
    frame = analysis::frame_of(r);
    file = analysis::file_of(r);
  }
  std::int64_t time_ns = 0;
  ue_ids ue;
  bool has_ue = false;
  std::string gnb;
  std::string amf;
  nlohmann::ordered_json evidence = nlohmann::ordered_json::object();
};

/// Thresholds and switches. Defaults are documented in docs/RULES.md.
struct engine_options {
  /// Enabled rule ids; empty = all.
  std::set<std::string, std::less<>> enabled;
  /// aka.auth_failure_storm: failures per UE / per gNB within the window.
  std::uint32_t auth_failures_per_ue = 3;
  std::uint32_t auth_failures_per_gnb = 5;
  std::int64_t auth_failure_window_ns = 60LL * 1'000'000'000;
  /// id.identity_request_flood: SUCI Identity Requests per UE / per gNB within the window.
  std::uint32_t identity_requests_per_ue = 3;
  std::uint32_t identity_requests_per_gnb = 20;
  std::int64_t identity_request_window_ns = 60LL * 1'000'000'000;
  /// ngap.registration_flood: InitialUEMessages per gNB within the window.
  std::uint32_t registrations_per_gnb = 50;
  std::int64_t registration_window_ns = 1LL * 1'000'000'000;
  /// Bound of the per-subscriber RAND / SUCI tables and rate windows (each starts over when full).
  std::size_t max_tracked_subscribers = 1'000'000;
  /// Bound of the per-gNB rate windows and of the associations ngap.key_in_clear has reported
  /// (each table starts over when it reaches it).
  std::size_t max_tracked_gnbs = 65'536;
  /// Findings kept for the report (the first ones produced); later ones are counted (counts(),
  /// not_listed(), highest()) but not kept: a capture where every message is a finding must
  /// not grow memory without limit (~1 KiB per finding).
  std::size_t max_listed_findings = 1'000'000;
  /// The input files as given, in order (analysis::packet_meta::file indexes them). An evidence
  /// frame of another file than its finding's gets `<key>_file`, the path of its file (see
  /// docs/formats/audit.md); without the paths it gets nothing more.
  std::vector<std::string> files;
};

/// Runs the rules. Plug it into analysis::tracker as its event_sink.
class engine final : public analysis::event_sink {
 public:
  explicit engine(engine_options opt = {});
  ~engine() override;

  void on_nas(const analysis::nas_event& e) override;
  void on_ngap(const analysis::ngap_event& e) override;
  void on_ue_end(const analysis::ue_context& ue) override;

  /// Flushes deferred findings. Call after tracker::finish().
  void finish();

  /// Findings so far, in deterministic order after finish() (frame, then rule id).
  [[nodiscard]] const std::vector<finding>& findings() const noexcept { return findings_; }
  /// Number of findings per rule id (sorted by id), listed or not.
  [[nodiscard]] std::map<std::string, std::uint64_t> counts() const {
    return {counts_.begin(), counts_.end()};
  }
  /// Findings produced beyond max_listed_findings (counted, not kept).
  [[nodiscard]] std::uint64_t not_listed() const noexcept { return not_listed_; }
  /// The highest severity of every finding produced (listed or not); nullopt if none.
  [[nodiscard]] std::optional<severity> highest() const noexcept { return highest_; }
  /// True when `id` is enabled.
  [[nodiscard]] bool enabled(std::string_view id) const noexcept;

  /// Entries held in the engine's per-UE, per-subscriber and per-gNB tables (memory-bound
  /// tests).
  [[nodiscard]] std::size_t state_entries() const noexcept;

  /// Optional observer called for each finding as it is produced (e.g. annotations).
  std::function<void(const finding&)> on_finding;

 private:
  struct state;
  /// Counts and (up to max_listed_findings) keeps `f`; its index in findings_, or
  /// static_cast<std::size_t>(-1) when it is not kept (rule disabled, or past the cap).
  std::size_t emit(finding&& f);
  finding make(std::string_view rule, const analysis::packet_meta& pkt,
               const analysis::ue_context* ue) const;
  /// A rate rule's window: its length, and how the evidence states it ("window_s", 10^9).
  struct rate_window {
    std::int64_t ns = 0;
    const char* unit = "";
    std::int64_t ns_per_unit = 1;
  };
  /// One event of a rate rule, added to `w` (a window of engine.cpp). When it starts a burst,
  /// emits `rule`'s finding with the evidence every rate rule gives, in this order: scope
  /// (unless null), count, threshold, window; then what `fill(finding&, const Window&)` adds
  /// (at least the window's frames); and ties the burst to that finding.
  template <class Window, class Fill>
  void rate_event(Window& w, std::string_view rule, const analysis::packet_meta& pkt,
                  const analysis::ue_context* ue, const char* scope, std::uint32_t threshold,
                  const rate_window& span, Fill&& fill);

  engine_options opt_;
  std::vector<finding> findings_;
  std::map<std::string, std::uint64_t, std::less<>> counts_;
  std::uint64_t not_listed_ = 0;
  std::optional<severity> highest_;
  std::unique_ptr<state> st_;
};

/// The UE ids of a tracker context.
ue_ids ids_of(const analysis::ue_context& ue);

}  // namespace sec5g::rules
