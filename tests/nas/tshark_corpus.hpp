#pragma once
// The NAS PDUs of the shared captures as tshark sees them (ngap.NAS_PDU per frame), with the
// NAS fields tshark decodes from them (nas-5gs.null_decipher on). Produced by running
// gen_tshark_golden.sh at test time; empty when tshark or the captures are missing.

#include <cstdio>
#include <string>
#include <vector>

#include "sec5g/core/hex.hpp"

namespace sec5g::nas::test {

/// One frame with NAS PDUs; `fields[i]` is the i-th tshark column after the PDUs.
struct tshark_frame {
  std::string capture;
  std::string frame;
  std::vector<byte_buffer> pdus;
  std::vector<std::string> fields;
};

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

/// Runs the generator script over SEC5G_SHARED_DIR/captures once per build tree: the output is
/// cached in SEC5G_BINARY_DIR/nas_tshark_frames.tsv (written atomically, regenerated when the
/// script is newer), because ctest runs every test case in its own process.
inline const std::vector<tshark_frame>& tshark_frames() {
  static const std::vector<tshark_frame> frames = [] {
    std::vector<tshark_frame> out;
    const std::string script = std::string(SEC5G_SOURCE_DIR) + "/tests/nas/gen_tshark_golden.sh";
    const std::string cache = std::string(SEC5G_BINARY_DIR) + "/nas_tshark_frames.tsv";
    std::string cmd = "if [ ! -s '";
    cmd.append(cache).append("' ] || [ '").append(script).append("' -nt '").append(cache);
    cmd.append("' ]; then sh '").append(script).append("' '").append(SEC5G_SHARED_DIR);
    cmd.append("/captures' > '").append(cache).append(".$$' 2>/dev/null && [ -s '");
    cmd.append(cache).append(".$$' ] && mv -f '").append(cache).append(".$$' '").append(cache);
    cmd.append("'; rm -f '").append(cache).append(".$$'; fi; cat '").append(cache);
    cmd.append("' 2>/dev/null");
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    std::string line;
    char buf[65536];
    while (std::fgets(buf, sizeof buf, p) != nullptr) {
      line += buf;
      if (line.empty() || line.back() != '\n') continue;
      line.pop_back();
      auto cols = split(line, '\t');
      line.clear();
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
    pclose(p);
    return out;
  }();
  return frames;
}

}  // namespace sec5g::nas::test
