#pragma once
// A seeded pseudo-random source for property tests (deterministic per seed).
#include <cstdint>
#include <random>

#include "sec5g/core/bytes.hpp"

namespace sec5g::test {

struct random_source {
  explicit random_source(std::uint64_t seed) : rng(seed) {}
  std::mt19937_64 rng;
  std::uint8_t byte() { return static_cast<std::uint8_t>(rng()); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(rng()); }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng() % n); }
  byte_array<16> key() {
    byte_array<16> k{};
    for (auto& b : k)
      b = byte();
    return k;
  }
  void fill(bytes_span s) {
    for (auto& x : s)
      x = byte();
  }
  byte_buffer bytes(std::size_t n) {
    byte_buffer b(n);
    fill(b);
    return b;
  }
};

} // namespace sec5g::test
