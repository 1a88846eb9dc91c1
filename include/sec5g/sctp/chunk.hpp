#pragma once
/// SCTP common header and chunk parsing (RFC 9260 3), DATA (3.3.1), I-DATA (RFC 8260 2.1),
/// INIT / INIT ACK (3.3.2, 3.3.3).

#include <cstdint>
#include <expected>
#include <optional>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::sctp {

/// Chunk type codes. Ref: RFC 9260 3.2, RFC 8260 2.1.
enum class chunk_type : std::uint8_t {
  data = 0,
  init = 1,
  init_ack = 2,
  sack = 3,
  heartbeat = 4,
  heartbeat_ack = 5,
  abort = 6,
  shutdown = 7,
  shutdown_ack = 8,
  error = 9,
  cookie_echo = 10,
  cookie_ack = 11,
  shutdown_complete = 14,
  i_data = 64,
};

/// The NGAP payload protocol identifier and SCTP port. Ref: TS 38.412 7.
inline constexpr std::uint32_t ngap_ppid = 60;
inline constexpr std::uint16_t ngap_port = 38412;

/// Common header. Ref: RFC 9260 3.1.
struct common_header {
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t verification_tag = 0;
  std::uint32_t checksum = 0; ///< as stored (see crc32c.hpp stored_checksum)
};

/// One chunk: type, flags, the length field, and its value (length - 4 octets, no padding).
struct chunk {
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::uint16_t length = 0;
  bytes_view value;
  std::uint32_t offset = 0; ///< offset of the chunk header in the SCTP packet
};

/// Decodes the 12-octet common header. Error: truncated.
std::expected<common_header, decode_error> decode_common_header(bytes_view packet) noexcept;

/// Walks the chunks of an SCTP packet (after the common header), honouring padding to 4 octets.
/// Usage: `chunk_walker w(packet); while (auto c = w.next()) {...}; if (w.failed()) ...`.
/// next() returns false at the end or on a malformed chunk length (then error() is set:
/// length < 4 -> bad_value, length past the packet -> truncated). The last chunk's padding may
/// be missing (accepted, as implementations do).
class chunk_walker {
public:
  explicit chunk_walker(bytes_view packet) noexcept : data_(packet), pos_(12) {}
  /// The next chunk; nullopt at the end of the packet or on an error (see failed()).
  std::optional<chunk> next() noexcept;
  /// True when the walk stopped on a malformed chunk (not at the end of the packet).
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  /// The error that stopped the walk (meaningful when failed()).
  [[nodiscard]] const decode_error& error() const noexcept { return error_; }

private:
  bytes_view data_;
  std::size_t pos_;
  bool failed_ = false;
  decode_error error_{};
};

/// A DATA or I-DATA chunk. Ref: RFC 9260 3.3.1, RFC 8260 2.1.
struct data_chunk {
  bool i_data = false;
  bool unordered = false; ///< U bit
  bool begin = false;     ///< B bit: first fragment
  bool end = false;       ///< E bit: last fragment
  bool immediate = false; ///< I bit (RFC 7053)
  std::uint32_t tsn = 0;
  std::uint16_t stream_id = 0;
  std::uint16_t ssn = 0;  ///< DATA: stream sequence number
  std::uint32_t mid = 0;  ///< I-DATA: message identifier (DATA: ssn)
  std::uint32_t fsn = 0;  ///< I-DATA: fragment sequence number (0 on the first fragment)
  std::uint32_t ppid = 0; ///< DATA: always; I-DATA: on the first fragment only (B set)
  bytes_view payload;     ///< user data (without padding)
};

/// Decodes a DATA (type 0) or I-DATA (type 64) chunk. Errors: truncated (value shorter than
/// the fixed part), bad_value (no user data: RFC 9260 says the length must be > 16), unsupported
/// (another chunk type).
std::expected<data_chunk, decode_error> decode_data_chunk(const chunk& c) noexcept;

/// INIT / INIT ACK fixed parameters. Ref: RFC 9260 3.3.2.
struct init_chunk {
  std::uint32_t initiate_tag = 0;
  std::uint32_t a_rwnd = 0;
  std::uint16_t outbound_streams = 0;
  std::uint16_t inbound_streams = 0;
  std::uint32_t initial_tsn = 0;
  bytes_view parameters; ///< optional/variable parameters (TLVs), e.g. the state cookie
};

/// Decodes an INIT or INIT ACK. Errors: truncated (fixed part), bad_value (initiate tag 0).
std::expected<init_chunk, decode_error> decode_init_chunk(const chunk& c) noexcept;

/// Finds the State Cookie parameter (type 7) of an INIT ACK's parameters; empty if absent.
bytes_view find_state_cookie(bytes_view parameters) noexcept;

} // namespace sec5g::sctp
