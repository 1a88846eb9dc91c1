#pragma once
/// The capture -> IP -> SCTP pipeline: frames in, reassembled SCTP user messages out (NGAP by
/// default). Used by `sec5g decode`, `sec5g audit` and `sec5g decipher`.
/// Ref: RFC 9260 (SCTP), RFC 8260 (I-DATA), TS 38.412 7 (NGAP over SCTP: PPID 60, port 38412).

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sec5g/capture/counters.hpp"
#include "sec5g/capture/frame.hpp"
#include "sec5g/capture/ip.hpp"
#include "sec5g/sctp/chunk.hpp"

namespace sec5g::sctp {

/// Direction of a message within its association. Endpoint A is printed first in the
/// association name: the side that sent INIT when seen, else the side whose port is not the
/// configured NGAP port (the gNB), else the sender of the first packet. For NGAP, a_to_b is
/// normally gNB -> AMF (uplink).
enum class direction : std::uint8_t { a_to_b = 0, b_to_a = 1 };

/// An SCTP endpoint (address, port).
struct endpoint {
  capture::ip_address address;
  std::uint16_t port = 0;
  /// "10.0.0.1:38412", "[2001:db8::1]:38412".
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const endpoint&, const endpoint&) = default;
};

/// What the pipeline knows about an association.
struct association_info {
  std::uint32_t id = 0; ///< 1, 2, ... in order of creation; never reused in a run
  std::string name;     ///< "A-B", e.g. "10.0.0.2:9487-10.0.0.1:38412"
  endpoint a;           ///< first endpoint of the name
  endpoint b;
  bool initiator_known = false; ///< A is known to have sent INIT (or received INIT ACK)
  bool tag_a_known = false;     ///< verification tag of packets sent to A is known
  bool tag_b_known = false;
  std::uint32_t tag_a = 0;    ///< verification tag carried by packets sent to A
  std::uint32_t tag_b = 0;    ///< verification tag carried by packets sent to B
  bool shutting_down = false; ///< SHUTDOWN seen (SHUTDOWN ACK closes the association)
};

/// Settings and resource limits. Memory held is bounded by roughly
/// max_total_pending_bytes + max_associations * ~1 KiB + ip.max_pending_bytes.
struct pipeline_config {
  std::uint32_t ppid = ngap_ppid; ///< messages with this PPID are delivered
  std::uint16_t port = ngap_port; ///< ... and messages to or from this port
  bool deliver_all = false;       ///< deliver every user message whatever PPID/port
  bool deliver_retransmissions =
      false; ///< also deliver unfragmented DATA dropped as repeated TSNs (flagged)
  /// With deliver_retransmissions: repeated fragments (B/E bits not both set) too, each alone
  /// (user_message::fragment; its payload is that chunk's user data).
  bool deliver_retransmitted_fragments = false;
  bool verify_checksum = true;                       ///< compute CRC32c and count mismatches
  std::uint32_t max_message_len = 1u << 20;          ///< largest reassembled user message (octets)
  std::uint32_t max_pending_fragments = 256;         ///< fragments held per association
  std::uint32_t max_pending_bytes = 4u << 20;        ///< fragment octets held per association
  std::uint64_t max_total_pending_bytes = 64u << 20; ///< fragment octets held by all associations
  std::uint32_t max_total_pending_fragments = 65536; ///< fragments held by all associations
  std::uint32_t max_associations = 16384; ///< least recently used ones are evicted beyond
  capture::ip_limits ip;                  ///< IP fragment reassembly limits
  /// Fill user_message::layout (where every payload octet was captured) and track the frames
  /// held fragments came from (pipeline::oldest_pending_frame). Off by default: it costs a
  /// few small lists per delivered message. `sec5g decipher` turns it on to rewrite
  /// reassembled messages in place.
  bool record_layout = false;
  /// The common packets (SACK chunks and whole-message DATA chunks of a known association, its
  /// tag matching; in frames of untagged Ethernet and plain IPv4, capture::ip_layer::fast_path)
  /// through a shorter path with the same results. Off: every packet through the general path
  /// (the tests compare the two).
  bool fast_path = true;
};

/// Where the octets of one SCTP packet were captured (record_layout only).
struct packet_layout {
  std::vector<capture::byte_piece> pieces; ///< offsets within the SCTP packet
  std::uint32_t length = 0;                ///< captured octets of the packet
  bool truncated = false;                  ///< cut by the capture (its CRC32c cannot be checked)
  /// Checksums of the tunnels the packet came through (capture::ip_packet::tunnel_checksums),
  /// outermost first.
  std::vector<capture::recorded_checksum> tunnel_checksums;
};

/// One DATA / I-DATA chunk of a user message: its TSN and the payload octets it carried.
struct chunk_span {
  std::uint32_t tsn = 0;
  std::uint32_t offset = 0; ///< within user_message::payload
  std::uint32_t length = 0;
  friend bool operator==(const chunk_span&, const chunk_span&) = default;
};

/// Where the payload of a user message was captured (record_layout only).
struct message_layout {
  /// Offsets within user_message::payload. Together the pieces cover the payload; a piece
  /// comes from a frame's DATA chunk, or from an IP fragment of it.
  std::vector<capture::byte_piece> payload;
  /// The SCTP packets that carried the message's chunks, first chunk first, each once (to fix
  /// their CRC32c after a rewrite).
  std::vector<std::shared_ptr<const packet_layout>> packets;
  /// The chunks the message came in, in payload order (one for an unfragmented message).
  std::vector<chunk_span> chunks;
};

/// One SCTP user message. Every view is valid only during the callback that receives it.
struct user_message {
  std::uint32_t association_id = 0;
  std::string_view association; ///< the association name, "A-B"
  direction dir = direction::a_to_b;
  endpoint src; ///< sender
  endpoint dst; ///< receiver
  std::uint16_t stream_id = 0;
  std::uint32_t ppid = 0;
  std::uint32_t tsn = 0; ///< TSN of the (last) DATA / I-DATA chunk
  bytes_view payload; ///< the frame's bytes if unfragmented, else the pipeline's reassembly buffer
  bool reassembled = false;    ///< built from several DATA chunks
  bool ip_reassembled = false; ///< the last chunk came in a reassembled IP datagram
  bool retransmission = false; ///< a repeated TSN (only with deliver_retransmissions)
  bool fragment = false;       ///< a repeated fragment (deliver_retransmitted_fragments)
  bool unordered = false;
  bool i_data = false;
  std::uint64_t frame_number = 0; ///< frame of the last fragment (1-based)
  std::int64_t timestamp_ns = 0;  ///< its capture time
  std::uint16_t chunk_index =
      0; ///< index of the (last) chunk among the DATA/I-DATA chunks of its packet
  /// Where the payload octets were captured; only with pipeline_config::record_layout, else
  /// null. Valid during the callback only.
  const message_layout* layout = nullptr;
};

/// A non-owning reference to a callable `void(const user_message&)` (no allocation). The
/// callable must outlive the call it is passed to.
class message_sink {
public:
  template <class F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, message_sink> &&
           std::is_invocable_v<F&, const user_message&>) message_sink(F&& f)
  noexcept // NOLINT(google-explicit-constructor)
      : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* o, const user_message& m) {
          (*static_cast<std::remove_reference_t<F>*>(o))(m);
        }) {}
  void operator()(const user_message& m) const { call_(obj_, m); }

private:
  void* obj_;
  void (*call_)(void*, const user_message&);
};

/// The push pipeline: feed frames in capture order, receive user messages in a callback.
/// Per association and direction: TSN tracking drops retransmissions, fragmented messages
/// (B/E bits, DATA and I-DATA) are reassembled per stream; a bad CRC32c is counted and the
/// packet is still used; INIT / INIT ACK learn verification tags; ABORT, SHUTDOWN ACK and SHUTDOWN
/// COMPLETE close the association (they never create one). Malformed input is counted (stats()),
/// never fatal. Memory is bounded by pipeline_config whatever the input. Not thread-safe: one
/// pipeline per thread.
class pipeline {
public:
  explicit pipeline(pipeline_config cfg = {});
  pipeline(pipeline&&) noexcept;
  pipeline& operator=(pipeline&&) noexcept;
  ~pipeline();

  /// Decodes one frame (link, IP, SCTP) and calls `on_message` for each delivered message.
  /// Does not throw itself; an exception thrown by `on_message` propagates (the packet's
  /// remaining chunks are then skipped).
  void feed(const capture::frame& f, message_sink on_message);

  /// Feeds one SCTP packet directly (no link/IP layer): tests, fuzzing, other transports.
  /// `truncated` = the packet was cut by the capture (no checksum check, no anomaly for the cut).
  void feed_sctp(const capture::ip_address& src, const capture::ip_address& dst,
                 bytes_view sctp_packet, std::uint64_t frame_number, std::int64_t timestamp_ns,
                 message_sink on_message, bool truncated = false);

  /// Counters so far (frames, chunks, bad checksums, anomalies by kind, ...).
  [[nodiscard]] const capture::counters& stats() const noexcept;
  [[nodiscard]] const pipeline_config& config() const noexcept;

  /// Live associations, and the fragment octets / fragments they hold (for memory checks).
  [[nodiscard]] std::size_t association_count() const noexcept;
  /// SCTP packets the shorter path of pipeline_config::fast_path took (for tests and profiles).
  [[nodiscard]] std::uint64_t fast_packets() const noexcept;
  [[nodiscard]] std::size_t pending_fragments() const noexcept;
  [[nodiscard]] std::size_t pending_bytes() const noexcept;
  /// Incomplete IP datagrams held (and their octets).
  [[nodiscard]] std::size_t pending_ip_bytes() const noexcept;
  /// With record_layout: the smallest frame number that held state (SCTP fragments waiting for
  /// the rest of their message, IP fragments waiting for their datagram) has octets from, or
  /// nullopt when nothing is held. Frames from this one on may still be part of a message that
  /// is not delivered yet; earlier frames are not. Without record_layout only IP fragments
  /// count.
  [[nodiscard]] std::optional<std::uint64_t> oldest_pending_frame() const noexcept;
  /// A snapshot of the live associations, by id.
  [[nodiscard]] std::vector<association_info> associations() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Reads every frame of `file` into `p`. Returns the error of the reader if the file cannot be
/// opened or a record is cut short (messages of the frames before were delivered).
std::expected<void, capture::capture_error> run_file(const std::filesystem::path& file, pipeline& p,
                                                     message_sink on_message);

} // namespace sec5g::sctp
