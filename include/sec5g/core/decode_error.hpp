#pragma once
/// The error value of every decoder: what went wrong, where, in which field. No allocation.

#include <cstdint>
#include <string>

namespace sec5g {

/// What a decoder found wrong.
enum class decode_errc : std::uint8_t {
  truncated,        ///< fewer bytes than the encoding needs
  trailing_bytes,   ///< bytes left over where the encoding must end
  length_too_large, ///< a length field exceeds a resource maximum or its container
  bad_value,        ///< a field holds a value the spec forbids
  unsupported,      ///< valid but not handled (e.g. an unknown version or extension)
  nesting_too_deep, ///< containers nested past the decoder's limit
};

/// A decode error: code, byte offset from the start of the decoded unit, and the field name
/// (a string literal, e.g. "nas.ie.length"). Trivially copyable.
struct decode_error {
  decode_errc code = decode_errc::truncated;
  std::uint32_t offset = 0;
  const char* field = "";
};

/// Stable snake_case name of an error code, e.g. "truncated", "bad_value" (JSON keys).
const char* to_string(decode_errc code) noexcept;

/// "truncated at offset 12 (nas.ie.length)".
std::string describe(const decode_error& e);

}  // namespace sec5g
