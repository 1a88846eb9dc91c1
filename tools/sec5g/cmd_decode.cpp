// sec5g decode: NGAP and NAS-5GS from a capture, one record per NGAP PDU.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "key_args.hpp"
#include "sec5g/analysis/capture_run.hpp"
#include "sec5g/analysis/nas_verdicts.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/capture/reader.hpp"
#include "sec5g/nas/nas.hpp"
#include "sec5g/nas/nas_json.hpp"
#include "sec5g/ngap/ngap.hpp"
#include "sec5g/report/json_append.hpp"
#include "sec5g/report/report.hpp"
#include "sec5g/sctp/pipeline.hpp"

namespace sec5g::cli {
namespace {

struct decode_options {
  std::string file;
  bool json = false;
  bool null_decipher = false;
  bool summary_only = false;
  key_args key;
};

/// Counters of the NGAP/NAS layers (the capture layers count themselves).
struct decode_counters {
  std::uint64_t ngap_pdus = 0;
  std::uint64_t nas_messages = 0;
  std::uint64_t nas_protected = 0;
  std::uint64_t deciphered = 0;  // with --keys: NAS messages deciphered
  std::uint64_t mac_ok = 0;      // with --keys: MACs verified
  std::uint64_t mac_failed = 0;  // with --keys: MACs that did not verify
  std::map<std::string, std::uint64_t> malformed;  // "ngap.truncated", "nas.bad_value", ...
  std::map<std::string, std::uint64_t> anomalies;  // "nas.unknown_ie", ...
};

class decoder {
 public:
  decoder(const decode_options& opt, std::FILE* out) : opt_(opt), out_(out) {
    nas_opt_.null_decipher = opt.null_decipher;
    json_opt_.null_decipher = opt.null_decipher;
    if (opt.key.any()) {
      db_ = load_subscriber_db(opt.key.keys);
      load_hn_keys(opt.key.hn_keys, hn_);
      analysis::tracker_options topt;
      topt.serving_network_name = opt.key.snn;
      rec_ = std::make_unique<analysis::nas_verdict_recorder>();
      trk_ = std::make_unique<analysis::tracker>(topt, db_ ? &*db_ : nullptr,
                                                 hn_.size() > 0 ? &hn_ : nullptr, *rec_);
    }
  }

  /// With keys: lets the tracker follow the message (key derivation, deciphering, MAC checks)
  /// and keeps the verdicts of its NAS-PDUs for rendering.
  void track(const sctp::user_message& m) {
    if (!trk_) return;
    rec_->clear();
    trk_->on_ngap(make_meta_(m), m.payload);
  }

  /// The tracker's verdict for the NAS-PDU at `offset` of the current NGAP PDU, if any.
  const analysis::nas_verdict* verdict_at(std::uint32_t offset) const {
    if (!trk_) return nullptr;
    for (const auto& v : rec_->verdicts())
      if (v.offset == offset) return &v;
    return nullptr;
  }

  void end_of_capture() {
    if (trk_) trk_->finish();
  }

  void on_message(const sctp::user_message& m) {
    ++counters_.ngap_pdus;
    track(m);
    if (auto r = ngap::decode_pdu(m.payload, pdu_); !r) {
      count_malformed("ngap", r.error());
      if (!opt_.summary_only) print_ngap_error(m, r.error());
      return;
    }
    std::array<ngap::nas_pdu_ref, 16> refs{};
    auto n = ngap::collect_nas_pdus(pdu_, refs);
    if (!n) {
      count_malformed("ngap", n.error());
      n = std::size_t{0};
    }
    const std::size_t nas_count = std::min(*n, refs.size());
    const auto ids = ngap::ue_ids(pdu_);

    if (opt_.summary_only) {
      for (std::size_t i = 0; i < nas_count; ++i) count_nas(refs[i], nullptr);
      return;
    }
    if (opt_.json) {
      // The envelope is written directly (same bytes as the nlohmann ordered_json dump it
      // replaced); each NAS object is still rendered by nas::to_json.
      std::string& o = line_;
      o.clear();
      o += R"({"type":"ngap","frame":)";
      fmt::format_to(std::back_inserter(o), "{}", m.frame_number);
      o += R"(,"time":")";
      append_iso8601(o, m.timestamp_ns);
      o += R"(","assoc":)";
      report::append_json_string(o, m.association, report::json_error_handler::replace);
      o += R"(,"pdu":)";
      report::append_json_string(o, ngap::to_string(pdu_.type), report::json_error_handler::replace);
      fmt::format_to(std::back_inserter(o), R"(,"procedure_code":{},"procedure":)",
                     pdu_.procedure_code);
      const char* name = ngap::message_name(pdu_.type, pdu_.procedure_code);
      if (name != nullptr)
        report::append_json_string(o, name, report::json_error_handler::replace);
      else
        o += "null";
      if (ids && ids->ran_ue_ngap_id)
        fmt::format_to(std::back_inserter(o), R"(,"ran_ue_ngap_id":{})", *ids->ran_ue_ngap_id);
      if (ids && ids->amf_ue_ngap_id)
        fmt::format_to(std::back_inserter(o), R"(,"amf_ue_ngap_id":{})", *ids->amf_ue_ngap_id);
      o += R"(,"ies":[)";
      bool first = true;
      for (const auto& ie : pdu_.ies()) {
        if (!first) o += ',';
        first = false;
        fmt::format_to(std::back_inserter(o), "{}", ie.id);
      }
      o += R"(],"nas":[)";
      for (std::size_t i = 0; i < nas_count; ++i) {
        nas_obj_ = nullptr;
        count_nas(refs[i], &nas_obj_);
        if (i != 0) o += ',';
        report::append_json_value(o, nas_obj_, report::json_error_handler::replace);
      }
      o += "]}";
      write_line(o);
    } else {
      const char* name = ngap::message_name(pdu_.type, pdu_.procedure_code);
      std::string line = fmt::format("{} {} {} {}", m.frame_number, iso8601(m.timestamp_ns),
                                     m.association,
                                     name != nullptr ? std::string(name)
                                                     : fmt::format("procedure{}/{}",
                                                                   pdu_.procedure_code,
                                                                   ngap::to_string(pdu_.type)));
      if (ids && ids->ran_ue_ngap_id) line += fmt::format(" ran={}", *ids->ran_ue_ngap_id);
      if (ids && ids->amf_ue_ngap_id) line += fmt::format(" amf={}", *ids->amf_ue_ngap_id);
      for (std::size_t i = 0; i < nas_count; ++i) {
        line += " | ";
        line += count_nas(refs[i], nullptr);
      }
      write_line(line);
    }
  }

  void finish(const capture::counters& cap, const std::string& read_error) {
    nlohmann::ordered_json s;
    s["type"] = "summary";
    s["file"] = opt_.file;
    s["frames"] = cap[capture::counter::frames];
    s["sctp_packets"] = cap[capture::counter::sctp_packets];
    s["sctp_chunks"] = cap[capture::counter::sctp_chunks];
    s["sctp_data_chunks"] = cap[capture::counter::sctp_data_chunks];
    s["bad_checksums"] = cap[capture::counter::sctp_bad_checksum];
    s["sctp_associations"] = cap[capture::counter::sctp_associations];
    s["ngap_pdus"] = counters_.ngap_pdus;
    s["nas_messages"] = counters_.nas_messages;
    s["nas_protected"] = counters_.nas_protected;
    if (trk_) {
      s["deciphered"] = counters_.deciphered;
      s["mac_ok"] = counters_.mac_ok;
      s["mac_failed"] = counters_.mac_failed;
      s["ues"] = trk_->stats().ues;
    }
    s["truncated_frames"] = cap[capture::counter::truncated_frames];
    auto& mal = s["malformed"] = nlohmann::ordered_json::object();
    std::uint64_t total = 0;
    cap.for_each(
        [&](capture::counter, std::string_view n, capture::counter_kind k, std::uint64_t v) {
          if (k != capture::counter_kind::anomaly || n == "sctp.bad_checksum") return;
          mal[std::string(n)] = v;
          total += v;
        },
        true);
    for (const auto& [k, v] : counters_.malformed) {
      mal[k] = v;
      total += v;
    }
    s["malformed_total"] = total;
    auto& an = s["anomalies"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : counters_.anomalies) an[k] = v;
    if (!read_error.empty()) s["read_error"] = read_error;
    if (opt_.json || opt_.summary_only) {
      write_line(s.dump());
    } else {
      std::string text = fmt::format(
          "summary: {} frames, {} SCTP chunks ({} bad checksums), {} NGAP PDUs, {} NAS messages "
          "({} protected), {} malformed",
          s["frames"].get<std::uint64_t>(), s["sctp_chunks"].get<std::uint64_t>(),
          s["bad_checksums"].get<std::uint64_t>(), counters_.ngap_pdus, counters_.nas_messages,
          counters_.nas_protected, total);
      if (trk_)
        text += fmt::format("\n  with keys: {} deciphered, {} MACs verified, {} MACs failed",
                            counters_.deciphered, counters_.mac_ok, counters_.mac_failed);
      for (auto it = mal.begin(); it != mal.end(); ++it)
        if (it.value().get<std::uint64_t>() != 0)
          text += fmt::format("\n  malformed {}: {}", it.key(), it.value().get<std::uint64_t>());
      for (auto it = an.begin(); it != an.end(); ++it)
        text += fmt::format("\n  anomaly {}: {}", it.key(), it.value().get<std::uint64_t>());
      write_line(text);
    }
  }

 private:
  void write_line(std::string_view s) {
    out_buf_ += s;
    out_buf_ += '\n';
    if (out_buf_.size() >= out_flush_bytes) flush_output();
  }

 public:
  /// Writes the buffered records to the output stream.
  void flush_output() {
    if (!out_buf_.empty()) std::fwrite(out_buf_.data(), 1, out_buf_.size(), out_);
    out_buf_.clear();
  }

 private:
  static constexpr std::size_t out_flush_bytes = std::size_t{1} << 16;


  void count_malformed(const char* layer, const decode_error& e) {
    ++counters_.malformed[fmt::format("{}.{}", layer, to_string(e.code))];
  }

  void print_ngap_error(const sctp::user_message& m, const decode_error& e) {
    if (opt_.json) {
      nlohmann::ordered_json rec;
      rec["type"] = "ngap";
      rec["frame"] = m.frame_number;
      rec["time"] = iso8601(m.timestamp_ns);
      rec["assoc"] = m.association;
      rec["error"] = {{"code", to_string(e.code)}, {"offset", e.offset}, {"field", e.field}};
      write_line(rec.dump());
    } else {
      write_line(fmt::format("{} {} {} malformed NGAP: {}", m.frame_number,
                             iso8601(m.timestamp_ns), m.association, describe(e)));
    }
  }

  /// Decodes one NAS PDU (deciphered when the tracker could), counts it, and renders it into
  /// `obj` when given. Returns a short text form.
  std::string count_nas(const ngap::nas_pdu_ref& ref, nlohmann::json* obj) {
    ++counters_.nas_messages;
    const analysis::nas_verdict* v = verdict_at(ref.offset);
    bytes_view bytes = ref.bytes;
    if (v != nullptr && v->deciphered && !v->plain.empty() && ref.bytes.size() >= 7) {
      // The security header as on the wire, then the deciphered inner message.
      plain_buf_.assign(ref.bytes.begin(), ref.bytes.begin() + 7);
      plain_buf_.insert(plain_buf_.end(), v->plain.begin(), v->plain.end());
      bytes = plain_buf_;
    }
    const bool deciphered = bytes.data() != ref.bytes.data();
    // A message under a ciphering header that the tracker read as plain (5G-EA0: chosen by the
    // UE's SMC, or, with no SMC seen, the message decodes as plain) is decoded as such, as the
    // audit reads it (nothing was deciphered, so no "deciphered").
    const bool ea0 = !deciphered && v != nullptr && (v->header_type == 2 || v->header_type == 4) &&
                     !v->plain.empty();
    const bool as_plain = deciphered || ea0;
    bool container_deciphered = false;
    if (!deciphered && v != nullptr && !v->container_plain.empty() &&
        std::size_t{v->container_offset} + v->container_plain.size() <= ref.bytes.size()) {
      // An integrity-protected initial message whose NAS message container was deciphered:
      // the message as sent with the container's value in plain form (TS 24.501 4.4.6).
      plain_buf_.assign(ref.bytes.begin(), ref.bytes.end());
      std::copy(v->container_plain.begin(), v->container_plain.end(),
                plain_buf_.begin() + v->container_offset);
      bytes = plain_buf_;
      container_deciphered = true;
      ++counters_.deciphered;
    }
    if (deciphered) ++counters_.deciphered;
    if (v != nullptr && v->mac == analysis::mac_verdict::ok) ++counters_.mac_ok;
    if (v != nullptr && v->mac == analysis::mac_verdict::failed) ++counters_.mac_failed;
    if (auto r = nas::decode_into(bytes, nas_msg_, as_plain ? plain_opt_ : nas_opt_); !r) {
      count_malformed("nas", r.error());
      if (obj != nullptr)
        *obj = {{"error", to_string(r.error().code)},
                {"offset", r.error().offset},
                {"field", r.error().field}};
      return fmt::format("malformed NAS ({})", describe(r.error()));
    }
    if (nas_msg_.security_header != nas::security_header_type::plain) ++counters_.nas_protected;
    for (const auto& a : nas_msg_.message.anomalies.view()) ++counters_.anomalies[nas::to_string(a.kind)];
    if (obj != nullptr) {
      *obj = nas::to_json(nas_msg_, as_plain ? plain_json_opt_ : json_opt_);
      annotate(*obj, v, deciphered);
      if (container_deciphered) {
        auto c = obj->find("nas_message_container");
        if (c != obj->end() && c->is_object()) (*c)["deciphered"] = true;
      }
    }
    std::string text;
    if (nas_msg_.has_message) {
      const char* name = nas_msg_.message.name();
      text = name != nullptr ? name : fmt::format("message type 0x{:02x}", nas_msg_.message.message_type);
    } else {
      text = "ciphered";
    }
    if (nas_msg_.security_header != nas::security_header_type::plain)
      text += fmt::format(" (sht {}, sqn {})", static_cast<int>(nas_msg_.security_header),
                          nas_msg_.sqn);
    if (v != nullptr && v->mac != analysis::mac_verdict::not_protected) {
      text += fmt::format(" [{}MAC {}",
                          deciphered             ? fmt::format("deciphered NEA{}, ", v->nea)
                          : container_deciphered ? fmt::format("container deciphered NEA{}, ", v->nea)
                          : ea0                  ? std::string("NEA0, ")
                                                 : std::string(),
                          analysis::to_string(v->mac));
      if (v->count) text += fmt::format(", COUNT {}", *v->count);
      text += ']';
    }
    return text;
  }

  /// Appends the UTC time of `ns` as 2019-01-01T00:00:00.123456789Z (the date and time of day
  /// are formatted once per second).
  void append_iso8601(std::string& o, std::int64_t ns) { iso_.append(o, ns); }

  /// Adds the key-dependent fields of the CLI contract: "deciphered", "mac_verified", "count".
  static void annotate(nlohmann::json& obj, const analysis::nas_verdict* v, bool deciphered) {
    if (v == nullptr || !obj.is_object()) return;
    if (deciphered) obj["deciphered"] = true;
    if (v->mac == analysis::mac_verdict::ok) obj["mac_verified"] = true;
    if (v->mac == analysis::mac_verdict::failed) obj["mac_verified"] = false;
    if (v->count && v->mac != analysis::mac_verdict::not_protected) obj["count"] = *v->count;
  }

  std::string iso8601(std::int64_t ns) {
    std::string o;
    append_iso8601(o, ns);
    return o;
  }

  const decode_options& opt_;
  std::FILE* out_;
  nas::decode_options nas_opt_;
  nas::json_options json_opt_;
  /// A deciphered message is plain inside its security header: decoded as null-deciphered.
  nas::decode_options plain_opt_{.null_decipher = true};
  nas::json_options plain_json_opt_{.null_decipher = true};
  byte_buffer plain_buf_;
  std::optional<analysis::subscriber_db> db_;
  identity::hn_key_store hn_;
  std::unique_ptr<analysis::nas_verdict_recorder> rec_;
  std::unique_ptr<analysis::tracker> trk_;
  analysis::packet_meta_builder make_meta_;
  decode_counters counters_;
  ngap::pdu pdu_;
  nas::nas_message nas_msg_;
  nlohmann::json nas_obj_;
  std::string line_;
  std::string out_buf_;
  report::iso8601_cache iso_{report::time_precision::nanoseconds};
};

int run_decode(const decode_options& opt) {
  auto rd = capture::reader::open(opt.file);
  if (!rd) throw input_error(rd.error().message);
  decoder dec(opt, stdout);
  sctp::pipeline pipe;
  std::string read_error;
  for (;;) {
    auto f = rd->next();
    if (!f) {
      read_error = f.error().message;
      break;
    }
    if (!*f) break;
    pipe.feed(**f, [&](const sctp::user_message& m) { dec.on_message(m); });
  }
  dec.end_of_capture();
  dec.finish(pipe.stats(), read_error);
  dec.flush_output();
  std::fflush(stdout);
  if (!read_error.empty()) {
    // The reader's message names the frame (and its offset when known).
    std::cerr << "sec5g: error: " << read_error << " (the frames before it were decoded)\n";
    return exit_input;
  }
  return exit_ok;
}

}  // namespace

void add_decode_command(CLI::App& app, action& selected) {
  auto opt = std::make_shared<decode_options>();
  auto* cmd = app.add_subcommand(
      "decode", "Decode NGAP and NAS-5GS from a pcap/pcapng capture, one record per NGAP PDU");
  cmd->add_option("FILE", opt->file, "Capture file (pcap or pcapng; '-': standard input)")
      ->required();
  cmd->add_flag("--json", opt->json,
                "JSON Lines: one {\"type\":\"ngap\",...} record per NGAP PDU, then a summary "
                "(fields in docs/FORMATS.md)");
  cmd->add_flag("--null-decipher", opt->null_decipher,
                "Decode ciphered NAS payloads as plain where they parse (5G-EA0 networks), as "
                "Wireshark's nas-5gs.null_decipher");
  cmd->add_flag("--summary-only", opt->summary_only,
                "Decode everything but print only the summary record (JSON)");
  add_key_args(*cmd, opt->key);
  cmd->callback([opt, &selected] { selected = [opt] { return run_decode(*opt); }; });
}

}  // namespace sec5g::cli
