#include "sec5g/capture/reader.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace sec5g::capture {

namespace {

capture_error make_error(capture_error::kind k, const std::string& name, const char* what,
                         const char* detail) {
  std::string msg = name;
  msg += ": ";
  msg += what;
  if (detail != nullptr && detail[0] != '\0') {
    msg += " (";
    msg += detail;
    msg += ")";
  }
  return capture_error{k, std::move(msg)};
}

} // namespace

const char* to_string(link_type lt) noexcept {
  switch (lt) {
  case link_type::null_bsd: return "null";
  case link_type::ethernet: return "ethernet";
  case link_type::raw: return "raw";
  case link_type::loop: return "loop";
  case link_type::linux_sll: return "linux_sll";
  case link_type::ipv4: return "ipv4";
  case link_type::ipv6: return "ipv6";
  case link_type::linux_sll2: return "linux_sll2";
  }
  return "unknown";
}

bool is_supported(link_type lt) noexcept {
  switch (lt) {
  case link_type::null_bsd:
  case link_type::ethernet:
  case link_type::raw:
  case link_type::loop:
  case link_type::linux_sll:
  case link_type::ipv4:
  case link_type::ipv6:
  case link_type::linux_sll2: return true;
  }
  return false;
}

link_type link_type_from_dlt(int dlt) noexcept {
  switch (dlt) {
  case 12: // DLT_RAW on most systems
  case 14: // DLT_RAW on OpenBSD
    return link_type::raw;
  default: break;
  }
  // libpcap's DLT values equal the LINKTYPE values for everything else we handle
  // (0 null, 1 ethernet, 101 raw, 108 loop, 113 sll, 228 ipv4, 229 ipv6, 276 sll2).
  if (dlt < 0 || dlt > 0xffff) return static_cast<link_type>(0xffff);
  return static_cast<link_type>(dlt);
}

namespace {

// ---- The direct reader: pcap / pcapng records parsed from a read(2) buffer (or the caller's
// memory), without libpcap's per-record fread calls and copies. It handles only files that
// libpcap reads the same way: host (little-endian) byte order, classic pcap 2.4 or a pcapng
// section 1.0 whose interfaces share one link type and snaplen, time stamps in us or ns. On
// anything else (a truncated record, an SPB, a second section, an option it does not
// interpret, ...) the reader hands over to libpcap, which re-reads the file and skips the
// frames already returned, so every frame and every error is libpcap's. A pipe, FIFO or device
// cannot be re-read: libpcap reads it from the start (reader::impl::start).

constexpr std::uint32_t max_snaplen = 262144;  // libpcap's MAXIMUM_SNAPLEN (our link types)
constexpr std::size_t max_direct_block = max_snaplen + 1024;
constexpr std::size_t buffer_size = std::size_t{1} << 20;
/// Bytes asked of one read(2) (more when a block needs it): the frames read are parsed while
/// they are still in the core's cache (256 KiB of a 1 MiB L2). 64 KiB made four times the
/// system calls, ~1.5% of an audit of a 368 MB capture on a paravirtualized VM
/// (docs/performance/audit.md).
constexpr std::size_t read_chunk = std::size_t{256} << 10;
constexpr std::uint32_t pcapng_shb = 0x0A0D0D0Au;
constexpr std::uint32_t pcapng_idb = 1;
constexpr std::uint32_t pcapng_pb = 2;
constexpr std::uint32_t pcapng_spb = 3;
constexpr std::uint32_t pcapng_epb = 6;

std::uint16_t le16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t le32(const std::uint8_t* p) noexcept {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

bool direct_link_type(std::uint32_t lt) noexcept {
  // The LINKTYPE values libpcap maps to DLTs link_type_from_dlt() gives back unchanged.
  switch (lt) {
  case 0: case 1: case 101: case 108: case 113: case 228: case 229: case 276: return true;
  default: return false;
  }
}

std::uint32_t adjust_snaplen(std::uint32_t s) noexcept {
  return s == 0 || s > max_snaplen ? max_snaplen : s;  // pcap_adjust_snapshot
}

/// Nanoseconds as reader::next() computes them from libpcap's (tv_sec, tv_usec).
std::int64_t to_ns(std::int64_t sec, std::int64_t frac) noexcept {
  std::int64_t ns = 0;
  if (__builtin_mul_overflow(sec, std::int64_t{1'000'000'000}, &ns) ||
      __builtin_add_overflow(ns, frac, &ns)) {
    ns = sec < 0 ? INT64_MIN : INT64_MAX;
  }
  return ns;
}

enum class format : std::uint8_t { none, pcap_us, pcap_ns, pcapng };

/// libpcap, loaded when a capture first needs it (docs/DESIGN.md, "libpcap on demand"): the
/// direct parser reads the common pcap and pcapng files, and linking libpcap (with the D-Bus,
/// systemd and libgcrypt libraries it pulls in) cost every run of every subcommand ~3.5 ms
/// of start-up. The entry points keep their <pcap/pcap.h> types.
struct pcap_api {
  decltype(&::pcap_fopen_offline_with_tstamp_precision) fopen_offline = nullptr;
  decltype(&::pcap_close) close = nullptr;
  decltype(&::pcap_datalink) datalink = nullptr;
  decltype(&::pcap_snapshot) snapshot = nullptr;
  decltype(&::pcap_next_ex) next_ex = nullptr;
  decltype(&::pcap_geterr) geterr = nullptr;
  decltype(&::pcap_file) file = nullptr;
  std::string error;  ///< why it is unavailable (empty when loaded)
};

template <class F>
bool bind(void* lib, const char* name, F& out) {
  out = reinterpret_cast<F>(::dlsym(lib, name));
  return out != nullptr;
}

const pcap_api& libpcap() {
  static const pcap_api api = [] {
    pcap_api a;
    // Debian's libpcap0.8 names its library libpcap.so.0.8 (a link to libpcap.so.1.x).
    void* lib = nullptr;
    for (const char* soname : {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"}) {
      lib = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
      if (lib != nullptr) break;
    }
    if (lib == nullptr) {
      const char* e = ::dlerror();
      a.error = std::string("cannot load libpcap: ") + (e != nullptr ? e : "not found");
      return a;
    }
    if (!bind(lib, "pcap_fopen_offline_with_tstamp_precision", a.fopen_offline) ||
        !bind(lib, "pcap_close", a.close) || !bind(lib, "pcap_datalink", a.datalink) ||
        !bind(lib, "pcap_snapshot", a.snapshot) || !bind(lib, "pcap_next_ex", a.next_ex) ||
        !bind(lib, "pcap_geterr", a.geterr) || !bind(lib, "pcap_file", a.file)) {
      a = pcap_api{};
      a.error = "cannot load libpcap: an entry point is missing";
    }
    return a;  // the library stays loaded for the process
  }();
  return api;
}

} // namespace

struct reader::impl {
  pcap_t* handle = nullptr;
  ~impl() {
    if (handle != nullptr) libpcap().close(handle);
    if (fd >= 0) ::close(fd);
  }
  std::string name;  ///< as given (in messages)
  std::string open_path;  ///< what is opened: name, or /dev/stdin for "-"
  // Where the bytes come from (also for a later hand-over to libpcap).
  bool from_memory = false;
  bytes_view memory;
  // The direct reader (fmt != none while it is in use).
  format fmt = format::none;
  int fd = -1;
  std::unique_ptr<std::uint8_t[]> owned;
  const std::uint8_t* buf = nullptr;
  std::size_t begin = 0, end = 0, cap = 0;
  bool at_eof = false;  // the file has no more bytes to read
  bool read_error = false;
  std::uint32_t linktype = 0;
  std::uint32_t idb_snaplen = 0;  // the first IDB's snaplen as written
  std::uint32_t snapshot = 0;
  std::vector<bool> iface_ns;     // per pcapng interface: time stamps in ns (else us)
  std::uint64_t returned = 0;     // frames returned by the direct reader
  /// libpcap's stream tells its position (false after the first failure: a pipe, where every
  /// ftell would be a failing lseek system call).
  bool stream_offsets = true;

  /// At least `n` bytes from `begin` in the buffer (reading more if needed).
  bool ensure(std::size_t n) noexcept {
    if (end - begin >= n) return true;
    if (fd < 0 || at_eof) return false;
    if (n > cap) return false;
    std::uint8_t* b = owned.get();
    if (begin != 0) {
      std::memmove(b, b + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    while (end < n) {
      const std::size_t want = std::min(cap - end, std::max(n - end, read_chunk));
      const ssize_t got = ::read(fd, b + end, want);
      if (got < 0) {
        if (errno == EINTR) continue;
        read_error = true;
        at_eof = true;
        break;
      }
      if (got == 0) {
        at_eof = true;
        break;
      }
      end += static_cast<std::size_t>(got);
    }
    return end - begin >= n;
  }
  [[nodiscard]] bool exhausted() const noexcept {
    return begin == end && at_eof && !read_error;
  }

  /// Parses an IDB (block at `p`, `len` octets) into iface_ns; false = hand over to libpcap.
  bool add_idb(const std::uint8_t* p, std::size_t len, bool first) {
    if (len < 20) return false;
    const std::uint32_t lt = le16(p + 8);
    const std::uint32_t snap = le32(p + 12);
    if (first) {
      if (!direct_link_type(lt)) return false;
      linktype = lt;
      idb_snaplen = snap;
      snapshot = adjust_snaplen(snap);
    } else if (lt != linktype || snap != idb_snaplen || lt == 101) {
      // libpcap compares a later IDB's LINKTYPE with the first one's DLT: for raw IP (101,
      // DLT 12) it refuses the file. Its path decides.
      return false;
    }
    bool ns = false, saw_tsresol = false;
    std::size_t at = 16;
    const std::size_t stop = len - 4;
    while (at < stop) {
      if (stop - at < 4) return false;
      const std::uint16_t code = le16(p + at);
      const std::uint16_t olen = le16(p + at + 2);
      at += 4;
      if (code == 0) {
        if (olen != 0) return false;
        break;
      }
      const std::size_t padded = (std::size_t{olen} + 3) & ~std::size_t{3};
      if (padded > stop - at) return false;
      if (code == 9) {  // if_tsresol
        if (olen != 1 || saw_tsresol) return false;
        saw_tsresol = true;
        if (p[at] == 9) ns = true;
        else if (p[at] != 6) return false;
      } else if (code == 14) {  // if_tsoffset
        return false;
      }
      at += padded;
    }
    iface_ns.push_back(ns);
    return true;
  }

  /// Reads the file header (and a pcapng file's blocks up to its first IDB). False: use
  /// libpcap for this file.
  bool start_direct() {
    if (!ensure(24)) return false;
    const std::uint8_t* p = buf + begin;
    const std::uint32_t magic = le32(p);
    if (magic == 0xA1B2C3D4u || magic == 0xA1B23C4Du) {
      if (le16(p + 4) != 2 || le16(p + 6) != 4) return false;
      const std::uint32_t lt = le32(p + 20);
      if (!direct_link_type(lt)) return false;
      linktype = lt;
      snapshot = adjust_snaplen(le32(p + 16));
      begin += 24;
      fmt = magic == 0xA1B2C3D4u ? format::pcap_us : format::pcap_ns;
      return true;
    }
    if (magic != pcapng_shb || !ensure(28)) return false;
    p = buf + begin;
    const std::uint32_t shb_len = le32(p + 4);
    if (le32(p + 8) != 0x1A2B3C4Du || le16(p + 12) != 1 || le16(p + 14) != 0) return false;
    if (shb_len < 28 || shb_len % 4 != 0 || shb_len > max_direct_block || !ensure(shb_len))
      return false;
    if (le32(buf + begin + shb_len - 4) != shb_len) return false;
    begin += shb_len;
    // Blocks before the first IDB: anything but packets and sections is skipped.
    while (true) {
      if (!ensure(8)) return false;
      p = buf + begin;
      const std::uint32_t type = le32(p);
      const std::uint32_t len = le32(p + 4);
      if (len < 12 || len % 4 != 0 || len > max_direct_block || !ensure(len)) return false;
      p = buf + begin;
      if (le32(p + len - 4) != len) return false;
      if (type == pcapng_idb) {
        if (!add_idb(p, len, true)) return false;
        begin += len;
        fmt = format::pcapng;
        return true;
      }
      if (type == pcapng_epb || type == pcapng_spb || type == pcapng_pb || type == pcapng_shb)
        return false;
      begin += len;
    }
  }

  enum class step : std::uint8_t { frame, eof, handover };

  step next_classic(frame& f) noexcept {
    if (!ensure(16)) return exhausted() ? step::eof : step::handover;
    const std::uint8_t* p = buf + begin;
    const std::uint32_t sec = le32(p);
    const std::uint32_t frac = le32(p + 4);
    const std::uint32_t caplen = le32(p + 8);
    const std::uint32_t len = le32(p + 12);
    const bool ns = fmt == format::pcap_ns;
    if (sec > 0x7fffffffu || frac >= (ns ? 1'000'000'000u : 1'000'000u) || caplen > snapshot)
      return step::handover;
    if (!ensure(16 + std::size_t{caplen})) return step::handover;
    p = buf + begin;
    f.timestamp_ns = to_ns(sec, ns ? std::int64_t{frac} : std::int64_t{frac} * 1000);
    f.data = bytes_view(p + 16, caplen);
    f.original_len = len < caplen ? caplen : len;
    begin += 16 + std::size_t{caplen};
    return step::frame;
  }

  step next_pcapng(frame& f) {
    while (true) {
      if (!ensure(8)) return exhausted() ? step::eof : step::handover;
      const std::uint8_t* p = buf + begin;
      const std::uint32_t type = le32(p);
      const std::uint32_t len = le32(p + 4);
      if (len < 12 || len % 4 != 0 || len > max_direct_block || !ensure(len))
        return step::handover;
      p = buf + begin;
      if (le32(p + len - 4) != len) return step::handover;
      if (type == pcapng_epb) {
        if (len < 32) return step::handover;
        const std::uint32_t iface = le32(p + 8);
        const std::uint32_t caplen = le32(p + 20);
        const std::uint32_t wire = le32(p + 24);
        if (iface >= iface_ns.size() || caplen > snapshot || caplen > len - 32)
          return step::handover;
        const std::uint64_t t = (std::uint64_t{le32(p + 12)} << 32) | le32(p + 16);
        const std::uint64_t res = iface_ns[iface] ? 1'000'000'000u : 1'000'000u;
        const std::uint64_t sec = t / res;
        std::uint64_t frac = t % res;
        if (!iface_ns[iface]) frac *= 1000;
        f.timestamp_ns = to_ns(static_cast<std::int64_t>(sec), static_cast<std::int64_t>(frac));
        f.data = bytes_view(p + 28, caplen);
        f.original_len = wire < caplen ? caplen : wire;
        begin += len;
        return step::frame;
      }
      if (type == pcapng_idb) {
        if (!add_idb(p, len, false)) return step::handover;
      } else if (type == pcapng_spb || type == pcapng_pb || type == pcapng_shb) {
        return step::handover;
      }
      begin += len;
    }
  }

  /// A libpcap handle over the file or memory of `p`, or over `stream` (taken over) when
  /// given. Errors as reader::open reports them.
  std::expected<pcap_t*, capture_error> open_pcap(std::FILE* stream = nullptr) const {
    const impl& p = *this;
    const pcap_api& api = libpcap();
    if (api.fopen_offline == nullptr) {
      if (stream != nullptr) std::fclose(stream);
      return std::unexpected(make_error(capture_error::kind::unsupported, p.name,
                                        "needs libpcap for this capture", api.error.c_str()));
    }
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    std::FILE* fp = stream;
    if (fp != nullptr) {
      // the caller's stream
    } else if (p.from_memory) {
      // fmemopen only reads; the cast drops const for its C signature.
      fp = fmemopen(const_cast<std::uint8_t*>(p.memory.data()), p.memory.size(), "rb");
      if (fp == nullptr) {
        return std::unexpected(make_error(capture_error::kind::open_failed, p.name,
                                          "cannot open memory stream", std::strerror(errno)));
      }
    } else {
      fp = std::fopen(p.open_path.c_str(), "rb");
      if (fp == nullptr) {
        return std::unexpected(make_error(capture_error::kind::open_failed, p.name,
                                          "cannot open file", std::strerror(errno)));
      }
    }
    pcap_t* h = api.fopen_offline(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (h == nullptr) {
      std::fclose(fp);
      return std::unexpected(make_error(capture_error::kind::open_failed, p.name,
                                        "not a pcap or pcapng capture", errbuf));
    }
    return h;
  }

  /// Opens `p` directly when its format allows, else through libpcap.
  std::expected<void, capture_error> start(read_path path) {
    impl& p = *this;
    if (path == read_path::automatic) {
      if (p.from_memory) {
        p.buf = p.memory.data();
        p.end = p.memory.size();
        p.at_eof = true;
      } else {
        p.fd = ::open(p.open_path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (p.fd >= 0 && ::fstat(p.fd, &st) == 0 && !S_ISREG(st.st_mode)) {
          // A pipe, FIFO or device (`tcpdump -w - | sec5g audit /dev/stdin`) cannot be read
          // twice, and the hand-over to libpcap re-reads the file: libpcap reads the stream,
          // once, from its first octet.
          std::FILE* fp = ::fdopen(p.fd, "rb");
          if (fp == nullptr) {
            return std::unexpected(make_error(capture_error::kind::open_failed, p.name,
                                              "cannot open file", std::strerror(errno)));
          }
          p.fd = -1;  // fp owns it
          auto h = open_pcap(fp);
          if (!h) return std::unexpected(h.error());
          p.handle = *h;
          p.linktype = 0;
          return {};
        }
        if (p.fd >= 0) {
          p.owned = std::make_unique_for_overwrite<std::uint8_t[]>(buffer_size);
          p.buf = p.owned.get();
          p.cap = buffer_size;
        }
      }
      if ((p.from_memory || p.fd >= 0) && p.start_direct()) return {};
      p.fmt = format::none;
      p.iface_ns.clear();
      if (p.fd >= 0) ::close(p.fd);
      p.fd = -1;
      p.owned.reset();
      p.buf = nullptr;
    }
    auto h = open_pcap();
    if (!h) return std::unexpected(h.error());
    p.handle = *h;
    p.linktype = 0;
    return {};
  }
};

reader::reader(std::unique_ptr<impl> p, link_type lt) noexcept : impl_(std::move(p)), link_(lt) {}
reader::reader(reader&&) noexcept = default;
reader& reader::operator=(reader&&) noexcept = default;
reader::~reader() = default;

std::expected<reader, capture_error> reader::start(std::unique_ptr<impl> p, read_path path) {
  if (auto s = p->start(path); !s) return std::unexpected(s.error());
  const link_type lt = p->handle != nullptr ? link_type_from_dlt(libpcap().datalink(p->handle))
                                            : static_cast<link_type>(p->linktype);
  return reader(std::move(p), lt);
}

std::expected<reader, capture_error> reader::open(const std::filesystem::path& file,
                                                  read_path path) noexcept {
  try {
    auto p = std::make_unique<impl>();
    p->name = file.string();
    p->open_path = p->name == "-" ? std::string("/dev/stdin") : p->name;  // "-": standard input
    return start(std::move(p), path);
  } catch (...) {
    return std::unexpected(capture_error{capture_error::kind::open_failed, "out of memory"});
  }
}

std::expected<reader, capture_error> reader::open_memory(bytes_view data, const char* name,
                                                         read_path path) noexcept {
  try {
    if (data.empty()) {
      return std::unexpected(make_error(capture_error::kind::open_failed, name,
                                        "not a pcap or pcapng capture", "empty input"));
    }
    auto p = std::make_unique<impl>();
    p->name = name;
    p->from_memory = true;
    p->memory = data;
    return start(std::move(p), path);
  } catch (...) {
    return std::unexpected(capture_error{capture_error::kind::open_failed, "out of memory"});
  }
}

std::uint32_t reader::snaplen() const noexcept {
  if (!impl_) return 0;
  if (impl_->handle == nullptr) return impl_->snapshot;
  return static_cast<std::uint32_t>(libpcap().snapshot(impl_->handle));
}

bool reader::direct() const noexcept {
  return impl_ && impl_->handle == nullptr;
}

std::expected<std::optional<frame>, capture_error> reader::next() noexcept {
  if (!impl_) return std::optional<frame>{};
  impl& p = *impl_;
  if (p.handle == nullptr) {
    frame f;
    const impl::step s = p.fmt == format::pcapng ? p.next_pcapng(f) : p.next_classic(f);
    if (s == impl::step::frame) {
      f.number = ++count_;
      f.link = link_;
      ++p.returned;
      return f;
    }
    if (s == impl::step::eof) return std::optional<frame>{};
    // Hand over to libpcap: re-open and skip the frames already returned.
    try {
      p.fmt = format::none;
      if (p.fd >= 0) ::close(p.fd);
      p.fd = -1;
      p.owned.reset();
      p.buf = nullptr;
      auto h = p.open_pcap();
      if (!h) {
        auto e = h.error();
        e.code = capture_error::kind::read_failed;
        return std::unexpected(std::move(e));
      }
      p.handle = *h;
      for (std::uint64_t i = 0; i < p.returned; ++i) {
        pcap_pkthdr* hdr = nullptr;
        const u_char* data = nullptr;
        if (libpcap().next_ex(p.handle, &hdr, &data) != 1) {
          return std::unexpected(make_error(capture_error::kind::read_failed, p.name,
                                            "read error", libpcap().geterr(p.handle)));
        }
      }
    } catch (...) {
      return std::unexpected(capture_error{capture_error::kind::read_failed, {}});
    }
  }
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  // Where this frame's record starts, for a read error (-1 on a pipe).
  long at = -1;
  if (p.stream_offsets) {
    std::FILE* stream = libpcap().file(p.handle);
    at = stream != nullptr ? std::ftell(stream) : -1;
    p.stream_offsets = at >= 0;
  }
  const int rc = libpcap().next_ex(p.handle, &hdr, &data);
  if (rc == 1) {
    frame f;
    f.number = ++count_;
    // ns (opened with PCAP_TSTAMP_PRECISION_NANO); pcapng allows 64-bit times beyond what
    // int64 ns can hold: saturate instead of overflowing.
    f.timestamp_ns = to_ns(static_cast<std::int64_t>(hdr->ts.tv_sec),
                           static_cast<std::int64_t>(hdr->ts.tv_usec));
    f.data = bytes_view(data, hdr->caplen);
    f.original_len = hdr->len < hdr->caplen ? hdr->caplen : hdr->len;
    f.link = link_;
    return f;
  }
  if (rc == PCAP_ERROR_BREAK) return std::optional<frame>{};
  try {
    // The frame that could not be read and the file offset its reading started at
    // ("FILE: frame 7 from offset 4953: read error (...)").
    std::string where = p.name + ": frame " + std::to_string(count_ + 1);
    if (at >= 0) where += " from offset " + std::to_string(at);
    return std::unexpected(make_error(capture_error::kind::read_failed, where, "read error",
                                      libpcap().geterr(p.handle)));
  } catch (...) {
    return std::unexpected(capture_error{capture_error::kind::read_failed, {}});
  }
}

} // namespace sec5g::capture
