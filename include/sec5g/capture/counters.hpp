#pragma once
/// Named counters of the capture -> IP -> SCTP pipeline: statistics, capture truncation, and
/// protocol anomalies ("malformed counts by kind" in the `sec5g decode` summary).

#include <array>
#include <cstdint>
#include <string_view>

namespace sec5g::capture {

/// Every counter of the capture pipeline. The printable name of each is given by name().
enum class counter : std::uint8_t {
  // statistics
  frames,               ///< "frames": frames read
  bytes,                ///< "bytes": captured octets
  link_non_ip,          ///< "link.non_ip": frames that carry neither IPv4 nor IPv6 (ARP, LLC, ...)
  link_unsupported,     ///< "link.unsupported_type": frames of a link type we do not decode
  ip_packets,           ///< "ip.packets": IP datagrams handed to layer 4 (after reassembly)
  ip_fragments,         ///< "ip.fragments": IPv4/IPv6 fragments received
  ip_reassembled,       ///< "ip.reassembled": datagrams completed from fragments
  ip_not_sctp,          ///< "ip.not_sctp": datagrams of another protocol (TCP, UDP, ...)
  tunnel_packets, ///< "tunnel.packets": datagrams taken out of a tunnel (IP in IP, GRE, ERSPAN,
                  ///< VXLAN, VXLAN-GPE, Geneve; each level counts)
  sctp_packets,         ///< "sctp.packets"
  sctp_chunks,          ///< "sctp.chunks": every chunk walked
  sctp_data_chunks,     ///< "sctp.data_chunks": DATA and I-DATA chunks
  sctp_fragments,       ///< "sctp.fragments": DATA chunks carrying part of a user message
  sctp_reassembled,     ///< "sctp.reassembled": user messages completed from fragments
  sctp_retransmissions, ///< "sctp.retransmissions": DATA chunks dropped as a repeated TSN
  sctp_messages,        ///< "sctp.messages": user messages delivered (selected PPID/port)
  sctp_other_messages, ///< "sctp.other_messages": user messages of another PPID/port, not delivered
  sctp_associations,   ///< "sctp.associations": associations created
  sctp_closed,         ///< "sctp.associations_closed": by ABORT, SHUTDOWN ACK or SHUTDOWN COMPLETE
  sctp_aborts,         ///< "sctp.aborts": ABORT chunks seen
  sctp_evicted,        ///< "sctp.associations_evicted": dropped to honour max_associations
  // capture truncation (caplen < len): not a protocol anomaly
  truncated_frames,  ///< "capture.truncated_frames": frames with caplen < len
  truncated_packets, ///< "capture.truncated_packets": a layer lost bytes to caplen < len
  // protocol anomalies (malformed by kind)
  link_malformed,  ///< "link.malformed": link header longer than the frame, too many VLAN tags
  ipv4_bad_header, ///< "ipv4.bad_header": version/IHL wrong or header past the packet
  ipv4_bad_total_length,   ///< "ipv4.bad_total_length": total length beyond the bytes or below IHL
  ipv4_bad_checksum,       ///< "ipv4.bad_checksum": header checksum wrong (counted, not fatal)
  ipv6_bad_header,         ///< "ipv6.bad_header": version wrong or header past the packet
  ipv6_bad_payload_length, ///< "ipv6.bad_payload_length"
  ipv6_bad_ext_header,     ///< "ipv6.bad_ext_header": an extension header runs past the packet
  ipv6_too_many_ext,       ///< "ipv6.too_many_ext_headers": more than the chain limit
  ip_fragment_bad,         ///< "ip.fragment_bad": offset/length invalid (past 65535, not 8-aligned)
  ip_fragment_overlap,     ///< "ip.fragment_overlap": overlapping fragments with different bytes
  ip_fragment_duplicate,   ///< "ip.fragment_duplicate": a fragment repeated with the same bytes
  ip_fragment_timeout,     ///< "ip.fragment_timeout": incomplete datagram expired (capture time)
  ip_fragment_overflow,    ///< "ip.fragment_overflow": datagram dropped to honour the limits
  tunnel_malformed, ///< "tunnel.malformed": a GRE/ERSPAN/VXLAN/Geneve header cut or invalid,
                    ///< or tunnels nested deeper than 4
  sctp_truncated,          ///< "sctp.truncated": shorter than the 12-octet common header
  sctp_bad_checksum,       ///< "sctp.bad_checksum": CRC32c mismatch (counted, packet still used)
  sctp_bad_chunk_length,   ///< "sctp.bad_chunk_length": chunk length < 4 or past the packet
  sctp_bad_data_chunk,     ///< "sctp.bad_data_chunk": DATA/I-DATA too short or with no user data
  sctp_bad_init,           ///< "sctp.bad_init": INIT/INIT ACK too short or with a zero tag
  sctp_vtag_mismatch,      ///< "sctp.vtag_mismatch": verification tag differs from the learned one
  sctp_tsn_jump,           ///< "sctp.tsn_jump": TSN far outside the tracking window (resynced)
  sctp_fragment_error,     ///< "sctp.fragment_error": fragments that cannot form a message
  sctp_message_too_large,  ///< "sctp.message_too_large": reassembled message over the maximum
  sctp_reassembly_overflow, ///< "sctp.reassembly_overflow": pending fragments dropped (limits)
  count_
};

/// Number of counters.
inline constexpr std::size_t counter_count = static_cast<std::size_t>(counter::count_);

/// What a counter measures.
enum class counter_kind : std::uint8_t { statistic, truncation, anomaly };

/// Printable dotted name of a counter, e.g. "sctp.bad_checksum".
std::string_view name(counter c) noexcept;
/// Kind of a counter.
counter_kind kind_of(counter c) noexcept;

/// The counters of one pipeline run. Plain values; copyable.
struct counters {
  std::array<std::uint64_t, counter_count> values{};

  void add(counter c, std::uint64_t n = 1) noexcept { values[static_cast<std::size_t>(c)] += n; }
  [[nodiscard]] std::uint64_t operator[](counter c) const noexcept {
    return values[static_cast<std::size_t>(c)];
  }
  /// Sum of all anomaly counters.
  [[nodiscard]] std::uint64_t anomalies() const noexcept;
  /// Calls fn(counter, name, kind, value) for every counter, in enum order (deterministic);
  /// with `non_zero_only`, skips the zero ones.
  template <class Fn> void for_each(Fn&& fn, bool non_zero_only = false) const {
    for (std::size_t i = 0; i < counter_count; ++i) {
      const auto c = static_cast<counter>(i);
      if (non_zero_only && values[i] == 0) continue;
      fn(c, name(c), kind_of(c), values[i]);
    }
  }
  counters& operator+=(const counters& o) noexcept {
    for (std::size_t i = 0; i < counter_count; ++i)
      values[i] += o.values[i];
    return *this;
  }
};

} // namespace sec5g::capture
