#include "sec5g/capture/pcapng_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sec5g::capture {

namespace {

// pcapng is written little-endian (the byte-order magic tells readers which order we used).
void le16(byte_buffer& o, std::uint16_t v) {
  o.push_back(static_cast<std::uint8_t>(v));
  o.push_back(static_cast<std::uint8_t>(v >> 8));
}
void le32(byte_buffer& o, std::uint32_t v) {
  le16(o, static_cast<std::uint16_t>(v));
  le16(o, static_cast<std::uint16_t>(v >> 16));
}
void patch_le32(byte_buffer& o, std::size_t at, std::uint32_t v) {
  o[at] = static_cast<std::uint8_t>(v);
  o[at + 1] = static_cast<std::uint8_t>(v >> 8);
  o[at + 2] = static_cast<std::uint8_t>(v >> 16);
  o[at + 3] = static_cast<std::uint8_t>(v >> 24);
}
void pad4(byte_buffer& o) {
  while (o.size() % 4 != 0)
    o.push_back(0);
}
// An option: code, length, value padded to 32 bits. Ref: pcapng 3.5.
void option(byte_buffer& o, std::uint16_t code, bytes_view value) {
  le16(o, code);
  le16(o, static_cast<std::uint16_t>(value.size()));
  o.insert(o.end(), value.begin(), value.end());
  pad4(o);
}
void option_text(byte_buffer& o, std::uint16_t code, std::string_view text) {
  // Option values are at most 65535 octets long: longer text is cut.
  const std::size_t n = text.size() > 65532 ? 65532 : text.size();
  option(o, code, bytes_view(reinterpret_cast<const std::uint8_t*>(text.data()), n));
}
std::size_t begin_block(byte_buffer& o, std::uint32_t type) {
  const std::size_t at = o.size();
  le32(o, type);
  le32(o, 0);
  return at;
}
void end_block(byte_buffer& o, std::size_t at) {
  const auto len = static_cast<std::uint32_t>(o.size() - at + 4);
  le32(o, len);
  patch_le32(o, at + 4, len);
}

} // namespace

void append_section_header(byte_buffer& out, const pcapng_options& opt) {
  // Ref: pcapng 4.1 Section Header Block.
  const std::size_t at = begin_block(out, 0x0A0D0D0Au);
  le32(out, 0x1A2B3C4Du);
  le16(out, 1);
  le16(out, 0);
  le32(out, 0xffffffffu); // section length unknown (-1)
  le32(out, 0xffffffffu);
  if (!opt.application.empty()) {
    option_text(out, 4, opt.application); // shb_userappl
    le32(out, 0);                         // opt_endofopt
  }
  end_block(out, at);
}

void append_interface_description(byte_buffer& out, link_type lt, const pcapng_options& opt) {
  // Ref: pcapng 4.2 Interface Description Block; if_tsresol = option 9.
  const std::size_t at = begin_block(out, 1);
  le16(out, static_cast<std::uint16_t>(lt));
  le16(out, 0);
  le32(out, opt.snaplen);
  const std::uint8_t res = static_cast<std::uint8_t>(opt.resolution);
  option(out, 9, bytes_view(&res, 1));
  le32(out, 0);
  end_block(out, at);
}

void append_enhanced_packet(byte_buffer& out, const packet_record& rec, ts_resolution res) {
  // Ref: pcapng 4.3 Enhanced Packet Block; opt_comment = option 1.
  const std::size_t at = begin_block(out, 6);
  le32(out, 0); // interface id
  const std::uint64_t ts = res == ts_resolution::nanoseconds
                               ? static_cast<std::uint64_t>(rec.timestamp_ns)
                               : static_cast<std::uint64_t>(rec.timestamp_ns / 1000);
  le32(out, static_cast<std::uint32_t>(ts >> 32));
  le32(out, static_cast<std::uint32_t>(ts));
  const auto caplen = static_cast<std::uint32_t>(rec.data.size());
  le32(out, caplen);
  le32(out, rec.original_len == 0 || rec.original_len < caplen ? caplen : rec.original_len);
  out.insert(out.end(), rec.data.begin(), rec.data.end());
  pad4(out);
  if (!rec.comments.empty()) {
    for (const auto c : rec.comments)
      option_text(out, 1, c);
    le32(out, 0);
  }
  end_block(out, at);
}

void pcapng_writer::file_closer::operator()(std::FILE* f) const noexcept {
  if (f != nullptr) std::fclose(f);
}

pcapng_writer::pcapng_writer(pcapng_writer&&) noexcept = default;
pcapng_writer& pcapng_writer::operator=(pcapng_writer&&) noexcept = default;
pcapng_writer::~pcapng_writer() {
  (void)close();
}

std::expected<pcapng_writer, capture_error>
pcapng_writer::create(const std::filesystem::path& file, link_type lt, const pcapng_options& opt) {
  pcapng_writer w;
  w.path_ = file.string();
  w.opt_ = opt;
  if (w.path_ == "-") {
    // Standard output (e.g. `sec5g decipher ... -o - | wireshark -k -i -`); a dup, so that
    // closing the writer leaves the process's stdout alone.
    const int fd = ::dup(STDOUT_FILENO);
    w.file_.reset(fd >= 0 ? ::fdopen(fd, "wb") : nullptr);
    if (!w.file_ && fd >= 0) ::close(fd);
  } else {
    w.file_.reset(std::fopen(w.path_.c_str(), "wb"));
  }
  if (!w.file_) {
    return std::unexpected(
        capture_error{capture_error::kind::write_failed,
                      w.path_ + ": cannot create (" + std::strerror(errno) + ")"});
  }
  append_section_header(w.scratch_, opt);
  append_interface_description(w.scratch_, lt, opt);
  if (std::fwrite(w.scratch_.data(), 1, w.scratch_.size(), w.file_.get()) != w.scratch_.size()) {
    return std::unexpected(
        capture_error{capture_error::kind::write_failed, w.path_ + ": write failed"});
  }
  return w;
}

std::expected<void, capture_error> pcapng_writer::write(const packet_record& rec) {
  if (!file_) {
    return std::unexpected(capture_error{capture_error::kind::write_failed, path_ + ": closed"});
  }
  scratch_.clear();
  append_enhanced_packet(scratch_, rec, opt_.resolution);
  if (std::fwrite(scratch_.data(), 1, scratch_.size(), file_.get()) != scratch_.size()) {
    return std::unexpected(capture_error{capture_error::kind::write_failed,
                                         path_ + ": write failed (" + std::strerror(errno) + ")"});
  }
  ++packets_;
  return {};
}

std::expected<void, capture_error> pcapng_writer::write(std::int64_t timestamp_ns, bytes_view data,
                                                        std::string_view comment) {
  packet_record rec;
  rec.timestamp_ns = timestamp_ns;
  rec.data = data;
  if (!comment.empty()) rec.comments = std::span<const std::string_view>(&comment, 1);
  return write(rec);
}

std::expected<void, capture_error> pcapng_writer::close() {
  if (!file_) return {};
  std::FILE* f = file_.release();
  const bool ok = std::fflush(f) == 0;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed) {
    return std::unexpected(
        capture_error{capture_error::kind::write_failed, path_ + ": close failed"});
  }
  return {};
}

} // namespace sec5g::capture
