#include "sec5g/capture/pcapng_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "capture/test_util.hpp"
#include "sec5g/capture/build.hpp"
#include "sec5g/capture/reader.hpp"

namespace sec5g::capture {
namespace {

struct written {
  std::int64_t ts;
  byte_buffer data;
  std::vector<std::string> comments;
};

std::vector<written> sample_packets() {
  std::vector<written> v;
  link_spec ls;
  for (int i = 0; i < 3; ++i) {
    byte_buffer pl(static_cast<std::size_t>(5 + i * 7), static_cast<std::uint8_t>(i));
    auto f = build_frame(ls, {ip_address::v4(10, 0, 0, 1), ip_address::v4(10, 0, 0, 2)}, pl);
    EXPECT_TRUE(f);
    v.push_back({1'700'000'000'000'000'000 + i * 1'000'001'234LL, *f, {}});
  }
  v[0].comments = {"sec5g: nas.null_integrity [high] TS 33.501 5.5.2"};
  v[2].comments = {"first comment", "second, with UTF-8: \xc3\xa9"};
  return v;
}

void write_all(const std::filesystem::path& p, const std::vector<written>& pkts,
               ts_resolution res) {
  pcapng_options opt;
  opt.resolution = res;
  auto w = pcapng_writer::create(p, link_type::ethernet, opt);
  ASSERT_TRUE(w) << w.error().message;
  for (const auto& x : pkts) {
    std::vector<std::string_view> c(x.comments.begin(), x.comments.end());
    packet_record rec;
    rec.timestamp_ns = x.ts;
    rec.data = x.data;
    rec.comments = c;
    ASSERT_TRUE(w->write(rec));
  }
  EXPECT_EQ(w->packets(), pkts.size());
  ASSERT_TRUE(w->close());
}

TEST(PcapngWriter, OurReaderReadsBackBytesAndNanosecondTimestamps) {
  const auto pkts = sample_packets();
  const auto p = test::temp_path("ns.pcapng");
  write_all(p, pkts, ts_resolution::nanoseconds);
  auto r = reader::open(p);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->link(), link_type::ethernet);
  for (const auto& x : pkts) {
    auto f = r->next();
    ASSERT_TRUE(f && *f);
    EXPECT_EQ((*f)->timestamp_ns, x.ts);
    EXPECT_TRUE(std::equal((*f)->data.begin(), (*f)->data.end(), x.data.begin(), x.data.end()));
    EXPECT_EQ((*f)->original_len, x.data.size());
  }
  auto end = r->next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
  std::filesystem::remove(p);
}

TEST(PcapngWriter, MicrosecondResolutionRoundsTimestampsDown) {
  const auto pkts = sample_packets();
  const auto p = test::temp_path("us.pcapng");
  write_all(p, pkts, ts_resolution::microseconds);
  auto r = reader::open(p);
  ASSERT_TRUE(r);
  for (const auto& x : pkts) {
    auto f = r->next();
    ASSERT_TRUE(f && *f);
    EXPECT_EQ((*f)->timestamp_ns, x.ts / 1000 * 1000);
  }
  std::filesystem::remove(p);
}

TEST(PcapngWriter, TsharkReadsTheSameBytesAndComments) {
  if (!test::have_tshark()) GTEST_SKIP() << "tshark not installed";
  const auto pkts = sample_packets();
  const auto p = test::temp_path("tshark.pcapng");
  write_all(p, pkts, ts_resolution::nanoseconds);
  // One line per frame: number, raw bytes, comments (tshark joins repeated fields with ',').
  const std::string out = test::run_command(
      "tshark -r " + p.string() +
      " -T fields -E occurrence=a -E aggregator='|' -e frame.number -e frame.time_epoch "
      "-e frame.comment 2>/dev/null");
  const std::string hex = test::run_command("tshark -r " + p.string() + " -x 2>/dev/null");
  std::istringstream lines(out);
  std::string line;
  std::size_t i = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(i, pkts.size());
    std::istringstream cols(line);
    std::string num, epoch, comments;
    std::getline(cols, num, '\t');
    std::getline(cols, epoch, '\t');
    std::getline(cols, comments, '\t');
    EXPECT_EQ(num, std::to_string(i + 1));
    const std::string want_epoch = std::to_string(pkts[i].ts / 1'000'000'000) + "." + [&] {
      std::string ns = std::to_string(pkts[i].ts % 1'000'000'000);
      return std::string(9 - ns.size(), '0') + ns;
    }();
    EXPECT_EQ(epoch, want_epoch);
    std::string want;
    for (std::size_t k = 0; k < pkts[i].comments.size(); ++k) {
      if (k != 0) want += '|';
      want += pkts[i].comments[k];
    }
    EXPECT_EQ(comments, want) << "frame " << i + 1;
    ++i;
  }
  EXPECT_EQ(i, pkts.size());
  // Bytes: the first frame's hex dump starts with our destination MAC and ends with our payload.
  EXPECT_NE(hex.find("0000  02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00"), std::string::npos)
      << hex;
  std::filesystem::remove(p);
}

TEST(PcapngWriter, BlocksAreWellFormed) {
  byte_buffer b;
  append_section_header(b);
  ASSERT_EQ(b.size() % 4, 0u);
  EXPECT_EQ(b[0], 0x0a);
  EXPECT_EQ(b[8], 0x4d); // byte-order magic, little-endian
  const std::size_t shb = b.size();
  append_interface_description(b, link_type::linux_sll2);
  EXPECT_EQ(b[shb + 8], 276 & 0xff);
  EXPECT_EQ(b[shb + 9], 276 >> 8);
  const std::size_t idb = b.size();
  const std::uint8_t odd[5] = {1, 2, 3, 4, 5};
  packet_record rec;
  rec.data = odd;
  append_enhanced_packet(b, rec);
  EXPECT_EQ(b.size() % 4, 0u);
  // Total length at both ends of the EPB.
  const std::size_t len = b[idb + 4] | (b[idb + 5] << 8);
  EXPECT_EQ(len, b.size() - idb);
  EXPECT_EQ(b[b.size() - 4], b[idb + 4]);
  EXPECT_FALSE(pcapng_writer::create("/nonexistent/dir/out.pcapng", link_type::ethernet));
}

} // namespace
} // namespace sec5g::capture
