// `sec5g audit`: track every UE's security context over N2, decipher and verify NAS with the
// subscriber keys when given, and judge the traffic against the rule catalogue (docs/RULES.md).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "key_args.hpp"
#include "sec5g/core/heap.hpp"
#include "sec5g/analysis/capture_run.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/suci_prefetch.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/capture/pcapng_writer.hpp"
#include "sec5g/capture/reader.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"
#include "sec5g/report/report.hpp"
#include "sec5g/rules/catalogue.hpp"
#include "sec5g/rules/engine.hpp"

namespace sec5g::cli {
namespace {

struct audit_options {
  std::vector<std::string> files;
  key_args key;
  std::string format = "text";
  std::string output;
  std::string annotate;
  std::string fail_on;
  std::string max_ues;
  std::string max_findings;
  std::string rules;
  std::string threads;
  bool timing = false;
  // Rule thresholds (rules::engine_options; defaults in docs/RULES.md).
  std::string auth_failures_per_ue, auth_failures_per_gnb, auth_failure_window;
  std::string identity_requests_per_ue, identity_requests_per_gnb, identity_request_window;
  std::string registrations_per_gnb, registration_window;
};

/// Seconds (1..86400) as nanoseconds.
std::int64_t window_ns(const char* name, const std::string& v) {
  return static_cast<std::int64_t>(parse_uint(name, v, 1, 86'400)) * 1'000'000'000;
}

/// The rate-rule thresholds given on the command line over the engine's defaults.
void apply_thresholds(const audit_options& o, rules::engine_options& e) {
  auto count = [](const char* name, const std::string& v, std::uint32_t& out) {
    if (!v.empty()) out = static_cast<std::uint32_t>(parse_uint(name, v, 1, 1'000'000));
  };
  count("--auth-failures-per-ue", o.auth_failures_per_ue, e.auth_failures_per_ue);
  count("--auth-failures-per-gnb", o.auth_failures_per_gnb, e.auth_failures_per_gnb);
  count("--identity-requests-per-ue", o.identity_requests_per_ue, e.identity_requests_per_ue);
  count("--identity-requests-per-gnb", o.identity_requests_per_gnb, e.identity_requests_per_gnb);
  count("--registrations-per-gnb", o.registrations_per_gnb, e.registrations_per_gnb);
  if (!o.auth_failure_window.empty())
    e.auth_failure_window_ns = window_ns("--auth-failure-window", o.auth_failure_window);
  if (!o.identity_request_window.empty())
    e.identity_request_window_ns = window_ns("--identity-request-window", o.identity_request_window);
  if (!o.registration_window.empty())
    e.registration_window_ns = window_ns("--registration-window", o.registration_window);
}

/// The verdicts of --annotate: the NAS verdict of every protected 5GMM message and the check
/// of the AS keys on N2, as packet comments of the frame being processed (the tracker's events
/// of a frame come while that frame is fed: a reassembled message carries its last fragment's
/// frame). Taken by the annotated copy's writer after each frame, so memory does not grow with
/// the capture.
class verdict_sink final : public analysis::event_sink {
 public:
  void on_nas(const analysis::nas_event& e) override {
    if (e.header_type == 0 || e.epd != analysis::epd_5gmm) return;
    std::string c = "sec5g: NAS ";
    c += e.dir == analysis::direction::uplink ? "UL" : "DL";
    if (e.mm != nullptr) c += std::string(" ") + analysis::mm_type_name(e.mm->type);
    if (e.count) c += " COUNT=" + std::to_string(*e.count);
    c += std::string(" MAC ") + analysis::to_string(e.mac);
    if (e.deciphered) c += " deciphered(128-NEA" + std::to_string(e.nea) + ")";
    if (e.container_deciphered)
      c += std::string(" NAS message container ") +
           (e.container_mm != nullptr ? analysis::mm_type_name(e.container_mm->type)
                                      : "unreadable") +
           " deciphered(128-NEA" + std::to_string(e.nea) + ")";
    note(*e.pkt, std::move(c));
  }
  void on_ngap(const analysis::ngap_event& e) override {
    // The AS keys on N2 checked against the UE's hierarchy (TS 33.501 A.9, A.10).
    if (e.security_key != analysis::as_key_verdict::not_checked)
      note(*e.pkt, "sec5g: SecurityKey (K_gNB) " +
                       std::string(analysis::to_string(e.security_key)) + " (uplink NAS COUNT " +
                       std::to_string(e.security_key_count) + ")");
    if (e.next_hop != analysis::as_key_verdict::not_checked)
      note(*e.pkt, "sec5g: SecurityContext NH " + std::string(analysis::to_string(e.next_hop)) +
                       " (NCC " + std::to_string(e.ncc) + ")");
  }
  void on_ue_end(const analysis::ue_context&) override {}

  /// Comments noted since the last call, with their frame numbers (in the order produced).
  std::vector<std::pair<std::uint64_t, std::string>> pending;

 private:
  void note(const analysis::packet_meta& pkt, std::string text) {
    pending.emplace_back(pkt.frame, std::move(text));
  }
};

/// The SCTP layer as audit uses it: no CRC32c of every packet (3% of an audit's time), since
/// audit reports none of the SCTP layer's counters (`sec5g decode` does: bad_checksums); a
/// packet with a wrong checksum is used either way.
sctp::pipeline_config audit_pipeline_config() {
  sctp::pipeline_config c;
  c.verify_checksum = false;
  return c;
}

/// Writes the annotated copy: a second pass over the input files with a fresh tracker (the
/// same options, keys and traffic give the same events as the first pass), each frame written
/// as soon as it is processed with its verdicts and the findings of the first pass at that
/// frame (`findings` sorted by file, frame). Memory: one frame's comments.
void write_annotated(const std::vector<std::string>& files, analysis::tracker_options topt,
                     const analysis::subscriber_db* db, const identity::hn_key_store* hn,
                     const std::vector<rules::finding>& findings, capture::pcapng_writer& out) {
  topt.suci_cache = nullptr;  // sequential
  verdict_sink verdicts;
  analysis::tracker trk(topt, db, hn, verdicts);
  sctp::pipeline pipe(audit_pipeline_config());
  analysis::current_message cur;
  analysis::run_stats rs;
  std::size_t next = 0;  // first finding not yet written
  std::vector<std::string> texts;
  std::vector<std::string_view> views;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto file_index = static_cast<std::uint32_t>(i);
    analysis::run_hooks hooks;
    hooks.file_index = file_index;
    hooks.after_frame = [&](const capture::frame& f) {
      texts.clear();
      for (auto& [frame, text] : verdicts.pending)
        if (frame == f.number) texts.push_back(std::move(text));
      verdicts.pending.clear();
      while (next < findings.size() &&
             (findings[next].file < file_index ||
              (findings[next].file == file_index && findings[next].frame < f.number)))
        ++next;  // a finding at a frame the copy does not have (none expected)
      for (; next < findings.size() && findings[next].file == file_index &&
             findings[next].frame == f.number;
           ++next)
        texts.push_back(report::comment_of(findings[next]));
      views.assign(texts.begin(), texts.end());
      capture::packet_record rec;
      rec.timestamp_ns = f.timestamp_ns;
      rec.data = f.data;
      rec.original_len = f.original_len;
      rec.comments = views;
      if (auto wr = out.write(rec); !wr) throw input_error(wr.error().message);
    };
    // A read error was reported by the first pass; the copy ends where the input does.
    (void)analysis::run_capture_file(files[i], pipe, trk, cur, rs, hooks);
  }
  if (auto c = out.close(); !c) throw input_error(c.error().message);
}

int run_audit(const audit_options& o) {
  // Huge pages for the tables of a large run (core/heap.hpp): 64 MiB covers the 20 000-UE
  // benchmarks' main heap; beyond it the heap grows on normal pages.
  heap_prefer_huge_pages(std::size_t{64} << 20);
  // --- arguments
  if (o.format != "text" && o.format != "jsonl")
    throw usage_error("--format: expected text or jsonl, got '" + o.format + "'");
  std::optional<rules::severity> fail_on;
  if (!o.fail_on.empty()) {
    fail_on = rules::parse_severity(o.fail_on);
    if (!fail_on) throw usage_error("--fail-on: expected info, low, medium or high");
  }
  rules::engine_options eopt;
  apply_thresholds(o, eopt);
  eopt.files = o.files;
  if (!o.max_findings.empty())
    eopt.max_listed_findings = parse_uint("--max-findings", o.max_findings, 1, 100'000'000);
  if (!o.rules.empty()) {
    std::stringstream ss(o.rules);
    std::string id;
    while (std::getline(ss, id, ',')) {
      if (id.empty()) continue;
      if (rules::find_rule(id) == nullptr)
        throw usage_error("--rules: unknown rule id '" + id + "' (see `sec5g rules`)");
      eopt.enabled.insert(id);
    }
  }
  analysis::tracker_options topt;
  if (!o.max_ues.empty()) topt.max_ues = parse_uint("--max-ues", o.max_ues, 1, 100'000'000);
  topt.serving_network_name = o.key.snn;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (!o.threads.empty())
    threads = static_cast<unsigned>(parse_uint("--threads", o.threads, 1, 256));
  {
    std::vector<named_path> inputs, outputs;
    for (const auto& file : o.files) inputs.push_back({"FILE", file});
    append_key_files(o.key, inputs);
    outputs.push_back({"-o", o.output});
    outputs.push_back({"--annotate", o.annotate});
    check_outputs_distinct(inputs, outputs);
  }
  // --annotate writes the input files one after the other into one pcapng with one interface:
  // they must share a link type (checked before the run).
  std::optional<capture::link_type> annotate_link;
  if (!o.annotate.empty()) {
    for (const auto& file : o.files)
      require_regular_input(file, "--annotate reads each FILE twice (the report, then the copy)");
    for (const auto& file : o.files) {
      auto rd = capture::reader::open(file);
      if (!rd) throw input_error(rd.error().message);
      if (annotate_link && *annotate_link != rd->link())
        throw usage_error("--annotate: the input files have different link types (" + file +
                          "); write one annotated copy per file");
      annotate_link = rd->link();
    }
  }
  // The outputs are opened before the run, so that a mistyped path does not cost a whole run.
  std::ofstream file_out;
  std::ostream* out = &std::cout;
  if (!o.output.empty() && o.output != "-") {
    file_out.open(o.output, std::ios::binary | std::ios::trunc);
    if (!file_out) throw input_error(o.output + ": cannot open for writing");
    out = &file_out;
  }
  std::optional<capture::pcapng_writer> annotated;
  if (!o.annotate.empty()) {
    auto w = capture::pcapng_writer::create(o.annotate, *annotate_link);
    if (!w) throw input_error(w.error().message);
    annotated.emplace(std::move(*w));
  }

  const auto t0 = std::chrono::steady_clock::now();
  // --- keys: the home network keys now (the reader thread de-conceals SUCIs with them); the key
  // file, and the tracker built on it, when the tracker needs them: with threads > 1 that is
  // after the reader thread started on the first file, so that a large key file loads while the
  // capture is read and its first SUCIs are de-concealed (the same tracker, the same output).
  identity::hn_key_store hn;
  load_hn_keys(o.key.hn_keys, hn);
  // With home network keys the SUCIs are found ahead of the tracker and de-concealed eight at
  // a time (sidf::deconceal_batch): on other threads, or with --threads 1 one batch of
  // messages ahead on this one.
  analysis::suci_prefetch prefetch;
  if (hn.size() > 0) topt.suci_cache = &prefetch;
  // The rules engine (the tracker's event sink) and the tracker, built when the tracker is
  // first needed (see tracker_of).
  std::optional<rules::engine> eng(std::in_place, eopt);
  std::optional<analysis::subscriber_db> db;
  std::optional<analysis::tracker> trk;
  std::chrono::steady_clock::duration keys_time{};
  auto tracker_of = [&]() -> analysis::tracker& {
    if (!trk) {
      const auto k0 = std::chrono::steady_clock::now();
      db = load_subscriber_db(o.key.keys);
      trk.emplace(topt, db ? &*db : nullptr, hn.size() > 0 ? &hn : nullptr, *eng);
      keys_time = std::chrono::steady_clock::now() - k0;
    }
    return *trk;
  };
  if (threads == 1) tracker_of();

  // --- run (with threads > 1: the capture is read, and SUCIs are de-concealed, on other
  // threads ahead of the tracker; same output as the sequential run)
  const auto t1 = std::chrono::steady_clock::now();
  sctp::pipeline pipe(audit_pipeline_config());
  analysis::current_message cur;
  analysis::run_stats rs;
  analysis::parallel_options popt;
  popt.threads = threads;
  popt.prefetch = topt.suci_cache != nullptr ? &prefetch : nullptr;
  popt.hn_keys = &hn;
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    const auto& file = o.files[i];
    popt.file_index = static_cast<std::uint32_t>(i);
    analysis::run_hooks hooks;
    hooks.file_index = static_cast<std::uint32_t>(i);
    auto r = threads > 1 || popt.prefetch != nullptr
                 ? analysis::run_capture_file_parallel(file, pipe, tracker_of, rs, popt)
                 : analysis::run_capture_file(file, pipe, *trk, cur, rs, hooks);
    if (!r) {
      if (r.error().code == capture::capture_error::kind::open_failed ||
          r.error().code == capture::capture_error::kind::unsupported)
        throw input_error(r.error().message);
      // A capture cut short: the frames before the cut are audited, the next FILE read.
      std::cerr << "sec5g: warning: " << r.error().message
                << " (the frames before it were audited)\n";
    }
  }
  const auto t2 = std::chrono::steady_clock::now();
  tracker_of().finish();
  eng->finish();
  const auto t3 = std::chrono::steady_clock::now();
  if (o.timing) {
    std::cerr << "sec5g: timing: threads " << threads << ", CPU s: tracker thread "
              << static_cast<double>(rs.tracker_cpu_ns) / 1e9 << ", reader thread "
              << static_cast<double>(rs.reader_cpu_ns) / 1e9 << ", SUCI workers "
              << static_cast<double>(rs.worker_cpu_ns) / 1e9 << "\n";
    if (popt.prefetch != nullptr) {
      const auto c = prefetch.stats();
      std::cerr << "sec5g: timing: SUCIs de-concealed ahead " << c.by_workers
                << ", by the tracker " << c.claimed << " (+" << c.claimed_along
                << " along with those, +" << c.misses << " not read ahead), waited for "
                << c.waited << "\n";
    }
  }

  report::summary sum = report::make_summary(trk->stats());
  sum.frames = rs.frames;
  sum.findings = eng->counts();
  sum.findings_not_listed = eng->not_listed();
  if (o.files.size() > 1) sum.files = o.files;
  if (eng->not_listed() > 0)
    std::cerr << "sec5g: " << eng->not_listed() << " findings not listed (past --max-findings "
              << eopt.max_listed_findings << "); the summary counts them\n";

  // --- output
  if (o.format == "jsonl") report::write_jsonl(*out, eng->findings(), sum);
  else report::write_text(*out, eng->findings(), sum);
  out->flush();
  if (!*out) throw input_error("cannot write the report");
  if (o.timing) {
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::cerr << "sec5g: timing: wall s: keys " << secs(t0, t1);
    // With threads > 1 the key file loads on the tracker thread inside the run (above).
    if (threads > 1)
      std::cerr << " (+ key file " << std::chrono::duration<double>(keys_time).count()
                << " inside the run)";
    std::cerr << ", run " << secs(t1, t2) << ", finish " << secs(t2, t3) << ", report "
              << secs(t3, std::chrono::steady_clock::now()) << "\n";
  }

  // --- annotated copy (second pass over the input files, one after the other)
  if (annotated)
    write_annotated(o.files, topt, db ? &*db : nullptr, hn.size() > 0 ? &hn : nullptr,
                    eng->findings(), *annotated);

  const bool failed = fail_on && eng->highest() && *eng->highest() >= *fail_on;
  // The tables are freed at the end of the scope, on this thread: freeing the tracker on a
  // second thread while this one freed the rules' tables took longer (10-13 ms against 5-9 ms
  // for the 20 000-UE storm), both threads contending for the lock of the heap that holds them.
  return failed ? exit_findings : exit_ok;
}

}  // namespace

void add_audit_command(CLI::App& app, action& selected) {
  auto o = std::make_shared<audit_options>();
  CLI::App* sub = app.add_subcommand(
      "audit", "Audit N2 captures against the 3GPP security rules (docs/RULES.md)");
  sub->add_option("FILE", o->files, "pcap / pcapng capture(s) ('-': standard input)")->required();
  add_key_args(*sub, o->key);
  sub->add_option("--format", o->format, "text (default) or jsonl");
  sub->add_option("-o", o->output, "write the report to OUT (default stdout)");
  sub->add_option("--annotate", o->annotate,
                  "write a pcapng copy with findings and NAS/AS-key verdicts as packet comments "
                  "(several FILEs: one after the other, as mergecap -a)");
  sub->add_option("--fail-on", o->fail_on,
                  "exit 1 when a finding at or above info|low|medium|high exists (default: "
                  "exit 0 whatever the findings)");
  sub->add_option("--max-ues", o->max_ues,
                  "cap of live UE contexts, the oldest evicted and counted in the summary "
                  "(default " + std::to_string(analysis::tracker_options{}.max_ues) +
                      ", ~0.5 KiB each)");
  sub->add_option("--max-findings", o->max_findings,
                  "list at most N findings, the first produced; the summary and --fail-on "
                  "count all (default " +
                      std::to_string(rules::engine_options{}.max_listed_findings) +
                      ", ~1 KiB each)");
  sub->add_option("--rules", o->rules, "only these rule ids (comma separated)");
  sub->add_option("--threads", o->threads,
                  "threads (default: the number of cores); 1 = read, track and de-conceal "
                  "SUCIs on one thread, one batch of messages at a time (the report is the "
                  "same)");
  sub->add_flag("--timing", o->timing,
                "print to stderr the CPU time of each thread (with --threads > 1) and the wall "
                "time of each phase (loading the keys, the run, the end of every context, the "
                "report; with --threads > 1 the --keys file loads inside the run, while the "
                "capture is read ahead)");
  // Thresholds of the rate rules (docs/RULES.md gives the defaults and what each one counts).
  const rules::engine_options d;
  const char* g = "Rule thresholds";
  auto dflt = [](auto v) { return " (default " + std::to_string(v) + ")"; };
  sub->add_option("--auth-failures-per-ue", o->auth_failures_per_ue,
                  "aka.auth_failure_storm: failures per subscriber in the window" + dflt(d.auth_failures_per_ue))
      ->group(g);
  sub->add_option("--auth-failures-per-gnb", o->auth_failures_per_gnb,
                  "aka.auth_failure_storm: failures per gNB in the window" + dflt(d.auth_failures_per_gnb))
      ->group(g);
  sub->add_option("--auth-failure-window", o->auth_failure_window,
                  "aka.auth_failure_storm: window, seconds" + dflt(d.auth_failure_window_ns / 1'000'000'000))
      ->group(g);
  sub->add_option("--identity-requests-per-ue", o->identity_requests_per_ue,
                  "id.identity_request_flood: SUCI Identity Requests per UE in the window" +
                      dflt(d.identity_requests_per_ue))
      ->group(g);
  sub->add_option("--identity-requests-per-gnb", o->identity_requests_per_gnb,
                  "id.identity_request_flood: SUCI Identity Requests per gNB in the window" +
                      dflt(d.identity_requests_per_gnb))
      ->group(g);
  sub->add_option("--identity-request-window", o->identity_request_window,
                  "id.identity_request_flood: window, seconds" +
                      dflt(d.identity_request_window_ns / 1'000'000'000))
      ->group(g);
  sub->add_option("--registrations-per-gnb", o->registrations_per_gnb,
                  "ngap.registration_flood: InitialUEMessages per gNB in the window" +
                      dflt(d.registrations_per_gnb))
      ->group(g);
  sub->add_option("--registration-window", o->registration_window,
                  "ngap.registration_flood: window, seconds" + dflt(d.registration_window_ns / 1'000'000'000))
      ->group(g);
  sub->callback([o, &selected] { selected = [o] { return run_audit(*o); }; });
}

}  // namespace sec5g::cli
