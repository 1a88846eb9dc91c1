#pragma once
/// Seeded hashing for tables keyed by untrusted data (ids, addresses, verification tags,
/// identities read from a capture). The seed is drawn once per process, so that crafted keys
/// cannot be made to fall into one bucket or probe sequence (hash flooding: every look-up would
/// walk the whole table). A table hashed this way iterates in a different order in every run:
/// only tables whose iteration order reaches no output may use it.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string_view>

namespace sec5g {

/// The process's hash seed (std::random_device, once; opening it costs tens of microseconds,
/// too much per table).
[[nodiscard]] inline std::uint64_t process_hash_seed() noexcept {
  static const std::uint64_t seed = []() noexcept -> std::uint64_t {
    try {
      std::random_device rd;
      return (std::uint64_t{rd()} << 32) ^ rd();
    } catch (...) {
      // No entropy source: the address of this static's initializer (ASLR) still varies.
      return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&process_hash_seed)) *
             0x9E3779B97F4A7C15ULL;
    }
  }();
  return seed;
}

/// MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
[[nodiscard]] constexpr std::uint64_t fmix64(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/// A 64-bit key, seeded.
[[nodiscard]] inline std::uint64_t seeded_hash(std::uint64_t key) noexcept {
  return fmix64(key ^ process_hash_seed());
}

/// An octet string, seeded: the length, then each 8-octet word through the finalizer.
[[nodiscard]] inline std::uint64_t seeded_hash(std::string_view key) noexcept {
  std::uint64_t h = fmix64(process_hash_seed() ^ key.size());
  std::size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, key.data() + i, 8);
    h = fmix64(h ^ w);
  }
  std::uint64_t w = 0;
  if (i < key.size()) std::memcpy(&w, key.data() + i, key.size() - i);
  return fmix64(h ^ w);
}

/// Hash for std::unordered_map / unordered_set keyed by strings from untrusted input
/// (transparent: look-ups by std::string_view need std::equal_to<> as well).
struct seeded_string_hash {
  using is_transparent = void;
  [[nodiscard]] std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(seeded_hash(s));
  }
};

} // namespace sec5g
