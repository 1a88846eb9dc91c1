// Fuzz target: a whole capture file (pcap or pcapng) through our reader, the link/IP layers and
// the SCTP pipeline. Every delivered payload byte is read so that ASan sees a bad view.
// Differential check: the reader's direct path (read_path::automatic) must return exactly the
// frames libpcap returns (read_path::libpcap: same number, time stamp, bytes, wire length, link
// type) and end the same way (end of file, or an error; an open that libpcap refuses counts as
// an error before the first frame). The same bytes are also read as a file (a memfd opened by
// its /proc/self/fd path: reader::open's read(2) buffer, and libpcap re-opening the file on a
// hand-over), which must give the same frames too. Any difference aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

#include "sec5g/capture/reader.hpp"
#include "sec5g/sctp/pipeline.hpp"

namespace {

using namespace sec5g;

/// One step of a reader: a frame, the end of the file, or an error.
struct step {
  std::optional<capture::frame> f;
  bool error = false;
};

step next_of(std::optional<capture::reader>& r) {
  if (!r) return {std::nullopt, true};
  auto f = r->next();
  if (!f) return {std::nullopt, true};
  if (!*f) return {std::nullopt, false};
  return {**f, false};
}

bool same(const capture::frame& a, const capture::frame& b) {
  return a.number == b.number && a.timestamp_ns == b.timestamp_ns &&
         a.original_len == b.original_len && a.link == b.link && a.data.size() == b.data.size() &&
         (a.data.empty() || std::memcmp(a.data.data(), b.data.data(), a.data.size()) == 0);
}

/// A memfd holding the current input, named by its /proc/self/fd path; empty if unavailable.
const std::string& input_file(const std::uint8_t* data, std::size_t size) {
  static const int fd = memfd_create("fuzz_pcap", 0);
  static const std::string path = fd >= 0 ? "/proc/self/fd/" + std::to_string(fd) : "";
  static const std::string none;
  if (fd < 0 || ftruncate(fd, 0) != 0) return none;
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) return none;
    done += static_cast<std::size_t>(n);
  }
  return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bytes_view in(data, size);
  std::optional<capture::reader> r;
  if (auto o = capture::reader::open_memory(in, "fuzz")) r.emplace(std::move(*o));
  std::optional<capture::reader> ref;
  if (auto o = capture::reader::open_memory(in, "fuzz", capture::read_path::libpcap))
    ref.emplace(std::move(*o));
  std::optional<capture::reader> file;
  const std::string& path = input_file(data, size);
  if (!path.empty()) {
    if (auto o = capture::reader::open(path)) file.emplace(std::move(*o));
  }
  if (!r && !ref) {
    if (!path.empty() && file) std::abort();
    return 0;
  }
  sctp::pipeline_config cfg;
  cfg.deliver_all = true;
  cfg.max_associations = 8;
  cfg.max_pending_fragments = 16;
  cfg.max_pending_bytes = 64 * 1024;
  cfg.ip.max_pending_datagrams = 4;
  sctp::pipeline p(cfg);
  volatile std::uint32_t sink = 0;
  auto on_message = [&](const sctp::user_message& m) {
    std::uint32_t s = 0;
    for (const auto b : m.payload)
      s += b;
    s += static_cast<std::uint32_t>(m.association.size());
    sink = sink + s;
  };
  for (int i = 0; i < 10000; ++i) {
    const step a = next_of(r);
    const step b = next_of(ref);
    if (a.f.has_value() != b.f.has_value() || a.error != b.error) std::abort();
    if (!a.f) {
      if (!path.empty()) {
        const step c = next_of(file);
        if (c.f || c.error != a.error) std::abort();
      }
      break;
    }
    if (!same(*a.f, *b.f)) std::abort();
    if (!path.empty()) {
      const step c = next_of(file);
      if (!c.f || !same(*a.f, *c.f)) std::abort();
    }
    p.feed(*a.f, on_message);
  }
  return 0;
}
