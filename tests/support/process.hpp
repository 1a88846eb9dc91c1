#pragma once
// Test support: run a shell command and collect its standard output and exit status.
// Shared by the tests that drive the sec5g binary or tshark.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace sec5g::test {

struct command_result {
  int exit_code = -1;  ///< the exit status, or -1 when the command did not exit normally
  std::string out;     ///< everything written to stdout
};

#ifdef SEC5G_BINARY_DIR
/// The sec5g binary of this build (sec5g_add_test defines SEC5G_BINARY_DIR).
inline const std::string sec5g_bin = std::string(SEC5G_BINARY_DIR) + "/tools/sec5g/sec5g";
#endif
#ifdef SEC5G_SHARED_DIR
/// The shared captures (../shared/captures beside the checkout; keys in its keys/).
inline const std::filesystem::path shared_captures =
    std::filesystem::path(SEC5G_SHARED_DIR) / "captures";
#endif

/// Runs `cmd` through /bin/sh and returns its stdout and exit status.
inline command_result run_command(const std::string& cmd) {
  command_result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 65536> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// True when `tool` is on PATH.
inline bool have_tool(const std::string& tool) {
  return run_command("command -v " + tool + " >/dev/null 2>&1 && echo y").out == "y\n";
}

/// Single-quotes `s` for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

/// `s` cut at every `sep`, empty fields kept: "a,,b" -> {"a", "", "b"}, "" -> {""}.
inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

/// The lines of `text` (without their '\n'; a last line without '\n' is kept).
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

#ifdef SEC5G_SOURCE_DIR
/// Runs `sh script arg` once and returns its standard output, cached in `cache` by
/// tests/support/cached_output.sh (written atomically under a lock; regenerated when the script
/// or `arg`, the captures folder, is newer than the cache), because ctest runs every test case
/// in its own process. The ctest fixtures of sec5g_add_script_cache usually wrote it already.
/// Empty when `guard` (a shell condition, e.g. that tshark is installed) does not hold or the
/// script printed nothing.
inline std::string cached_script_output(const std::string& script, const std::string& arg,
                                        const std::string& cache,
                                        const std::string& guard = "true") {
  const std::string c = shell_quote(cache);
  const std::string cmd = "sh " + shell_quote(std::string(SEC5G_SOURCE_DIR) +
                                              "/tests/support/cached_output.sh") +
                          " " + shell_quote(script) + " " + shell_quote(arg) + " " + c + " " +
                          shell_quote(guard) + "; [ -s " + c + " ] && cat " + c;
  return run_command(cmd).out;
}
#endif

}  // namespace sec5g::test
