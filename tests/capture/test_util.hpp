#pragma once
// Helpers shared by the capture tests: temp files, frames, tshark.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "sec5g/capture/frame.hpp"
#include "sec5g/core/bytes.hpp"
#include "support/process.hpp"

namespace sec5g::capture::test {

inline std::filesystem::path temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "sec5g_capture_tests";
  std::filesystem::create_directories(dir);
  return dir / (std::to_string(::getpid()) + "_" + name);
}

inline void write_file(const std::filesystem::path& p, bytes_view data) {
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

inline byte_buffer read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return byte_buffer((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline frame make_frame(link_type lt, bytes_view data, std::uint64_t number = 1,
                        std::int64_t ts = 0, std::uint32_t original_len = 0) {
  frame f;
  f.number = number;
  f.timestamp_ns = ts;
  f.data = data;
  f.original_len = original_len == 0 ? static_cast<std::uint32_t>(data.size()) : original_len;
  f.link = lt;
  return f;
}

inline bool have_tshark() { return sec5g::test::have_tool("tshark"); }

/// Runs a shell command and returns its stdout.
inline std::string run_command(const std::string& cmd) {
  return sec5g::test::run_command(cmd).out;
}

} // namespace sec5g::capture::test
