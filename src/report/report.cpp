// JSON Lines and text reports of findings. Ref: docs/formats/audit.md.
#include "sec5g/report/report.hpp"

#include <algorithm>
#include <ctime>
#include <vector>

namespace sec5g::report {

summary make_summary(const analysis::tracker_stats& st) {
  summary s;
  s.ngap = st.ngap;
  s.nas = st.nas;
  s.protected_nas = st.protected_nas;
  s.deciphered = st.deciphered;
  s.mac_ok = st.mac_ok;
  s.mac_failed = st.mac_failed;
  s.malformed = st.malformed;
  s.ues = st.ues;
  s.evicted = st.evicted;
  return s;
}

std::string iso8601(std::int64_t time_ns) {
  std::int64_t secs = time_ns / 1'000'000'000;
  std::int64_t rem = time_ns % 1'000'000'000;
  if (rem < 0) {
    rem += 1'000'000'000;
    --secs;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(rem / 1000));
  return buf;
}

nlohmann::ordered_json to_json(const rules::finding& f) {
  nlohmann::ordered_json j;
  j["type"] = "finding";
  j["rule"] = std::string(f.rule->id);
  j["severity"] = std::string(rules::to_string(f.level));
  j["title"] = std::string(f.rule->title);
  j["spec"] = std::string(f.rule->spec);
  j["frame"] = f.frame;
  j["time"] = iso8601(f.time_ns);
  nlohmann::ordered_json ue = nlohmann::ordered_json::object();
  if (f.has_ue) {
    if (f.ue.ran_ue_ngap_id) ue["ran_ue_ngap_id"] = *f.ue.ran_ue_ngap_id;
    if (f.ue.amf_ue_ngap_id) ue["amf_ue_ngap_id"] = *f.ue.amf_ue_ngap_id;
    if (!f.ue.supi.empty()) ue["supi"] = f.ue.supi;
    if (!f.ue.suci.empty()) ue["suci"] = f.ue.suci;
    if (!f.ue.guti.empty()) ue["guti"] = f.ue.guti;
  }
  j["ue"] = ue;
  if (!f.gnb.empty()) j["gnb"] = f.gnb;
  if (!f.amf.empty()) j["amf"] = f.amf;
  j["evidence"] = f.evidence;
  return j;
}

nlohmann::ordered_json to_json(const summary& s) {
  nlohmann::ordered_json j;
  j["type"] = "summary";
  j["frames"] = s.frames;
  j["ngap"] = s.ngap;
  j["nas"] = s.nas;
  j["protected"] = s.protected_nas;
  j["deciphered"] = s.deciphered;
  j["mac_ok"] = s.mac_ok;
  j["mac_failed"] = s.mac_failed;
  j["malformed"] = s.malformed;
  j["ues"] = s.ues;
  j["evicted"] = s.evicted;
  nlohmann::ordered_json fj = nlohmann::ordered_json::object();
  for (const auto& [id, n] : s.findings) fj[id] = n;
  j["findings"] = fj;
  return j;
}

void write_jsonl(std::ostream& out, std::span<const rules::finding> findings, const summary& s) {
  for (const auto& f : findings) out << to_json(f).dump() << '\n';
  out << to_json(s).dump() << '\n';
}

namespace {

std::string ue_label(const rules::finding& f) {
  if (!f.has_ue) return "(no UE: " + (f.gnb.empty() ? std::string("network") : "gNB " + f.gnb) + ")";
  std::string s;
  if (!f.ue.supi.empty()) s = f.ue.supi;
  else if (!f.ue.suci.empty()) s = f.ue.suci;
  else if (!f.ue.guti.empty()) s = f.ue.guti;
  else s = "unidentified UE";
  if (f.ue.ran_ue_ngap_id) s += " ran_ue_ngap_id=" + std::to_string(*f.ue.ran_ue_ngap_id);
  if (f.ue.amf_ue_ngap_id) s += " amf_ue_ngap_id=" + std::to_string(*f.ue.amf_ue_ngap_id);
  return s;
}

}  // namespace

void write_text(std::ostream& out, std::span<const rules::finding> findings, const summary& s) {
  for (int sev = 3; sev >= 0; --sev) {
    std::vector<const rules::finding*> group;
    for (const auto& f : findings)
      if (static_cast<int>(f.level) == sev) group.push_back(&f);
    if (group.empty()) continue;
    const auto level = static_cast<rules::severity>(sev);
    std::string head(rules::to_string(level));
    std::transform(head.begin(), head.end(), head.begin(), [](char c) {
      return static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    });
    out << "== " << head << " (" << group.size() << ") ==\n";
    std::stable_sort(group.begin(), group.end(), [](const auto* a, const auto* b) {
      return ue_label(*a) < ue_label(*b);
    });
    std::string current;
    for (const auto* f : group) {
      const std::string label = ue_label(*f);
      if (label != current) {
        out << "  " << label << "\n";
        current = label;
      }
      out << "    frame " << f->frame << "  " << iso8601(f->time_ns) << "  " << f->rule->id
          << ": " << f->rule->title << " [" << f->rule->spec << "]\n";
      if (!f->evidence.empty()) out << "      evidence: " << f->evidence.dump() << "\n";
    }
  }
  if (findings.empty()) out << "no findings\n";
  out << "== SUMMARY ==\n";
  out << "  frames " << s.frames << ", ngap " << s.ngap << ", nas " << s.nas << ", protected "
      << s.protected_nas << ", deciphered " << s.deciphered << ", mac_ok " << s.mac_ok
      << ", mac_failed " << s.mac_failed << ", malformed " << s.malformed << ", ues " << s.ues
      << ", evicted " << s.evicted << "\n";
  for (const auto& [id, n] : s.findings) out << "  " << id << ": " << n << "\n";
}

std::string comment_of(const rules::finding& f) {
  std::string s = "sec5g: " + std::string(rules::to_string(f.level)) + " " +
                  std::string(f.rule->id) + " (" + std::string(f.rule->spec) + ")";
  if (!f.evidence.empty()) s += ": " + f.evidence.dump();
  return s;
}

}  // namespace sec5g::report
