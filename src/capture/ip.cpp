#include "sec5g/capture/ip.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sec5g/capture/build.hpp"

namespace sec5g::capture {

namespace {

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86dd;
constexpr unsigned max_vlan_tags = 4;
constexpr unsigned max_mpls_labels = 8;
constexpr std::uint16_t ethertype_mpls = 0x8847;
constexpr std::uint16_t ethertype_mpls_multicast = 0x8848;
constexpr std::uint16_t ethertype_teb = 0x6558; // transparent Ethernet bridging

decode_error err(decode_errc c, std::size_t off, const char* field) noexcept {
  return decode_error{c, static_cast<std::uint32_t>(off), field};
}

std::uint32_t load_le32(const std::uint8_t* p) noexcept {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

// BSD address families: AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD),
// 30 (macOS), 10 (Linux, when a Linux host writes DLT_NULL).
std::uint16_t ethertype_of_family(std::uint32_t af) noexcept {
  if (af == 2) return ethertype_ipv4;
  if (af == 24 || af == 28 || af == 30 || af == 10) return ethertype_ipv6;
  return 0;
}

// Skips the MPLS label stack at d[off..] up to its bottom-of-stack entry; `et` becomes what
// the first nibble after it says (4: IPv4, 6: IPv6, else 0). Ref: RFC 3032 2.1.
std::expected<void, decode_error> skip_mpls(bytes_view d, std::size_t& off, std::uint16_t& et,
                                            std::uint8_t& labels) noexcept {
  while (true) {
    if (labels >= max_mpls_labels)
      return std::unexpected(err(decode_errc::nesting_too_deep, off, "mpls.labels"));
    if (d.size() < off + 4) return std::unexpected(err(decode_errc::truncated, off, "mpls.label"));
    const bool bottom = (d[off + 2] & 1u) != 0;
    off += 4;
    ++labels;
    if (bottom) break;
  }
  if (d.size() <= off) return std::unexpected(err(decode_errc::truncated, off, "mpls.payload"));
  switch (d[off] >> 4) {
  case 4: et = ethertype_ipv4; break;
  case 6: et = ethertype_ipv6; break;
  default: et = 0; break;
  }
  return {};
}

// The link payload of an inner Ethernet frame at d[off..]; errors shifted to offsets in d.
std::expected<link_payload, decode_error> inner_ethernet(bytes_view d, std::size_t off) noexcept {
  auto lp = decode_link(link_type::ethernet, d.subspan(std::min(off, d.size())));
  if (!lp) {
    decode_error e = lp.error();
    e.offset += static_cast<std::uint32_t>(off);
    return std::unexpected(e);
  }
  return lp;
}

// The link payload of an inner packet of ethertype `et` at d[off..] (Ethernet for 0x6558,
// MPLS, IPv4/IPv6 as they are); nullopt for another ethertype.
std::expected<std::optional<link_payload>, decode_error> inner_of(std::uint16_t et, bytes_view d,
                                                                  std::size_t off) noexcept {
  if (off > d.size())
    return std::unexpected(err(decode_errc::truncated, d.size(), "tunnel.header"));
  link_payload out;
  switch (et) {
  case ethertype_teb:
    if (auto lp = inner_ethernet(d, off); lp) return *lp;
    else return std::unexpected(lp.error());
  case ethertype_ipv4:
  case ethertype_ipv6:
    out.ethertype = et;
    out.payload = d.subspan(off);
    return out;
  case ethertype_mpls:
  case ethertype_mpls_multicast: {
    if (auto m = skip_mpls(d, off, out.ethertype, out.mpls_labels); !m)
      return std::unexpected(m.error());
    out.payload = d.subspan(off);
    return out;
  }
  default: return std::nullopt;
  }
}

// IP protocols decode_tunnel may open: IPv4/IPv6 in IP, UDP, GRE.
constexpr bool may_be_tunnel(std::uint8_t protocol) noexcept {
  return protocol == 4 || protocol == 41 || protocol == 17 || protocol == 47;
}

bool is_ext_header(std::uint8_t nh) noexcept {
  return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
}

// Walks IPv6 extension headers from `off` in data[0, end). Stops after a fragment header (the
// rest is fragment data) or at an upper-layer header. Ref: RFC 8200 4.1.
std::expected<void, decode_error> walk_ext(bytes_view data, std::size_t end, std::uint8_t& nh,
                                           std::size_t& off, unsigned& count, unsigned max_ext,
                                           ip_header* frag_out) noexcept {
  while (is_ext_header(nh)) {
    if (++count > max_ext)
      return std::unexpected(err(decode_errc::nesting_too_deep, off, "ipv6.ext_headers"));
    if (end < off + 8) return std::unexpected(err(decode_errc::truncated, off, "ipv6.ext_header"));
    const std::uint8_t next = data[off];
    std::size_t len = 0;
    if (nh == 44) {
      if (frag_out == nullptr) {
        // A fragment header inside a reassembled payload: nested fragmentation is invalid.
        return std::unexpected(err(decode_errc::bad_value, off, "ipv6.fragment_header"));
      }
      const std::uint16_t offm = load_be16(data.data() + off + 2);
      frag_out->is_fragment = true;
      frag_out->fragment_offset = offm & 0xfff8u;
      frag_out->more_fragments = (offm & 1u) != 0;
      frag_out->fragment_id = load_be32(data.data() + off + 4);
      nh = next;
      off += 8;
      return {};
    }
    if (nh == 51) {
      len = (std::size_t{data[off + 1]} + 2) * 4;
    } else {
      len = (std::size_t{data[off + 1]} + 1) * 8;
    }
    if (end < off + len)
      return std::unexpected(err(decode_errc::truncated, off, "ipv6.ext_header"));
    nh = next;
    off += len;
  }
  return {};
}

} // namespace

void slice_pieces(std::span<const byte_piece> pieces, std::uint32_t from, std::uint32_t len,
                  std::uint32_t at, std::vector<byte_piece>& out) {
  const std::uint64_t to = std::uint64_t{from} + len;
  for (const byte_piece& p : pieces) {
    const std::uint64_t b = std::max<std::uint64_t>(p.offset, from);
    const std::uint64_t e = std::min<std::uint64_t>(std::uint64_t{p.offset} + p.length, to);
    if (b >= e) continue;
    out.push_back(byte_piece{p.frame, static_cast<std::uint32_t>(p.frame_offset + (b - p.offset)),
                             static_cast<std::uint32_t>(at + (b - from)),
                             static_cast<std::uint32_t>(e - b)});
  }
}

ip_address ip_address::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) noexcept {
  ip_address r;
  r.version = 4;
  r.octets[0] = a;
  r.octets[1] = b;
  r.octets[2] = c;
  r.octets[3] = d;
  return r;
}

ip_address ip_address::from_bytes(bytes_view b) noexcept {
  ip_address r;
  if (b.size() == 4 || b.size() == 16) {
    r.version = b.size() == 4 ? 4 : 6;
    std::copy(b.begin(), b.end(), r.octets.begin());
  }
  return r;
}

std::optional<ip_address> ip_address::parse(const std::string& text) noexcept {
  ip_address r;
  if (inet_pton(AF_INET, text.c_str(), r.octets.data()) == 1) {
    r.version = 4;
    return r;
  }
  if (inet_pton(AF_INET6, text.c_str(), r.octets.data()) == 1) {
    r.version = 6;
    return r;
  }
  return std::nullopt;
}

std::string ip_address::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(version == 6 ? AF_INET6 : AF_INET, octets.data(), buf, sizeof buf) == nullptr) {
    return "?";
  }
  return buf;
}

std::expected<link_payload, decode_error> decode_link(link_type lt, bytes_view d) noexcept {
  link_payload out;
  std::size_t off = 0;
  std::uint16_t et = 0;
  bool may_have_vlan = false;
  switch (lt) {
  case link_type::ethernet:
    if (d.size() < 14) return std::unexpected(err(decode_errc::truncated, 0, "ethernet.header"));
    et = load_be16(d.data() + 12);
    off = 14;
    may_have_vlan = true;
    break;
  case link_type::linux_sll:
    // Ref: tcpdump.org LINKTYPE_LINUX_SLL: packet type, ARPHRD, addr len, addr[8], protocol.
    if (d.size() < 16) return std::unexpected(err(decode_errc::truncated, 0, "sll.header"));
    et = load_be16(d.data() + 14);
    off = 16;
    may_have_vlan = true;
    break;
  case link_type::linux_sll2:
    // Ref: tcpdump.org LINKTYPE_LINUX_SLL2: protocol, reserved, ifindex, ARPHRD, type, len,
    // addr[8].
    if (d.size() < 20) return std::unexpected(err(decode_errc::truncated, 0, "sll2.header"));
    et = load_be16(d.data());
    off = 20;
    may_have_vlan = true;
    break;
  case link_type::raw:
    if (d.empty()) return std::unexpected(err(decode_errc::truncated, 0, "raw.version"));
    switch (d[0] >> 4) {
    case 4: et = ethertype_ipv4; break;
    case 6: et = ethertype_ipv6; break;
    default: return std::unexpected(err(decode_errc::bad_value, 0, "raw.version"));
    }
    break;
  case link_type::ipv4: et = ethertype_ipv4; break;
  case link_type::ipv6: et = ethertype_ipv6; break;
  case link_type::null_bsd: {
    if (d.size() < 4) return std::unexpected(err(decode_errc::truncated, 0, "null.family"));
    // The family is in the writer's byte order: a small value in one of the two orders.
    std::uint32_t af = load_le32(d.data());
    if (af > 0xffff) af = load_be32(d.data());
    et = ethertype_of_family(af);
    off = 4;
    break;
  }
  case link_type::loop:
    if (d.size() < 4) return std::unexpected(err(decode_errc::truncated, 0, "loop.family"));
    et = ethertype_of_family(load_be32(d.data()));
    off = 4;
    break;
  default: return std::unexpected(err(decode_errc::unsupported, 0, "link.type"));
  }
  if (may_have_vlan) {
    // Ref: IEEE 802.1Q (0x8100), 802.1ad (0x88a8), and the legacy QinQ 0x9100.
    while (et == 0x8100 || et == 0x88a8 || et == 0x9100) {
      if (out.vlan_tags >= max_vlan_tags) {
        return std::unexpected(err(decode_errc::nesting_too_deep, off, "vlan.tags"));
      }
      if (d.size() < off + 4) return std::unexpected(err(decode_errc::truncated, off, "vlan.tag"));
      et = load_be16(d.data() + off + 2);
      off += 4;
      ++out.vlan_tags;
    }
    if (et == ethertype_mpls || et == ethertype_mpls_multicast) {
      if (auto m = skip_mpls(d, off, et, out.mpls_labels); !m) return std::unexpected(m.error());
    }
  }
  out.ethertype = et;
  out.payload = d.subspan(off);
  return out;
}

std::expected<std::optional<link_payload>, decode_error> decode_tunnel(std::uint8_t protocol,
                                                                       bytes_view d) noexcept {
  switch (protocol) {
  case 4: return inner_of(ethertype_ipv4, d, 0);
  case 41: return inner_of(ethertype_ipv6, d, 0);
  case 47: {
    // Ref: RFC 2784 2.1, RFC 2890 2 (key, sequence number).
    if (d.size() < 4) return std::unexpected(err(decode_errc::truncated, 0, "gre.header"));
    const std::uint16_t flags = load_be16(d.data());
    if ((flags & 7u) != 0) return std::nullopt; // version 1 (PPTP) or other: not opened
    // Routing present, strict source route, recursion control: a receiver that does not
    // implement RFC 1701 discards the packet (RFC 2784 2.3).
    if ((flags & 0x4f00u) != 0) return std::unexpected(err(decode_errc::bad_value, 0, "gre.flags"));
    const bool seq = (flags & 0x1000u) != 0;
    const std::size_t len = 4 + ((flags & 0x8000u) != 0 ? 4 : 0) +
                            ((flags & 0x2000u) != 0 ? 4 : 0) + (seq ? 4 : 0);
    if (d.size() < len) return std::unexpected(err(decode_errc::truncated, 0, "gre.header"));
    const std::uint16_t et = load_be16(d.data() + 2);
    if (et == 0x88be) // ERSPAN type II (8-octet header, with a sequence number) or type I (none)
      return inner_ethernet(d, len + (seq ? 8 : 0));
    if (et == 0x22eb) { // ERSPAN type III: 12 octets, and 8 more when the O flag is set
      if (d.size() < len + 12)
        return std::unexpected(err(decode_errc::truncated, len, "erspan.header"));
      return inner_ethernet(d, len + 12 + ((d[len + 11] & 1u) != 0 ? 8 : 0));
    }
    return inner_of(et, d, len);
  }
  case 17: {
    if (d.size() < 8) return std::nullopt; // a cut UDP header: not ours to judge
    const std::uint16_t src = load_be16(d.data());
    const std::uint16_t dst = load_be16(d.data() + 2);
    auto is_tunnel_port = [](std::uint16_t p) { return p == 4789 || p == 4790 || p == 6081; };
    const std::uint16_t port = is_tunnel_port(dst) ? dst : is_tunnel_port(src) ? src : 0;
    if (port == 0) return std::nullopt;
    const std::size_t udp_len = load_be16(d.data() + 4);
    if (udp_len < 16) return std::unexpected(err(decode_errc::bad_value, 4, "udp.length"));
    const bytes_view u = d.first(std::min(d.size(), udp_len));
    if (u.size() < 16) return std::unexpected(err(decode_errc::truncated, 8, "tunnel.header"));
    if (port == 4789) return inner_ethernet(u, 16); // VXLAN, RFC 7348 5
    if (port == 4790) {                             // VXLAN-GPE next protocol
      switch (u[8 + 3]) {
      case 1: return inner_of(ethertype_ipv4, u, 16);
      case 2: return inner_of(ethertype_ipv6, u, 16);
      case 3: return inner_ethernet(u, 16);
      case 5: return inner_of(ethertype_mpls, u, 16);
      default: return std::nullopt;
      }
    }
    // Geneve, RFC 8926 3.4: version 0, options length in 4-octet units, protocol type.
    if ((u[8] >> 6) != 0) return std::unexpected(err(decode_errc::bad_value, 8, "geneve.version"));
    const std::size_t len = 16 + std::size_t{u[8] & 0x3fu} * 4;
    if (u.size() < len) return std::unexpected(err(decode_errc::truncated, 16, "geneve.options"));
    return inner_of(load_be16(u.data() + 10), u, len);
  }
  default: return std::nullopt;
  }
}

std::optional<tunnel_checksum> tunnel_checksum_of(std::uint8_t protocol, const ip_address& src,
                                                  const ip_address& dst, bytes_view dg) noexcept {
  if (protocol == 17 && dg.size() >= 8) {
    const std::uint16_t udp_len = load_be16(dg.data() + 4);
    if (load_be16(dg.data() + 6) == 0 || udp_len < 8 || udp_len > dg.size()) return std::nullopt;
    // The pseudo-header: addresses, protocol, UDP length (RFC 768; RFC 8200 8.1).
    std::uint8_t tail[8] = {};
    store_be32(tail, udp_len);
    tail[7] = 17;
    std::uint16_t pseudo = ones_complement_sum(src.bytes());
    pseudo = ones_complement_sum(dst.bytes(), pseudo);
    pseudo = ones_complement_sum(bytes_view(tail), pseudo);
    return tunnel_checksum{tunnel_checksum::kind::udp, udp_len, pseudo};
  }
  if (protocol == 47 && dg.size() >= 8 && (load_be16(dg.data()) & 0x8000u) != 0)
    return tunnel_checksum{tunnel_checksum::kind::gre, static_cast<std::uint32_t>(dg.size()), 0};
  return std::nullopt;
}

namespace {

/// The one's complement sum of what `c` covers in `d`, its checksum field read as zero.
std::uint16_t covered_sum(const tunnel_checksum& c, bytes_view d) noexcept {
  const std::uint16_t sum = ones_complement_sum(d.first(c.field()), c.pseudo);
  return ones_complement_sum(d.subspan(c.field() + 2, c.length - c.field() - 2), sum);
}

/// `dg` holds the octets `c` covers (both headers take 8 octets).
bool covers(const tunnel_checksum& c, std::size_t dg_size) noexcept {
  return c.length >= 8 && c.length <= dg_size;
}

} // namespace

bool tunnel_checksum_ok(const tunnel_checksum& c, bytes_view dg) noexcept {
  if (!covers(c, dg.size())) return false;
  const std::uint16_t want = static_cast<std::uint16_t>(~covered_sum(c, dg) & 0xffffu);
  const std::uint16_t got = load_be16(dg.data() + c.field());
  // UDP sends a computed 0 as 0xffff (RFC 768): both are the same one's complement zero.
  return got == want || (c.type == tunnel_checksum::kind::udp && want == 0 && got == 0xffff);
}

void store_tunnel_checksum(const tunnel_checksum& c, bytes_span dg) noexcept {
  if (!covers(c, dg.size())) return;
  std::uint16_t v = static_cast<std::uint16_t>(~covered_sum(c, dg) & 0xffffu);
  if (c.type == tunnel_checksum::kind::udp && v == 0) v = 0xffff;
  store_be16(dg.data() + c.field(), v);
}

namespace {

// An IPv4 address's 16 octets (4 + 12 zero octets) written in one 16-octet store: the SCTP
// layer copies and compares them in 8- and 16-octet words right after, and a load spanning
// two narrower stores cannot be forwarded from them (it waits for them to reach the cache).
void store_v4_octets(ip_address& a, const std::uint8_t* p) noexcept {
#if defined(__SSE2__)
  std::int32_t w = 0;
  std::memcpy(&w, p, 4);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(a.octets.data()), _mm_cvtsi32_si128(w));
#else
  std::memcpy(a.octets.data(), p, 4);
  std::memset(a.octets.data() + 4, 0, 12);
#endif
}

// The IPv4 / IPv6 header of `d` into `h` (a fresh ip_header; its addresses into `src` and
// `dst`), or an error. ip_layer::feed decodes straight into the caller's packet: a header or
// packet built aside in narrow stores and copied out in 16-octet loads stalls on store
// forwarding (a third of the SCTP pipeline's time per frame).
std::optional<decode_error> parse_ipv4(bytes_view d, ip_header& h, ip_address& src,
                                       ip_address& dst) noexcept {
  // Ref: RFC 791 3.1.
  if (d.size() < 20) return err(decode_errc::truncated, 0, "ipv4.header");
  if ((d[0] >> 4) != 4) return err(decode_errc::bad_value, 0, "ipv4.version");
  const std::size_t ihl = std::size_t{d[0] & 0x0fu} * 4;
  if (ihl < 20) return err(decode_errc::bad_value, 0, "ipv4.ihl");
  if (d.size() < ihl) return err(decode_errc::truncated, 20, "ipv4.options");
  const std::size_t total = load_be16(d.data() + 2);
  if (total < ihl) return err(decode_errc::length_too_large, 2, "ipv4.total_length");
  h.fragment_id = load_be16(d.data() + 4);
  const std::uint16_t ff = load_be16(d.data() + 6);
  h.more_fragments = (ff & 0x2000u) != 0;
  h.fragment_offset = std::uint32_t{ff & 0x1fffu} * 8;
  h.is_fragment = h.more_fragments || h.fragment_offset != 0;
  h.ttl = d[8];
  h.protocol = d[9];
  src.version = 4;
  dst.version = 4;
  store_v4_octets(src, d.data() + 12);
  store_v4_octets(dst, d.data() + 16);
  h.checksum_ok = internet_checksum(d.first(ihl)) == 0;
  const std::size_t avail = std::min(d.size(), total);
  h.header_len = static_cast<std::uint32_t>(ihl);
  h.payload = d.subspan(ihl, avail - ihl);
  h.payload_len = static_cast<std::uint32_t>(total - ihl);
  return std::nullopt;
}

std::optional<decode_error> parse_ipv6(bytes_view d, unsigned max_ext_headers, ip_header& h,
                                       ip_address& src, ip_address& dst) noexcept {
  // Ref: RFC 8200 3, 4.
  if (d.size() < 40) return err(decode_errc::truncated, 0, "ipv6.header");
  if ((d[0] >> 4) != 6) return err(decode_errc::bad_value, 0, "ipv6.version");
  const std::size_t plen = load_be16(d.data() + 4);
  std::uint8_t nh = d[6];
  h.ttl = d[7];
  src.version = 6;
  dst.version = 6;
  std::memcpy(src.octets.data(), d.data() + 8, 16);
  std::memcpy(dst.octets.data(), d.data() + 24, 16);
  const std::size_t end = 40 + plen;
  const std::size_t avail = std::min(d.size(), end);
  std::size_t off = 40;
  unsigned count = 0;
  if (auto w = walk_ext(d, avail, nh, off, count, max_ext_headers, &h); !w) return w.error();
  h.protocol = nh;
  h.header_len = static_cast<std::uint32_t>(off);
  if (nh == 59) { // no next header
    h.payload = {};
    h.payload_len = 0;
    return std::nullopt;
  }
  h.payload = d.subspan(off, avail - off);
  h.payload_len = static_cast<std::uint32_t>(end - off);
  return std::nullopt;
}

} // namespace

std::expected<ip_header, decode_error> decode_ipv4(bytes_view d) noexcept {
  ip_header h;
  if (auto e = parse_ipv4(d, h, h.src, h.dst)) return std::unexpected(*e);
  return h;
}

std::expected<ip_header, decode_error> decode_ipv6(bytes_view d,
                                                   unsigned max_ext_headers) noexcept {
  ip_header h;
  if (auto e = parse_ipv6(d, max_ext_headers, h, h.src, h.dst)) return std::unexpected(*e);
  return h;
}

// ---------------------------------------------------------------------------------------------
// Fragment reassembly. Ref: RFC 791 3.2 (IPv4), RFC 8200 4.5 and RFC 5722 (IPv6 overlaps).

struct ip_layer::reassembler {
  struct key {
    ip_address src;
    ip_address dst;
    std::uint32_t id = 0;
    std::uint8_t protocol = 0;
    friend bool operator==(const key&, const key&) = default;
  };
  struct datagram {
    key k;
    std::int64_t first_ts = 0;
    byte_buffer data;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges; // sorted, disjoint [b, e)
    std::uint32_t total = 0;
    bool have_last = false;
    std::uint32_t fragments = 0;
    std::uint64_t min_frame = UINT64_MAX; // smallest frame number of its fragments
    std::vector<byte_piece> pieces;       // where its fragments were captured (recording only)
  };
  std::vector<datagram> pending; // oldest first; small (bounded by max_pending_datagrams)
  std::size_t held = 0;
  byte_buffer out;
  std::vector<byte_piece> out_pieces; // pieces of `out` (recording only)

  // Records where a fragment at `offset` of the datagram was captured.
  static void keep(datagram& dg, std::uint64_t frame, std::uint32_t offset,
                   std::span<const byte_piece> where) {
    dg.min_frame = std::min(dg.min_frame, frame);
    for (const byte_piece& p : where) {
      dg.pieces.push_back(byte_piece{p.frame, p.frame_offset, offset + p.offset, p.length});
      dg.min_frame = std::min(dg.min_frame, p.frame);
    }
  }

  void erase(std::size_t i) {
    held -= pending[i].data.size();
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
  }

  void expire(std::int64_t now, const ip_limits& lim, counters& st) {
    for (std::size_t i = 0; i < pending.size();) {
      if (now - pending[i].first_ts > lim.timeout_ns) {
        st.add(counter::ip_fragment_timeout);
        erase(i);
      } else {
        ++i;
      }
    }
  }

  // `frame` = the frame the fragment came in; `where` = where its octets were captured
  // (offsets within the fragment), recorded when `record`.
  std::optional<bytes_view> add(const key& k, std::uint32_t offset, bool more, bytes_view frag,
                                std::int64_t now, const ip_limits& lim, counters& st,
                                std::uint64_t frame, std::span<const byte_piece> where,
                                bool record) {
    if (!pending.empty()) expire(now, lim, st);
    const std::uint64_t end64 = std::uint64_t{offset} + frag.size();
    if (end64 > lim.max_datagram_len || (more && (frag.empty() || frag.size() % 8 != 0))) {
      st.add(counter::ip_fragment_bad);
      return std::nullopt;
    }
    const auto end = static_cast<std::uint32_t>(end64);
    std::size_t idx = pending.size();
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (pending[i].k == k) {
        idx = i;
        break;
      }
    }
    if (idx == pending.size()) {
      if (lim.max_pending_datagrams == 0) {
        st.add(counter::ip_fragment_overflow);
        return std::nullopt;
      }
      while (pending.size() >= lim.max_pending_datagrams) {
        st.add(counter::ip_fragment_overflow);
        erase(0);
      }
      pending.push_back(datagram{});
      idx = pending.size() - 1;
      pending[idx].k = k;
      pending[idx].first_ts = now;
    }
    datagram* dg = &pending[idx];
    // Consistency of the last fragment and the total length.
    bool bad = false;
    if (!more) {
      if (dg->have_last && dg->total != end) bad = true;
      if (!dg->ranges.empty() && dg->ranges.back().second > end) bad = true;
    } else if (dg->have_last && end > dg->total) {
      bad = true;
    }
    if (bad) {
      st.add(counter::ip_fragment_bad);
      erase(idx);
      return std::nullopt;
    }
    // Overlaps: identical bytes = duplicate (tolerated); different bytes = drop the datagram.
    bool covered = false;
    for (const auto& [b, e] : dg->ranges) {
      const std::uint32_t ob = std::max(b, offset);
      const std::uint32_t oe = std::min(e, end);
      if (ob >= oe) continue;
      if (std::memcmp(dg->data.data() + ob, frag.data() + (ob - offset), oe - ob) != 0) {
        st.add(counter::ip_fragment_overlap);
        erase(idx);
        return std::nullopt;
      }
      if (ob == offset && oe == end) covered = true;
    }
    if (covered) {
      st.add(counter::ip_fragment_duplicate);
      if (record && dg->pieces.size() < lim.max_fragments_per_datagram) {
        // The repeated copy is rewritten too, so that whichever copy a reader keeps agrees.
        keep(*dg, frame, offset, where);
      }
      return std::nullopt;
    }
    // Limits: fragments per datagram, bytes held overall.
    if (dg->fragments + 1 > lim.max_fragments_per_datagram) {
      st.add(counter::ip_fragment_overflow);
      erase(idx);
      return std::nullopt;
    }
    const std::size_t growth = end > dg->data.size() ? end - dg->data.size() : 0;
    while (held + growth > lim.max_pending_bytes && pending.size() > 1) {
      const std::size_t victim = idx == 0 ? 1 : 0; // the oldest other datagram
      st.add(counter::ip_fragment_overflow);
      erase(victim);
      if (victim < idx) --idx;
    }
    dg = &pending[idx];
    if (held + growth > lim.max_pending_bytes) {
      st.add(counter::ip_fragment_overflow);
      erase(idx);
      return std::nullopt;
    }
    if (growth > 0) {
      dg->data.resize(end);
      held += growth;
    }
    if (!frag.empty()) std::memcpy(dg->data.data() + offset, frag.data(), frag.size());
    ++dg->fragments;
    dg->min_frame = std::min(dg->min_frame, frame);
    if (record) keep(*dg, frame, offset, where);
    if (!more) {
      dg->have_last = true;
      dg->total = end;
    }
    // Insert and merge the range.
    auto& r = dg->ranges;
    auto it = std::lower_bound(r.begin(), r.end(), std::make_pair(offset, end));
    it = r.insert(it, {offset, end});
    std::vector<std::pair<std::uint32_t, std::uint32_t>> merged;
    for (const auto& p : r) {
      if (!merged.empty() && p.first <= merged.back().second) {
        merged.back().second = std::max(merged.back().second, p.second);
      } else {
        merged.push_back(p);
      }
    }
    r.swap(merged);
    if (dg->have_last && r.size() == 1 && r[0].first == 0 && r[0].second == dg->total) {
      held -= dg->data.size();
      out.swap(dg->data); // the datagram takes the previous output buffer and is dropped
      out.resize(dg->total);
      out_pieces.swap(dg->pieces);
      st.add(counter::ip_reassembled);
      pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(idx));
      return bytes_view(out);
    }
    return std::nullopt;
  }
};

ip_layer::ip_layer(counters& stats, ip_limits limits) noexcept
    : stats_(&stats), limits_(limits), reasm_(nullptr) {}
ip_layer::ip_layer(ip_layer&&) noexcept = default;
ip_layer& ip_layer::operator=(ip_layer&&) noexcept = default;
ip_layer::~ip_layer() = default;

std::size_t ip_layer::pending_datagrams() const noexcept {
  return reasm_ ? reasm_->pending.size() : 0;
}
std::size_t ip_layer::pending_bytes() const noexcept {
  return reasm_ ? reasm_->held : 0;
}

std::optional<std::uint64_t> ip_layer::oldest_pending_frame() const noexcept {
  if (!reasm_ || reasm_->pending.empty()) return std::nullopt;
  std::uint64_t m = UINT64_MAX;
  for (const auto& d : reasm_->pending)
    m = std::min(m, d.min_frame);
  return m;
}

std::optional<ip_packet> ip_layer::feed(const frame& f) noexcept {
  ip_packet pkt;
  if (!feed(f, pkt)) return std::nullopt;
  return pkt;
}

bool ip_layer::feed(const frame& f, ip_packet& pkt) noexcept {
  counters& st = *stats_;
  // The common frame, read directly: untagged Ethernet, an IPv4 header without options, not a
  // fragment, a protocol that is no tunnel, the whole datagram captured (the frame may hold
  // padding after it). The general path below gives the same result for it (fast_path).
  if (fast_ && !record_ && f.link == link_type::ethernet && f.data.size() >= 14 + 20) {
    const std::uint8_t* d = f.data.data();
    const std::size_t total = load_be16(d + 14 + 2);
    if (load_be16(d + 12) == ethertype_ipv4 && d[14] == 0x45 && total >= 20 &&
        total <= f.data.size() - 14 && (load_be16(d + 14 + 6) & 0x3fffu) == 0 &&
        !may_be_tunnel(d[14 + 9])) {
      // Ref: RFC 791 3.1 (as parse_ipv4).
      pkt.src.version = 4;
      pkt.dst.version = 4;
      store_v4_octets(pkt.src, d + 14 + 12);
      store_v4_octets(pkt.dst, d + 14 + 16);
      if (internet_checksum(bytes_view(d + 14, 20)) != 0) st.add(counter::ipv4_bad_checksum);
      pkt.protocol = d[14 + 9];
      pkt.payload = bytes_view(d + 14 + 20, total - 20);
      pkt.truncated = false;
      pkt.reassembled = false;
      pkt.ip_offset = 14;
      pkt.pieces = {};
      pkt.tunnel_checksums = {};
      st.add(counter::ip_packets);
      ++fast_frames_;
      return true;
    }
  }
  if (!is_supported(f.link)) {
    st.add(counter::link_unsupported);
    return false;
  }
  const auto lp = decode_link(f.link, f.data);
  if (!lp) {
    st.add(lp.error().code == decode_errc::truncated && f.truncated() ? counter::truncated_packets
                                                                      : counter::link_malformed);
    return false;
  }
  link_payload cur = *lp;
  pkt.tunnel_checksums = {};
  if (record_) checksums_.clear();
  // The octets `cur.payload` lies in: the frame's, or (in a tunnel) a reassembled datagram's,
  // whose pieces base_pieces_ holds when recording.
  bytes_view base = f.data;
  bool base_is_frame = true;
  for (unsigned depth = 0;; ++depth) {
    if (cur.ethertype != ethertype_ipv4 && cur.ethertype != ethertype_ipv6) {
      st.add(counter::link_non_ip);
      return false;
    }
    const bool v4 = cur.ethertype == ethertype_ipv4;
    ip_header h;
    if (const auto e = v4 ? parse_ipv4(cur.payload, h, pkt.src, pkt.dst)
                          : parse_ipv6(cur.payload, limits_.max_ext_headers, h, pkt.src, pkt.dst)) {
      const decode_errc c = e->code;
      counter which = counter::ipv4_bad_header;
      if (c == decode_errc::truncated && f.truncated()) {
        which = counter::truncated_packets;
      } else if (v4) {
        which = c == decode_errc::length_too_large ? counter::ipv4_bad_total_length
                                                   : counter::ipv4_bad_header;
      } else if (c == decode_errc::nesting_too_deep) {
        which = counter::ipv6_too_many_ext;
      } else if (e->offset >= 40) {
        which = counter::ipv6_bad_ext_header;
      } else {
        which = counter::ipv6_bad_header;
      }
      st.add(which);
      return false;
    }
    if (v4 && !h.checksum_ok) st.add(counter::ipv4_bad_checksum);
    // Recording: incomplete datagrams also age on frames that are not fragments, so that the
    // frames a writer holds back for them are released in capture time.
    if (depth == 0 && record_ && reasm_ && !reasm_->pending.empty())
      reasm_->expire(f.timestamp_ns, limits_, st);
    pkt.protocol = h.protocol;
    pkt.truncated = false;
    pkt.reassembled = false;
    pkt.pieces = {};
    pkt.ip_offset =
        base_is_frame ? static_cast<std::uint32_t>(cur.payload.data() - f.data.data()) : 0;
    const bool short_payload = h.payload.size() < h.payload_len;
    if (short_payload) {
      if (!f.truncated()) {
        st.add(v4 ? counter::ipv4_bad_total_length : counter::ipv6_bad_payload_length);
        return false;
      }
      st.add(counter::truncated_packets);
      pkt.truncated = true;
    }
    try {
      // Where the octets of `v` (within `base`) were captured, into `out` (recording only).
      auto where = [&](bytes_view v, std::vector<byte_piece>& out) {
        out.clear();
        const auto at = static_cast<std::uint32_t>(v.data() - base.data());
        if (base_is_frame) {
          if (!v.empty())
            out.push_back(byte_piece{f.number, at, 0, static_cast<std::uint32_t>(v.size())});
        } else {
          slice_pieces(base_pieces_, at, static_cast<std::uint32_t>(v.size()), 0, out);
        }
      };
      if (h.is_fragment) {
        st.add(counter::ip_fragments);
        if (pkt.truncated) return false; // a cut fragment cannot be reassembled
        if (!reasm_) reasm_ = std::make_unique<reassembler>();
        reassembler::key k{pkt.src, pkt.dst, h.fragment_id, h.protocol};
        if (record_) where(h.payload, frag_pieces_);
        auto done = reasm_->add(k, h.fragment_offset, h.more_fragments, h.payload,
                                f.timestamp_ns, limits_, st, f.number, frag_pieces_, record_);
        if (!done) return false;
        pkt.payload = *done;
        pkt.reassembled = true;
        pkt.ip_offset = 0;
        if (record_) pkt.pieces = reasm_->out_pieces;
        if (!v4) {
          // The fragmentable part may start with more extension headers (RFC 8200 4.5).
          std::uint8_t nh = h.protocol;
          std::size_t off = 0;
          unsigned count = 0;
          if (auto w = walk_ext(pkt.payload, pkt.payload.size(), nh, off, count,
                                limits_.max_ext_headers, nullptr);
              !w) {
            st.add(w.error().code == decode_errc::nesting_too_deep ? counter::ipv6_too_many_ext
                                                                   : counter::ipv6_bad_ext_header);
            return false;
          }
          pkt.protocol = nh;
          pkt.payload = nh == 59 ? bytes_view{} : pkt.payload.subspan(off);
          if (record_ && off > 0) {
            // Offsets of the pieces count from the upper-layer header.
            pieces_.clear();
            slice_pieces(reasm_->out_pieces, static_cast<std::uint32_t>(off),
                         static_cast<std::uint32_t>(pkt.payload.size()), 0, pieces_);
            pkt.pieces = pieces_;
          }
        }
      } else {
        pkt.payload = h.payload;
        if (record_) {
          where(h.payload, pieces_);
          pkt.pieces = pieces_;
        }
      }
    } catch (...) {
      st.add(counter::ip_fragment_overflow);
      return false;
    }
    if (pkt.protocol == 132 || !may_be_tunnel(pkt.protocol)) {
      st.add(counter::ip_packets);
      return true;
    }
    auto inner = decode_tunnel(pkt.protocol, pkt.payload);
    if (inner && !*inner) {
      st.add(counter::ip_packets);
      return true;
    }
    if (!inner || depth >= max_tunnel_depth) {
      st.add(!inner && inner.error().code == decode_errc::truncated && f.truncated()
                 ? counter::truncated_packets
                 : counter::tunnel_malformed);
      return false;
    }
    st.add(counter::tunnel_packets);
    // Recording: the tunnel's checksum over its datagram, with the pieces the datagram was
    // captured in (`decipher` recomputes it after a rewrite).
    if (record_ && !pkt.truncated) {
      if (auto c = tunnel_checksum_of(pkt.protocol, pkt.src, pkt.dst, pkt.payload)) {
        try {
          checksums_.push_back({*c, {}});
          slice_pieces(pkt.pieces, 0, c->length, 0, checksums_.back().pieces);
        } catch (...) {
          st.add(counter::ip_fragment_overflow);
          return false;
        }
        pkt.tunnel_checksums = checksums_;
      }
    }
    if (pkt.reassembled) {
      // The inner datagram lies in the reassembly buffer from here on.
      base = pkt.payload;
      base_is_frame = false;
      if (record_) {
        try {
          base_pieces_.assign(pkt.pieces.begin(), pkt.pieces.end());
        } catch (...) {
          st.add(counter::ip_fragment_overflow);
          return false;
        }
      }
    }
    cur = **inner;
  }
}

} // namespace sec5g::capture
