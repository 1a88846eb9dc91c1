#pragma once
// The N2 transport of the synthesizer: one SCTP association per gNB (INIT handshake, DATA with
// PPID 60 carrying NGAP, SACKs bundled in front of DATA, SHUTDOWN at the end) inside IPv4 inside
// Ethernet, handed frame by frame to the sink. Chunks, packets and CRC32c come from sec5g::sctp.
// Ref: RFC 9260 (SCTP: 3 common header and chunks, 5.1 association setup, 6.2 SACK,
// 9.2 shutdown, Appendix A CRC32c), TS 38.412 7 (NGAP over SCTP, PPID 60, port 38412).

#include <cstdint>
#include <string_view>
#include <vector>

#include "sec5g/core/bytes.hpp"
#include "sec5g/synth/synth.hpp"

namespace sec5g::synth::detail {

/// NGAP SCTP payload protocol identifier. Ref: TS 38.412 7.
inline constexpr std::uint32_t ngap_ppid = 60;
inline constexpr std::uint16_t ngap_port = 38412;

/// One gNB <-> AMF association and its per-direction SCTP state.
struct association {
  std::uint32_t gnb_index = 0;
  byte_array<4> gnb_ip{};
  byte_array<4> amf_ip{};
  byte_array<6> gnb_mac{};
  byte_array<6> amf_mac{};
  std::uint16_t gnb_port = ngap_port;
  std::uint32_t gnb_tag = 0;  ///< initiate tag chosen by the gNB (put in AMF -> gNB packets)
  std::uint32_t amf_tag = 0;  ///< initiate tag chosen by the AMF (put in gNB -> AMF packets)
  std::uint32_t next_tsn[2]{};            ///< [0] gNB -> AMF, [1] AMF -> gNB
  std::uint32_t highest_received[2]{};    ///< last TSN sent in direction d (acked by the peer)
  bool ack_pending[2]{};                  ///< direction d has DATA the peer has not SACKed
  std::vector<std::uint16_t> ssn[2];      ///< next stream sequence number per stream
  std::uint16_t ip_id[2]{};
  std::uint16_t streams = 8;
};

/// Writes N2 packets to the sink; numbers frames; counts bytes.
class n2_writer {
 public:
  explicit n2_writer(sink& out) noexcept : out_(out) {}

  /// The four-packet association setup (INIT, INIT ACK, COOKIE ECHO, COOKIE ACK), the first
  /// packet at `t_ns`, the others 0.2 ms apart. Returns the time of the last packet.
  std::int64_t establish(association& a, std::int64_t t_ns, std::uint64_t cookie_seed);
  /// One NGAP PDU in one DATA chunk (B and E set) from gNB (uplink) or AMF. Returns the frame
  /// number. `stream` is the SCTP stream id.
  std::uint64_t send(association& a, bool uplink, std::uint16_t stream, bytes_view ngap,
                     std::int64_t t_ns, std::string_view comment = {});
  /// SHUTDOWN (from the gNB), SHUTDOWN ACK, SHUTDOWN COMPLETE.
  void shutdown(association& a, std::int64_t t_ns);

  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::int64_t last_time() const noexcept { return last_time_; }

 private:
  std::uint64_t emit(association& a, bool uplink, std::uint32_t vtag, std::int64_t t_ns,
                     std::string_view comment);
  void add_sack_if_pending(association& a, bool uplink);

  sink& out_;
  byte_buffer chunks_;  // SCTP chunks of the packet being built
  byte_buffer frame_;   // the whole frame
  std::uint64_t frames_ = 0;
  std::uint64_t bytes_ = 0;
  std::int64_t last_time_ = 0;
};

}  // namespace sec5g::synth::detail
