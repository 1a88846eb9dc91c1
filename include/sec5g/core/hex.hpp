#pragma once
/// Hexadecimal text <-> bytes. Input is case-insensitive, output lowercase.

#include <expected>
#include <string>
#include <string_view>

#include "sec5g/core/bytes.hpp"

namespace sec5g {

/// Why a hex string was rejected.
enum class hex_errc : std::uint8_t {
  odd_length,     ///< an odd number of hex digits
  bad_digit,      ///< a character outside [0-9a-fA-F]
  wrong_length,   ///< a fixed-size parse got another number of octets
};

/// A hex parse error: the code and the character offset where it was detected.
struct hex_error {
  hex_errc code;
  std::size_t offset;
};

/// A short English description of a hex error, e.g. "bad hex digit at offset 3".
std::string describe(const hex_error& e);

/// Lowercase hex of `data`, two digits per octet, no separators.
std::string to_hex(bytes_view data);

/// Parses hex digits (no separators, optional leading "0x") into octets.
std::expected<byte_buffer, hex_error> from_hex(std::string_view text) noexcept;

/// Parses exactly `out.size()` octets of hex into `out`.
std::expected<void, hex_error> from_hex_into(std::string_view text, bytes_span out) noexcept;

}  // namespace sec5g
