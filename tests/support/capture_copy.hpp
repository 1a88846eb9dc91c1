#pragma once
// Test support: a whole capture read into memory (link type, frames with their time and
// octets), and written back as pcapng. Shared by the tests that rewrite real captures.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "sec5g/capture/pcapng_writer.hpp"
#include "sec5g/capture/reader.hpp"
#include "sec5g/core/bytes.hpp"

namespace sec5g::test {

/// One frame: capture time and octets.
struct frame_copy {
  std::int64_t ts = 0;
  byte_buffer data;
};

/// A capture in memory. `Frame` has at least `ts` and `data` (a test may add its own fields).
template <class Frame = frame_copy> struct capture_copy {
  capture::link_type link = capture::link_type::ethernet;
  std::vector<Frame> frames;
};

/// Every frame of `file` (a failed open is a test failure and gives no frames).
template <class Frame = frame_copy>
capture_copy<Frame> read_capture(const std::filesystem::path& file) {
  capture_copy<Frame> c;
  auto rd = capture::reader::open(file);
  EXPECT_TRUE(rd.has_value()) << file;
  if (!rd) return c;
  c.link = rd->link();
  while (true) {
    auto n = rd->next();
    if (!n || !*n) break;
    Frame f;
    f.ts = (*n)->timestamp_ns;
    f.data.assign((*n)->data.begin(), (*n)->data.end());
    c.frames.push_back(std::move(f));
  }
  return c;
}

/// Writes `c` to `file` as pcapng.
template <class Frame>
void write_capture(const std::filesystem::path& file, const capture_copy<Frame>& c) {
  auto w = capture::pcapng_writer::create(file, c.link);
  ASSERT_TRUE(w.has_value());
  for (const auto& f : c.frames)
    ASSERT_TRUE(w->write(f.ts, f.data).has_value());
  ASSERT_TRUE(w->close().has_value());
}

} // namespace sec5g::test
