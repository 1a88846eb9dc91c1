#pragma once
/// Offline pcap / pcapng reading through libpcap.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>

#include "sec5g/capture/frame.hpp"

namespace sec5g::capture {

/// How a reader parses the file.
enum class read_path : std::uint8_t {
  /// Directly (records parsed from a large read(2) buffer, or from the caller's memory) when
  /// libpcap would read the file the same way: host byte order, pcap 2.4 or one pcapng 1.0
  /// section with one link type and snaplen, us or ns time stamps, no time offset, a link type
  /// of link_type. Anything else, from the start or at the first record that is not plain
  /// (truncated, an SPB, another section, ...), goes through libpcap, which re-reads the file
  /// and skips the frames already returned: frames and errors are libpcap's in every case.
  automatic,
  libpcap,  ///< always libpcap (pcap_fopen_offline / pcap_next_ex); for cross-checks
};

/// Reads frames from a pcap or pcapng file: see read_path. Timestamps are read at nanosecond
/// precision whatever the file's resolution. Move-only. Iterating allocates nothing per packet:
/// each frame views the reader's buffer.
class reader {
public:
  /// Opens `file` ("-": standard input; a pipe or FIFO is read once, through libpcap). Errors:
  /// open_failed with "FILE: ..." (missing file, or not a capture).
  static std::expected<reader, capture_error> open(const std::filesystem::path& file,
                                                   read_path path = read_path::automatic) noexcept;

  /// Reads a capture held in memory (directly, or pcap_fopen_offline over fmemopen). `data`
  /// must outlive the reader. `name` is used in error messages. Used by the fuzz targets and
  /// tests.
  static std::expected<reader, capture_error> open_memory(
      bytes_view data, const char* name = "<memory>",
      read_path path = read_path::automatic) noexcept;

  reader(reader&&) noexcept;
  reader& operator=(reader&&) noexcept;
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;
  ~reader();

  /// The next frame, std::nullopt at the end of the file, or read_failed (e.g. a record cut
  /// short: the frames before it were valid). The frame's bytes are valid until the next call.
  std::expected<std::optional<frame>, capture_error> next() noexcept;

  /// The file's link type (LINKTYPE_* number).
  [[nodiscard]] link_type link() const noexcept { return link_; }
  /// The snapshot length recorded in the file.
  [[nodiscard]] std::uint32_t snaplen() const noexcept;
  /// True while the file is parsed directly, false once libpcap reads it (read_path).
  [[nodiscard]] bool direct() const noexcept;
  /// Number of frames returned so far.
  [[nodiscard]] std::uint64_t frames_read() const noexcept { return count_; }

private:
  struct impl;
  reader(std::unique_ptr<impl> p, link_type lt) noexcept;
  // Opens the prepared `p` (file or memory) and wraps it (open and open_memory).
  static std::expected<reader, capture_error> start(std::unique_ptr<impl> p, read_path path);
  std::unique_ptr<impl> impl_;
  link_type link_ = link_type::ethernet;
  std::uint64_t count_ = 0;
};

/// Maps a libpcap DLT_* value (pcap_datalink) to the LINKTYPE_* number written in files.
link_type link_type_from_dlt(int dlt) noexcept;

} // namespace sec5g::capture
