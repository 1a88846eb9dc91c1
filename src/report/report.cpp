// JSON Lines and text reports of findings. Ref: docs/formats/audit.md.
#include "sec5g/report/report.hpp"
#include "sec5g/report/json_append.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
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

namespace {

// Whole seconds (rounded down) and the nanoseconds into that second (0..999999999).
struct split_time {
  std::int64_t second;
  std::int64_t fraction_ns;
};
split_time split(std::int64_t time_ns) noexcept {
  std::int64_t second = time_ns / 1'000'000'000;
  std::int64_t fraction = time_ns % 1'000'000'000;
  if (fraction < 0) {
    fraction += 1'000'000'000;
    --second;
  }
  return {second, fraction};
}

// Appends "YYYY-MM-DDTHH:MM:SS." of a second since the epoch.
void append_second(std::string& out, std::int64_t second) {
  const auto t = static_cast<std::time_t>(second);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (n > 0) out.append(buf, std::min(static_cast<std::size_t>(n), sizeof buf - 1));
}

// Appends the fraction with `precision` digits (truncated) and the "Z".
void append_fraction(std::string& out, std::int64_t fraction_ns, time_precision precision) {
  const auto digits = static_cast<std::size_t>(precision);
  std::int64_t v = fraction_ns;
  for (std::size_t i = digits; i < 9; ++i) v /= 10;
  char buf[10];
  for (std::size_t i = digits; i-- > 0;) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  buf[digits] = 'Z';
  out.append(buf, digits + 1);
}

}  // namespace

void append_iso8601(std::string& out, std::int64_t time_ns, time_precision precision) {
  const split_time t = split(time_ns);
  append_second(out, t.second);
  append_fraction(out, t.fraction_ns, precision);
}

std::string iso8601(std::int64_t time_ns, time_precision precision) {
  std::string out;
  append_iso8601(out, time_ns, precision);
  return out;
}

void iso8601_cache::append(std::string& out, std::int64_t time_ns) {
  const split_time t = split(time_ns);
  if (!valid_ || t.second != second_) {
    prefix_.clear();
    append_second(prefix_, t.second);
    second_ = t.second;
    valid_ = true;
  }
  out += prefix_;
  append_fraction(out, t.fraction_ns, precision_);
}

nlohmann::ordered_json to_json(const rules::finding& f, std::string_view file) {
  nlohmann::ordered_json j;
  j["type"] = "finding";
  j["rule"] = std::string(f.rule->id);
  j["severity"] = std::string(rules::to_string(f.level));
  j["title"] = std::string(f.rule->title);
  j["spec"] = std::string(f.rule->spec);
  if (!file.empty()) j["file"] = std::string(file);
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
  if (s.findings_not_listed > 0) j["findings_not_listed"] = s.findings_not_listed;
  if (s.files.size() > 1) j["files"] = s.files;
  return j;
}

void append_json_string(std::string& out, std::string_view s, json_error_handler handler) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  // Octets copied as they are: printable ASCII except the quote and the backslash.
  static constexpr auto plain_table = [] {
    std::array<bool, 256> t{};
    for (unsigned c = 0x20; c < 0x80; ++c)
      t[c] = c != '"' && c != '\\';
    return t;
  }();
  auto plain_octet = [](char ch) { return plain_table[static_cast<unsigned char>(ch)]; };
  std::size_t first = 0; // the first octet that needs attention
  while (first < s.size() && plain_octet(s[first]))
    ++first;
  if (first == s.size()) { // the usual case: nothing to escape
    out += '"';
    out += s;
    out += '"';
    return;
  }
  for (std::size_t i = first; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) {
      out += nlohmann::json(std::string(s)).dump(-1, ' ', false, handler);
      return;
    }
  }
  out += '"';
  std::size_t plain = 0; // start of the octets not yet copied
  for (std::size_t i = first; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default: {
      const char u[6] = {'\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 0xf]};
      out.append(u, sizeof u);
    }
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

namespace {

// The JSON text of the finding lines written directly, byte for byte what
// to_json(f).dump() writes (nlohmann's compact form, ensure_ascii off), without building a
// JSON tree per finding: on a 20k-finding report the tree and its serializer were ~14% of the
// instructions of `sec5g audit`. What this writer does not format itself (floating-point
// numbers, strings with non-ASCII octets, which nlohmann validates as UTF-8, binary values)
// goes through nlohmann for that one value (json_append.hpp). tests/report compares both on
// every kind of value.

// `"key":` (keys are ASCII literals without characters to escape).
void append_key(std::string& out, std::string_view key, bool first = false) {
  if (!first) out += ',';
  out += '"';
  out += key;
  out += "\":";
}

void append_finding(std::string& out, const rules::finding& f, std::string_view file,
                    iso8601_cache& times) {
  out += "{\"type\":\"finding\"";
  append_key(out, "rule");
  append_json_string(out, f.rule->id);
  append_key(out, "severity");
  append_json_string(out, rules::to_string(f.level));
  append_key(out, "title");
  append_json_string(out, f.rule->title);
  append_key(out, "spec");
  append_json_string(out, f.rule->spec);
  if (!file.empty()) {
    append_key(out, "file");
    append_json_string(out, file);
  }
  append_key(out, "frame");
  append_json_int(out, f.frame);
  append_key(out, "time");
  out += '"';
  times.append(out, f.time_ns);
  out += '"';
  append_key(out, "ue");
  out += '{';
  if (f.has_ue) {
    bool first = true;
    auto key = [&](std::string_view k) {
      append_key(out, k, first);
      first = false;
    };
    if (f.ue.ran_ue_ngap_id) {
      key("ran_ue_ngap_id");
      append_json_int(out, *f.ue.ran_ue_ngap_id);
    }
    if (f.ue.amf_ue_ngap_id) {
      key("amf_ue_ngap_id");
      append_json_int(out, *f.ue.amf_ue_ngap_id);
    }
    if (!f.ue.supi.empty()) {
      key("supi");
      append_json_string(out, f.ue.supi);
    }
    if (!f.ue.suci.empty()) {
      key("suci");
      append_json_string(out, f.ue.suci);
    }
    if (!f.ue.guti.empty()) {
      key("guti");
      append_json_string(out, f.ue.guti);
    }
  }
  out += '}';
  if (!f.gnb.empty()) {
    append_key(out, "gnb");
    append_json_string(out, f.gnb);
  }
  if (!f.amf.empty()) {
    append_key(out, "amf");
    append_json_string(out, f.amf);
  }
  append_key(out, "evidence");
  append_json_value(out, f.evidence);
  out += "}\n";
}

}  // namespace

void write_jsonl(std::ostream& out, std::span<const rules::finding> findings, const summary& s) {
  // Lines are collected in a buffer and written in blocks of ~64 KiB.
  std::string buf;
  buf.reserve(1 << 17);
  iso8601_cache times{time_precision::microseconds};
  for (const auto& f : findings) {
    append_finding(buf, f, s.file_of(f), times);
    if (buf.size() >= (1 << 16)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
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
      out << "    ";
      if (const auto file = s.file_of(*f); !file.empty()) out << file << " ";
      out << "frame " << f->frame << "  " << iso8601(f->time_ns) << "  " << f->rule->id
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
  if (s.files.size() > 1) {
    out << "  files";
    for (const auto& name : s.files) out << " " << name;
    out << "\n";
  }
  for (const auto& [id, n] : s.findings) out << "  " << id << ": " << n << "\n";
  if (s.findings_not_listed > 0)
    out << "  (" << s.findings_not_listed << " of these findings are not listed above: "
        << "--max-findings)\n";
}

std::string comment_of(const rules::finding& f) {
  std::string s = "sec5g: " + std::string(rules::to_string(f.level)) + " " +
                  std::string(f.rule->id) + " (" + std::string(f.rule->spec) + ")";
  if (!f.evidence.empty()) s += ": " + f.evidence.dump();
  return s;
}

}  // namespace sec5g::report
