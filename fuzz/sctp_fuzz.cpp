// Fuzz target: SCTP chunk parsing, association tracking and reassembly over several packets,
// then the DATA payload rewrite on each packet wrapped in a built frame. A second pipeline with
// record_layout runs the same packets: it must deliver the same messages, and every recorded
// piece of a message must hold the message's octets at the place it names. A third pipeline
// with record_layout gets each packet in an Ethernet/IPv4 frame, split into IP fragments of
// 8 * (1 + flags >> 4) octets (last fragment first when flag bits 6 and 7 are set), and
// checks its pieces against those frames. A fourth pipeline, the first's configuration without
// pipeline_config::fast_path, must deliver the same messages (every field) and counters.
// Input: records [flags][length u16][SCTP packet]...; flags bit 0 = direction (swap addresses),
// bit 1 = truncated by the capture, bits 2-3 = one of four address pairs (multi-homing).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "sec5g/sctp/build.hpp"
#include "sec5g/sctp/pipeline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sec5g;
  sctp::pipeline_config cfg;
  cfg.deliver_all = true;
  cfg.deliver_retransmissions = true;
  cfg.deliver_retransmitted_fragments = true;
  cfg.max_associations = 4;
  cfg.max_pending_fragments = 8;
  cfg.max_pending_bytes = 8 * 1024;
  cfg.max_total_pending_bytes = 16 * 1024;
  cfg.max_message_len = 4 * 1024;
  sctp::pipeline p(cfg);
  sctp::pipeline_config general_cfg = cfg;
  general_cfg.fast_path = false;
  sctp::pipeline general(general_cfg);
  cfg.record_layout = true;
  sctp::pipeline q(cfg);
  sctp::pipeline r(cfg);
  std::vector<byte_buffer> frames(1); // r's frames by number
  std::uint16_t ip_id = 0;
  volatile std::uint32_t sink = 0;
  std::uint64_t plain_sum = 0, recorded_sum = 0, plain_count = 0, recorded_count = 0;
  std::vector<bytes_view> packets(1); // by frame number
  // Every field of a delivered message, to compare the fast and the general path.
  struct fields {
    std::uint32_t assoc, ppid, tsn;
    std::string name;
    sctp::direction dir;
    sctp::endpoint src, dst;
    std::uint16_t stream, chunk_index;
    byte_buffer payload;
    bool reassembled, ip_reassembled, retransmission, fragment, unordered, i_data;
    std::uint64_t frame;
    std::int64_t ts;
    bool operator==(const fields&) const = default;
  };
  auto fields_of = [](const sctp::user_message& m) {
    return fields{m.association_id, m.ppid, m.tsn, std::string(m.association), m.dir,
                  m.src, m.dst, m.stream_id, m.chunk_index,
                  byte_buffer(m.payload.begin(), m.payload.end()), m.reassembled,
                  m.ip_reassembled, m.retransmission, m.fragment, m.unordered, m.i_data,
                  m.frame_number, m.timestamp_ns};
  };
  std::vector<fields> fast_seen, general_seen;
  auto on_message = [&](const sctp::user_message& m) {
    std::uint32_t s = m.ppid;
    for (const auto b : m.payload)
      s += b;
    sink = sink + s + static_cast<std::uint32_t>(m.association.size());
    plain_sum += s;
    ++plain_count;
    if (m.layout != nullptr) __builtin_trap();
    fast_seen.push_back(fields_of(m));
  };
  auto on_general = [&](const sctp::user_message& m) { general_seen.push_back(fields_of(m)); };
  auto on_recorded = [&](const sctp::user_message& m) {
    std::uint32_t s = m.ppid;
    for (const auto b : m.payload)
      s += b;
    recorded_sum += s;
    ++recorded_count;
    if (m.layout == nullptr || m.layout->packets.empty()) __builtin_trap();
    std::size_t covered = 0;
    for (const auto& pc : m.layout->payload) {
      if (pc.frame == 0 || pc.frame >= packets.size()) __builtin_trap();
      const bytes_view pkt = packets[pc.frame];
      if (std::size_t{pc.offset} + pc.length > m.payload.size() ||
          std::size_t{pc.frame_offset} + pc.length > pkt.size() ||
          std::memcmp(pkt.data() + pc.frame_offset, m.payload.data() + pc.offset, pc.length) != 0)
        __builtin_trap();
      covered += pc.length;
    }
    if (covered != m.payload.size()) __builtin_trap();
    // The chunk spans tile the payload in order; a repeated fragment is one chunk.
    std::size_t at = 0;
    for (const auto& c : m.layout->chunks) {
      if (c.offset != at) __builtin_trap();
      at += c.length;
    }
    // m.tsn is the chunk that completed the message (not always the last in payload order).
    if (at != m.payload.size() || m.layout->chunks.empty() ||
        std::none_of(m.layout->chunks.begin(), m.layout->chunks.end(),
                     [&](const sctp::chunk_span& c) { return c.tsn == m.tsn; }) ||
        (m.fragment && !m.retransmission) || (m.fragment && m.layout->chunks.size() != 1))
      __builtin_trap();
  };
  auto on_framed = [&](const sctp::user_message& m) {
    if (m.layout == nullptr || m.layout->packets.empty()) __builtin_trap();
    for (const auto& pc : m.layout->payload) {
      if (pc.frame == 0 || pc.frame >= frames.size()) __builtin_trap();
      const byte_buffer& f = frames[pc.frame];
      if (std::size_t{pc.offset} + pc.length > m.payload.size() ||
          std::size_t{pc.frame_offset} + pc.length > f.size() ||
          std::memcmp(f.data() + pc.frame_offset, m.payload.data() + pc.offset, pc.length) != 0)
        __builtin_trap();
    }
  };
  const capture::ip_address gnb[2] = {capture::ip_address::v4(10, 0, 0, 1),
                                      capture::ip_address::v4(10, 0, 1, 1)};
  const capture::ip_address amf[2] = {capture::ip_address::v4(10, 0, 0, 2),
                                      capture::ip_address::v4(10, 0, 1, 2)};
  std::size_t pos = 0;
  std::uint64_t n = 0;
  while (size - pos >= 3) {
    const std::uint8_t flags = data[pos];
    const std::size_t len = load_be16(data + pos + 1);
    pos += 3;
    const std::size_t take = len < size - pos ? len : size - pos;
    const bytes_view pkt(data + pos, take);
    pos += take;
    const auto& g = gnb[(flags >> 2) & 1];
    const auto& a = amf[(flags >> 3) & 1];
    const bool swap = (flags & 1) != 0;
    ++n;
    packets.push_back(pkt);
    p.feed_sctp(swap ? a : g, swap ? g : a, pkt, n, static_cast<std::int64_t>(n) * 1000, on_message,
                (flags & 2) != 0);
    q.feed_sctp(swap ? a : g, swap ? g : a, pkt, n, static_cast<std::int64_t>(n) * 1000,
                on_recorded, (flags & 2) != 0);
    general.feed_sctp(swap ? a : g, swap ? g : a, pkt, n, static_cast<std::int64_t>(n) * 1000,
                      on_general, (flags & 2) != 0);
    if (fast_seen != general_seen || p.stats().values != general.stats().values ||
        p.association_count() != general.association_count() ||
        p.pending_bytes() != general.pending_bytes())
      __builtin_trap();
    fast_seen.clear();
    general_seen.clear();
    if (plain_sum != recorded_sum || plain_count != recorded_count) __builtin_trap();
    if (const auto oldest = q.oldest_pending_frame();
        oldest.has_value() != (q.pending_fragments() > 0) || (oldest && *oldest > n))
      __builtin_trap();
    if (p.pending_bytes() > cfg.max_total_pending_bytes) __builtin_trap();
    if (p.association_count() > cfg.max_associations) __builtin_trap();
    // The rewrite path on the same packet inside an Ethernet/IPv4 frame.
    capture::link_spec link;
    capture::ip_spec ip{g, a};
    ip.protocol = 132;
    if (auto frame = capture::build_frame(link, ip, pkt); frame && (flags & 2) == 0) {
      // The same packet in IPv4 fragments to the recording pipeline r.
      const std::size_t step = 8 * (1 + static_cast<std::size_t>(flags >> 4));
      const std::size_t hdr = 14 + 20;
      std::vector<byte_buffer> frags;
      ++ip_id;
      for (std::size_t off = 0; off < pkt.size() || off == 0; off += step) {
        const std::size_t flen = pkt.size() - off < step ? pkt.size() - off : step;
        const bool more = off + flen < pkt.size();
        byte_buffer fr(frame->begin(), frame->begin() + static_cast<std::ptrdiff_t>(hdr));
        const auto total = static_cast<std::uint16_t>(20 + flen);
        const auto ff = static_cast<std::uint16_t>((more ? 0x2000 : 0) | (off / 8));
        fr[14 + 2] = static_cast<std::uint8_t>(total >> 8);
        fr[14 + 3] = static_cast<std::uint8_t>(total);
        fr[14 + 4] = static_cast<std::uint8_t>(ip_id >> 8);
        fr[14 + 5] = static_cast<std::uint8_t>(ip_id);
        fr[14 + 6] = static_cast<std::uint8_t>(ff >> 8);
        fr[14 + 7] = static_cast<std::uint8_t>(ff);
        capture::fix_ipv4_checksum(bytes_span(fr.data() + 14, 20));
        fr.insert(fr.end(), pkt.begin() + static_cast<std::ptrdiff_t>(off),
                  pkt.begin() + static_cast<std::ptrdiff_t>(off + flen));
        frags.push_back(std::move(fr));
        if (pkt.empty()) break;
      }
      if ((flags & 0xc0) == 0xc0) std::reverse(frags.begin(), frags.end());
      for (auto& fr : frags) {
        frames.push_back(std::move(fr));
        capture::frame f;
        f.number = frames.size() - 1;
        f.timestamp_ns = static_cast<std::int64_t>(n) * 1000;
        f.data = frames.back();
        f.original_len = static_cast<std::uint32_t>(f.data.size());
        r.feed(f, on_framed);
        if (const auto oldest = r.oldest_pending_frame(); oldest && *oldest > f.number)
          __builtin_trap();
      }
    }
    if (auto frame = capture::build_frame(link, ip, pkt)) {
      const std::uint8_t repl[5] = {1, 2, 3, 4, 5};
      if (auto out = sctp::replace_data_payload(capture::link_type::ethernet, *frame, flags >> 4,
                                                bytes_view(repl, flags % 6))) {
        sink = sink + static_cast<std::uint32_t>(out->size());
      }
    }
  }
  return 0;
}
