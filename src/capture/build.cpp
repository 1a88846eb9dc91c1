#include "sec5g/capture/build.hpp"

#include <bit>
#include <cstring>

#include "sec5g/core/byte_writer.hpp"

namespace sec5g::capture {

namespace {
/// A 64-bit sum of 16-bit words folded to 16 bits with the end-around carries: four steps
/// reach any 64-bit value (64 -> 33 -> 32 -> 17 -> 16 bits).
std::uint16_t fold(std::uint64_t sum) noexcept {
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffu) + (sum >> 16);
  sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}
}  // namespace

std::uint16_t ones_complement_sum(bytes_view data, std::uint16_t initial) noexcept {
  // Ref: RFC 1071. The words are added as they lie in memory: the ones' complement sum of the
  // byte-swapped words is the byte-swapped sum (RFC 1071 2(B)), so on a little-endian machine
  // the initial value is swapped in and the folded sum swapped back. Eight octets per load,
  // added as two 32-bit halves (2^16 = 1 modulo 0xffff, so a 32-bit word's value is the sum
  // of its two 16-bit words); a 64-bit sum cannot overflow on any buffer that fits in memory
  // below 2^34 octets.
  constexpr bool little = std::endian::native == std::endian::little;
  const std::uint8_t* p = data.data();
  std::size_t n = data.size();
  std::uint64_t sum = little ? __builtin_bswap16(initial) : initial;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    sum += (w & 0xffffffffu) + (w >> 32);
  }
  if (n >= 4) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    sum += w;
    p += 4;
    n -= 4;
  }
  if (n >= 2) {
    std::uint16_t w;
    std::memcpy(&w, p, 2);
    sum += w;
    p += 2;
    n -= 2;
  }
  // A last odd octet is the high octet of a word padded with zero.
  if (n != 0) sum += little ? std::uint64_t{p[0]} : std::uint64_t{p[0]} << 8;
  const auto folded = fold(sum);
  return little ? __builtin_bswap16(folded) : folded;
}

std::uint16_t internet_checksum(bytes_view data) noexcept {
  if (data.size() == 20) {
    // An IPv4 header without options (every IPv4 packet of a capture is checked): the same
    // sum, unrolled; 0 and 0xffff are their own byte swaps, the checksum of a valid header.
    std::uint64_t a, b;
    std::uint32_t c;
    std::memcpy(&a, data.data(), 8);
    std::memcpy(&b, data.data() + 8, 8);
    std::memcpy(&c, data.data() + 16, 4);
    const std::uint16_t folded =
        fold((a & 0xffffffffu) + (a >> 32) + (b & 0xffffffffu) + (b >> 32) + c);
    const auto sum = std::endian::native == std::endian::little ? __builtin_bswap16(folded)
                                                                  : folded;
    return static_cast<std::uint16_t>(~sum & 0xffffu);
  }
  return static_cast<std::uint16_t>(~ones_complement_sum(data) & 0xffffu);
}

void fix_ipv4_checksum(bytes_span header) noexcept {
  if (header.size() < 20) return;
  header[10] = 0;
  header[11] = 0;
  store_be16(header.data() + 10, internet_checksum(header));
}

std::expected<void, decode_error> append_ip_header(byte_buffer& out, const ip_spec& ip,
                                                   std::size_t payload_len) {
  if (ip.src.version != ip.dst.version || (ip.src.version != 4 && ip.src.version != 6)) {
    return std::unexpected(decode_error{decode_errc::bad_value, 0, "ip.version"});
  }
  byte_writer w(out);
  if (ip.src.version == 4) {
    // Ref: RFC 791 3.1.
    if (payload_len > 65535 - 20) {
      return std::unexpected(decode_error{decode_errc::length_too_large, 2, "ipv4.total_length"});
    }
    const std::size_t at = out.size();
    w.u8(0x45);
    w.u8(0);
    w.u16(static_cast<std::uint16_t>(20 + payload_len));
    w.u16(ip.identification);
    w.u16(0x4000); // DF
    w.u8(ip.ttl);
    w.u8(ip.protocol);
    w.u16(0);
    w.bytes(ip.src.bytes());
    w.bytes(ip.dst.bytes());
    fix_ipv4_checksum(bytes_span(out.data() + at, 20));
  } else {
    // Ref: RFC 8200 3.
    if (payload_len > 65535) {
      return std::unexpected(decode_error{decode_errc::length_too_large, 4, "ipv6.payload_length"});
    }
    w.u32(0x60000000u);
    w.u16(static_cast<std::uint16_t>(payload_len));
    w.u8(ip.protocol);
    w.u8(ip.ttl);
    w.bytes(ip.src.bytes());
    w.bytes(ip.dst.bytes());
  }
  return {};
}

std::expected<void, decode_error> append_link_header(byte_buffer& out, const link_spec& link,
                                                     std::uint8_t ip_version) {
  const std::uint16_t et = ip_version == 6 ? 0x86dd : 0x0800;
  byte_writer w(out);
  switch (link.link) {
  case link_type::ethernet:
    w.bytes(link.dst_mac);
    w.bytes(link.src_mac);
    if (link.vlan_id != 0) {
      w.u16(0x8100);
      w.u16(static_cast<std::uint16_t>(link.vlan_id & 0x0fffu));
    }
    w.u16(et);
    return {};
  case link_type::linux_sll:
    w.u16(4); // sent by us
    w.u16(1); // ARPHRD_ETHER
    w.u16(6);
    w.bytes(link.src_mac);
    w.u16(0);
    w.u16(et);
    return {};
  case link_type::linux_sll2:
    w.u16(et);
    w.u16(0);
    w.u32(1); // interface index
    w.u16(1); // ARPHRD_ETHER
    w.u8(4);  // outgoing
    w.u8(6);
    w.bytes(link.src_mac);
    w.u16(0);
    return {};
  case link_type::raw: return {};
  case link_type::ipv4:
  case link_type::ipv6:
    if ((link.link == link_type::ipv4) != (ip_version == 4)) {
      return std::unexpected(decode_error{decode_errc::bad_value, 0, "link.type"});
    }
    return {};
  case link_type::null_bsd: {
    const std::uint32_t af = ip_version == 6 ? 24 : 2; // little-endian host order
    w.u8(static_cast<std::uint8_t>(af));
    w.u8(0);
    w.u8(0);
    w.u8(0);
    return {};
  }
  case link_type::loop: w.u32(ip_version == 6 ? 24 : 2); return {};
  }
  return std::unexpected(decode_error{decode_errc::unsupported, 0, "link.type"});
}

std::expected<byte_buffer, decode_error> build_frame(const link_spec& link, const ip_spec& ip,
                                                     bytes_view payload) {
  byte_buffer out;
  out.reserve(64 + payload.size());
  if (auto r = append_link_header(out, link, ip.src.version); !r) return std::unexpected(r.error());
  if (auto r = append_ip_header(out, ip, payload.size()); !r) return std::unexpected(r.error());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

} // namespace sec5g::capture
