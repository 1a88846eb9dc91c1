#pragma once
/// Building SCTP chunks and packets (synthesizer) and rewriting the payload of one DATA chunk in
/// an existing frame (decipher output). Ref: RFC 9260 3, RFC 8260 2.1.

#include <cstdint>
#include <expected>

#include "sec5g/capture/build.hpp"
#include "sec5g/capture/frame.hpp"
#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"
#include "sec5g/sctp/chunk.hpp"

namespace sec5g::sctp {

/// A DATA chunk to build. Ref: RFC 9260 3.3.1.
struct data_spec {
  std::uint32_t tsn = 0;
  std::uint16_t stream_id = 0;
  std::uint16_t ssn = 0;
  std::uint32_t ppid = ngap_ppid;
  bool unordered = false;
  bool begin = true;
  bool end = true;
  bytes_view payload;
};

/// An I-DATA chunk to build (fsn is written only when !begin; ppid only when begin).
/// Ref: RFC 8260 2.1.
struct i_data_spec {
  std::uint32_t tsn = 0;
  std::uint16_t stream_id = 0;
  std::uint32_t mid = 0;
  std::uint32_t fsn = 0;
  std::uint32_t ppid = ngap_ppid;
  bool unordered = false;
  bool begin = true;
  bool end = true;
  bytes_view payload;
};

/// INIT / INIT ACK fixed parameters. Ref: RFC 9260 3.3.2, 3.3.3.
struct init_spec {
  std::uint32_t initiate_tag = 1;
  std::uint32_t a_rwnd = 106496;
  std::uint16_t outbound_streams = 2;
  std::uint16_t inbound_streams = 2;
  std::uint32_t initial_tsn = 1;
};

/// Each append_* adds one chunk, padded to a multiple of 4 octets.
void append_data_chunk(byte_buffer& out, const data_spec& d);
void append_i_data_chunk(byte_buffer& out, const i_data_spec& d);
void append_init_chunk(byte_buffer& out, const init_spec& s);
/// INIT ACK with a State Cookie parameter (type 7) holding `cookie`.
void append_init_ack_chunk(byte_buffer& out, const init_spec& s, bytes_view cookie);
void append_cookie_echo_chunk(byte_buffer& out, bytes_view cookie);
void append_cookie_ack_chunk(byte_buffer& out);
/// SACK without gap blocks or duplicate TSNs.
void append_sack_chunk(byte_buffer& out, std::uint32_t cumulative_tsn_ack, std::uint32_t a_rwnd);
void append_heartbeat_chunk(byte_buffer& out, bytes_view info, bool ack = false);
void append_shutdown_chunk(byte_buffer& out, std::uint32_t cumulative_tsn_ack);
void append_shutdown_ack_chunk(byte_buffer& out);
void append_shutdown_complete_chunk(byte_buffer& out, bool t_bit = false);
/// ABORT with optional error causes (already encoded).
void append_abort_chunk(byte_buffer& out, bool t_bit = false, bytes_view causes = {});

/// An SCTP packet: common header + `chunks` + CRC32c.
byte_buffer build_packet(std::uint16_t src_port, std::uint16_t dst_port,
                         std::uint32_t verification_tag, bytes_view chunks);

/// A whole frame: link + IP (protocol forced to 132) + SCTP packet with a correct CRC32c.
std::expected<byte_buffer, decode_error>
build_frame(const capture::link_spec& link, const capture::ip_spec& ip, std::uint16_t src_port,
            std::uint16_t dst_port, std::uint32_t verification_tag, bytes_view chunks);

/// Replaces the user data of the `data_chunk_index`-th DATA / I-DATA chunk (0-based, as
/// user_message::chunk_index) of `frame` with `new_payload`, and fixes the chunk length and
/// padding, the IPv4 total length and header checksum (or IPv6 payload length) and the
/// CRC32c. Bytes after the IP datagram (link padding) are dropped. Errors: unsupported (IP
/// fragment, not SCTP, link type), truncated (frame cut by the capture), bad_value (no such
/// chunk, chunk not a complete message B+E), length_too_large (result over 65535).
std::expected<byte_buffer, decode_error> replace_data_payload(capture::link_type link,
                                                              bytes_view frame,
                                                              std::size_t data_chunk_index,
                                                              bytes_view new_payload);

} // namespace sec5g::sctp
