#pragma once
// The tests' own Internet checksums (RFC 1071 one 16-bit word at a time), independent of the
// code under test: the oracle of the tunnel checksum tests, and how they build datagrams whose
// outer checksums are right.
#include <algorithm>
#include <cstdint>

#include "sec5g/core/bytes.hpp"

namespace sec5g::test {

/// The RFC 1071 checksum of `a` (an odd last octet padded with zero).
inline std::uint16_t oracle_checksum(bytes_view a) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < a.size(); i += 2)
    sum += static_cast<std::uint32_t>(a[i] << 8) | (i + 1 < a.size() ? a[i + 1] : 0u);
  while ((sum >> 16) != 0)
    sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffffu);
}

/// The UDP checksum the IPv4 (20-octet header) or IPv6 (40, no extension header) datagram
/// `dg` should carry: over the pseudo-header and the UDP datagram, its checksum field read as
/// zero; a computed 0 is sent as 0xffff. Ref: RFC 768, RFC 8200 8.1.
inline std::uint16_t oracle_udp_checksum(bytes_view dg) {
  const bool v6 = (dg[0] >> 4) == 6;
  const std::size_t hl = v6 ? 40 : 20;
  const std::size_t len = dg.size() - hl;
  byte_buffer p((v6 ? 40 : 12) + len, 0);
  std::copy_n(dg.begin() + (v6 ? 8 : 12), v6 ? 32 : 8, p.begin());
  if (v6) {
    store_be32(p.data() + 32, static_cast<std::uint32_t>(len));
    p[39] = 17;
  } else {
    p[9] = 17;
    store_be16(p.data() + 10, static_cast<std::uint16_t>(len));
  }
  const std::size_t at = p.size() - len;
  std::copy(dg.begin() + static_cast<std::ptrdiff_t>(hl), dg.end(),
            p.begin() + static_cast<std::ptrdiff_t>(at));
  p[at + 6] = 0;
  p[at + 7] = 0;
  const std::uint16_t c = oracle_checksum(p);
  return c == 0 ? 0xffff : c;
}

}  // namespace sec5g::test
