// `sec5g decipher`: write a copy of a capture in which every deciphered NAS message appears in
// plain form inside its NGAP message, readable by Wireshark/tshark without any preference.
//
// NEA keeps the length, so the ciphered octets are replaced in place by the plaintext. The
// security header type is rewritten from 2 (integrity protected and ciphered) to 1 (integrity
// protected), and 4 to 3, so that dissectors read the inner message as plain (Wireshark
// otherwise shows "Encrypted data" unless nas-5gs.null_decipher is set). The MAC and SQN stay
// as on the wire (the MAC no longer matches the rewritten header; the packet comment carries
// the verdict). The SCTP CRC32c is recomputed when it was valid in the input. Each changed
// packet carries a comment: algorithm, COUNT, MAC verdict.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "key_args.hpp"
#include "sec5g/analysis/capture_run.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/capture/ip.hpp"
#include "sec5g/capture/pcapng_writer.hpp"
#include "sec5g/capture/reader.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"
#include "sec5g/report/report.hpp"
#include "sec5g/rules/engine.hpp"
#include "sec5g/sctp/crc32c.hpp"

namespace sec5g::cli {
namespace {

struct decipher_options {
  std::string file;
  std::string output;
  key_args key;
};

/// One in-place change of the current frame.
struct patch {
  std::size_t offset = 0;     ///< of the NAS PDU in the frame
  std::uint8_t header = 0;    ///< new security header octet
  byte_buffer plain;          ///< plaintext of the inner message (same length)
  std::string comment;
};

/// Collects the patches of the frame being processed.
class decipher_sink final : public analysis::event_sink {
 public:
  decipher_sink(rules::engine& eng, analysis::current_message& cur) : eng_(eng), cur_(cur) {}
  void on_nas(const analysis::nas_event& e) override {
    eng_.on_nas(e);
    if (e.header_type != 2 && e.header_type != 4) return;
    if (e.plain.empty() || cur_.payload_offset < 0) return;
    const std::size_t inner_len = e.length >= 7 ? e.length - 7 : 0;
    if (e.plain.size() != inner_len) return;
    patch p;
    p.offset = static_cast<std::size_t>(cur_.payload_offset) + e.offset;
    p.header = e.header_type == 2 ? 0x01 : 0x03;
    p.plain.assign(e.plain.begin(), e.plain.end());
    p.comment = "sec5g decipher: NAS " +
                std::string(e.dir == analysis::direction::uplink ? "UL" : "DL") + " " +
                (e.mm != nullptr ? analysis::mm_type_name(e.mm->type) : "message") +
                (e.deciphered ? " deciphered with 128-NEA" + std::to_string(e.nea)
                              : std::string(" sent with 5G-EA0 (plain)")) +
                ", COUNT=" + (e.count ? std::to_string(*e.count) : std::string("?")) +
                ", MAC " + analysis::to_string(e.mac) + ", security header type " +
                std::to_string(e.header_type) + " rewritten to " + std::to_string(p.header);
    if (e.deciphered) ++deciphered;
    patches.push_back(std::move(p));
  }
  void on_ngap(const analysis::ngap_event& e) override { eng_.on_ngap(e); }
  void on_ue_end(const analysis::ue_context& ue) override { eng_.on_ue_end(ue); }

  std::vector<patch> patches;
  std::uint64_t deciphered = 0;

 private:
  rules::engine& eng_;
  analysis::current_message& cur_;
};

/// Offset and length of the SCTP packet in a frame (unfragmented IP), or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> sctp_span(const capture::frame& f) {
  auto l = capture::decode_link(f.link, f.data);
  if (!l) return std::nullopt;
  std::expected<capture::ip_header, decode_error> ip =
      l->ethertype == 0x0800   ? capture::decode_ipv4(l->payload)
      : l->ethertype == 0x86dd ? capture::decode_ipv6(l->payload)
                               : std::unexpected(decode_error{});
  if (!ip || ip->protocol != 132 || ip->is_fragment) return std::nullopt;
  const auto off = static_cast<std::size_t>(ip->payload.data() - f.data.data());
  return std::make_pair(off, ip->payload.size());
}

int run_decipher(const decipher_options& o) {
  analysis::subscriber_db db = std::move(*load_subscriber_db(o.key.keys));
  identity::hn_key_store hn;
  load_hn_keys(o.key.hn_keys, hn);

  rules::engine eng;
  analysis::current_message cur;
  decipher_sink sink(eng, cur);
  analysis::tracker_options topt;
  topt.serving_network_name = o.key.snn;
  analysis::tracker trk(topt, &db, hn.size() > 0 ? &hn : nullptr, sink);
  sctp::pipeline pipe;
  analysis::run_stats rs;

  // The output link type is the input's: open the input once to learn it.
  capture::link_type lt = capture::link_type::ethernet;
  {
    auto rd = capture::reader::open(o.file);
    if (!rd) throw input_error(rd.error().message);
    lt = rd->link();
  }
  auto w = capture::pcapng_writer::create(o.output, lt);
  if (!w) throw input_error(w.error().message);
  std::uint64_t changed = 0;
  byte_buffer copy;
  std::optional<capture::capture_error> write_error;
  analysis::run_hooks hooks;
  hooks.after_frame = [&](const capture::frame& f) {
    capture::packet_record rec;
    rec.timestamp_ns = f.timestamp_ns;
    rec.original_len = f.original_len;
    std::vector<std::string_view> comments;
    if (sink.patches.empty()) {
      rec.data = f.data;
    } else {
      copy.assign(f.data.begin(), f.data.end());
      const auto span = sctp_span(f);
      bool crc_was_ok = false;
      if (span) {
        const bytes_view pkt(copy.data() + span->first, span->second);
        crc_was_ok = sctp::stored_checksum(pkt) == sctp::sctp_checksum(pkt);
      }
      for (const auto& p : sink.patches) {
        if (p.offset + 7 + p.plain.size() > copy.size()) continue;
        copy[p.offset + 1] = static_cast<std::uint8_t>((copy[p.offset + 1] & 0xf0) | p.header);
        std::copy(p.plain.begin(), p.plain.end(), copy.begin() + static_cast<std::ptrdiff_t>(p.offset + 7));
        comments.emplace_back(p.comment);
      }
      if (span && crc_was_ok)
        sctp::store_checksum(bytes_span(copy.data() + span->first, span->second));
      rec.data = copy;
      ++changed;
    }
    rec.comments = comments;
    if (auto r = w->write(rec); !r && !write_error) write_error = r.error();
    sink.patches.clear();
  };
  auto r = analysis::run_capture_file(o.file, pipe, trk, cur, rs, hooks);
  if (!r) {
    if (r.error().code == capture::capture_error::kind::open_failed) throw input_error(r.error().message);
    std::cerr << "sec5g: warning: " << r.error().message << "\n";
  }
  trk.finish();
  eng.finish();
  if (write_error) throw input_error(write_error->message);
  if (auto c = w->close(); !c) throw input_error(c.error().message);

  report::summary sum = report::make_summary(trk.stats());
  sum.frames = rs.frames;
  sum.findings = eng.counts();
  auto j = report::to_json(sum);
  j["changed_packets"] = changed;
  std::cout << j.dump() << "\n";
  return exit_ok;
}

}  // namespace

void add_decipher_command(CLI::App& app, action& selected) {
  auto o = std::make_shared<decipher_options>();
  CLI::App* sub = app.add_subcommand(
      "decipher", "Write a copy of a capture with every NAS message deciphered in place");
  sub->add_option("FILE", o->file, "pcap / pcapng capture")->required();
  sub->add_option("-o", o->output, "output pcapng")->required();
  add_key_args(*sub, o->key, /*keys_required=*/true);
  sub->callback([o, &selected] { selected = [o] { return run_decipher(*o); }; });
}

}  // namespace sec5g::cli
