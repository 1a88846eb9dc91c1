// Fuzz target: link-layer and IP decoding with fragment reassembly and tunnels, several frames
// per input, and (recording) the tunnel checksums and their pieces. A second layer without the
// shorter path for common frames (ip_layer::fast_path) must return the same datagrams and
// counters. Input: [link selector; bit 3: record pieces] then records [dt (1/8 s units)]
// [length u16][frame bytes]...
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "sec5g/capture/ip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sec5g;
  using capture::link_type;
  if (size < 1) return 0;
  static constexpr link_type links[] = {
      link_type::ethernet, link_type::linux_sll, link_type::linux_sll2, link_type::raw,
      link_type::ipv4,     link_type::ipv6,      link_type::null_bsd,   link_type::loop};
  const link_type lt = links[data[0] % 8];
  capture::counters stats;
  capture::ip_limits lim;
  lim.max_pending_datagrams = 4;
  lim.max_pending_bytes = 16 * 1024;
  lim.max_fragments_per_datagram = 16;
  lim.timeout_ns = 5'000'000'000;
  capture::ip_layer ip(stats, lim);
  ip.record_pieces((data[0] & 8u) != 0);
  capture::counters general_stats;
  capture::ip_layer general(general_stats, lim);
  general.record_pieces((data[0] & 8u) != 0);
  general.fast_path(false);
  volatile std::uint32_t sink = 0;
  std::size_t pos = 1;
  std::int64_t ts = 0;
  std::uint64_t n = 0;
  byte_buffer dg;
  while (size - pos >= 3) {
    ts += std::int64_t{data[pos]} * 125'000'000;
    const std::size_t len = load_be16(data + pos + 1);
    pos += 3;
    const std::size_t take = len < size - pos ? len : size - pos;
    capture::frame f;
    f.number = ++n;
    f.timestamp_ns = ts;
    f.data = bytes_view(data + pos, take);
    f.original_len = static_cast<std::uint32_t>(len); // len > take: a truncated capture
    f.link = lt;
    pos += take;
    // Stateless decoders on the same bytes.
    if (auto lp = capture::decode_link(lt, f.data)) {
      (void)capture::decode_ipv4(lp->payload);
      (void)capture::decode_ipv6(lp->payload);
      for (const int proto : {4, 17, 41, 47})
        (void)capture::decode_tunnel(static_cast<std::uint8_t>(proto), lp->payload);
    }
    // A datagram's octets lie in the frame, or (reassembled) in each layer's own buffer.
    const auto in_frame = [&](bytes_view v) {
      return v.data() >= f.data.data() && v.data() <= f.data.data() + f.data.size();
    };
    const auto pkt = ip.feed(f);
    const auto other = general.feed(f);
    if (pkt.has_value() != other.has_value() || stats.values != general_stats.values)
      __builtin_trap();
    if (pkt && (pkt->src != other->src || pkt->dst != other->dst ||
                pkt->protocol != other->protocol ||
                (in_frame(pkt->payload) != in_frame(other->payload)) ||
                (in_frame(other->payload) && pkt->payload.data() != other->payload.data()) ||
                !std::equal(pkt->payload.begin(), pkt->payload.end(), other->payload.begin(),
                            other->payload.end()) ||
                pkt->truncated != other->truncated || pkt->reassembled != other->reassembled ||
                pkt->ip_offset != other->ip_offset ||
                pkt->pieces.size() != other->pieces.size() ||
                pkt->tunnel_checksums.size() != other->tunnel_checksums.size()))
      __builtin_trap();
    if (pkt) {
      std::uint32_t s = pkt->protocol;
      for (const auto b : pkt->payload)
        s += b;
      sink = sink + s + static_cast<std::uint32_t>(pkt->src.to_string().size());
      // Every recorded piece of this frame lies within it, and within the payload.
      for (const auto& pc : pkt->pieces) {
        if (pc.frame == n && std::size_t{pc.frame_offset} + pc.length > take) __builtin_trap();
        if (pc.frame > n || std::size_t{pc.offset} + pc.length > pkt->payload.size())
          __builtin_trap();
      }
      // So do the pieces of the tunnel datagrams under checksums (`decipher` recomputes
      // them); one gathered from this frame alone verifies once recomputed.
      if (pkt->tunnel_checksums.size() > capture::max_tunnel_depth + 1) __builtin_trap();
      for (const auto& c : pkt->tunnel_checksums) {
        dg.assign(c.sum.length, 0);
        bool here = true;
        for (const auto& pc : c.pieces) {
          if (pc.frame == n && std::size_t{pc.frame_offset} + pc.length > take) __builtin_trap();
          if (pc.frame > n || std::size_t{pc.offset} + pc.length > c.sum.length) __builtin_trap();
          here = here && pc.frame == n;
          if (here) std::copy_n(f.data.data() + pc.frame_offset, pc.length, dg.data() + pc.offset);
        }
        if (!here) continue;
        capture::store_tunnel_checksum(c.sum, bytes_span(dg));
        if (!capture::tunnel_checksum_ok(c.sum, dg)) __builtin_trap();
      }
    }
    if (ip.pending_bytes() > lim.max_pending_bytes) __builtin_trap();
  }
  return 0;
}
