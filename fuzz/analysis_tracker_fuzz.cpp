// Fuzz target of the tracker + rules engine: arbitrary NGAP PDUs (the whole input, then the
// input cut into 2-octet-length-prefixed PDUs) go through one tracker with a subscriber key
// and the whole rule catalogue. Nothing may crash, hang or grow past the UE cap.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/rules/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sec5g::analysis;
  // Keys of a public test subscriber (TS 35.208 test set 1), not a real one.
  static const auto db =
      parse_subscriber_keys("supi,k,opc\nimsi-001010000000001,465b5ce8b199b49faa5f0a2ee238a6bc,"
                            "cd63cb71954a9f4e48a5994e37a02baf\n",
                            "fuzz.csv");
  if (!db) std::abort();
  sec5g::rules::engine rules;
  tracker_options opt;
  opt.max_ues = 8;
  tracker trk(opt, &*db, nullptr, rules);
  packet_meta pkt;
  pkt.gnb = "gnb";
  pkt.amf = "amf";
  const sec5g::bytes_view in(data, size);
  pkt.frame = 1;
  trk.on_ngap(pkt, in);
  std::size_t pos = 0;
  while (pos + 2 <= size) {
    const std::size_t n = (std::size_t{data[pos]} << 8) | data[pos + 1];
    pos += 2;
    if (n > size - pos) break;
    ++pkt.frame;
    pkt.time_ns += 1'000'000;
    trk.on_ngap(pkt, in.subspan(pos, n));
    if (trk.live_ues() > opt.max_ues) std::abort();
    pos += n;
  }
  trk.finish();
  rules.finish();
  return 0;
}
