#pragma once
/// pcapng output: section header, one interface description, enhanced packet blocks with
/// packet comments. Used for annotated / deciphered captures and by the synthesizer.
/// Ref: draft-ietf-opsawg-pcapng (SHB 4.1, IDB 4.2, EPB 4.3, opt_comment 3.5).

#include <cstdint>
#include <cstdio>
#include <expected>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include "sec5g/capture/frame.hpp"
#include "sec5g/core/bytes.hpp"

namespace sec5g::capture {

/// Timestamp resolution written in the interface description (if_tsresol).
enum class ts_resolution : std::uint8_t {
  nanoseconds = 9,  ///< if_tsresol = 9: timestamps counted in ns (the default here)
  microseconds = 6, ///< if_tsresol = 6 (pcapng's implicit default): ns are rounded down to us
};

/// Options of a pcapng section / interface.
struct pcapng_options {
  ts_resolution resolution = ts_resolution::nanoseconds;
  std::uint32_t snaplen = 262144;
  std::string_view application = "sec5g"; ///< shb_userappl; empty = none
};

/// One packet to write. `original_len` 0 means data.size().
struct packet_record {
  std::int64_t timestamp_ns = 0;
  bytes_view data;
  std::uint32_t original_len = 0;
  /// Packet comments (opt_comment, UTF-8), one option each; empty = none.
  std::span<const std::string_view> comments;
};

/// Appends a section header block (little-endian) to `out`.
void append_section_header(byte_buffer& out, const pcapng_options& opt = {});
/// Appends an interface description block with `lt`, snaplen and if_tsresol.
void append_interface_description(byte_buffer& out, link_type lt, const pcapng_options& opt = {});
/// Appends an enhanced packet block for interface 0 with its comments.
void append_enhanced_packet(byte_buffer& out, const packet_record& rec,
                            ts_resolution res = ts_resolution::nanoseconds);

/// Writes a pcapng file with one interface. Move-only; close() (or the destructor) flushes.
class pcapng_writer {
public:
  /// Creates (truncates) `file` and writes the section header and interface description.
  static std::expected<pcapng_writer, capture_error>
  create(const std::filesystem::path& file, link_type lt, const pcapng_options& opt = {});
  pcapng_writer(pcapng_writer&&) noexcept;
  pcapng_writer& operator=(pcapng_writer&&) noexcept;
  ~pcapng_writer();

  /// Writes one enhanced packet block.
  std::expected<void, capture_error> write(const packet_record& rec);
  /// Convenience: one packet with at most one comment (empty = none).
  std::expected<void, capture_error> write(std::int64_t timestamp_ns, bytes_view data,
                                           std::string_view comment = {});
  /// Flushes and closes; further writes fail. Idempotent.
  std::expected<void, capture_error> close();
  /// Packets written so far.
  [[nodiscard]] std::uint64_t packets() const noexcept { return packets_; }

private:
  pcapng_writer() = default;
  struct file_closer {
    void operator()(std::FILE* f) const noexcept;
  };
  std::unique_ptr<std::FILE, file_closer> file_;
  std::string path_;
  pcapng_options opt_;
  byte_buffer scratch_;
  std::uint64_t packets_ = 0;
};

} // namespace sec5g::capture
