#include "sec5g/sctp/build.hpp"

#include "sec5g/capture/ip.hpp"
#include "sec5g/core/byte_writer.hpp"
#include "sec5g/sctp/crc32c.hpp"

namespace sec5g::sctp {

namespace {

std::size_t begin_chunk(byte_buffer& out, chunk_type type, std::uint8_t flags) {
  const std::size_t at = out.size();
  byte_writer w(out);
  w.u8(static_cast<std::uint8_t>(type));
  w.u8(flags);
  w.u16(0);
  return at;
}

void end_chunk(byte_buffer& out, std::size_t at) {
  store_be16(out.data() + at + 2, static_cast<std::uint16_t>(out.size() - at));
  while (out.size() % 4 != 0)
    out.push_back(0);
}

std::uint8_t data_flags(bool unordered, bool begin, bool end) noexcept {
  return static_cast<std::uint8_t>((unordered ? 0x04 : 0) | (begin ? 0x02 : 0) | (end ? 0x01 : 0));
}

void append_init_like(byte_buffer& out, chunk_type type, const init_spec& s, bytes_view cookie) {
  const std::size_t at = begin_chunk(out, type, 0);
  byte_writer w(out);
  w.u32(s.initiate_tag);
  w.u32(s.a_rwnd);
  w.u16(s.outbound_streams);
  w.u16(s.inbound_streams);
  w.u32(s.initial_tsn);
  if (type == chunk_type::init_ack) {
    // State Cookie parameter. Ref: RFC 9260 3.3.3.1.
    w.u16(7);
    w.u16(static_cast<std::uint16_t>(4 + cookie.size()));
    w.bytes(cookie);
    while (out.size() % 4 != 0)
      out.push_back(0);
  }
  end_chunk(out, at);
}

} // namespace

void append_data_chunk(byte_buffer& out, const data_spec& d) {
  // Ref: RFC 9260 3.3.1.
  const std::size_t at =
      begin_chunk(out, chunk_type::data, data_flags(d.unordered, d.begin, d.end));
  byte_writer w(out);
  w.u32(d.tsn);
  w.u16(d.stream_id);
  w.u16(d.ssn);
  w.u32(d.ppid);
  w.bytes(d.payload);
  end_chunk(out, at);
}

void append_i_data_chunk(byte_buffer& out, const i_data_spec& d) {
  // Ref: RFC 8260 2.1.
  const std::size_t at =
      begin_chunk(out, chunk_type::i_data, data_flags(d.unordered, d.begin, d.end));
  byte_writer w(out);
  w.u32(d.tsn);
  w.u16(d.stream_id);
  w.u16(0);
  w.u32(d.mid);
  w.u32(d.begin ? d.ppid : d.fsn);
  w.bytes(d.payload);
  end_chunk(out, at);
}

void append_init_chunk(byte_buffer& out, const init_spec& s) {
  append_init_like(out, chunk_type::init, s, {});
}

void append_init_ack_chunk(byte_buffer& out, const init_spec& s, bytes_view cookie) {
  append_init_like(out, chunk_type::init_ack, s, cookie);
}

void append_cookie_echo_chunk(byte_buffer& out, bytes_view cookie) {
  const std::size_t at = begin_chunk(out, chunk_type::cookie_echo, 0);
  out.insert(out.end(), cookie.begin(), cookie.end());
  end_chunk(out, at);
}

void append_cookie_ack_chunk(byte_buffer& out) {
  end_chunk(out, begin_chunk(out, chunk_type::cookie_ack, 0));
}

void append_sack_chunk(byte_buffer& out, std::uint32_t cumulative_tsn_ack, std::uint32_t a_rwnd) {
  // Ref: RFC 9260 3.3.4.
  const std::size_t at = begin_chunk(out, chunk_type::sack, 0);
  byte_writer w(out);
  w.u32(cumulative_tsn_ack);
  w.u32(a_rwnd);
  w.u16(0);
  w.u16(0);
  end_chunk(out, at);
}

void append_heartbeat_chunk(byte_buffer& out, bytes_view info, bool ack) {
  // Ref: RFC 9260 3.3.5: one Heartbeat Info parameter (type 1).
  const std::size_t at =
      begin_chunk(out, ack ? chunk_type::heartbeat_ack : chunk_type::heartbeat, 0);
  byte_writer w(out);
  w.u16(1);
  w.u16(static_cast<std::uint16_t>(4 + info.size()));
  w.bytes(info);
  end_chunk(out, at);
}

void append_shutdown_chunk(byte_buffer& out, std::uint32_t cumulative_tsn_ack) {
  const std::size_t at = begin_chunk(out, chunk_type::shutdown, 0);
  byte_writer(out).u32(cumulative_tsn_ack);
  end_chunk(out, at);
}

void append_shutdown_ack_chunk(byte_buffer& out) {
  end_chunk(out, begin_chunk(out, chunk_type::shutdown_ack, 0));
}

void append_shutdown_complete_chunk(byte_buffer& out, bool t_bit) {
  end_chunk(out, begin_chunk(out, chunk_type::shutdown_complete, t_bit ? 1 : 0));
}

void append_abort_chunk(byte_buffer& out, bool t_bit, bytes_view causes) {
  const std::size_t at = begin_chunk(out, chunk_type::abort, t_bit ? 1 : 0);
  out.insert(out.end(), causes.begin(), causes.end());
  end_chunk(out, at);
}

byte_buffer build_packet(std::uint16_t src_port, std::uint16_t dst_port,
                         std::uint32_t verification_tag, bytes_view chunks) {
  byte_buffer out;
  out.reserve(12 + chunks.size());
  byte_writer w(out);
  w.u16(src_port);
  w.u16(dst_port);
  w.u32(verification_tag);
  w.u32(0);
  w.bytes(chunks);
  store_checksum(out);
  return out;
}

std::expected<byte_buffer, decode_error>
build_frame(const capture::link_spec& link, const capture::ip_spec& ip, std::uint16_t src_port,
            std::uint16_t dst_port, std::uint32_t verification_tag, bytes_view chunks) {
  capture::ip_spec spec = ip;
  spec.protocol = 132;
  const byte_buffer sctp = build_packet(src_port, dst_port, verification_tag, chunks);
  return capture::build_frame(link, spec, sctp);
}

std::expected<byte_buffer, decode_error> replace_data_payload(capture::link_type link,
                                                              bytes_view frame,
                                                              std::size_t data_chunk_index,
                                                              bytes_view new_payload) {
  const auto lp = capture::decode_link(link, frame);
  if (!lp) return std::unexpected(lp.error());
  const bool v4 = lp->ethertype == 0x0800;
  if (!v4 && lp->ethertype != 0x86dd) {
    return std::unexpected(decode_error{decode_errc::unsupported, 0, "link.ethertype"});
  }
  const auto h = v4 ? capture::decode_ipv4(lp->payload) : capture::decode_ipv6(lp->payload);
  if (!h) return std::unexpected(h.error());
  if (h->is_fragment)
    return std::unexpected(decode_error{decode_errc::unsupported, 0, "ip.fragment"});
  if (h->protocol != 132)
    return std::unexpected(decode_error{decode_errc::unsupported, 0, "ip.protocol"});
  if (h->payload.size() < h->payload_len) {
    return std::unexpected(decode_error{decode_errc::truncated, 0, "ip.payload"});
  }
  const bytes_view sctp = h->payload;
  if (sctp.size() < 12)
    return std::unexpected(decode_error{decode_errc::truncated, 0, "sctp.common_header"});
  chunk_walker walker(sctp);
  std::size_t seen = 0;
  std::optional<chunk> target;
  while (auto c = walker.next()) {
    if (c->type == static_cast<std::uint8_t>(chunk_type::data) ||
        c->type == static_cast<std::uint8_t>(chunk_type::i_data)) {
      if (seen++ == data_chunk_index) {
        target = c;
        break;
      }
    }
  }
  if (!target)
    return std::unexpected(decode_error{decode_errc::bad_value, 0, "sctp.data_chunk_index"});
  const auto dc = decode_data_chunk(*target);
  if (!dc) return std::unexpected(dc.error());
  if (!dc->begin || !dc->end) {
    return std::unexpected(
        decode_error{decode_errc::bad_value, target->offset, "sctp.data_fragment"});
  }
  const std::size_t fixed = dc->i_data ? 20 : 16; // chunk header + fixed fields
  const std::size_t old_padded = std::min<std::size_t>(
      (std::size_t{target->length} + 3) & ~std::size_t{3}, sctp.size() - target->offset);
  const std::size_t new_len = fixed + new_payload.size();
  if (new_len > 0xffff)
    return std::unexpected(decode_error{decode_errc::length_too_large, 0, "sctp.chunk_length"});

  const std::size_t ip_start = frame.size() - lp->payload.size();
  const std::size_t sctp_start = ip_start + h->header_len;
  byte_buffer out;
  out.reserve(sctp_start + sctp.size() + new_payload.size() + 4);
  out.insert(out.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(sctp_start));
  out.insert(out.end(), sctp.begin(),
             sctp.begin() + target->offset + static_cast<std::ptrdiff_t>(fixed));
  store_be16(out.data() + sctp_start + target->offset + 2, static_cast<std::uint16_t>(new_len));
  out.insert(out.end(), new_payload.begin(), new_payload.end());
  while ((out.size() - sctp_start) % 4 != 0)
    out.push_back(0);
  out.insert(out.end(), sctp.begin() + static_cast<std::ptrdiff_t>(target->offset + old_padded),
             sctp.end());
  const std::size_t sctp_len = out.size() - sctp_start;
  const std::size_t l4_total = h->header_len + sctp_len; // IP header (+ext) + SCTP
  if (v4) {
    if (l4_total > 65535)
      return std::unexpected(decode_error{decode_errc::length_too_large, 0, "ipv4.total_length"});
    store_be16(out.data() + ip_start + 2, static_cast<std::uint16_t>(l4_total));
    capture::fix_ipv4_checksum(bytes_span(out.data() + ip_start, h->header_len));
  } else {
    if (l4_total - 40 > 65535)
      return std::unexpected(decode_error{decode_errc::length_too_large, 0, "ipv6.payload_length"});
    store_be16(out.data() + ip_start + 4, static_cast<std::uint16_t>(l4_total - 40));
  }
  store_checksum(bytes_span(out.data() + sctp_start, sctp_len));
  return out;
}

} // namespace sec5g::sctp
