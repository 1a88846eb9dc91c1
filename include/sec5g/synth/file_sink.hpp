#pragma once
/// The file outputs of `sec5g synth`: the capture as pcapng (written as packets come), the
/// subscriber key file (CSV `supi,k,opc`, the format of `sec5g audit --keys`) and the truth as
/// JSON Lines. Nothing is kept in memory beyond one packet.

#include <cstdio>
#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "sec5g/synth/synth.hpp"

namespace sec5g::synth {

/// A sink writing files. Move-only; close() flushes and reports the first write error.
class file_sink final : public sink {
 public:
  /// Creates (truncates) the capture and, when given, the key and truth files.
  /// Errors name the file that could not be created.
  static std::expected<std::unique_ptr<file_sink>, synth_error> create(
      const std::string& pcapng_path, const std::optional<std::string>& keys_path,
      const std::optional<std::string>& truth_path);
  ~file_sink() override;
  file_sink(const file_sink&) = delete;
  file_sink& operator=(const file_sink&) = delete;

  void on_frame(std::int64_t time_ns, bytes_view frame, std::string_view comment) override;
  void on_subscriber(const subscriber& s) override;
  void on_truth(const truth_finding& f) override;

  /// Flushes and closes every file. Errors: the first write or close failure.
  std::expected<void, synth_error> close();

 private:
  file_sink();
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sec5g::synth
