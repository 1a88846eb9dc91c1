#pragma once
/// Runs capture files through capture -> SCTP -> tracker: the shared driver of `sec5g audit`,
/// `sec5g decipher` and `sec5g decode --keys`. Per frame, the caller's hook sees the frame after
/// every NGAP message it completed went through the tracker (and so through the event sinks).

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>

#include "sec5g/analysis/tracker.hpp"
#include "sec5g/capture/frame.hpp"
#include "sec5g/sctp/pipeline.hpp"

namespace sec5g::analysis {

/// What the driver knows of the NGAP message being processed (valid during tracker callbacks).
struct current_message {
  const capture::frame* frame = nullptr;  ///< the frame carrying the message's last chunk
  const sctp::user_message* msg = nullptr;
  /// Offset of the NGAP payload within frame->data when the payload lies in the frame
  /// (unfragmented SCTP and IP), else -1: such a message cannot be rewritten in place.
  std::int64_t payload_offset = -1;
};

/// Hooks of a run.
struct run_hooks {
  /// Called for every frame after its messages were processed. The frame bytes are valid only
  /// during the call.
  std::function<void(const capture::frame&)> after_frame;
};

/// Counters of a run.
struct run_stats {
  std::uint64_t frames = 0;
  std::uint64_t ngap_messages = 0;
};

/// Runs `file` through `pipeline` into `trk`. `cur` is updated before each tracker call so that
/// event sinks can see the frame. Returns the capture error if the file cannot be read (frames
/// before a cut-short record were processed).
std::expected<void, capture::capture_error> run_capture_file(const std::filesystem::path& file,
                                                              sctp::pipeline& pipeline,
                                                              tracker& trk, current_message& cur,
                                                              run_stats& stats,
                                                              const run_hooks& hooks = {});

/// The gNB / AMF endpoint labels of a message: the side using the NGAP port 38412 is the AMF.
void endpoint_labels(const sctp::user_message& m, std::string& gnb, std::string& amf);

/// The tracker's packet_meta of an SCTP user message, with the gNB / AMF labels of its
/// association computed once per association and kept for the run. The returned meta views
/// the cache's strings: valid while the cache lives.
class packet_meta_builder {
 public:
  packet_meta operator()(const sctp::user_message& m);

 private:
  std::unordered_map<std::uint32_t, std::pair<std::string, std::string>> labels_;
};

}  // namespace sec5g::analysis
