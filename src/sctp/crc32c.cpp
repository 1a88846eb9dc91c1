#include "sec5g/sctp/crc32c.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace sec5g::sctp {

namespace {

// Reflected Castagnoli polynomial. Ref: RFC 9260 Appendix A.
constexpr std::uint32_t poly = 0x82F63B78u;

struct tables {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  constexpr tables() {
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1u) != 0 ? (c >> 1) ^ poly : c >> 1;
      t[0][i] = c;
    }
    for (std::uint32_t i = 0; i < 256; ++i) {
      for (std::size_t s = 1; s < 8; ++s)
        t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xffu];
    }
  }
};

constexpr tables crc_tables{};

std::uint32_t update_table(std::uint32_t crc, const std::uint8_t* p, std::size_t n) noexcept {
  const auto& t = crc_tables.t;
  while (n >= 8) {
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + 4, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    lo = __builtin_bswap32(lo);
    hi = __builtin_bswap32(hi);
#endif
    lo ^= crc;
    crc = t[7][lo & 0xffu] ^ t[6][(lo >> 8) & 0xffu] ^ t[5][(lo >> 16) & 0xffu] ^ t[4][lo >> 24] ^
          t[3][hi & 0xffu] ^ t[2][(hi >> 8) & 0xffu] ^ t[1][(hi >> 16) & 0xffu] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0)
    crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xffu];
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t
update_sse42(std::uint32_t crc, const std::uint8_t* p, std::size_t n) noexcept {
  std::uint64_t c = crc;
  while (n >= 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n-- > 0)
    c32 = _mm_crc32_u8(c32, *p++);
  return c32;
}

bool have_sse42() noexcept {
  static const bool has = __builtin_cpu_supports("sse4.2") != 0;
  return has;
}
#endif

std::uint32_t update(std::uint32_t crc, const std::uint8_t* p, std::size_t n) noexcept {
#if defined(__x86_64__)
  if (have_sse42()) return update_sse42(crc, p, n);
#endif
  return update_table(crc, p, n);
}

std::uint32_t load_le32(const std::uint8_t* p) noexcept {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

} // namespace

std::uint32_t crc32c(bytes_view data, std::uint32_t crc) noexcept {
  return ~update(~crc, data.data(), data.size());
}

std::uint32_t sctp_checksum(bytes_view packet) noexcept {
  if (packet.size() < 12) return 0;
  static constexpr std::uint8_t zeros[4] = {0, 0, 0, 0};
  std::uint32_t s = ~0u;
  s = update(s, packet.data(), 8);
  s = update(s, zeros, 4);
  s = update(s, packet.data() + 12, packet.size() - 12);
  return ~s;
}

std::uint32_t stored_checksum(bytes_view packet) noexcept {
  // The CRC is sent least significant octet first. Ref: RFC 9260 Appendix A.
  return packet.size() < 12 ? 0 : load_le32(packet.data() + 8);
}

void store_checksum(bytes_span packet) noexcept {
  if (packet.size() < 12) return;
  const std::uint32_t c = sctp_checksum(packet);
  packet[8] = static_cast<std::uint8_t>(c);
  packet[9] = static_cast<std::uint8_t>(c >> 8);
  packet[10] = static_cast<std::uint8_t>(c >> 16);
  packet[11] = static_cast<std::uint8_t>(c >> 24);
}

} // namespace sec5g::sctp
