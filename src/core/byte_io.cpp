#include "sec5g/core/byte_reader.hpp"
#include "sec5g/core/byte_writer.hpp"

namespace sec5g {

std::expected<std::uint8_t, decode_error> byte_reader::u8(const char* field) noexcept {
  if (remaining() < 1) return std::unexpected(error(decode_errc::truncated, field));
  return data_[pos_++];
}

std::expected<std::uint8_t, decode_error> byte_reader::peek_u8(const char* field) const noexcept {
  if (remaining() < 1) return std::unexpected(error(decode_errc::truncated, field));
  return data_[pos_];
}

std::expected<std::uint16_t, decode_error> byte_reader::u16(const char* field) noexcept {
  if (remaining() < 2) return std::unexpected(error(decode_errc::truncated, field));
  const auto v = load_be16(data_.data() + pos_);
  pos_ += 2;
  return v;
}

std::expected<std::uint32_t, decode_error> byte_reader::u24(const char* field) noexcept {
  if (remaining() < 3) return std::unexpected(error(decode_errc::truncated, field));
  const auto* p = data_.data() + pos_;
  pos_ += 3;
  return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
}

std::expected<std::uint32_t, decode_error> byte_reader::u32(const char* field) noexcept {
  if (remaining() < 4) return std::unexpected(error(decode_errc::truncated, field));
  const auto v = load_be32(data_.data() + pos_);
  pos_ += 4;
  return v;
}

std::expected<std::uint64_t, decode_error> byte_reader::u64(const char* field) noexcept {
  if (remaining() < 8) return std::unexpected(error(decode_errc::truncated, field));
  const auto v = load_be64(data_.data() + pos_);
  pos_ += 8;
  return v;
}

std::expected<bytes_view, decode_error> byte_reader::bytes(std::size_t n,
                                                           const char* field) noexcept {
  if (remaining() < n) return std::unexpected(error(decode_errc::truncated, field));
  const auto v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

std::expected<byte_reader, decode_error> byte_reader::child(std::size_t n,
                                                            const char* field) noexcept {
  const std::uint32_t at = offset();
  auto v = bytes(n, field);
  if (!v) return std::unexpected(v.error());
  return byte_reader(*v, at);
}

std::expected<void, decode_error> byte_reader::skip(std::size_t n, const char* field) noexcept {
  if (remaining() < n) return std::unexpected(error(decode_errc::truncated, field));
  pos_ += n;
  return {};
}

bytes_view byte_reader::take_rest() noexcept {
  const auto v = data_.subspan(pos_);
  pos_ = data_.size();
  return v;
}

std::expected<void, decode_error> byte_reader::expect_end(const char* field) const noexcept {
  if (!empty()) return std::unexpected(error(decode_errc::trailing_bytes, field));
  return {};
}

void byte_writer::u16(std::uint16_t v) {
  u8(static_cast<std::uint8_t>(v >> 8));
  u8(static_cast<std::uint8_t>(v));
}
void byte_writer::u24(std::uint32_t v) {
  u8(static_cast<std::uint8_t>(v >> 16));
  u16(static_cast<std::uint16_t>(v));
}
void byte_writer::u32(std::uint32_t v) {
  u16(static_cast<std::uint16_t>(v >> 16));
  u16(static_cast<std::uint16_t>(v));
}
void byte_writer::u64(std::uint64_t v) {
  u32(static_cast<std::uint32_t>(v >> 32));
  u32(static_cast<std::uint32_t>(v));
}

}  // namespace sec5g
