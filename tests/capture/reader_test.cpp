#include "sec5g/capture/reader.hpp"

#include <gtest/gtest.h>
#include <functional>
#include <thread>
#include <tuple>
#include <vector>
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
  // The frame that could not be read and where its record starts.
  EXPECT_NE(f2.error().message.find(": frame 2 from offset 908: read error"), std::string::npos)
      << f2.error().message;
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


// ---- the direct reader against libpcap

struct read_result {
  std::vector<std::tuple<std::uint64_t, std::int64_t, byte_buffer, std::uint32_t>> frames;
  bool open_ok = false;
  bool ended_with_error = false;
  capture_error error;
  link_type link = link_type::ethernet;
  std::uint32_t snaplen = 0;
  bool direct_at_start = false;
  bool direct_at_end = false;  ///< no hand-over to libpcap happened
};

read_result read_all(std::expected<reader, capture_error> r) {
  read_result out;
  if (!r) {
    out.error = r.error();
    return out;
  }
  out.open_ok = true;
  out.link = r->link();
  out.snaplen = r->snaplen();
  out.direct_at_start = r->direct();
  for (;;) {
    auto f = r->next();
    if (!f) {
      out.ended_with_error = true;
      out.error = f.error();
      break;
    }
    if (!*f) break;
    out.frames.emplace_back((*f)->number, (*f)->timestamp_ns,
                            byte_buffer((*f)->data.begin(), (*f)->data.end()),
                            (*f)->original_len);
    EXPECT_EQ((*f)->link, out.link);
  }
  out.direct_at_end = r->direct();
  return out;
}

void expect_same(const read_result& a, const read_result& b, const std::string& what) {
  ASSERT_EQ(a.open_ok, b.open_ok) << what;
  EXPECT_EQ(a.link, b.link) << what;
  EXPECT_EQ(a.snaplen, b.snaplen) << what;
  ASSERT_EQ(a.frames.size(), b.frames.size()) << what;
  for (std::size_t i = 0; i < a.frames.size(); ++i)
    ASSERT_EQ(a.frames[i], b.frames[i]) << what << " frame " << i + 1;
  EXPECT_EQ(a.ended_with_error, b.ended_with_error) << what;
  EXPECT_EQ(a.error.code, b.error.code) << what;
  EXPECT_EQ(a.error.message, b.error.message) << what;
}

TEST(Reader, DirectReadingGivesLibpcapsFramesOnEverySharedCapture) {
  std::size_t files = 0, direct = 0;
  for (const auto& e : std::filesystem::directory_iterator(captures)) {
    const std::string n = e.path().filename().string();
    if (n.find(".pcap") == std::string::npos) continue;
    ++files;
    const read_result a = read_all(reader::open(e.path()));
    const read_result b = read_all(reader::open(e.path(), read_path::libpcap));
    EXPECT_FALSE(b.direct_at_start);
    expect_same(a, b, n);
    if (a.direct_at_start) ++direct;
    // From memory too.
    const byte_buffer whole = test::read_file(e.path());
    expect_same(read_all(reader::open_memory(whole, "m")),
                read_all(reader::open_memory(whole, "m", read_path::libpcap)), n + " (memory)");
  }
  EXPECT_GE(files, 50u);
  // Most of them are plain little-endian pcap / pcapng files.
  EXPECT_GE(direct, files / 2);
}

TEST(Reader, DirectReadingOfAFileCutAnywhereMatchesLibpcap) {
  // Every prefix of a small pcap and a small pcapng file: same frames, then the same end
  // (EOF, or libpcap's error after the hand-over), from a file and from memory.
  for (const char* name : {"telekom_service_request_2pkts.pcap", "5greplay_ue_authentication.pcapng"}) {
    const byte_buffer whole = test::read_file(captures + name);
    ASSERT_GT(whole.size(), 100u);
    const std::size_t step = whole.size() > 4000 ? 7 : 1;
    const auto p = test::temp_path("prefix.cap");
    for (std::size_t n = 1; n <= whole.size(); n += (n < 400 ? 1 : step)) {
      const bytes_view cut = bytes_view(whole).first(n);
      const std::string what = std::string(name) + " cut at " + std::to_string(n);
      expect_same(read_all(reader::open_memory(cut, "m")),
                  read_all(reader::open_memory(cut, "m", read_path::libpcap)), what);
      if (n % 13 == 0 || n == whole.size()) {
        test::write_file(p, cut);
        expect_same(read_all(reader::open(p)), read_all(reader::open(p, read_path::libpcap)),
                    what + " (file)");
      }
    }
    std::filesystem::remove(p);
  }
}

// A pcapng file built here: SHB, IDB(s) with options, EPBs, optional other blocks.
struct pcapng_builder {
  byte_buffer b;
  void u16(std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void block(std::uint32_t type, const byte_buffer& body) {
    const auto len = static_cast<std::uint32_t>(12 + ((body.size() + 3) & ~std::size_t{3}));
    u32(type);
    u32(len);
    b.insert(b.end(), body.begin(), body.end());
    while ((b.size() % 4) != 0)
      b.push_back(0);
    u32(len);
  }
  static byte_buffer le(std::initializer_list<std::uint32_t> words) {
    byte_buffer o;
    for (auto w : words)
      for (int i = 0; i < 4; ++i)
        o.push_back(static_cast<std::uint8_t>(w >> (8 * i)));
    return o;
  }
  void shb() {
    byte_buffer body = le({0x1A2B3C4Du, 1u, 0xffffffffu, 0xffffffffu});  // BOM, 1.0, length -1
    block(0x0A0D0D0Au, body);
  }
  void idb(std::uint16_t lt, std::uint32_t snap, int tsresol = -1, bool tsoffset = false) {
    byte_buffer body = le({lt, snap});
    if (tsresol >= 0) {
      byte_buffer o = le({9u | (1u << 16), static_cast<std::uint32_t>(tsresol)});
      body.insert(body.end(), o.begin(), o.end());
    }
    if (tsoffset) {
      byte_buffer o = le({14u | (8u << 16), 5u, 0u});
      body.insert(body.end(), o.begin(), o.end());
    }
    byte_buffer name = le({2u | (3u << 16), 0x00306874u});  // if_name "th0"
    body.insert(body.end(), name.begin(), name.end());
    byte_buffer end = le({0u});
    body.insert(body.end(), end.begin(), end.end());
    block(1, body);
  }
  void epb(std::uint32_t iface, std::uint64_t t, std::uint32_t caplen, std::uint32_t len) {
    byte_buffer body = le({iface, static_cast<std::uint32_t>(t >> 32),
                           static_cast<std::uint32_t>(t), caplen, len});
    for (std::uint32_t i = 0; i < caplen; ++i)
      body.push_back(static_cast<std::uint8_t>(0x45 + i));
    block(6, body);
  }
};

TEST(Reader, DirectReadingOfCraftedPcapngMatchesLibpcap) {
  struct variant {
    const char* what;
    bool expect_direct_to_end;
    std::function<void(pcapng_builder&)> build;
  };
  const variant vs[] = {
      {"us default", true, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 0); w.epb(0, 1'700'000'000'123'456ull, 60, 60);
         w.epb(0, 1'700'000'001'000'001ull, 40, 1500); }},
      {"ns, two interfaces, NRB between", true, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 65535, 9); w.block(4, pcapng_builder::le({0u}));
         w.idb(1, 65535, 6); w.epb(0, 1'700'000'000'123'456'789ull, 20, 20);
         w.epb(1, 1'700'000'000'123'456ull, 24, 24); }},
      {"huge time stamp", true, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 0, 9); w.epb(0, 0xffffffffffffffffull, 20, 20); }},
      {"IDB after packets", true, [](pcapng_builder& w) {
         w.shb(); w.idb(113, 0); w.epb(0, 5, 20, 20); w.idb(113, 0, 9); w.epb(1, 7, 20, 20); }},
      {"raw IP: a second IDB (libpcap refuses it)", false, [](pcapng_builder& w) {
         w.shb(); w.idb(101, 0); w.epb(0, 1, 20, 20); w.idb(101, 0); w.epb(1, 2, 20, 20); }},
      {"tsoffset", false, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 0, 6, true); w.epb(0, 1'000'000, 20, 20); }},
      {"SPB mid-file", false, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 0); w.epb(0, 1, 20, 20);
         byte_buffer spb = pcapng_builder::le({20u});
         spb.resize(24, 0x45);
         w.block(3, spb); w.epb(0, 2, 20, 20); }},
      {"second section", false, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 0); w.epb(0, 1, 20, 20); w.shb(); w.idb(1, 0); w.epb(0, 2, 20, 20); }},
      {"other link type on the second IDB", false, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 0); w.epb(0, 1, 20, 20); w.idb(113, 0); w.epb(1, 2, 20, 20); }},
      {"unknown interface", false, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 0); w.epb(0, 1, 20, 20); w.epb(3, 2, 20, 20); }},
      {"caplen above snaplen", false, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 64); w.epb(0, 1, 60, 60); w.epb(0, 2, 80, 80); }},
      {"tsresol 3", false, [](pcapng_builder& w) {
         w.shb(); w.idb(1, 0, 3); w.epb(0, 1'234, 20, 20); }},
      {"link type outside the direct set", false, [](pcapng_builder& w) {
         w.shb(); w.idb(147, 0); w.epb(0, 1, 20, 20); }},
  };
  for (const auto& v : vs) {
    pcapng_builder w;
    v.build(w);
    const read_result a = read_all(reader::open_memory(w.b, "m"));
    const read_result b = read_all(reader::open_memory(w.b, "m", read_path::libpcap));
    expect_same(a, b, v.what);
    EXPECT_GT(a.frames.size() + (a.error.message.empty() ? 0u : 1u), 0u) << v.what;
    auto r = reader::open_memory(w.b, "m");
    if (!r) continue;
    while (true) {
      auto f = r->next();
      if (!f || !*f) break;
    }
    EXPECT_EQ(r->direct(), v.expect_direct_to_end) << v.what;
    // Every prefix too.
    for (std::size_t n = 1; n < w.b.size(); ++n) {
      const bytes_view cut = bytes_view(w.b).first(n);
      expect_same(read_all(reader::open_memory(cut, "m")),
                  read_all(reader::open_memory(cut, "m", read_path::libpcap)),
                  std::string(v.what) + " cut at " + std::to_string(n));
    }
  }
}

/// `bytes` read through a pipe (/dev/fd/N, as `tcpdump -w - | sec5g audit /dev/stdin`): the
/// reader cannot re-read a pipe, so it must not start on the direct path and hand over.
read_result read_through_pipe(const byte_buffer& bytes) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    std::size_t at = 0;
    while (at < bytes.size()) {
      const ssize_t n = ::write(fds[1], bytes.data() + at, bytes.size() - at);
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  read_result r = read_all(reader::open("/dev/fd/" + std::to_string(fds[0])));
  writer.join();
  ::close(fds[0]);
  return r;
}

TEST(Reader, PipesAreReadOnceToTheEndLikeFiles) {
  // Crafted files that make the direct reader hand over to libpcap midway (a second section,
  // an SPB), one it reads to the end, and a shared capture larger than the pipe buffer.
  std::vector<std::pair<std::string, byte_buffer>> inputs;
  {
    pcapng_builder w;
    w.shb(); w.idb(1, 0); w.epb(0, 1, 20, 20); w.shb(); w.idb(1, 0); w.epb(0, 2, 20, 20);
    inputs.emplace_back("second section", w.b);
  }
  {
    pcapng_builder w;
    w.shb(); w.idb(1, 0); w.epb(0, 1, 20, 20);
    byte_buffer spb = pcapng_builder::le({20u});
    spb.resize(24, 0x45);
    w.block(3, spb); w.epb(0, 2, 20, 20);
    inputs.emplace_back("SPB mid-file", w.b);
  }
  {
    pcapng_builder w;
    w.shb(); w.idb(1, 0); w.epb(0, 1, 60, 60); w.epb(0, 2, 40, 1500);
    inputs.emplace_back("plain", w.b);
  }
  const byte_buffer shared = test::read_file(captures + "open5gs_testregistration.pcapng");
  byte_buffer twice = shared;  // two sections
  twice.insert(twice.end(), shared.begin(), shared.end());
  inputs.emplace_back("shared capture, twice", twice);
  for (const auto& [what, bytes] : inputs) {
    const read_result piped = read_through_pipe(bytes);
    const read_result file = read_all(reader::open_memory(bytes, "m", read_path::libpcap));
    ASSERT_TRUE(piped.open_ok) << what;
    EXPECT_FALSE(piped.direct_at_start) << what;
    ASSERT_EQ(piped.frames.size(), file.frames.size()) << what;
    for (std::size_t i = 0; i < file.frames.size(); ++i)
      ASSERT_EQ(piped.frames[i], file.frames[i]) << what << " frame " << i + 1;
    EXPECT_EQ(piped.ended_with_error, file.ended_with_error) << what;
    EXPECT_GE(piped.frames.size(), 2u) << what;
  }
}

TEST(Reader, RecordsLargerThanOneReadAreReadDirectlyAsLibpcapReadsThem) {
  // The direct reader asks read(2) for 64 KiB at a time; records up to the 256 KiB snaplen
  // need several reads and refills of its 1 MiB buffer.
  byte_buffer f(24);
  const std::uint32_t v[6] = {0xA1B2C3D4u, 0x00040002u, 0, 0, 262144, 1};
  for (int i = 0; i < 6; ++i)
    for (int k = 0; k < 4; ++k)
      f[static_cast<std::size_t>(i * 4 + k)] = static_cast<std::uint8_t>(v[i] >> (8 * k));
  std::uint32_t sec = 1'700'000'000;
  for (const std::uint32_t caplen : {60u, 262144u, 100000u, 70000u, 65536u, 65535u, 64u, 200000u,
                                     262144u, 262144u, 1u, 150000u, 262144u, 90u}) {
    const std::uint32_t h[4] = {sec, 17, caplen, caplen};
    for (auto x : h)
      for (int k = 0; k < 4; ++k) f.push_back(static_cast<std::uint8_t>(x >> (8 * k)));
    for (std::uint32_t i = 0; i < caplen; ++i) f.push_back(static_cast<std::uint8_t>(i * 13 + sec));
    ++sec;
  }
  const auto p = test::temp_path("large_records.pcap");
  test::write_file(p, f);
  const read_result a = read_all(reader::open(p));
  const read_result b = read_all(reader::open(p, read_path::libpcap));
  EXPECT_TRUE(a.direct_at_start);
  EXPECT_TRUE(a.direct_at_end);
  EXPECT_FALSE(a.ended_with_error);
  EXPECT_EQ(a.frames.size(), 14u);
  expect_same(a, b, "large records");
  std::filesystem::remove(p);
}

TEST(Reader, ByteSwappedAndLargeClassicFilesMatchLibpcap) {
  // A big-endian pcap (libpcap handles it) and a little-endian one larger than the read buffer.
  auto header = [](bool be, std::uint32_t snap) {
    byte_buffer h(24);
    const std::uint32_t v[6] = {0xA1B2C3D4u, 0x00040002u, 0, 0, snap, 1};
    for (int i = 0; i < 6; ++i)
      for (int k = 0; k < 4; ++k)
        h[static_cast<std::size_t>(i * 4 + k)] =
            static_cast<std::uint8_t>(v[i] >> (8 * (be ? 3 - k : k)));
    if (be) {  // version fields are two 16-bit values
      h[4] = 0; h[5] = 2; h[6] = 0; h[7] = 4;
    }
    return h;
  };
  auto record = [](byte_buffer& out, bool be, std::uint32_t sec, std::uint32_t usec,
                   std::uint32_t caplen, std::uint32_t len) {
    const std::uint32_t v[4] = {sec, usec, caplen, len};
    for (auto x : v)
      for (int k = 0; k < 4; ++k)
        out.push_back(static_cast<std::uint8_t>(x >> (8 * (be ? 3 - k : k))));
    for (std::uint32_t i = 0; i < caplen; ++i)
      out.push_back(static_cast<std::uint8_t>(i * 7 + sec));
  };
  for (bool be : {false, true}) {
    byte_buffer f = header(be, 65535);
    std::uint32_t sec = 1'600'000'000;
    while (f.size() < (std::size_t{3} << 20)) {  // 3 MiB: several refills of the 1 MiB buffer
      record(f, be, sec, sec % 1'000'000, 1000 + sec % 700, 1500);
      ++sec;
    }
    record(f, be, 0x80000000u, 5, 20, 20);   // negative in libpcap's 32-bit tv_sec: hand-over
    record(f, be, 7, 999'999, 0, 0);
    record(f, be, 8, 1, 65535, 70000);
    const auto p = test::temp_path(be ? "be.pcap" : "le.pcap");
    test::write_file(p, f);
    const read_result a = read_all(reader::open(p));
    const read_result b = read_all(reader::open(p, read_path::libpcap));
    EXPECT_EQ(a.direct_at_start, !be);
    expect_same(a, b, be ? "big-endian" : "little-endian");
    EXPECT_GT(a.frames.size(), 2000u);
    std::filesystem::remove(p);
  }
}

} // namespace
} // namespace sec5g::capture
