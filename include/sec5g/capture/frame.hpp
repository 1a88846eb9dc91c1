#pragma once
/// Captured frames, link types and the error value of capture file I/O.

#include <cstdint>
#include <string>

#include "sec5g/core/bytes.hpp"

namespace sec5g::capture {

/// Link-layer header type of a capture, as the LINKTYPE_* numbers written in pcap/pcapng files
/// (https://www.tcpdump.org/linktypes.html). Values not listed here are carried through as their
/// number; the link decoder reports them as unsupported.
enum class link_type : std::uint16_t {
  null_bsd = 0,     ///< BSD loopback: 4-octet address family in the writer's byte order
  ethernet = 1,     ///< Ethernet II / 802.3, with 802.1Q / 802.1ad (QinQ) tags
  raw = 101,        ///< raw IPv4 or IPv6, version from the first nibble (DLT_RAW)
  loop = 108,       ///< OpenBSD loopback: 4-octet address family in network byte order
  linux_sll = 113,  ///< Linux cooked capture v1 (16-octet header)
  ipv4 = 228,       ///< raw IPv4 only
  ipv6 = 229,       ///< raw IPv6 only
  linux_sll2 = 276, ///< Linux cooked capture v2 (20-octet header)
};

/// Short name of a link type ("ethernet", "linux_sll2", ...), "unknown" for other values.
const char* to_string(link_type lt) noexcept;

/// True when the link decoder handles this link type.
bool is_supported(link_type lt) noexcept;

/// One captured packet. `data` views the reader's buffer and is valid only until the next call
/// to reader::next() (or until the owner of the bytes changes them); copy what you keep.
struct frame {
  std::uint64_t number = 0;       ///< 1-based, as Wireshark numbers frames
  std::int64_t timestamp_ns = 0;  ///< capture time, nanoseconds since the Unix epoch
  bytes_view data;                ///< the captured bytes (caplen of them)
  std::uint32_t original_len = 0; ///< the length on the wire (len >= caplen)
  link_type link = link_type::ethernet;

  /// The capture kept fewer bytes than were on the wire (snaplen).
  [[nodiscard]] bool truncated() const noexcept { return data.size() < original_len; }
};

/// A capture file I/O error (file missing, not a capture, cut short, write failure). The
/// message names the file and carries libpcap's text where there is one.
struct capture_error {
  enum class kind : std::uint8_t {
    open_failed,  ///< cannot open or not a pcap/pcapng file
    read_failed,  ///< an error while reading records (e.g. a truncated record)
    write_failed, ///< an error while writing
    unsupported,  ///< a valid file the reader cannot handle (e.g. mixed link types)
  };
  kind code = kind::open_failed;
  std::string message; ///< e.g. "x.txt: not a pcap or pcapng capture (unknown file format)"
};

} // namespace sec5g::capture
