#pragma once
/// Shared plumbing of the sec5g command line: exit codes, errors, argument parsing helpers.
/// The CLI is the only code that prints, parses argv, catches exceptions and picks exit codes.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/hex.hpp"
#include "sec5g/core/secret.hpp"

namespace sec5g::cli {

/// Exit codes (STYLE.md "CLI").
enum exit_code : int {
  exit_ok = 0,
  exit_findings = 1,
  exit_usage = 2,
  exit_input = 3,
  exit_internal = 4,
};

/// Bad arguments: printed as one line, exit 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// Unreadable or invalid input data (files, SUCIs, captures): printed as one line, exit 3.
struct input_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The work of the subcommand the user picked; returns the exit code.
using action = std::function<int()>;

/// Parses hex for option `option` (e.g. "--key"); throws usage_error naming the option.
byte_buffer parse_hex(std::string_view option, std::string_view text);
/// Parses exactly N octets of hex; throws usage_error naming the option and the expected size.
void parse_hex_exact(std::string_view option, std::string_view text, bytes_span out);
template <std::size_t N>
byte_array<N> parse_hex_array(std::string_view option, std::string_view text) {
  byte_array<N> out{};
  parse_hex_exact(option, text, out);
  return out;
}
template <std::size_t N>
secret<N> parse_hex_secret(std::string_view option, std::string_view text) {
  secret<N> out;
  parse_hex_exact(option, text, out.mutable_view());
  return out;
}
/// Parses an unsigned decimal (or 0x-prefixed hex) integer within [lo, hi].
std::uint64_t parse_uint(std::string_view option, std::string_view text, std::uint64_t lo,
                         std::uint64_t hi);

/// Reads a whole file, or standard input for "-". Throws input_error naming the file.
std::string read_text_file(const std::string& path);

/// Throws usage_error when `path` is "-" (standard input) or names an existing file that is not
/// a regular file (a pipe, a FIFO, /dev/stdin, a device), which a command that reads its
/// input twice cannot use; `why` says why the command reads it twice.
void require_regular_input(const std::string& path, std::string_view why);

/// A file named on the command line: the option that names it ("FILE", "-o", "--keys", ...)
/// and its path.
struct named_path {
  std::string_view option;
  std::string path;
};

/// Throws usage_error when an output names the same file as an input or as another output
/// (`decipher cap.pcap -o cap.pcap` would truncate the capture before reading it; `-o` on
/// the key file would destroy the keys). Same file: the same inode when both exist (links,
/// `./x` and `x`), else the same normalised path. Outputs "-" (standard output) and existing
/// outputs that are not regular files (/dev/null, a FIFO, a terminal) are never refused.
void check_outputs_distinct(std::span<const named_path> inputs,
                            std::span<const named_path> outputs);

}  // namespace sec5g::cli
