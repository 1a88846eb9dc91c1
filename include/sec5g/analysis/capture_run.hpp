#pragma once
/// Runs capture files through capture -> SCTP -> tracker: the shared driver of `sec5g audit`,
/// `sec5g decipher` and `sec5g decode --keys`. Per frame, the caller's hook sees the frame after
/// every NGAP message it completed went through the tracker (and so through the event sinks).

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sec5g/analysis/suci_prefetch.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/capture/frame.hpp"
#include "sec5g/sctp/pipeline.hpp"

namespace sec5g::analysis {

/// What the driver knows of the NGAP message being processed (valid during tracker callbacks).
struct current_message {
  const capture::frame* frame = nullptr;  ///< the frame carrying the message's last chunk
  const sctp::user_message* msg = nullptr;
  /// Offset of the NGAP payload within frame->data when the payload lies in the frame
  /// (unfragmented SCTP and IP), else -1. A reassembled message is located piece by piece
  /// through msg->layout when the pipeline records it (sctp::pipeline_config::record_layout).
  std::int64_t payload_offset = -1;
};

/// Hooks of a run.
struct run_hooks {
  /// Called once the capture is open, before its first frame, with its link type (e.g. to
  /// create an output of the same link type without opening the input twice). May throw; the
  /// exception leaves run_capture_file.
  std::function<void(capture::link_type)> on_open;
  /// Called for every frame after its messages were processed. The frame bytes are valid only
  /// during the call.
  std::function<void(const capture::frame&)> after_frame;
  /// Called, instead of the tracker, for a repeated DATA chunk the pipeline delivers flagged as
  /// a retransmission (sctp::pipeline_config::deliver_retransmissions): the tracker sees every
  /// message once. Without this hook such messages are dropped. `cur` is set during the call.
  std::function<void(const sctp::user_message&)> on_retransmission;
  /// Index of this file among the run's input files (packet_meta::file).
  std::uint32_t file_index = 0;
};

/// Counters of a run.
struct run_stats {
  std::uint64_t frames = 0;
  std::uint64_t ngap_messages = 0;
  /// run_capture_file_parallel: CPU time (ns) of the calling (tracker) thread during the runs,
  /// of the reader thread, and of the extra SUCI workers together. The largest of the first
  /// two is the run's critical path on otherwise idle cores.
  std::uint64_t tracker_cpu_ns = 0;
  std::uint64_t reader_cpu_ns = 0;
  std::uint64_t worker_cpu_ns = 0;
};

/// Runs `file` through `pipeline` into `trk`. `cur` is updated before each tracker call so that
/// event sinks can see the frame. Returns the capture error if the file cannot be read (frames
/// before a cut-short record were processed).
std::expected<void, capture::capture_error> run_capture_file(const std::filesystem::path& file,
                                                              sctp::pipeline& pipeline,
                                                              tracker& trk, current_message& cur,
                                                              run_stats& stats,
                                                              const run_hooks& hooks = {});

/// Options of run_capture_file_parallel.
struct parallel_options {
  /// Threads in all, the caller's included. With 2 or more, the caller's thread runs the
  /// tracker; one more thread reads the capture (pcap, IP, SCTP) ahead of it into a bounded
  /// queue and, when the queue is full, de-conceals the SUCIs it found ahead of the tracker
  /// (`prefetch`); threads - 2 more threads only de-conceal SUCIs. With 1 and `prefetch`, the
  /// caller's thread reads one batch, de-conceals the SUCIs found in it (eight per SIDF call:
  /// sidf::deconceal_batch), then tracks it; such a batch grows past `batch_messages` (up to
  /// 8192 messages or 1 MiB) until its SUCIs make whole groups of eight. With 1 and no
  /// `prefetch`, this is run_capture_file.
  unsigned threads = 2;
  /// The SUCI cache the tracker was given (tracker_options::suci_cache), or null.
  suci_prefetch* prefetch = nullptr;
  /// The home network keys the helper threads de-conceal with (needed with `prefetch`).
  const identity::hn_key_store* hn_keys = nullptr;
  /// NGAP messages per batch handed to the tracker (a batch also goes once it holds 1 MiB).
  std::size_t batch_messages = 256;
  std::size_t queue_batches = 32;    ///< batches read ahead at most (the memory bound)
  /// Batches read ahead at most once the tracker took its first one. The whole queue fills
  /// only while the tracker is being set up (with the SUCIs found in it de-concealed
  /// meanwhile); a shorter lead afterwards shortens the end of the run, when the tracker works
  /// through the batches read ahead alone (32 batches of 256: ~11 ms on the registration-storm
  /// capture, 8: ~1.5 ms).
  std::size_t steady_batches = 8;
  /// Index of this file among the run's input files (packet_meta::file).
  std::uint32_t file_index = 0;
};

/// As run_capture_file, with the reading and the SUCI de-concealment on other threads (see
/// parallel_options). The tracker sees the same messages in the same order with the same
/// metadata, and SUCI results equal the tracker's own, so its events (and every report built
/// from them) are identical to run_capture_file's whatever the thread timing. No per-frame
/// hook and no current_message: event sinks that need the frame use run_capture_file.
/// `pipeline` is used by the reader thread during the call.
std::expected<void, capture::capture_error> run_capture_file_parallel(
    const std::filesystem::path& file, sctp::pipeline& pipeline, tracker& trk, run_stats& stats,
    const parallel_options& opt);

/// As above, with the tracker given late: `tracker_of` is called once on the calling thread,
/// after the capture opened and the reader thread started, and before the first message goes
/// to the tracker it returns (also for a capture without messages). Work that the tracker needs
/// first, such as loading a large key file, then overlaps with the reading and the SUCI
/// de-concealment ahead. An exception from `tracker_of` stops the reader and propagates.
std::expected<void, capture::capture_error> run_capture_file_parallel(
    const std::filesystem::path& file, sctp::pipeline& pipeline,
    const std::function<tracker&()>& tracker_of, run_stats& stats, const parallel_options& opt);

/// The gNB / AMF endpoint labels of a message: the side using the NGAP port 38412 is the AMF.
void endpoint_labels(const sctp::user_message& m, std::string& gnb, std::string& amf);

/// The gNB / AMF labels of recently seen associations: a direct-mapped table of `slots`
/// entries indexed by association id (ids count up; a new id replaces the one in its slot), so
/// its memory is fixed however many associations a capture opens (a crafted capture with a
/// million associations must not grow it). Labels are recomputed from the message when an
/// association's entry has been replaced.
class endpoint_label_cache {
 public:
  static constexpr std::size_t slots = 4096;
  struct entry {
    std::uint64_t id_plus_1 = 0;  ///< association id + 1; 0: empty
    std::string gnb, amf;
  };
  endpoint_label_cache() : entries_(slots) {}
  /// The entry of `association`; `hit` false when it held another association (or none): the
  /// caller then fills gnb / amf (the id is already set).
  entry& find(std::uint32_t association, bool& hit) noexcept {
    entry& e = entries_[association & (slots - 1)];
    hit = e.id_plus_1 == std::uint64_t{association} + 1;
    e.id_plus_1 = std::uint64_t{association} + 1;
    return e;
  }

 private:
  std::vector<entry> entries_;
};

/// The tracker's packet_meta of an SCTP user message, with the gNB / AMF labels of its
/// association (endpoint_label_cache). The returned meta views the cache's strings: valid
/// until the next call.
class packet_meta_builder {
 public:
  packet_meta operator()(const sctp::user_message& m);

 private:
  endpoint_label_cache labels_;
};

}  // namespace sec5g::analysis
