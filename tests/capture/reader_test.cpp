#include "sec5g/capture/reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "capture/test_util.hpp"

namespace sec5g::capture {
namespace {

const std::string captures = std::string(SEC5G_SHARED_DIR) + "/captures/";

struct expected_file {
  const char* name;
  link_type link;
  std::uint64_t frames;
};

TEST(Reader, ReadsPcapAndPcapngOfEveryLinkTypeWithWiresharkFrameCounts) {
  // Frame counts and link types as capinfos reports them (README of the captures).
  const expected_file files[] = {
      {"oai_ueransim_registration.pcap", link_type::linux_sll, 255},
      {"authanomalies_normal_traffic.pcap", link_type::linux_sll2, 315},
      {"open5gs_testregistration.pcapng", link_type::linux_sll, 4104},
      {"oai_omec_gnbsim_multi_ue.pcapng", link_type::ethernet, 773},
      {"montimage_attack_ngap.pcap", link_type::ethernet, 710},
  };
  for (const auto& e : files) {
    auto r = reader::open(captures + e.name);
    ASSERT_TRUE(r.has_value()) << e.name;
    EXPECT_EQ(r->link(), e.link) << e.name;
    std::uint64_t n = 0;
    for (;;) {
      auto f = r->next();
      ASSERT_TRUE(f.has_value()) << e.name << ": " << f.error().message;
      if (!*f) break;
      ++n;
      EXPECT_EQ((*f)->number, n);
      EXPECT_EQ((*f)->link, e.link);
      EXPECT_LE((*f)->data.size(), (*f)->original_len);
    }
    EXPECT_EQ(n, e.frames) << e.name;
    EXPECT_EQ(r->frames_read(), e.frames);
  }
}

TEST(Reader, TimestampsAreNanosecondsForMicrosecondAndNanosecondFiles) {
  // tshark -T fields -e frame.time_epoch: 1591756588.381946000 (pcap, us) and
  // 1620034261.483150527 (pcapng, ns).
  auto r = reader::open(captures + "telekom_service_request_2pkts.pcap");
  ASSERT_TRUE(r);
  auto f = r->next();
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->timestamp_ns, 1591756588381946000LL);
  EXPECT_EQ((*f)->data.size(), 868u);
  auto r2 = reader::open(captures + "5greplay_ue_authentication.pcapng");
  ASSERT_TRUE(r2);
  auto f2 = r2->next();
  ASSERT_TRUE(f2 && *f2);
  EXPECT_EQ((*f2)->timestamp_ns, 1620034261483150527LL);
}

TEST(Reader, NotACaptureIsAClearErrorNamingTheFile) {
  const auto p = test::temp_path("not_a_capture.txt");
  const std::string text = "this is not a capture file\n";
  test::write_file(p, bytes_view(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  auto r = reader::open(p);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, capture_error::kind::open_failed);
  EXPECT_NE(r.error().message.find(p.string()), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("not a pcap or pcapng capture"), std::string::npos);
  std::filesystem::remove(p);
}

TEST(Reader, MissingFileIsAnError) {
  auto r = reader::open("/nonexistent/dir/x.pcap");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("/nonexistent/dir/x.pcap"), std::string::npos);
  EXPECT_NE(r.error().message.find("cannot open"), std::string::npos);
}

TEST(Reader, FileCutInsideARecordGivesFramesThenAReadError) {
  const byte_buffer whole = test::read_file(captures + "telekom_service_request_2pkts.pcap");
  ASSERT_EQ(whole.size(), 1166u);
  // 24 header + 16 + 868 = 908: cut inside the second record's data.
  const auto p = test::temp_path("cut.pcap");
  test::write_file(p, bytes_view(whole).first(1000));
  auto r = reader::open(p);
  ASSERT_TRUE(r);
  auto f1 = r->next();
  ASSERT_TRUE(f1 && *f1);
  auto f2 = r->next();
  ASSERT_FALSE(f2.has_value());
  EXPECT_EQ(f2.error().code, capture_error::kind::read_failed);
  EXPECT_NE(f2.error().message.find(p.string()), std::string::npos);
  std::filesystem::remove(p);
}

TEST(Reader, ReadsFromMemoryLikeFromAFile) {
  const byte_buffer whole = test::read_file(captures + "unifyair_free5gc_ueransim_ngap.pcap");
  auto m = reader::open_memory(whole);
  auto f = reader::open(captures + "unifyair_free5gc_ueransim_ngap.pcap");
  ASSERT_TRUE(m && f);
  for (;;) {
    auto a = m->next();
    auto b = f->next();
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->has_value(), b->has_value());
    if (!*a) break;
    EXPECT_EQ((*a)->number, (*b)->number);
    EXPECT_EQ((*a)->timestamp_ns, (*b)->timestamp_ns);
    EXPECT_TRUE(
        std::equal((*a)->data.begin(), (*a)->data.end(), (*b)->data.begin(), (*b)->data.end()));
  }
  EXPECT_EQ(m->frames_read(), 12u);
  EXPECT_FALSE(reader::open_memory(bytes_view{}).has_value());
  const std::uint8_t junk[40] = {1, 2, 3};
  EXPECT_FALSE(reader::open_memory(junk).has_value());
}

TEST(Reader, MapsDltValuesToLinkTypes) {
  EXPECT_EQ(link_type_from_dlt(12), link_type::raw);
  EXPECT_EQ(link_type_from_dlt(1), link_type::ethernet);
  EXPECT_EQ(link_type_from_dlt(113), link_type::linux_sll);
  EXPECT_EQ(link_type_from_dlt(276), link_type::linux_sll2);
  EXPECT_EQ(link_type_from_dlt(0), link_type::null_bsd);
  EXPECT_FALSE(is_supported(link_type_from_dlt(105))); // 802.11
  EXPECT_STREQ(to_string(link_type::linux_sll2), "linux_sll2");
}

} // namespace
} // namespace sec5g::capture
