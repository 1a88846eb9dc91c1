#pragma once
/// Appends big-endian fields to a byte buffer (encoders: NAS, NGAP, SCTP, pcapng).

#include <cstdint>

#include "sec5g/core/bytes.hpp"

namespace sec5g {

/// Writes into a buffer it does not own; the buffer grows as needed.
class byte_writer {
 public:
  explicit byte_writer(byte_buffer& out) noexcept : out_(out) {}

  [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v);
  void u24(std::uint32_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void bytes(bytes_view v) { out_.insert(out_.end(), v.begin(), v.end()); }
  void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }
  /// Reserves a 1/2-octet length field and returns its position, for patch_* later.
  std::size_t placeholder(std::size_t n) {
    const std::size_t at = out_.size();
    zeros(n);
    return at;
  }
  void patch_u8(std::size_t at, std::uint8_t v) noexcept { out_[at] = v; }
  void patch_u16(std::size_t at, std::uint16_t v) noexcept { store_be16(out_.data() + at, v); }
  void patch_u32(std::size_t at, std::uint32_t v) noexcept { store_be32(out_.data() + at, v); }
  [[nodiscard]] byte_buffer& buffer() noexcept { return out_; }

 private:
  byte_buffer& out_;
};

}  // namespace sec5g
