#include "sec5g/report/report.hpp"
#include "sec5g/report/json_append.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace sec5g::report {
namespace {

rules::finding sample(std::string_view rule, std::uint64_t frame) {
  rules::finding f;
  f.rule = rules::find_rule(rule);
  f.level = f.rule->level;
  f.frame = frame;
  f.time_ns = 1'638'347'216'400'206'123;  // 2021-12-01T08:26:56.400206123Z
  f.has_ue = true;
  f.ue.ran_ue_ngap_id = 1;
  f.ue.supi = "imsi-208950000000031";
  f.gnb = "192.168.70.141:47592";
  f.amf = "192.168.70.132:38412";
  f.evidence["selected_nea"] = 0;
  return f;
}

TEST(report, iso8601_utc_microseconds) {
  EXPECT_EQ(iso8601(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(iso8601(1'638'347'216'400'206'123), "2021-12-01T08:26:56.400206Z");
}

TEST(report, iso8601_nanoseconds_and_times_before_the_epoch) {
  EXPECT_EQ(iso8601(1'638'347'216'400'206'123, time_precision::nanoseconds),
            "2021-12-01T08:26:56.400206123Z");
  EXPECT_EQ(iso8601(5, time_precision::nanoseconds), "1970-01-01T00:00:00.000000005Z");
  EXPECT_EQ(iso8601(-1, time_precision::nanoseconds), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(iso8601(-1), "1969-12-31T23:59:59.999999Z");
  std::string s = "t=";
  append_iso8601(s, 999'999'999, time_precision::microseconds);
  EXPECT_EQ(s, "t=1970-01-01T00:00:00.999999Z");
}

TEST(report, iso8601_cache_writes_what_append_iso8601_writes) {
  const std::int64_t base = 1'638'347'216'000'000'000;
  const std::int64_t times[] = {base,       base + 7,  base + 999'999'999, base + 1'000'000'000,
                                base + 3,   -1,        0,                  -1'000'000'001,
                                base + 1'000'000'000 + 42};
  for (const auto p : {time_precision::microseconds, time_precision::nanoseconds}) {
    iso8601_cache cache(p);
    for (const std::int64_t t : times) {
      std::string cached = "x";
      cache.append(cached, t);
      std::string direct = "x";
      append_iso8601(direct, t, p);
      EXPECT_EQ(cached, direct) << t;
    }
  }
}

TEST(report, finding_json_has_the_contract_keys_in_order_and_omits_unknown_ids) {
  const auto j = to_json(sample("nas.null_ciphering", 48));
  EXPECT_EQ(j.dump(),
            "{\"type\":\"finding\",\"rule\":\"nas.null_ciphering\",\"severity\":\"medium\","
            "\"title\":\"The Security Mode Command selects 5G-EA0 (null ciphering)\","
            "\"spec\":\"TS 33.501 5.5.1; TS 24.501 4.4.1\",\"frame\":48,"
            "\"time\":\"2021-12-01T08:26:56.400206Z\",\"ue\":{\"ran_ue_ngap_id\":1,"
            "\"supi\":\"imsi-208950000000031\"},\"gnb\":\"192.168.70.141:47592\","
            "\"amf\":\"192.168.70.132:38412\",\"evidence\":{\"selected_nea\":0}}");
}

TEST(report, summary_json_and_jsonl_order) {
  summary s;
  s.frames = 10;
  s.findings["nas.null_ciphering"] = 1;
  std::ostringstream out;
  const rules::finding f = sample("nas.null_ciphering", 3);
  write_jsonl(out, std::span<const rules::finding>(&f, 1), s);
  const std::string text = out.str();
  const auto nl = text.find('\n');
  ASSERT_NE(nl, std::string::npos);
  EXPECT_TRUE(text.substr(nl + 1).starts_with(
      "{\"type\":\"summary\",\"frames\":10,\"ngap\":0,\"nas\":0,\"protected\":0,\"deciphered\":0,"
      "\"mac_ok\":0,\"mac_failed\":0,\"malformed\":0,\"ues\":0,\"evicted\":0,"
      "\"findings\":{\"nas.null_ciphering\":1}}"));
}

TEST(report, several_input_files_name_the_file_of_each_finding_and_list_the_files) {
  summary s;
  s.files = {"a.pcap", "dir/b \"x\".pcapng"};
  rules::finding f = sample("nas.null_ciphering", 3);
  f.file = 1;
  std::ostringstream out;
  write_jsonl(out, std::span<const rules::finding>(&f, 1), s);
  const std::string text = out.str();
  const auto nl = text.find('\n');
  ASSERT_NE(nl, std::string::npos);
  const std::string line = text.substr(0, nl);
  EXPECT_EQ(line, to_json(f, "dir/b \"x\".pcapng").dump());
  EXPECT_NE(line.find("\"spec\":\"TS 33.501 5.5.1; TS 24.501 4.4.1\","
                      "\"file\":\"dir/b \\\"x\\\".pcapng\",\"frame\":3,"),
            std::string::npos);
  EXPECT_TRUE(text.substr(nl + 1).find(",\"files\":[\"a.pcap\",\"dir/b \\\"x\\\".pcapng\"]}") !=
              std::string::npos);
  // One file: no "file" key, no "files" (the single-file output is unchanged).
  summary one;
  one.files = {"a.pcap"};
  EXPECT_EQ(one.file_of(f), "");
  std::ostringstream single;
  write_jsonl(single, std::span<const rules::finding>(&f, 1), one);
  EXPECT_EQ(single.str().find("\"file"), std::string::npos);
  std::ostringstream txt;
  write_text(txt, std::span<const rules::finding>(&f, 1), s);
  EXPECT_NE(txt.str().find("dir/b \"x\".pcapng frame 3 "), std::string::npos);
}

// write_jsonl formats the finding lines itself (no JSON tree): each line must be exactly
// to_json(f).dump(), for every kind of value and every character that needs escaping.
TEST(report, jsonl_finding_lines_are_byte_identical_to_the_json_tree_dump) {
  std::vector<rules::finding> fs;
  fs.push_back(sample("nas.null_ciphering", 1));
  rules::finding f = sample("id.suci_replay", 2);
  f.ue = {};
  f.has_ue = false;  // "ue":{}
  f.gnb.clear();
  f.amf.clear();
  f.evidence = nlohmann::ordered_json::object();  // "evidence":{}
  fs.push_back(f);
  f = sample("nas.mac_failure", 18'446'744'073'709'551'615ULL);
  f.time_ns = -1'000'000'001;  // before the epoch
  f.ue.ran_ue_ngap_id = 4'294'967'295U;
  f.ue.amf_ue_ngap_id = 1'099'511'627'775ULL;
  f.ue.suci = "suci-0-001-01-0000-1-1-abc";
  f.ue.guti = "5g-guti-00101-cafe";
  std::string every_ascii;
  for (int c = 1; c < 128; ++c) every_ascii += static_cast<char>(c);
  f.evidence["controls"] = every_ascii;  // \b \f \n \r \t, \u00XX, quote, backslash, DEL
  f.evidence["with_nul"] = std::string("a\0b", 3);
  f.evidence["utf8"] = "caf\xc3\xa9 \xe2\x82\xac";  // non-ASCII: through nlohmann
  f.evidence["negative"] = -42;
  f.evidence["int_min"] = std::numeric_limits<std::int64_t>::min();
  f.evidence["u64_max"] = std::numeric_limits<std::uint64_t>::max();
  f.evidence["zero"] = 0U;
  f.evidence["float"] = 0.1;
  f.evidence["float_whole"] = 3.0;
  f.evidence["yes"] = true;
  f.evidence["no"] = false;
  f.evidence["nothing"] = nullptr;
  f.evidence["frames"] = std::vector<std::uint64_t>{1, 2, 3};
  f.evidence["empty_array"] = nlohmann::ordered_json::array();
  f.evidence["nested"] = {{"b\"key", {1, "x\\y", nlohmann::ordered_json::object()}}, {"a", 2}};
  f.evidence["ieis"] = std::vector<std::string>{"0x2e", "0x71"};
  f.evidence["k\u00e9y"] = "v";
  f.gnb = "[2001:db8::1]:38412";
  fs.push_back(f);
  f = sample("aka.rand_reuse", 5);
  f.ue.supi = "nai-user\"@example.com";
  fs.push_back(f);
  // Enough lines to cross the writer's 64 KiB flush, with times across second boundaries.
  for (std::uint64_t i = 0; i < 600; ++i) {
    rules::finding g = sample("id.suci_null_scheme", 100 + i);
    g.time_ns += static_cast<std::int64_t>(i) * 333'333'333;
    g.evidence["supi"] = "imsi-00101000000" + std::to_string(i);
    fs.push_back(g);
  }
  summary s;
  s.frames = 7;
  std::ostringstream out;
  write_jsonl(out, fs, s);
  std::string expect;
  for (const auto& g : fs) expect += to_json(g).dump() + "\n";
  expect += to_json(s).dump() + "\n";
  EXPECT_EQ(out.str(), expect);
  ASSERT_GT(out.str().size(), std::size_t{1} << 16);
}

TEST(report, text_groups_by_severity_then_ue) {
  std::vector<rules::finding> fs = {sample("nas.null_ciphering", 5), sample("nas.null_integrity", 5),
                                    sample("ngap.key_in_clear", 9)};
  std::ostringstream out;
  write_text(out, fs, summary{});
  const std::string t = out.str();
  const auto high = t.find("== HIGH (1) ==");
  const auto medium = t.find("== MEDIUM (1) ==");
  const auto info = t.find("== INFO (1) ==");
  ASSERT_NE(high, std::string::npos);
  ASSERT_NE(medium, std::string::npos);
  ASSERT_NE(info, std::string::npos);
  EXPECT_LT(high, medium);
  EXPECT_LT(medium, info);
  EXPECT_NE(t.find("imsi-208950000000031 ran_ue_ngap_id=1"), std::string::npos);
  EXPECT_NE(t.find("== SUMMARY =="), std::string::npos);
}

TEST(report, comment_names_rule_and_clause) {
  const auto c = comment_of(sample("nas.null_ciphering", 1));
  EXPECT_TRUE(c.starts_with("sec5g: medium nas.null_ciphering (TS 33.501 5.5.1")) << c;
}

// The shared writer with nlohmann::json and the replace handler (as `sec5g decode --json` uses
// it) equals dump(-1, ' ', false, replace), invalid UTF-8 and control characters included.
TEST(report, json_append_equals_dump_with_the_replace_handler) {
  nlohmann::json v;
  v["plain"] = "abc";
  v["ctl"] = std::string("a\x01b\n\"\\\x7f", 7);
  v["bad_utf8"] = std::string("x\xff\xc3y");
  v["utf8"] = "caf\xc3\xa9";
  v["n"] = -5;
  v["u"] = 18446744073709551615ull;
  v["f"] = 1.5;
  v["b"] = false;
  v["z"] = nullptr;
  v["a"] = nlohmann::json::array({1, "two", nlohmann::json::object({{"k", "\t"}})});
  std::string out;
  sec5g::report::append_json_value(out, v, sec5g::report::json_error_handler::replace);
  EXPECT_EQ(out, v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace
}  // namespace sec5g::report
