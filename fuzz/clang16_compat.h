// Forced include (-include) for the libFuzzer build with clang 16 (docs/FUZZING.md): clang 16's
// __builtin_cpu_supports rejects the "vaes" and "adx" feature strings the crypto and identity
// modules test at run time (g++ 12 accepts them), so the builtin is replaced here by a CPUID /
// XGETBV look-up of the same features. Not used by the g++ builds.
#pragma once
#if defined(__clang__) && defined(__x86_64__)
#include <cpuid.h>
#include <cstring>

inline bool sec5g_fuzz_cpu_supports(const char* f) noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  __get_cpuid(1, &a, &b, &c, &d);
  const unsigned ecx1 = c;
  unsigned long long xcr0 = 0;
  if ((ecx1 & (1u << 27)) != 0) {  // OSXSAVE
    unsigned lo = 0, hi = 0;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    xcr0 = (static_cast<unsigned long long>(hi) << 32) | lo;
  }
  const bool os_avx = (xcr0 & 0x6u) == 0x6u;
  const bool os_avx512 = os_avx && (xcr0 & 0xE0u) == 0xE0u;
  a = b = c = d = 0;
  __get_cpuid_count(7, 0, &a, &b, &c, &d);
  if (std::strcmp(f, "aes") == 0) return (ecx1 & (1u << 25)) != 0;
  if (std::strcmp(f, "ssse3") == 0) return (ecx1 & (1u << 9)) != 0;
  if (std::strcmp(f, "sse4.1") == 0) return (ecx1 & (1u << 19)) != 0;
  if (std::strcmp(f, "sse4.2") == 0) return (ecx1 & (1u << 20)) != 0;
  if (std::strcmp(f, "bmi2") == 0) return (b & (1u << 8)) != 0;
  if (std::strcmp(f, "adx") == 0) return (b & (1u << 19)) != 0;
  if (std::strcmp(f, "avx512f") == 0) return os_avx512 && (b & (1u << 16)) != 0;
  if (std::strcmp(f, "avx512bw") == 0) return os_avx512 && (b & (1u << 30)) != 0;
  if (std::strcmp(f, "vaes") == 0) return os_avx && (c & (1u << 9)) != 0;
  return false;
}
#define __builtin_cpu_supports(f) sec5g_fuzz_cpu_supports(f)
#endif
