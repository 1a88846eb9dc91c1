#include "cli.hpp"

#include <charconv>
#include <filesystem>
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

namespace {

/// `a` and `b` name the same file (see check_outputs_distinct).
bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  if (!ec) return false;  // both exist, and they differ
  const fs::path ca = fs::weakly_canonical(a, ec);
  if (ec) return a == b;
  const fs::path cb = fs::weakly_canonical(b, ec);
  if (ec) return a == b;
  return ca == cb;
}

/// "-" (standard input or output), or an existing file that is not a regular file (a pipe,
/// a FIFO, a device such as /dev/null or /dev/stdin).
bool is_stream(const std::string& path) {
  if (path == "-") return true;
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  return !ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st);
}

/// An output that writing cannot destroy: none, standard output, or a stream.
bool harmless_output(const std::string& path) { return path.empty() || is_stream(path); }

}  // namespace

void require_regular_input(const std::string& path, std::string_view why) {
  if (!is_stream(path)) return;
  throw usage_error(fmt::format("{}: not a regular file; {}: save the stream to a file first",
                                path, why));
}

void check_outputs_distinct(std::span<const named_path> inputs,
                            std::span<const named_path> outputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const named_path& out = outputs[i];
    if (harmless_output(out.path)) continue;
    for (const named_path& in : inputs) {
      if (!in.path.empty() && in.path != "-" && same_file(out.path, in.path))
        throw usage_error(fmt::format("{} {}: is also the input {} {}; writing it would destroy "
                                      "the input",
                                      out.option, out.path, in.option, in.path));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (!harmless_output(outputs[j].path) && same_file(out.path, outputs[j].path))
        throw usage_error(fmt::format("{} {}: is also the output {}; give each output its own "
                                      "file",
                                      out.option, out.path, outputs[j].option));
    }
  }
}

}  // namespace sec5g::cli
