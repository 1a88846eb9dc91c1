#include "sec5g/capture/reader.hpp"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

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

struct reader::impl {
  pcap_t* handle = nullptr;
  ~impl() {
    if (handle != nullptr) pcap_close(handle);
  }
  std::string name;
};

reader::reader(std::unique_ptr<impl> p, link_type lt) noexcept : impl_(std::move(p)), link_(lt) {}
reader::reader(reader&&) noexcept = default;
reader& reader::operator=(reader&&) noexcept = default;
reader::~reader() = default;

std::expected<reader, capture_error> reader::open(const std::filesystem::path& file) noexcept {
  try {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    const std::string name = file.string();
    std::FILE* fp = std::fopen(name.c_str(), "rb");
    if (fp == nullptr) {
      return std::unexpected(make_error(capture_error::kind::open_failed, name, "cannot open file",
                                        std::strerror(errno)));
    }
    pcap_t* h = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (h == nullptr) {
      std::fclose(fp);
      return std::unexpected(make_error(capture_error::kind::open_failed, name,
                                        "not a pcap or pcapng capture", errbuf));
    }
    auto p = std::make_unique<impl>();
    p->handle = h;
    p->name = name;
    const link_type lt = link_type_from_dlt(pcap_datalink(h));
    return reader(std::move(p), lt);
  } catch (...) {
    return std::unexpected(capture_error{capture_error::kind::open_failed, "out of memory"});
  }
}

std::expected<reader, capture_error> reader::open_memory(bytes_view data,
                                                         const char* name) noexcept {
  try {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    if (data.empty()) {
      return std::unexpected(make_error(capture_error::kind::open_failed, name,
                                        "not a pcap or pcapng capture", "empty input"));
    }
    // fmemopen only reads; the cast drops const for its C signature.
    std::FILE* fp = fmemopen(const_cast<std::uint8_t*>(data.data()), data.size(), "rb");
    if (fp == nullptr) {
      return std::unexpected(make_error(capture_error::kind::open_failed, name,
                                        "cannot open memory stream", std::strerror(errno)));
    }
    pcap_t* h = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (h == nullptr) {
      std::fclose(fp);
      return std::unexpected(make_error(capture_error::kind::open_failed, name,
                                        "not a pcap or pcapng capture", errbuf));
    }
    auto p = std::make_unique<impl>();
    p->handle = h;
    p->name = name;
    const link_type lt = link_type_from_dlt(pcap_datalink(h));
    return reader(std::move(p), lt);
  } catch (...) {
    return std::unexpected(capture_error{capture_error::kind::open_failed, "out of memory"});
  }
}

std::uint32_t reader::snaplen() const noexcept {
  return impl_ ? static_cast<std::uint32_t>(pcap_snapshot(impl_->handle)) : 0;
}

std::expected<std::optional<frame>, capture_error> reader::next() noexcept {
  if (!impl_) return std::optional<frame>{};
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(impl_->handle, &hdr, &data);
  if (rc == 1) {
    frame f;
    f.number = ++count_;
    // ns (opened with PCAP_TSTAMP_PRECISION_NANO); pcapng allows 64-bit times beyond what
    // int64 ns can hold: saturate instead of overflowing.
    const auto sec = static_cast<std::int64_t>(hdr->ts.tv_sec);
    std::int64_t ns = 0;
    if (__builtin_mul_overflow(sec, std::int64_t{1'000'000'000}, &ns) ||
        __builtin_add_overflow(ns, static_cast<std::int64_t>(hdr->ts.tv_usec), &ns)) {
      ns = sec < 0 ? INT64_MIN : INT64_MAX;
    }
    f.timestamp_ns = ns;
    f.data = bytes_view(data, hdr->caplen);
    f.original_len = hdr->len < hdr->caplen ? hdr->caplen : hdr->len;
    f.link = link_;
    return f;
  }
  if (rc == PCAP_ERROR_BREAK) return std::optional<frame>{};
  try {
    return std::unexpected(make_error(capture_error::kind::read_failed, impl_->name, "read error",
                                      pcap_geterr(impl_->handle)));
  } catch (...) {
    return std::unexpected(capture_error{capture_error::kind::read_failed, {}});
  }
}

} // namespace sec5g::capture
