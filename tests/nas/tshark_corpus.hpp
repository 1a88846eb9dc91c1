#pragma once
// The NAS PDUs of the shared captures as tshark sees them (ngap.NAS_PDU per frame), with the
// NAS fields tshark decodes from them (nas-5gs.null_decipher on). Produced by running
// gen_tshark_golden.sh at test time; empty when tshark or the captures are missing.

#include <cstdio>
#include <string>
#include <vector>

#include "sec5g/core/hex.hpp"
#include "support/process.hpp"

namespace sec5g::nas::test {

/// One frame with NAS PDUs; `fields[i]` is the i-th tshark column after the PDUs.
struct tshark_frame {
  std::string capture;
  std::string frame;
  std::vector<byte_buffer> pdus;
  std::vector<std::string> fields;
};

using sec5g::test::split;

/// Runs the generator script (SEC5G_CACHE_SCRIPT, gen_tshark_golden.sh) over
/// SEC5G_SHARED_DIR/captures once: the output is cached in SEC5G_CACHE_FILE (written
/// atomically, regenerated when the script or the captures folder is newer), because ctest
/// runs every test case in its own process. CMakeLists.txt names both (the nas_tshark fixture).
inline const std::vector<tshark_frame>& tshark_frames() {
  static const std::vector<tshark_frame> frames = [] {
    std::vector<tshark_frame> out;
    const std::string text = sec5g::test::cached_script_output(
        SEC5G_CACHE_SCRIPT, std::string(SEC5G_SHARED_DIR) + "/captures", SEC5G_CACHE_FILE,
        "command -v tshark >/dev/null");
    for (const auto& line : sec5g::test::lines(text)) {
      auto cols = split(line, '\t');
      if (cols.size() < 4) continue;
      tshark_frame f;
      f.capture = cols[0];
      f.frame = cols[1];
      for (const auto& h : split(cols[2], ',')) {
        auto b = from_hex(h);
        if (b && !b->empty()) f.pdus.push_back(std::move(*b));
      }
      f.fields.assign(cols.begin() + 3, cols.end());
      out.push_back(std::move(f));
    }
    return out;
  }();
  return frames;
}

}  // namespace sec5g::nas::test
