#pragma once
/// Link-layer and IP decoding: Ethernet (802.1Q/QinQ, MPLS), Linux SLL/SLL2, raw IP, BSD
/// loopback; IPv4 with fragment reassembly; IPv6 with extension headers and fragment
/// reassembly; tunnels (IP in IP, GRE, ERSPAN I-III, VXLAN, VXLAN-GPE, Geneve) opened.

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sec5g/capture/counters.hpp"
#include "sec5g/capture/frame.hpp"
#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::capture {

/// An IPv4 or IPv6 address. IPv4 uses the first 4 octets of `octets`, the rest are zero.
/// The octets come first and 8-aligned: the SCTP layer hashes and compares them as two 64-bit
/// words on every packet, and with the version first those loads straddled the stores of the
/// copy that built them (a store-forwarding stall on each of them).
struct alignas(8) ip_address {
  std::array<std::uint8_t, 16> octets{};
  std::uint8_t version = 4; ///< 4 or 6

  /// An IPv4 address from 4 octets.
  static ip_address v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) noexcept;
  /// An IPv4 or IPv6 address from 4 or 16 octets (other sizes give 0.0.0.0).
  static ip_address from_bytes(bytes_view b) noexcept;
  /// Parses dotted IPv4 or textual IPv6 (inet_pton); nullopt if neither.
  static std::optional<ip_address> parse(const std::string& text) noexcept;
  /// 4 or 16 octets of the address.
  [[nodiscard]] bytes_view bytes() const noexcept {
    return bytes_view(octets.data(), version == 6 ? 16 : 4);
  }
  /// "10.0.0.1" or "2001:db8::1" (RFC 5952 form, no brackets).
  [[nodiscard]] std::string to_string() const;
  /// Same version and octets. (Written out: the defaulted forms called memcmp per compare.)
  friend bool operator==(const ip_address& x, const ip_address& y) noexcept {
    std::uint64_t a[2], b[2];
    std::memcpy(a, x.octets.data(), 16);
    std::memcpy(b, y.octets.data(), 16);
    return x.version == y.version && ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }
  /// By version, then the octets in lexicographic order (what the defaulted <=> gives).
  friend std::strong_ordering operator<=>(const ip_address& x, const ip_address& y) noexcept {
    if (x.version != y.version) return x.version <=> y.version;
    for (std::size_t half = 0; half < 16; half += 8) {
      const std::uint64_t a = load_be64(x.octets.data() + half);
      const std::uint64_t b = load_be64(y.octets.data() + half);
      if (a != b) return a <=> b;
    }
    return std::strong_ordering::equal;
  }
};

/// What the link layer carries.
struct link_payload {
  std::uint16_t ethertype = 0; ///< 0x0800 IPv4, 0x86dd IPv6, other values = not IP
  bytes_view payload;          ///< the bytes after the link header (and VLAN tags)
  std::uint8_t vlan_tags = 0;  ///< number of 802.1Q/802.1ad tags skipped
  std::uint8_t mpls_labels = 0; ///< number of MPLS label stack entries skipped
};

/// Decodes the link header of `data` for link type `lt`. Raw-IP types give ethertype from the
/// version nibble. After an Ethernet/SLL header, VLAN tags and an MPLS label stack (ethertype
/// 0x8847/0x8848; RFC 3032) are skipped; what follows the stack is IPv4 or IPv6 by its first
/// nibble (4 or 6; anything else gives ethertype 0, not IP), as Wireshark guesses it.
/// Errors: truncated (header longer than data), nesting_too_deep (more than 4 VLAN tags or 8
/// MPLS labels), unsupported (link type). Ref: tcpdump.org linktypes.
std::expected<link_payload, decode_error> decode_link(link_type lt, bytes_view data) noexcept;

/// Opens a tunnel. `protocol` is the IP protocol of `payload` (the payload of one IP
/// datagram): 4 and 41 (IPv4/IPv6 in IP), 47 (GRE version 0, RFC 2784/2890, carrying IPv4,
/// IPv6, MPLS, Ethernet (0x6558), or ERSPAN type I/II (0x88be) or III (0x22eb)), 17 (UDP to
/// or from port 4789: VXLAN, RFC 7348; 4790: VXLAN-GPE; 6081: Geneve, RFC 8926). An inner
/// Ethernet frame is decoded by decode_link (VLAN tags, MPLS). Returns the inner link payload;
/// nullopt when the datagram is not a tunnel opened here (another UDP port, GRE version 1,
/// an unknown inner protocol); an error (offset within `payload`) when a tunnel header is cut
/// or invalid (GRE routing or reserved bits, a Geneve version other than 0).
std::expected<std::optional<link_payload>, decode_error> decode_tunnel(std::uint8_t protocol,
                                                                       bytes_view payload) noexcept;

/// Tunnels nested deeper than this in one frame are dropped (counted as tunnel.malformed).
inline constexpr unsigned max_tunnel_depth = 4;

/// A checksum in a tunnel header that covers the tunnelled packet, so that rewriting the
/// packet invalidates it: the UDP checksum of VXLAN, VXLAN-GPE and Geneve when the sender set
/// one (non-zero; RFC 768, RFC 8200 8.1, RFC 6935), and the GRE checksum (C bit; RFC 2784 2.5).
/// Offsets count from the start of the tunnel datagram (the UDP / GRE header).
struct tunnel_checksum {
  enum class kind : std::uint8_t { udp, gre };
  kind type = kind::udp;
  std::uint32_t length = 0; ///< octets covered: the UDP length / the GRE datagram
  std::uint16_t pseudo = 0; ///< UDP: the one's complement sum of the IP pseudo-header
  /// Offset of the checksum field (2 octets).
  [[nodiscard]] std::uint32_t field() const noexcept { return type == kind::udp ? 6 : 4; }
};

/// The checksum over the tunnel datagram `dg` (the whole IP payload, from the UDP / GRE header;
/// a datagram decode_tunnel opens) sent from `src` to `dst` with IP protocol `protocol`, if it
/// carries one; nullopt otherwise, and for a UDP length that does not fit the datagram. (The
/// pseudo-header uses the addresses of the IP header: an IPv6 routing header's final
/// destination is not looked for.)
std::optional<tunnel_checksum> tunnel_checksum_of(std::uint8_t protocol, const ip_address& src,
                                                  const ip_address& dst, bytes_view dg) noexcept;

/// Whether the checksum `c` verifies over the tunnel datagram `dg`. False when `dg` is shorter
/// than `c.length`.
[[nodiscard]] bool tunnel_checksum_ok(const tunnel_checksum& c, bytes_view dg) noexcept;

/// Recomputes the checksum `c` in place over the octets `dg` holds now (a UDP checksum that
/// comes out 0 is sent as 0xffff). Inner checksums first: an outer one covers them.
void store_tunnel_checksum(const tunnel_checksum& c, bytes_span dg) noexcept;

/// A decoded IP header (IPv4, or IPv6 after its extension headers).
struct ip_header {
  ip_address src;
  ip_address dst;
  std::uint8_t protocol = 0;     ///< IPv4 protocol / IPv6 upper-layer next header (132 = SCTP)
  std::uint8_t ttl = 0;          ///< TTL / hop limit
  bytes_view payload;            ///< upper-layer bytes (of this fragment), clipped to caplen
  std::uint32_t payload_len = 0; ///< upper-layer length claimed by the header (may exceed
                                 ///< payload.size() when captured short)
  std::uint32_t header_len = 0;  ///< octets from the IP header start to the payload
  bool is_fragment = false;      ///< MF set or offset != 0 (IPv4), or a fragment header (IPv6)
  bool more_fragments = false;
  std::uint32_t fragment_offset = 0; ///< octets
  std::uint32_t fragment_id = 0;     ///< IPv4 identification or IPv6 fragment id
  bool checksum_ok = true;           ///< IPv4 header checksum (always true for IPv6)
};

/// Decodes an IPv4 header. `data` may extend past the datagram (link padding) and may be cut
/// short by capture truncation: then payload is clipped and payload_len tells the claimed size.
/// Errors: truncated (header cut), bad_value (version/IHL), length_too_large (total length
/// below the header length). Ref: RFC 791 3.1.
std::expected<ip_header, decode_error> decode_ipv4(bytes_view data) noexcept;

/// Decodes an IPv6 header and walks hop-by-hop (0), routing (43), fragment (44), destination
/// options (60) and AH (51) headers, at most `max_ext_headers`. protocol = the first other next
/// header (59 = no next header gives an empty payload). Ref: RFC 8200 4.
std::expected<ip_header, decode_error> decode_ipv6(bytes_view data,
                                                   unsigned max_ext_headers = 8) noexcept;

/// Resource limits of the IP layer. Memory held is at most about max_pending_bytes.
struct ip_limits {
  std::uint32_t max_pending_datagrams = 256;  ///< incomplete datagrams kept at once
  std::uint32_t max_pending_bytes = 4u << 20; ///< payload octets held by all of them
  std::uint32_t max_fragments_per_datagram = 128;
  std::uint32_t max_datagram_len = 65535;   ///< upper-layer length of a reassembled datagram
  std::int64_t timeout_ns = 30'000'000'000; ///< capture-time lifetime of an incomplete datagram
  unsigned max_ext_headers = 8;
};

/// Where a run of bytes of a reassembled unit (IP datagram payload, SCTP packet, SCTP user
/// message) was captured: the `length` octets at `offset` in the unit lie in frame `frame` at
/// `frame_offset`. The pieces of a unit may come in any order and may overlap (a repeated
/// fragment carries the same bytes twice); together they cover the unit.
struct byte_piece {
  std::uint64_t frame = 0;        ///< frame number (1-based)
  std::uint32_t frame_offset = 0; ///< of the first octet in the frame's captured bytes
  std::uint32_t offset = 0;       ///< of the first octet in the unit
  std::uint32_t length = 0;
};

/// Appends to `out` the pieces of bytes [from, from + len) of a unit described by `pieces`,
/// renumbered so that octet `from` of the unit is octet `at` of the new unit.
void slice_pieces(std::span<const byte_piece> pieces, std::uint32_t from, std::uint32_t len,
                  std::uint32_t at, std::vector<byte_piece>& out);

/// A tunnel checksum and where the octets of its datagram were captured (one piece when the
/// datagram lies in one frame, more when it came in IP fragments).
struct recorded_checksum {
  tunnel_checksum sum;
  std::vector<byte_piece> pieces; ///< of the datagram's first `sum.length` octets
};

/// A datagram ready for layer 4. `payload` views the frame or the layer's reassembly buffer;
/// it is valid until the next call to ip_layer::feed.
struct ip_packet {
  ip_address src;
  ip_address dst;
  std::uint8_t protocol = 0;
  bytes_view payload;          ///< captured upper-layer bytes
  bool truncated = false;      ///< fewer bytes captured than the header claims (caplen < len)
  bool reassembled = false;    ///< built from fragments
  std::uint32_t ip_offset = 0; ///< offset of the (innermost) IP header in the frame (0 when
                               ///< it is not in the frame: reassembled, or in a reassembled tunnel)
  /// Where the payload octets were captured (offsets within `payload`); filled only when the
  /// layer records pieces (ip_layer::record_pieces), else empty. Valid as `payload`.
  std::span<const byte_piece> pieces;
  /// Recording only: the checksums of the tunnels it came through (tunnel_checksum), outermost
  /// first, with where their datagrams were captured. Valid as `payload`.
  std::span<const recorded_checksum> tunnel_checksums;
};

/// Link + IP layer with fragment reassembly (IPv4 and IPv6). Counts into a caller's counters.
/// Memory is bounded by ip_limits whatever the input.
class ip_layer {
public:
  explicit ip_layer(counters& stats, ip_limits limits = {}) noexcept;
  ip_layer(ip_layer&&) noexcept;
  ip_layer& operator=(ip_layer&&) noexcept;
  ~ip_layer();

  /// Decodes one frame (the counters "frames"/"bytes" are not touched: the caller counts
  /// frames). Returns the datagram if the frame completes one, else nullopt (non-IP, malformed,
  /// fragment pending; the reason is counted). Tunnels are opened (decode_tunnel), up to
  /// max_tunnel_depth levels, each level's IP fragments reassembled: the datagram returned is
  /// the innermost one.
  std::optional<ip_packet> feed(const frame& f) noexcept;
  /// As feed(f), into `out` (all of it rewritten when true is returned; unspecified when
  /// false): the per-frame path of the SCTP pipeline, with no copy of the packet.
  bool feed(const frame& f, ip_packet& out) noexcept;

  /// Incomplete datagrams currently held, and their payload octets.
  [[nodiscard]] std::size_t pending_datagrams() const noexcept;
  [[nodiscard]] std::size_t pending_bytes() const noexcept;

  /// With `on`, every datagram returned by feed() tells where its payload octets were captured
  /// (ip_packet::pieces; costs one small list per fragment), and incomplete datagrams also
  /// expire on frames that are not fragments. Off by default. Used to rewrite reassembled
  /// messages in place (`sec5g decipher`).
  void record_pieces(bool on) noexcept { record_ = on; }
  /// With `on` (the default), the common frame (untagged Ethernet, IPv4 without options, not a
  /// fragment, no tunnel protocol, the whole datagram captured) is read by a shorter path with
  /// the same result; off, every frame takes the general path (the tests compare the two).
  void fast_path(bool on) noexcept { fast_ = on; }
  /// Frames the shorter path took (for tests and profiles).
  [[nodiscard]] std::uint64_t fast_frames() const noexcept { return fast_frames_; }
  /// The smallest frame number an incomplete datagram holds a fragment of, or nullopt when none
  /// is held.
  [[nodiscard]] std::optional<std::uint64_t> oldest_pending_frame() const noexcept;

private:
  struct reassembler;
  counters* stats_;
  ip_limits limits_;
  std::unique_ptr<reassembler> reasm_;
  bool record_ = false;
  bool fast_ = true;
  std::uint64_t fast_frames_ = 0;
  // Recording only: the pieces of the datagram returned, of the reassembled datagram a tunnel
  // came in, and of one fragment.
  std::vector<byte_piece> pieces_;
  std::vector<byte_piece> base_pieces_;
  std::vector<byte_piece> frag_pieces_;
  std::vector<recorded_checksum> checksums_;
};

} // namespace sec5g::capture
