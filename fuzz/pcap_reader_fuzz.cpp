// Fuzz target: a whole capture file (pcap or pcapng) through libpcap, our reader, the link/IP
// layers and the SCTP pipeline. Every delivered payload byte is read so that ASan sees a bad view.
#include <cstddef>
#include <cstdint>

#include "sec5g/capture/reader.hpp"
#include "sec5g/sctp/pipeline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sec5g;
  auto r = capture::reader::open_memory(bytes_view(data, size), "fuzz");
  if (!r) return 0;
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
    auto f = r->next();
    if (!f || !*f) break;
    p.feed(**f, on_message);
  }
  return 0;
}
