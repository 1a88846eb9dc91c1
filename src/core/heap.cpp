// Transparent huge pages for the main heap. See heap.hpp.
#include "sec5g/core/heap.hpp"

#include <cstdint>
#include <cstdlib>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace sec5g {

bool heap_prefer_huge_pages(std::size_t reserve) noexcept {
#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  if (reserve < 2 * huge || reserve > (std::size_t{1} << 30)) return false;
  // Grow the heap by `reserve` at once: glibc extends it by the request plus M_TOP_PAD, and
  // keeps M_TOP_PAD octets when it trims after a free.
  if (mallopt(M_TOP_PAD, static_cast<int>(reserve)) != 1) return false;
  // Allocations of 64 KiB (below glibc's smallest mmap threshold: served from the main heap)
  // until the heap grows.
  const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
  void* blocks[8] = {};
  std::uintptr_t after = before;
  for (auto& b : blocks) {
    b = std::malloc(std::size_t{64} << 10);
    after = reinterpret_cast<std::uintptr_t>(sbrk(0));
    if (b == nullptr || after != before) break;
  }
  for (void* b : blocks) std::free(b);
  if (before == static_cast<std::uintptr_t>(-1) || after == static_cast<std::uintptr_t>(-1) ||
      after <= before)
    return false;  // the heap did not grow here (already large, or not brk-based)
  const std::uintptr_t from = (before + huge - 1) & ~(huge - 1);
  const std::uintptr_t to = after & ~(huge - 1);
  if (to <= from) return false;
  return madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE) == 0;
#else
  (void)reserve;
  return false;
#endif
}

}  // namespace sec5g
