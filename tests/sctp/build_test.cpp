#include "sec5g/sctp/build.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "sec5g/capture/pcapng_writer.hpp"
#include "sec5g/capture/reader.hpp"
#include "sec5g/sctp/crc32c.hpp"
#include "sec5g/sctp/pipeline.hpp"
#include "support/pattern.hpp"
#include "support/process.hpp"

namespace sec5g::sctp {
namespace {

using capture::counter;
using capture::ip_address;

byte_buffer chunk_bytes(std::size_t n, std::uint8_t seed) {
  return test::pattern_bytes(n, seed, 5);
}

std::string run_command(const std::string& cmd) {
  return sec5g::test::run_command(cmd).out;
}

struct msg {
  byte_buffer payload;
  std::uint16_t chunk_index;
  std::uint64_t frame;
};

std::vector<msg> decode_frames(capture::link_type lt, const std::vector<byte_buffer>& frames,
                               capture::counters* stats = nullptr) {
  pipeline_config cfg;
  cfg.deliver_all = true;
  pipeline p(cfg);
  std::vector<msg> out;
  std::uint64_t n = 0;
  for (const auto& f : frames) {
    capture::frame fr;
    fr.number = ++n;
    fr.data = f;
    fr.original_len = static_cast<std::uint32_t>(f.size());
    fr.link = lt;
    p.feed(fr, [&](const user_message& m) {
      out.push_back(
          {byte_buffer(m.payload.begin(), m.payload.end()), m.chunk_index, m.frame_number});
    });
  }
  if (stats != nullptr) *stats = p.stats();
  return out;
}

// A whole association: handshake, DATA both ways, SACKs, graceful shutdown.
std::vector<byte_buffer> synthetic_association(const capture::link_spec& link, const ip_address& g,
                                               const ip_address& a) {
  const capture::ip_spec up{g, a};
  const capture::ip_spec down{a, g};
  const std::uint32_t tag_g = 0x0a0b0c0d; // the gNB's tag: carried to the gNB
  const std::uint32_t tag_a = 0x01020304;
  std::vector<std::pair<bool, byte_buffer>> steps;
  auto add = [&](bool from_gnb, byte_buffer chunks) {
    steps.emplace_back(from_gnb, std::move(chunks));
  };
  byte_buffer c;
  append_init_chunk(c, {tag_g, 65535, 2, 2, 10});
  add(true, c);
  c.clear();
  append_init_ack_chunk(c, {tag_a, 65535, 2, 2, 90}, chunk_bytes(20, 3));
  add(false, c);
  c.clear();
  append_cookie_echo_chunk(c, chunk_bytes(20, 3));
  add(true, c);
  c.clear();
  append_cookie_ack_chunk(c);
  add(false, c);
  c.clear();
  append_data_chunk(c, {10, 0, 0, ngap_ppid, false, true, true, chunk_bytes(33, 1)});
  add(true, c);
  c.clear();
  append_sack_chunk(c, 10, 65535);
  append_data_chunk(c, {90, 0, 0, ngap_ppid, false, true, true, chunk_bytes(17, 2)});
  add(false, c);
  c.clear();
  append_heartbeat_chunk(c, chunk_bytes(8, 4));
  add(true, c);
  c.clear();
  append_heartbeat_chunk(c, chunk_bytes(8, 4), true);
  add(false, c);
  c.clear();
  append_shutdown_chunk(c, 90);
  add(true, c);
  c.clear();
  append_shutdown_ack_chunk(c);
  add(false, c);
  c.clear();
  append_shutdown_complete_chunk(c);
  add(true, c);
  std::vector<byte_buffer> frames;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const bool from_gnb = steps[i].first;
    const std::uint32_t vtag = i == 0 ? 0 : (from_gnb ? tag_a : tag_g);
    auto f = build_frame(link, from_gnb ? up : down, from_gnb ? 9487 : ngap_port,
                         from_gnb ? ngap_port : 9487, vtag, steps[i].second);
    EXPECT_TRUE(f);
    frames.push_back(*f);
  }
  return frames;
}

TEST(Build, SyntheticAssociationDecodesCleanly) {
  capture::link_spec link;
  const auto frames =
      synthetic_association(link, ip_address::v4(10, 1, 1, 1), ip_address::v4(10, 2, 2, 2));
  capture::counters st;
  const auto msgs = decode_frames(capture::link_type::ethernet, frames, &st);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].payload, chunk_bytes(33, 1));
  EXPECT_EQ(msgs[1].payload, chunk_bytes(17, 2));
  EXPECT_EQ(st.anomalies(), 0u);
  EXPECT_EQ(st[counter::sctp_associations], 1u);
  EXPECT_EQ(st[counter::sctp_closed], 1u);
  EXPECT_EQ(st[counter::sctp_chunks], 12u);
}

TEST(Build, TsharkAgreesOnChecksumsAndChunkTypes) {
  if (!test::have_tool("tshark")) GTEST_SKIP() << "tshark not installed";
  capture::link_spec link;
  link.link = capture::link_type::linux_sll2;
  const auto a6 = *ip_address::parse("2001:db8::1");
  const auto b6 = *ip_address::parse("2001:db8::2");
  auto frames = synthetic_association(link, a6, b6);
  const auto path = std::filesystem::temp_directory_path() /
                    ("sec5g_sctp_build_" + std::to_string(::getpid()) + ".pcapng");
  {
    auto w = capture::pcapng_writer::create(path, capture::link_type::linux_sll2);
    ASSERT_TRUE(w);
    for (std::size_t i = 0; i < frames.size(); ++i) {
      ASSERT_TRUE(w->write(static_cast<std::int64_t>(i) * 1000, frames[i]));
    }
  }
  const std::string out =
      run_command("tshark -r " + path.string() +
                  " -o sctp.checksum:CRC-32C -T fields -e sctp.checksum.status -e sctp.chunk_type "
                  "-e ngap.procedureCode 2>/dev/null");
  std::filesystem::remove(path);
  const std::string want = "1\t1\t\n1\t2\t\n1\t10\t\n1\t11\t\n1\t0\t\n1\t3,"
                           "0\t\n1\t4\t\n1\t5\t\n1\t7\t\n1\t8\t\n1\t14\t\n";
  // The DATA payloads are not valid NGAP; tshark may add a procedure code column value or not,
  // so compare the first two columns only.
  std::istringstream got(out);
  std::istringstream exp(want);
  std::string g;
  std::string e;
  std::size_t lines = 0;
  while (std::getline(exp, e)) {
    ASSERT_TRUE(std::getline(got, g)) << out;
    EXPECT_EQ(g.substr(0, g.find('\t', g.find('\t') + 1)),
              e.substr(0, e.find('\t', e.find('\t') + 1)));
    ++lines;
  }
  EXPECT_EQ(lines, frames.size());
}

TEST(Build, ReplacePayloadFixesLengthsPaddingAndChecksums) {
  for (const bool v6 : {false, true}) {
    capture::link_spec link;
    const ip_address g = v6 ? *ip_address::parse("2001:db8::1") : ip_address::v4(10, 0, 0, 1);
    const ip_address a = v6 ? *ip_address::parse("2001:db8::2") : ip_address::v4(10, 0, 0, 2);
    byte_buffer chunks;
    append_data_chunk(chunks, {1, 0, 0, ngap_ppid, false, true, true, chunk_bytes(10, 1)});
    append_sack_chunk(chunks, 5, 1000);
    append_data_chunk(chunks, {2, 1, 0, ngap_ppid, false, true, true, chunk_bytes(21, 2)});
    auto f = build_frame(link, {g, a}, 9487, ngap_port, 7, chunks);
    ASSERT_TRUE(f);
    const byte_buffer repl = chunk_bytes(203, 9); // odd size: new padding
    auto r = replace_data_payload(capture::link_type::ethernet, *f, 1, repl);
    ASSERT_TRUE(r) << describe(r.error());
    EXPECT_EQ(r->size(), f->size() - 40 + 16 + 204); // 37 -> 40 padded; 16 + 203 -> 220
    capture::counters st;
    const auto msgs = decode_frames(capture::link_type::ethernet, {*r}, &st);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].payload, chunk_bytes(10, 1));
    EXPECT_EQ(msgs[1].payload, repl);
    EXPECT_EQ(msgs[1].chunk_index, 1);
    EXPECT_EQ(st.anomalies(), 0u) << v6; // no bad CRC, IP checksum or length
    // Shrinking works too, and replacing the first chunk keeps the others.
    auto r2 = replace_data_payload(capture::link_type::ethernet, *r, 0, chunk_bytes(1, 7));
    ASSERT_TRUE(r2);
    const auto msgs2 = decode_frames(capture::link_type::ethernet, {*r2}, &st);
    ASSERT_EQ(msgs2.size(), 2u);
    EXPECT_EQ(msgs2[0].payload, chunk_bytes(1, 7));
    EXPECT_EQ(msgs2[1].payload, repl);
    EXPECT_EQ(st.anomalies(), 0u);
  }
}

TEST(Build, ReplaceWithTheSamePayloadReproducesRealFramesExactly) {
  // rub_* captures come from a real interface: their CRC32c values are right.
  const std::string file =
      std::string(SEC5G_SHARED_DIR) + "/captures/rub_registration_oneplus8.pcapng";
  auto r = capture::reader::open(file);
  ASSERT_TRUE(r);
  pipeline p;
  std::size_t checked = 0;
  std::size_t reassembled = 0;
  for (;;) {
    auto f = r->next();
    ASSERT_TRUE(f);
    if (!*f) break;
    const capture::frame fr = **f;
    p.feed(fr, [&](const user_message& m) {
      if (m.reassembled) { // a fragment cannot be rewritten alone
        EXPECT_FALSE(replace_data_payload(fr.link, fr.data, m.chunk_index, m.payload));
        ++reassembled;
        return;
      }
      auto out = replace_data_payload(fr.link, fr.data, m.chunk_index, m.payload);
      ASSERT_TRUE(out) << describe(out.error());
      EXPECT_TRUE(std::equal(out->begin(), out->end(), fr.data.begin(), fr.data.end()))
          << "frame " << m.frame_number;
      ++checked;
    });
  }
  EXPECT_EQ(checked, 12u);
  EXPECT_EQ(reassembled, 1u); // this capture has one NGAP message in two DATA fragments
}

TEST(Build, ReplaceRejectsWhatItCannotRewrite) {
  capture::link_spec link;
  const ip_address g = ip_address::v4(10, 0, 0, 1);
  const ip_address a = ip_address::v4(10, 0, 0, 2);
  byte_buffer chunks;
  append_data_chunk(chunks, {1, 0, 0, ngap_ppid, false, true, false, chunk_bytes(10, 1)});
  auto f = build_frame(link, {g, a}, 9487, ngap_port, 7, chunks);
  ASSERT_TRUE(f);
  const auto lt = capture::link_type::ethernet;
  EXPECT_EQ(replace_data_payload(lt, *f, 0, chunk_bytes(3, 1)).error().code,
            decode_errc::bad_value); // fragment
  EXPECT_EQ(replace_data_payload(lt, *f, 1, chunk_bytes(3, 1)).error().code,
            decode_errc::bad_value); // no chunk
  EXPECT_EQ(replace_data_payload(lt, bytes_view(*f).first(50), 0, chunk_bytes(3, 1)).error().code,
            decode_errc::truncated);
  auto udp = capture::build_frame(link, {g, a, 17}, chunk_bytes(20, 1));
  ASSERT_TRUE(udp);
  EXPECT_EQ(replace_data_payload(lt, *udp, 0, chunk_bytes(3, 1)).error().code,
            decode_errc::unsupported);
  byte_buffer big;
  append_data_chunk(big, {1, 0, 0, ngap_ppid, false, true, true, chunk_bytes(10, 1)});
  auto fb = build_frame(link, {g, a}, 9487, ngap_port, 7, big);
  ASSERT_TRUE(fb);
  EXPECT_EQ(replace_data_payload(lt, *fb, 0, byte_buffer(70000, 1)).error().code,
            decode_errc::length_too_large);
}

} // namespace
} // namespace sec5g::sctp
