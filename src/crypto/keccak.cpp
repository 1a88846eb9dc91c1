// Keccak-f[1600] (FIPS 202 3.2: theta, rho, pi, chi, iota; 24 rounds), written from the spec.
#include "sec5g/crypto/keccak.hpp"

#include <bit>

namespace sec5g::crypto {

namespace {

// Round constants RC[ir] (FIPS 202 3.2.5, Algorithm 5 evaluated).
constexpr std::uint64_t round_constants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// rho offsets r[x + 5y] (FIPS 202 3.2.2, Table 2).
constexpr int rho_offsets[25] = {
    0,  1,  62, 28, 27,  //
    36, 44, 6,  55, 20,  //
    3,  10, 43, 25, 39,  //
    41, 45, 15, 21, 8,   //
    18, 2,  61, 56, 14,
};

}  // namespace

void keccak_f1600(std::array<std::uint64_t, 25>& a) noexcept {
  for (const std::uint64_t rc : round_constants) {
    // theta
    std::uint64_t c[5];
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; ++x) {
      const std::uint64_t d = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    // rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
    std::array<std::uint64_t, 25> b;
    for (int x = 0; x < 5; ++x) {
      for (int y = 0; y < 5; ++y) {
        b[y + 5 * ((2 * x + 3 * y) % 5)] = std::rotl(a[x + 5 * y], rho_offsets[x + 5 * y]);
      }
    }
    // chi
    for (int y = 0; y < 25; y += 5) {
      for (int x = 0; x < 5; ++x) a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
    }
    // iota
    a[0] ^= rc;
  }
}

void keccak_f1600(std::span<std::uint8_t, 200> state) noexcept {
  std::array<std::uint64_t, 25> lanes{};
  for (std::size_t i = 0; i < 25; ++i) {
    std::uint64_t v = 0;
    for (std::size_t j = 0; j < 8; ++j) v |= std::uint64_t{state[8 * i + j]} << (8 * j);
    lanes[i] = v;
  }
  keccak_f1600(lanes);
  for (std::size_t i = 0; i < 25; ++i) {
    for (std::size_t j = 0; j < 8; ++j) state[8 * i + j] = static_cast<std::uint8_t>(lanes[i] >> (8 * j));
  }
  lanes.fill(0);
}

}  // namespace sec5g::crypto
