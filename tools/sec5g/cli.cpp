#include "cli.hpp"

#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

namespace sec5g::cli {

byte_buffer parse_hex(std::string_view option, std::string_view text) {
  auto v = from_hex(text);
  if (!v) throw usage_error(fmt::format("{}: {}", option, describe(v.error())));
  return std::move(*v);
}

void parse_hex_exact(std::string_view option, std::string_view text, bytes_span out) {
  auto r = from_hex_into(text, out);
  if (!r) {
    if (r.error().code == hex_errc::wrong_length)
      throw usage_error(fmt::format("{}: expected {} octets ({} hex digits), got {} octets", option,
                                    out.size(), 2 * out.size(), r.error().offset));
    throw usage_error(fmt::format("{}: {}", option, describe(r.error())));
  }
}

std::uint64_t parse_uint(std::string_view option, std::string_view text, std::uint64_t lo,
                         std::uint64_t hi) {
  std::uint64_t v = 0;
  int base = 10;
  std::string_view digits = text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  const auto* end = digits.data() + digits.size();
  const auto [p, ec] = std::from_chars(digits.data(), end, v, base);
  if (digits.empty() || ec != std::errc{} || p != end)
    throw usage_error(fmt::format("{}: '{}' is not an unsigned integer", option, text));
  if (v < lo || v > hi)
    throw usage_error(fmt::format("{}: {} is outside {}..{}", option, v, lo, hi));
  return v;
}

std::string read_text_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(fmt::format("{}: cannot open", path));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace sec5g::cli
