#include "sec5g/core/hex.hpp"

#include <fmt/format.h>

#include <array>

namespace sec5g {
namespace {

/// The value of each hex digit, 0xff for every other octet: one load per digit instead of
/// three range tests (a key file of 20 000 subscribers has 1.3 million digits).
constexpr std::array<std::uint8_t, 256> nibbles = [] {
  std::array<std::uint8_t, 256> t{};
  t.fill(0xff);
  for (int c = '0'; c <= '9'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) {
    t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'a' + 10);
    t[static_cast<std::size_t>(c - 'a' + 'A')] = static_cast<std::uint8_t>(c - 'a' + 10);
  }
  return t;
}();

int nibble(char c) noexcept {
  const std::uint8_t v = nibbles[static_cast<unsigned char>(c)];
  return v == 0xff ? -1 : v;
}

std::string_view strip_prefix(std::string_view text, std::size_t& skipped) noexcept {
  skipped = 0;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    skipped = 2;
    text.remove_prefix(2);
  }
  return text;
}

std::expected<void, hex_error> decode(std::string_view digits, std::size_t skipped,
                                      std::uint8_t* out) noexcept {
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const int hi = nibble(digits[i]);
    if (hi < 0) return std::unexpected(hex_error{hex_errc::bad_digit, skipped + i});
    const int lo = nibble(digits[i + 1]);
    if (lo < 0) return std::unexpected(hex_error{hex_errc::bad_digit, skipped + i + 1});
    out[i / 2] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return {};
}

}  // namespace

std::string describe(const hex_error& e) {
  switch (e.code) {
    case hex_errc::odd_length: return "odd number of hex digits";
    case hex_errc::bad_digit: return fmt::format("bad hex digit at offset {}", e.offset);
    case hex_errc::wrong_length: return fmt::format("wrong length ({} octets)", e.offset);
  }
  return "bad hex";
}

std::string to_hex(bytes_view data) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(data.size() * 2, '0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    s[2 * i] = digits[data[i] >> 4];
    s[2 * i + 1] = digits[data[i] & 0xf];
  }
  return s;
}

std::expected<byte_buffer, hex_error> from_hex(std::string_view text) noexcept {
  std::size_t skipped = 0;
  text = strip_prefix(text, skipped);
  if (text.size() % 2 != 0) return std::unexpected(hex_error{hex_errc::odd_length, text.size()});
  byte_buffer out(text.size() / 2);
  if (auto r = decode(text, skipped, out.data()); !r) return std::unexpected(r.error());
  return out;
}

std::expected<void, hex_error> from_hex_into(std::string_view text, bytes_span out) noexcept {
  std::size_t skipped = 0;
  text = strip_prefix(text, skipped);
  if (text.size() % 2 != 0) return std::unexpected(hex_error{hex_errc::odd_length, text.size()});
  if (text.size() / 2 != out.size())
    return std::unexpected(hex_error{hex_errc::wrong_length, text.size() / 2});
  return decode(text, skipped, out.data());
}

}  // namespace sec5g
