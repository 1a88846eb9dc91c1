#pragma once
/// CRC32c (Castagnoli), the SCTP checksum. Ref: RFC 9260 Appendix A, RFC 3309.

#include <cstdint>

#include "sec5g/core/bytes.hpp"

namespace sec5g::sctp {

/// Updates a CRC32c over `data`. Start with crc = 0 for a fresh checksum; the value returned is
/// the final (inverted) CRC, and can be passed back as `crc` to continue over more bytes.
/// Uses SSE4.2 crc32 instructions when the CPU has them, else a slicing-by-8 table.
std::uint32_t crc32c(bytes_view data, std::uint32_t crc = 0) noexcept;

/// The checksum of an SCTP packet (common header + chunks), computed as if the checksum field
/// (octets 8..11) were zero. Packets shorter than 12 octets give 0.
std::uint32_t sctp_checksum(bytes_view packet) noexcept;

/// The checksum stored in an SCTP packet, in the same representation as sctp_checksum()
/// (the CRC is transmitted least significant octet first). Packets shorter than 12 give 0.
std::uint32_t stored_checksum(bytes_view packet) noexcept;

/// Writes sctp_checksum() into octets 8..11 of `packet` (no-op if shorter than 12).
void store_checksum(bytes_span packet) noexcept;

} // namespace sec5g::sctp
