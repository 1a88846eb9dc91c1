#pragma once
/// Transparent huge pages for the main heap of a long pipeline run.
///
/// An audit of a large capture builds tables of tens of MB (UE contexts, rule state, keys) from
/// many small allocations; on 4 KiB pages each first touch is a page fault (~8 500 on a
/// 20 000-UE registration storm: ~15% of its run time on a paravirtualized VM). Where Linux
/// offers transparent huge pages on request ("madvise" mode, the Debian default), this grows
/// the main heap by `reserve` octets at once and asks for huge pages there, as glibc's
/// `glibc.malloc.hugetlb=1` tunable would for the whole process (which can only be set from
/// the environment before the process starts). Memory is still committed only when touched (in
/// 2 MiB steps). No effect on other systems or when the kernel refuses; never fails.

#include <cstddef>

namespace sec5g {

/// Asks for transparent huge pages on the next `reserve` octets of the main heap (see the file
/// comment). Call once, early, from the main thread. Returns true when the advice was taken.
bool heap_prefer_huge_pages(std::size_t reserve) noexcept;

}  // namespace sec5g
