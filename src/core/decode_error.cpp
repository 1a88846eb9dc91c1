#include "sec5g/core/decode_error.hpp"

#include <fmt/format.h>

namespace sec5g {

const char* to_string(decode_errc code) noexcept {
  switch (code) {
    case decode_errc::truncated: return "truncated";
    case decode_errc::trailing_bytes: return "trailing_bytes";
    case decode_errc::length_too_large: return "length_too_large";
    case decode_errc::bad_value: return "bad_value";
    case decode_errc::unsupported: return "unsupported";
    case decode_errc::nesting_too_deep: return "nesting_too_deep";
  }
  return "error";
}

namespace {
const char* human(decode_errc code) noexcept {
  switch (code) {
    case decode_errc::truncated: return "truncated";
    case decode_errc::trailing_bytes: return "trailing bytes";
    case decode_errc::length_too_large: return "length too large";
    case decode_errc::bad_value: return "bad value";
    case decode_errc::unsupported: return "unsupported";
    case decode_errc::nesting_too_deep: return "nesting too deep";
  }
  return "error";
}
}  // namespace

std::string describe(const decode_error& e) {
  return fmt::format("{} at offset {} ({})", human(e.code), e.offset,
                     e.field != nullptr ? e.field : "");
}

}  // namespace sec5g
