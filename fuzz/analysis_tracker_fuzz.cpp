// Fuzz target of the tracker + rules engine: arbitrary NGAP PDUs (the whole input, then the
// input cut into 2-octet-length-prefixed PDUs) go through one tracker with a subscriber key
// and the whole rule catalogue. Nothing may crash, hang or grow past the UE cap. Seeds: the NGAP
// corpus (single PDUs of real captures) and fuzz/corpus/analysis_tracker (whole synthesized
// conversations: registration, authentication, SMC, Service Requests with NAS message
// containers).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/rules/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sec5g::analysis;
  // Keys of a public test subscriber (TS 35.208 test set 1), not a real one, and of the
  // subscribers 2 and 3 of `sec5g synth --seed 11` (--profile null), whose traffic seeds the
  // corpus (fuzz/tracker_corpus_gen.py): with their keys the tracker derives K_AMF, checks
  // MACs and deciphers NAS messages and NAS message containers. Synth subscriber 1 shares the
  // test subscriber's SUPI, so its traffic runs with a wrong key.
  static const auto db = parse_subscriber_keys(
      "supi,k,opc\n"
      "imsi-001010000000001,465b5ce8b199b49faa5f0a2ee238a6bc,cd63cb71954a9f4e48a5994e37a02baf\n"
      "imsi-001010000000002,84ea2c2798f67f0f7e7c4e274d9e18fe,872bf2fcc7907382359b156b89d26726\n"
      "imsi-001010000000003,b48fc3d18724e9aca89625f60c28859b,9eefd33c033e275334ecf363ff76b6cf\n",
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
