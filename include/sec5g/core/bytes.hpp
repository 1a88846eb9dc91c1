#pragma once
/// Byte views and buffers used across sec5g.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sec5g {

/// A read-only view of bytes owned elsewhere. Never outlives its owner.
using bytes_view = std::span<const std::uint8_t>;
/// A mutable view of bytes owned elsewhere.
using bytes_span = std::span<std::uint8_t>;
/// An owned, growable byte buffer.
using byte_buffer = std::vector<std::uint8_t>;
/// A fixed-size owned byte array (non-secret values: RAND, AUTN, MACs, identifiers).
template <std::size_t N>
using byte_array = std::array<std::uint8_t, N>;

/// Number of octets needed to hold `bits` bits.
constexpr std::size_t bits_to_bytes(std::size_t bits) noexcept { return (bits + 7) / 8; }

/// Big-endian loads and stores (network order). Callers guarantee the size.
constexpr std::uint16_t load_be16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
constexpr std::uint32_t load_be32(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
constexpr std::uint64_t load_be64(const std::uint8_t* p) noexcept {
  return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}
constexpr void store_be16(std::uint8_t* p, std::uint16_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
constexpr void store_be32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}
constexpr void store_be64(std::uint8_t* p, std::uint64_t v) noexcept {
  store_be32(p, static_cast<std::uint32_t>(v >> 32));
  store_be32(p + 4, static_cast<std::uint32_t>(v));
}

}  // namespace sec5g
