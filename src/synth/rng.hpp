#pragma once
// Deterministic pseudo-random numbers for the synthesizer: xoshiro256** seeded by splitmix64.
// Not for secrets of real systems: every value the synthesizer draws must be reproducible
// from --seed, including the test subscribers' K and OPc.

#include <cmath>
#include <cstdint>

#include "sec5g/core/bytes.hpp"

namespace sec5g::synth::detail {

/// splitmix64 step (also a good 64-bit mixer for deriving independent seeds).
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A seed for stream `stream` of object `index` under the run seed: independent streams that
/// do not depend on the order in which objects are simulated.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream,
                                    std::uint64_t index) noexcept {
  std::uint64_t s = seed ^ (stream * 0xd6e8feb86659fd93ULL);
  std::uint64_t a = splitmix64(s);
  s = a ^ (index * 0x9e3779b97f4a7c15ULL);
  return splitmix64(s);
}

class rng {
 public:
  explicit rng(std::uint64_t seed = 1) noexcept { reseed(seed); }
  void reseed(std::uint64_t seed) noexcept {
    std::uint64_t sm = seed;
    for (auto& w : s_) w = splitmix64(sm);
  }
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, n) (n > 0); the tiny modulo bias is irrelevant here.
  std::uint64_t below(std::uint64_t n) noexcept { return n == 0 ? 0 : next() % n; }
  /// Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  /// Uniform in [0, 1).
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Exponentially distributed with the given mean.
  double exponential(double mean) noexcept { return -mean * std::log(1.0 - uniform()); }
  /// Fills `out` with random octets.
  void fill(bytes_span out) noexcept {
    std::size_t i = 0;
    while (i < out.size()) {
      std::uint64_t v = next();
      for (int k = 0; k < 8 && i < out.size(); ++k, ++i) {
        out[i] = static_cast<std::uint8_t>(v);
        v >>= 8;
      }
    }
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t s_[4]{};
};

}  // namespace sec5g::synth::detail
