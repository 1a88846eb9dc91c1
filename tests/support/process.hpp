#pragma once
// Test support: run a shell command and collect its standard output and exit status.
// Shared by the tests that drive the sec5g binary or tshark.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace sec5g::test {

struct command_result {
  int exit_code = -1;  ///< the exit status, or -1 when the command did not exit normally
  std::string out;     ///< everything written to stdout
};

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

}  // namespace sec5g::test
