#pragma once
/// Bounds-checked big-endian reader over untrusted bytes, in the style of BoringSSL's CBS:
/// take an element as a child reader, then insist that nothing is left over.

#include <cstdint>
#include <expected>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g {

/// Reads from a view it does not own; never reads past it. Every read either succeeds and
/// advances, or fails with a decode_error naming the field and the absolute offset, and leaves
/// the reader where it was.
class byte_reader {
 public:
  /// `base_offset` is the offset of data[0] within the enclosing unit, used in errors.
  explicit byte_reader(bytes_view data, std::uint32_t base_offset = 0) noexcept
      : data_(data), base_(base_offset) {}

  [[nodiscard]] std::size_t remaining() const noexcept { return data_.size() - pos_; }
  [[nodiscard]] bool empty() const noexcept { return pos_ == data_.size(); }
  /// Absolute offset of the next byte.
  [[nodiscard]] std::uint32_t offset() const noexcept {
    return base_ + static_cast<std::uint32_t>(pos_);
  }
  /// The bytes not yet read (does not advance).
  [[nodiscard]] bytes_view rest() const noexcept { return data_.subspan(pos_); }

  /// An error of `code` at the current offset.
  [[nodiscard]] decode_error error(decode_errc code, const char* field) const noexcept {
    return decode_error{code, offset(), field};
  }

  std::expected<std::uint8_t, decode_error> u8(const char* field) noexcept;
  std::expected<std::uint8_t, decode_error> peek_u8(const char* field) const noexcept;
  std::expected<std::uint16_t, decode_error> u16(const char* field) noexcept;
  std::expected<std::uint32_t, decode_error> u24(const char* field) noexcept;
  std::expected<std::uint32_t, decode_error> u32(const char* field) noexcept;
  std::expected<std::uint64_t, decode_error> u64(const char* field) noexcept;
  /// The next n bytes as a view into the same buffer.
  std::expected<bytes_view, decode_error> bytes(std::size_t n, const char* field) noexcept;
  /// The next n bytes as a child reader (offsets stay absolute).
  std::expected<byte_reader, decode_error> child(std::size_t n, const char* field) noexcept;
  std::expected<void, decode_error> skip(std::size_t n, const char* field) noexcept;
  /// All remaining bytes; the reader is empty afterwards.
  bytes_view take_rest() noexcept;
  /// Fails with trailing_bytes unless everything was read.
  [[nodiscard]] std::expected<void, decode_error> expect_end(const char* field) const noexcept;

 private:
  bytes_view data_;
  std::size_t pos_ = 0;
  std::uint32_t base_ = 0;
};

}  // namespace sec5g
