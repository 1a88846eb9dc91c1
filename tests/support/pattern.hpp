#pragma once
// Deterministic test payloads: octet i of pattern_bytes(n, seed, step) is seed + i * step
// (mod 256), so that a payload shows where each of its octets came from.
#include <cstddef>
#include <cstdint>

#include "sec5g/core/bytes.hpp"

namespace sec5g::test {

inline byte_buffer pattern_bytes(std::size_t n, std::uint8_t seed, std::size_t step) {
  byte_buffer b(n);
  for (std::size_t i = 0; i < n; ++i)
    b[i] = static_cast<std::uint8_t>(seed + i * step);
  return b;
}

} // namespace sec5g::test
