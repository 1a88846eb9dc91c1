#pragma once
// Octets from a hex literal written in a test; a malformed literal is a bug in the test and
// throws (GoogleTest reports it as a failure of that test).
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "sec5g/core/hex.hpp"

namespace sec5g::test {

inline byte_buffer hex(std::string_view text) {
  auto b = from_hex(text);
  if (!b) throw std::invalid_argument("malformed hex literal in a test: " + std::string(text));
  return std::move(*b);
}

} // namespace sec5g::test
