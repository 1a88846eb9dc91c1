#pragma once
// Test data for the ngap tests: the committed seed corpus (fuzz/corpus/ngap, NGAP PDUs taken
// from the shared captures) and, when tshark is installed, every NGAP PDU of the shared
// captures with the fields tshark decodes from them (gen_tshark_ngap.sh, cached in the build
// tree because ctest runs each test case in its own process).

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/hex.hpp"
#include "support/process.hpp"

namespace sec5g::ngap::test {

using sec5g::test::split;

/// The seed corpus files (name, bytes), sorted by name.
inline std::vector<std::pair<std::string, byte_buffer>> corpus_pdus() {
  std::vector<std::pair<std::string, byte_buffer>> out;
  const std::filesystem::path dir = std::filesystem::path(SEC5G_SOURCE_DIR) / "fuzz/corpus/ngap";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    byte_buffer b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    out.emplace_back(e.path().filename().string(), std::move(b));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// One frame of a capture: its NGAP PDUs and tshark's columns for it.
struct tshark_frame {
  std::string capture;
  std::string frame;
  std::vector<byte_buffer> pdus;
  std::vector<std::string> fields; // NGAP_PDU .. eUTRAint (see gen_tshark_ngap.sh)
};

/// Every frame with NGAP of the shared captures; empty when tshark or the captures are missing.
inline const std::vector<tshark_frame>& tshark_frames() {
  static const std::vector<tshark_frame> frames = [] {
    std::vector<tshark_frame> out;
    const std::string text = sec5g::test::cached_script_output(
        SEC5G_CACHE_SCRIPT, std::string(SEC5G_SHARED_DIR) + "/captures", SEC5G_CACHE_FILE,
        "command -v tshark >/dev/null");
    std::map<std::string, std::size_t> index;
    for (const auto& line : sec5g::test::lines(text)) {
      auto cols = split(line, '\t');
      if (cols.size() < 4) continue;
      const std::string key = cols[1] + ":" + cols[2];
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(key, out.size()).first;
        out.push_back(tshark_frame{cols[1], cols[2], {}, {}});
      }
      tshark_frame& f = out[it->second];
      if (cols[0] == "P") {
        for (const auto& h : split(cols[3], ',')) {
          auto b = from_hex(h);
          if (b) f.pdus.push_back(std::move(*b));
        }
      } else if (cols[0] == "T") {
        f.fields.assign(cols.begin() + 3, cols.end());
      }
    }
    return out;
  }();
  return frames;
}

} // namespace sec5g::ngap::test
