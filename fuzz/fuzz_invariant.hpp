#pragma once
// Shared by the fuzz targets whose invariants print the failing input before they stop.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace sec5g::fuzz {

/// An invariant failed: prints which one (if given) and the input (hex) so that it can be
/// replayed, then aborts (the drivers report SIGABRT as a finding).
[[noreturn]] inline void invariant_failed(const std::uint8_t* data, std::size_t size,
                                          const char* what = nullptr) {
  if (what != nullptr) std::fprintf(stderr, "invariant failed (%s) on input: ", what);
  else std::fprintf(stderr, "invariant failed on input: ");
  for (std::size_t i = 0; i < size; ++i) std::fprintf(stderr, "%02x", data[i]);
  std::fprintf(stderr, "\n");
  std::abort();
}

}  // namespace sec5g::fuzz
