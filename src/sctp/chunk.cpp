#include "sec5g/sctp/chunk.hpp"

#include "sec5g/sctp/crc32c.hpp"

namespace sec5g::sctp {

namespace {
decode_error err(decode_errc c, std::size_t off, const char* field) noexcept {
  return decode_error{c, static_cast<std::uint32_t>(off), field};
}
} // namespace

std::expected<common_header, decode_error> decode_common_header(bytes_view p) noexcept {
  // Ref: RFC 9260 3.1.
  if (p.size() < 12) return std::unexpected(err(decode_errc::truncated, 0, "sctp.common_header"));
  common_header h;
  h.src_port = load_be16(p.data());
  h.dst_port = load_be16(p.data() + 2);
  h.verification_tag = load_be32(p.data() + 4);
  h.checksum = stored_checksum(p);
  return h;
}

std::optional<chunk> chunk_walker::next() noexcept {
  // Ref: RFC 9260 3.2: length excludes padding; chunks are padded to 4 octets.
  if (failed_ || pos_ >= data_.size()) return std::nullopt;
  const std::size_t left = data_.size() - pos_;
  if (left < 4) {
    failed_ = true;
    error_ = err(decode_errc::truncated, pos_, "sctp.chunk_header");
    return std::nullopt;
  }
  chunk c;
  c.type = data_[pos_];
  c.flags = data_[pos_ + 1];
  c.length = load_be16(data_.data() + pos_ + 2);
  c.offset = static_cast<std::uint32_t>(pos_);
  if (c.length < 4) {
    failed_ = true;
    error_ = err(decode_errc::bad_value, pos_ + 2, "sctp.chunk_length");
    return std::nullopt;
  }
  if (c.length > left) {
    failed_ = true;
    error_ = err(decode_errc::truncated, pos_ + 2, "sctp.chunk_length");
    return std::nullopt;
  }
  c.value = data_.subspan(pos_ + 4, c.length - 4u);
  const std::size_t padded = (std::size_t{c.length} + 3) & ~std::size_t{3};
  pos_ += padded > left ? left : padded;
  return c;
}

std::expected<data_chunk, decode_error> decode_data_chunk(const chunk& c) noexcept {
  data_chunk d;
  const bytes_view v = c.value;
  if (c.type == static_cast<std::uint8_t>(chunk_type::data)) {
    // Ref: RFC 9260 3.3.1: TSN, stream id, SSN, PPID, user data (length > 16).
    if (v.size() < 12)
      return std::unexpected(err(decode_errc::truncated, c.offset + 4, "sctp.data"));
    d.tsn = load_be32(v.data());
    d.stream_id = load_be16(v.data() + 4);
    d.ssn = load_be16(v.data() + 6);
    d.mid = d.ssn;
    d.ppid = load_be32(v.data() + 8);
    d.payload = v.subspan(12);
  } else if (c.type == static_cast<std::uint8_t>(chunk_type::i_data)) {
    // Ref: RFC 8260 2.1: TSN, stream id, reserved, MID, PPID (B set) or FSN, user data.
    if (v.size() < 16)
      return std::unexpected(err(decode_errc::truncated, c.offset + 4, "sctp.i_data"));
    d.i_data = true;
    d.tsn = load_be32(v.data());
    d.stream_id = load_be16(v.data() + 4);
    d.mid = load_be32(v.data() + 8);
    const std::uint32_t ppid_fsn = load_be32(v.data() + 12);
    d.payload = v.subspan(16);
    d.fsn = 0;
    if ((c.flags & 0x02u) != 0) {
      d.ppid = ppid_fsn;
    } else {
      d.fsn = ppid_fsn;
    }
  } else {
    return std::unexpected(err(decode_errc::unsupported, c.offset, "sctp.chunk_type"));
  }
  d.unordered = (c.flags & 0x04u) != 0;
  d.begin = (c.flags & 0x02u) != 0;
  d.end = (c.flags & 0x01u) != 0;
  d.immediate = (c.flags & 0x08u) != 0;
  if (d.payload.empty())
    return std::unexpected(err(decode_errc::bad_value, c.offset + 2, "sctp.data_length"));
  return d;
}

std::expected<init_chunk, decode_error> decode_init_chunk(const chunk& c) noexcept {
  // Ref: RFC 9260 3.3.2 / 3.3.3.
  const bytes_view v = c.value;
  if (v.size() < 16) return std::unexpected(err(decode_errc::truncated, c.offset + 4, "sctp.init"));
  init_chunk i;
  i.initiate_tag = load_be32(v.data());
  i.a_rwnd = load_be32(v.data() + 4);
  i.outbound_streams = load_be16(v.data() + 8);
  i.inbound_streams = load_be16(v.data() + 10);
  i.initial_tsn = load_be32(v.data() + 12);
  i.parameters = v.subspan(16);
  if (i.initiate_tag == 0)
    return std::unexpected(err(decode_errc::bad_value, c.offset + 4, "sctp.initiate_tag"));
  return i;
}

bytes_view find_state_cookie(bytes_view params) noexcept {
  std::size_t pos = 0;
  while (params.size() - pos >= 4) {
    const std::uint16_t type = load_be16(params.data() + pos);
    const std::uint16_t len = load_be16(params.data() + pos + 2);
    if (len < 4 || len > params.size() - pos) return {};
    if (type == 7) return params.subspan(pos + 4, len - 4u);
    const std::size_t padded = (std::size_t{len} + 3) & ~std::size_t{3};
    if (padded >= params.size() - pos) return {};
    pos += padded;
  }
  return {};
}

} // namespace sec5g::sctp
