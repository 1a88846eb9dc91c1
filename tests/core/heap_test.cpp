// heap_prefer_huge_pages: the advice lands on the heap (the VMA carries the "hg" flag in
// /proc/self/smaps) and malloc keeps working on it.
#include "sec5g/core/heap.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sec5g {
namespace {

// True when a mapping of this process that contains `addr` has MADV_HUGEPAGE ("hg").
bool huge_page_advised(std::uintptr_t addr) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find(':') > line.find(' ')) {
      inside = addr >= lo && addr < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line.find(" hg") != std::string::npos;
  }
  return false;
}

TEST(Heap, RefusesSizesOutOfRange) {
  EXPECT_FALSE(heap_prefer_huge_pages(0));
  EXPECT_FALSE(heap_prefer_huge_pages(std::size_t{1} << 20));
  EXPECT_FALSE(heap_prefer_huge_pages(std::size_t{4} << 30));
}

TEST(Heap, AdvisesTheGrownHeapAndMallocStillWorks) {
  const bool taken = heap_prefer_huge_pages(std::size_t{16} << 20);
  // Small allocations from the main heap, written and checked.
  std::vector<void*> blocks;
  for (int i = 0; i < 4096; ++i) {
    void* p = std::malloc(1024);
    ASSERT_NE(p, nullptr);
    std::memset(p, i & 0xff, 1024);
    blocks.push_back(p);
  }
  bool any_advised = false;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(static_cast<unsigned char*>(blocks[i])[1023], i & 0xff);
    if (taken && huge_page_advised(reinterpret_cast<std::uintptr_t>(blocks[i]))) any_advised = true;
    if (any_advised) break;
  }
  for (void* p : blocks) std::free(p);
  if (!taken) GTEST_SKIP() << "the heap did not grow here or the kernel has no THP on request";
  EXPECT_TRUE(any_advised) << "no allocation landed in the advised range";
}

}  // namespace
}  // namespace sec5g
