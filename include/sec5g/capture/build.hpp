#pragma once
/// Building link + IP headers around a layer-4 payload (synthesizer, packet rewriting).

#include <cstdint>
#include <expected>

#include "sec5g/capture/frame.hpp"
#include "sec5g/capture/ip.hpp"
#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::capture {

/// Link-layer fields for built frames.
struct link_spec {
  link_type link = link_type::ethernet;
  byte_array<6> src_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}; ///< Ethernet / SLL address
  byte_array<6> dst_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
  std::uint16_t vlan_id = 0; ///< Ethernet only: 0 = untagged, else one 802.1Q tag
};

/// IP header fields for built packets. src/dst versions must agree (both 4 or both 6).
struct ip_spec {
  ip_address src;
  ip_address dst;
  std::uint8_t protocol = 132; ///< SCTP
  std::uint8_t ttl = 64;
  std::uint16_t identification = 0; ///< IPv4 only
};

/// The 16-bit one's complement sum of `data` (big-endian 16-bit words, an odd last octet
/// padded with zero) added to `sum`. Sums of parts of even length add up to the sum of their
/// concatenation (a pseudo-header and the datagram it covers). Ref: RFC 1071.
std::uint16_t ones_complement_sum(bytes_view data, std::uint16_t sum = 0) noexcept;

/// RFC 1071 Internet checksum of `data` (one's complement of the one's complement sum).
std::uint16_t internet_checksum(bytes_view data) noexcept;

/// Appends an IPv4 (DF set, no options, correct checksum) or IPv6 header for a payload of
/// `payload_len` octets. Errors: length_too_large (payload over 65515 / 65535), bad_value
/// (address versions differ).
std::expected<void, decode_error> append_ip_header(byte_buffer& out, const ip_spec& ip,
                                                   std::size_t payload_len);

/// Appends the link header of `link.link` for an IP packet of version `ip_version` (4 or 6).
/// Supports ethernet (optional VLAN), linux_sll, linux_sll2, raw, ipv4, ipv6, null_bsd, loop.
std::expected<void, decode_error> append_link_header(byte_buffer& out, const link_spec& link,
                                                     std::uint8_t ip_version);

/// A whole frame: link header + IP header + `payload`.
std::expected<byte_buffer, decode_error> build_frame(const link_spec& link, const ip_spec& ip,
                                                     bytes_view payload);

/// Recomputes the IPv4 header checksum in place (`header` = the IHL*4 header octets).
void fix_ipv4_checksum(bytes_span header) noexcept;

} // namespace sec5g::capture
