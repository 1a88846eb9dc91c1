// `sec5g decipher` on NGAP messages reassembled from several pieces: the OAI registration
// capture (128-NEA1, keys in keys/oai.csv) is rewritten so that its DATA chunks are split into
// B/M/E chunks in separate frames (with an unrelated frame between the pieces), its SCTP
// packets into IPv4 or IPv6 fragments (some in reverse order), or both. The deciphered output of
// each variant must: keep the input's frame count, order and timestamps; leave every frame
// without a sec5g comment byte-identical; carry valid SCTP checksums; deliver exactly the NGAP
// messages that the deciphered unsplit capture delivers; and be dissected by tshark with plain
// NAS message types and no malformed packets. A message whose last piece is missing is left
// as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sec5g/capture/build.hpp"
#include "sec5g/capture/ip.hpp"
#include "sec5g/capture/pcapng_writer.hpp"
#include "sec5g/capture/reader.hpp"
#include "sec5g/sctp/build.hpp"
#include "sec5g/sctp/chunk.hpp"
#include "sec5g/sctp/crc32c.hpp"
#include "sec5g/sctp/pipeline.hpp"
#include "support/capture_copy.hpp"
#include "support/process.hpp"

namespace sec5g {
namespace {

namespace fs = std::filesystem;
using test::run_command;
using test::shell_quote;

using test::sec5g_bin;
using test::shared_captures;

/// One frame of a test capture, and what it is in the rewritten capture.
struct test_frame {
  std::int64_t ts = 0;
  byte_buffer data;
  enum class role : std::uint8_t { whole, piece, last_piece, filler } what = role::whole;
  int group = -1;        ///< pieces of one message / datagram share a group number
  bool ciphered = false; ///< the group carries a NAS PDU with security header type 2
};

using test_capture = test::capture_copy<test_frame>;
using test::write_capture;

test_capture read_capture(const fs::path& file) { return test::read_capture<test_frame>(file); }

/// The parts of an SCTP-over-IP frame: link header, IP addresses, SCTP packet.
struct sctp_frame {
  byte_buffer link; ///< link header octets
  bool v6 = false;
  capture::ip_address src, dst;
  std::uint16_t identification = 0;
  byte_buffer sctp;
};

std::optional<sctp_frame> parse(capture::link_type lt, const byte_buffer& data) {
  auto l = capture::decode_link(lt, data);
  if (!l || (l->ethertype != 0x0800 && l->ethertype != 0x86dd)) return std::nullopt;
  auto ip =
      l->ethertype == 0x0800 ? capture::decode_ipv4(l->payload) : capture::decode_ipv6(l->payload);
  if (!ip || ip->protocol != 132 || ip->is_fragment) return std::nullopt;
  sctp_frame s;
  s.link.assign(data.begin(), data.begin() + (l->payload.data() - data.data()));
  s.v6 = l->ethertype == 0x86dd;
  s.src = ip->src;
  s.dst = ip->dst;
  s.identification = static_cast<std::uint16_t>(ip->fragment_id);
  s.sctp.assign(ip->payload.begin(), ip->payload.end());
  return s;
}

/// The link header of `s` for an IP packet of the other version (Linux SLL / Ethernet).
byte_buffer link_for(capture::link_type lt, const byte_buffer& link, bool v6) {
  byte_buffer out = link;
  const std::size_t at = lt == capture::link_type::linux_sll  ? 14
                         : lt == capture::link_type::ethernet ? 12
                                                              : 0;
  if (at != 0 && out.size() >= at + 2) {
    out[at] = v6 ? 0x86 : 0x08;
    out[at + 1] = v6 ? 0xdd : 0x00;
  }
  return out;
}

capture::ip_address to_v6(const capture::ip_address& a) {
  if (a.version == 6) return a;
  const std::uint8_t b[16] = {0x20,        0x01,        0x0d,        0xb8,       0, 0,
                              0,           0,           0,           0,          0, 0,
                              a.octets[0], a.octets[1], a.octets[2], a.octets[3]};
  return capture::ip_address::from_bytes(bytes_view(b, 16));
}

/// An IPv4 header with fragment fields (DF clear), checksum set.
void append_ipv4(byte_buffer& out, const sctp_frame& s, std::size_t payload_len,
                 std::uint32_t offset, bool more) {
  const std::size_t at = out.size();
  const auto total = static_cast<std::uint16_t>(20 + payload_len);
  const auto ff = static_cast<std::uint16_t>((more ? 0x2000 : 0) | (offset / 8));
  const std::uint8_t h[20] = {0x45,
                              0,
                              static_cast<std::uint8_t>(total >> 8),
                              static_cast<std::uint8_t>(total),
                              static_cast<std::uint8_t>(s.identification >> 8),
                              static_cast<std::uint8_t>(s.identification),
                              static_cast<std::uint8_t>(ff >> 8),
                              static_cast<std::uint8_t>(ff),
                              64,
                              132,
                              0,
                              0,
                              s.src.octets[0],
                              s.src.octets[1],
                              s.src.octets[2],
                              s.src.octets[3],
                              s.dst.octets[0],
                              s.dst.octets[1],
                              s.dst.octets[2],
                              s.dst.octets[3]};
  out.insert(out.end(), h, h + 20);
  capture::fix_ipv4_checksum(bytes_span(out.data() + at, 20));
}

/// An IPv6 header, with a fragment header when `frag`.
void append_ipv6(byte_buffer& out, const sctp_frame& s, std::size_t payload_len, bool frag,
                 std::uint32_t offset, bool more, std::uint32_t id) {
  const auto plen = static_cast<std::uint16_t>(payload_len + (frag ? 8 : 0));
  const std::uint8_t h[8] = {0x60,
                             0,
                             0,
                             0,
                             static_cast<std::uint8_t>(plen >> 8),
                             static_cast<std::uint8_t>(plen),
                             static_cast<std::uint8_t>(frag ? 44 : 132),
                             64};
  out.insert(out.end(), h, h + 8);
  const capture::ip_address src6 = to_v6(s.src);
  const capture::ip_address dst6 = to_v6(s.dst);
  const auto src = src6.bytes();
  const auto dst = dst6.bytes();
  out.insert(out.end(), src.begin(), src.end());
  out.insert(out.end(), dst.begin(), dst.end());
  if (frag) {
    const auto om = static_cast<std::uint16_t>(offset | (more ? 1 : 0));
    const std::uint8_t f[8] = {132,
                               0,
                               static_cast<std::uint8_t>(om >> 8),
                               static_cast<std::uint8_t>(om),
                               static_cast<std::uint8_t>(id >> 24),
                               static_cast<std::uint8_t>(id >> 16),
                               static_cast<std::uint8_t>(id >> 8),
                               static_cast<std::uint8_t>(id)};
    out.insert(out.end(), f, f + 8);
  }
}

/// A NAS-5GS PDU with security header type 2 seems to be in `payload` (EPD 0x7e, then 0x02).
bool looks_ciphered(bytes_view payload) {
  for (std::size_t i = 0; i + 1 < payload.size(); ++i)
    if (payload[i] == 0x7e && payload[i + 1] == 0x02) return true;
  return false;
}

/// A UDP frame unrelated to NGAP, in the capture's link type, with `pad` more payload octets.
test_frame filler(capture::link_type lt, const sctp_frame& like, std::int64_t ts,
                  std::size_t pad = 0) {
  test_frame f;
  f.ts = ts;
  f.what = test_frame::role::filler;
  f.data = link_for(lt, like.link, false);
  const auto udp_len = static_cast<std::uint16_t>(12 + pad);
  const std::uint8_t udp[12] = {0x9c, 0x41, 0x9c, 0x42, static_cast<std::uint8_t>(udp_len >> 8),
                                static_cast<std::uint8_t>(udp_len), 0, 0, 'f', 'i', 'l', 'l'};
  sctp_frame s = like;
  s.identification = 7;
  const std::size_t at = f.data.size();
  append_ipv4(f.data, s, udp_len, 0, false);
  f.data[at + 6] = 0x40; // DF, not a fragment
  f.data[at + 9] = 17;   // UDP
  capture::fix_ipv4_checksum(bytes_span(f.data.data() + at, 20));
  f.data.insert(f.data.end(), udp, udp + sizeof udp);
  f.data.insert(f.data.end(), pad, std::uint8_t{0x5a});
  return f;
}

/// Splits every DATA chunk of 24 octets or more into three B/M/E chunks, each in a frame of its
/// own (a frame with several chunks becomes one frame per chunk), with an unrelated frame after
/// the first piece. Later TSNs of the direction are shifted to make room.
test_capture split_chunks(const test_capture& in) {
  test_capture out;
  out.link = in.link;
  std::map<std::string, std::uint32_t> shift; // by sender "ip:port"
  int group = 0;
  for (const auto& f : in.frames) {
    auto s = parse(in.link, f.data);
    if (!s) {
      out.frames.push_back(f);
      continue;
    }
    auto hdr = sctp::decode_common_header(s->sctp);
    const std::string sender = s->src.to_string() + ":" + std::to_string(hdr->src_port);
    std::uint32_t& sh = shift[sender];
    std::vector<std::pair<byte_buffer, test_frame::role>> packets; // chunks of each output packet
    std::vector<int> groups;
    std::vector<bool> ciphered;
    byte_buffer others;
    bool split_any = false;
    sctp::chunk_walker w(s->sctp);
    while (auto c = w.next()) {
      if (c->type != 0) {
        const std::size_t len = (std::size_t{c->length} + 3) & ~std::size_t{3};
        others.insert(others.end(), s->sctp.begin() + c->offset,
                      s->sctp.begin() +
                          static_cast<std::ptrdiff_t>(std::min(c->offset + len, s->sctp.size())));
        continue;
      }
      auto d = sctp::decode_data_chunk(*c);
      sctp::data_spec spec;
      spec.tsn = d->tsn + sh;
      spec.stream_id = d->stream_id;
      spec.ssn = d->ssn;
      spec.ppid = d->ppid;
      spec.unordered = d->unordered;
      if (d->payload.size() < 24 || !(d->begin && d->end)) {
        byte_buffer one;
        spec.begin = d->begin;
        spec.end = d->end;
        spec.payload = d->payload;
        sctp::append_data_chunk(one, spec);
        packets.emplace_back(std::move(one), test_frame::role::whole);
        groups.push_back(-1);
        ciphered.push_back(false);
        continue;
      }
      split_any = true;
      const std::size_t n = d->payload.size();
      const std::size_t cut[4] = {0, n / 3, 2 * n / 3, n};
      for (int k = 0; k < 3; ++k) {
        byte_buffer one;
        spec.tsn = d->tsn + sh + static_cast<std::uint32_t>(k);
        spec.begin = k == 0;
        spec.end = k == 2;
        spec.payload = d->payload.subspan(cut[k], cut[k + 1] - cut[k]);
        sctp::append_data_chunk(one, spec);
        packets.emplace_back(std::move(one),
                             k == 2 ? test_frame::role::last_piece : test_frame::role::piece);
        groups.push_back(group);
        ciphered.push_back(looks_ciphered(d->payload));
      }
      ++group;
      sh += 2;
    }
    if (!split_any) {
      // Same chunks, shifted TSNs.
      byte_buffer chunks = others;
      for (const auto& p : packets)
        chunks.insert(chunks.end(), p.first.begin(), p.first.end());
      test_frame t = f;
      t.data = s->link;
      auto b = sctp::build_packet(hdr->src_port, hdr->dst_port, hdr->verification_tag, chunks);
      append_ipv4(t.data, *s, b.size(), 0, false);
      t.data.insert(t.data.end(), b.begin(), b.end());
      out.frames.push_back(std::move(t));
      continue;
    }
    if (!others.empty())
      packets.insert(packets.begin(), {others, test_frame::role::whole}),
          groups.insert(groups.begin(), -1), ciphered.insert(ciphered.begin(), false);
    for (std::size_t i = 0; i < packets.size(); ++i) {
      test_frame t;
      t.ts = f.ts;
      t.what = packets[i].second;
      t.group = groups[i];
      t.ciphered = ciphered[i];
      t.data = s->link;
      auto b =
          sctp::build_packet(hdr->src_port, hdr->dst_port, hdr->verification_tag, packets[i].first);
      append_ipv4(t.data, *s, b.size(), 0, false);
      t.data.insert(t.data.end(), b.begin(), b.end());
      const bool first_piece =
          t.what == test_frame::role::piece && (i == 0 || groups[i - 1] != groups[i]);
      out.frames.push_back(std::move(t));
      if (first_piece) out.frames.push_back(filler(in.link, *s, f.ts));
    }
  }
  return out;
}

/// Carries every SCTP packet of 64 octets or more in IP fragments of 32 octets (IPv4, or IPv6
/// with a fragment header; with `v6` the unfragmented packets become IPv6 too); every second
/// datagram's fragments are written last first. The SCTP checksums are made valid.
test_capture fragment_ip(const test_capture& in, bool v6) {
  test_capture out;
  out.link = in.link;
  int group = 1000;
  std::uint16_t id = 100;
  for (const auto& f : in.frames) {
    auto s = parse(in.link, f.data);
    if (!s) {
      out.frames.push_back(f);
      continue;
    }
    sctp::store_checksum(bytes_span(s->sctp));
    s->identification = ++id;
    const byte_buffer link = link_for(in.link, s->link, v6);
    if (s->sctp.size() < 64) {
      test_frame t = f;
      t.data = link;
      if (v6)
        append_ipv6(t.data, *s, s->sctp.size(), false, 0, false, 0);
      else
        append_ipv4(t.data, *s, s->sctp.size(), 0, false);
      t.data.insert(t.data.end(), s->sctp.begin(), s->sctp.end());
      out.frames.push_back(std::move(t));
      continue;
    }
    std::vector<test_frame> frags;
    for (std::size_t off = 0; off < s->sctp.size(); off += 32) {
      const std::size_t len = std::min<std::size_t>(32, s->sctp.size() - off);
      const bool more = off + len < s->sctp.size();
      test_frame t;
      t.ts = f.ts;
      t.what = more ? test_frame::role::piece : test_frame::role::last_piece;
      t.group = group;
      t.ciphered = f.ciphered || looks_ciphered(s->sctp);
      t.data = link;
      if (v6)
        append_ipv6(t.data, *s, len, true, static_cast<std::uint32_t>(off), more, id);
      else
        append_ipv4(t.data, *s, len, static_cast<std::uint32_t>(off), more);
      t.data.insert(t.data.end(), s->sctp.begin() + static_cast<std::ptrdiff_t>(off),
                    s->sctp.begin() + static_cast<std::ptrdiff_t>(off + len));
      frags.push_back(std::move(t));
    }
    if (group % 2 == 1) std::reverse(frags.begin(), frags.end());
    ++group;
    for (auto& t : frags)
      out.frames.push_back(std::move(t));
  }
  return out;
}

/// Drops the last piece of the first group that carries a ciphered NAS PDU; returns its group.
int drop_last_piece(test_capture& c) {
  for (std::size_t i = 0; i < c.frames.size(); ++i) {
    if (c.frames[i].what == test_frame::role::last_piece && c.frames[i].ciphered) {
      const int g = c.frames[i].group;
      c.frames.erase(c.frames.begin() + static_cast<std::ptrdiff_t>(i));
      return g;
    }
  }
  return -1;
}

/// The NGAP messages our pipeline delivers from a capture, and its count of bad checksums.
struct delivered {
  std::vector<byte_buffer> messages;
  std::uint64_t bad_checksums = 0;
};

delivered deliver(const fs::path& file) {
  delivered d;
  sctp::pipeline p;
  auto r = sctp::run_file(file, p, [&](const sctp::user_message& m) {
    d.messages.emplace_back(m.payload.begin(), m.payload.end());
  });
  EXPECT_TRUE(r.has_value());
  d.bad_checksums = p.stats()[capture::counter::sctp_bad_checksum];
  return d;
}

struct decipher_result {
  int exit_code = -1;
  nlohmann::json summary;
};

decipher_result decipher(const fs::path& in, const fs::path& out) {
  const auto r = run_command(
      sec5g_bin + " decipher " + shell_quote(in.string()) + " -o " + shell_quote(out.string()) +
      " --keys " + shell_quote((shared_captures / "keys" / "oai.csv").string()) + " 2>/dev/null");
  decipher_result d;
  d.exit_code = r.exit_code;
  d.summary = nlohmann::json::parse(r.out, nullptr, false);
  return d;
}

/// Per frame number, its packet comments as tshark prints them ("" = none).
std::vector<std::string> comments(const fs::path& file) {
  const auto r = run_command("tshark -r " + shell_quote(file.string()) +
                             " -T fields -e frame.comment 2>/dev/null");
  std::vector<std::string> v;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line))
    v.push_back(line);
  return v;
}

/// The NAS message types tshark reads (5GMM and 5GSM, all occurrences), sorted: a frame with
/// two messages lists them field by field, the split capture message by message.
std::vector<std::string> nas_types(const fs::path& file) {
  const auto r = run_command("tshark -r " + shell_quote(file.string()) +
                             " -Y nas-5gs -T fields -E occurrence=a -E aggregator=, "
                             "-e nas_5gs.mm.message_type -e nas_5gs.sm.message_type 2>/dev/null");
  std::vector<std::string> v;
  std::istringstream in(r.out);
  std::string tok;
  while (in >> tok) {
    std::istringstream parts(tok);
    std::string one;
    while (std::getline(parts, one, ','))
      v.push_back(one);
  }
  std::sort(v.begin(), v.end());
  return v;
}

std::size_t malformed(const fs::path& file) {
  const auto r =
      run_command("tshark -r " + shell_quote(file.string()) +
                  " -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null | wc -l");
  return static_cast<std::size_t>(std::stoul(r.out.empty() ? "0" : r.out));
}

/// What decipher_copies found.
struct copies_run {
  fs::path out_file;
  std::size_t rewritten = 0; ///< copies whose first copy was rewritten
};

class DecipherSplit : public ::testing::Test {
protected:
  void SetUp() override {
    if (!fs::exists(sec5g_bin)) GTEST_SKIP() << "sec5g binary not built";
    if (!fs::exists(shared_captures / "oai_ueransim_registration.pcap"))
      GTEST_SKIP() << "no shared captures";
    dir_ = fs::temp_directory_path() /
           ("sec5g_decipher_split_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    original_ = read_capture(shared_captures / "oai_ueransim_registration.pcap");
    ASSERT_FALSE(original_.frames.empty());
    // The reference: the unsplit capture deciphered.
    const auto ref = decipher(shared_captures / "oai_ueransim_registration.pcap", dir_ / "ref.pcapng");
    ASSERT_EQ(ref.exit_code, 0);
    ASSERT_EQ(ref.summary.value("deciphered", 0), 5) << ref.summary.dump();
    ref_summary_ = ref.summary;
    ref_ = deliver(dir_ / "ref.pcapng");
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty() && std::getenv("SEC5G_KEEP_TEST_FILES") == nullptr) fs::remove_all(dir_, ec);
  }

  /// Deciphers `in_file` into `out_file`; the tracker's counts must equal those of the
  /// deciphered unsplit capture (every message seen once, however it was carried).
  decipher_result decipher_like_ref(const fs::path& in_file, const fs::path& out_file) {
    const auto r = decipher(in_file, out_file);
    EXPECT_EQ(r.exit_code, 0);
    for (const char* k : {"deciphered", "mac_ok", "mac_failed", "protected", "nas", "ngap"})
      EXPECT_EQ(r.summary.value(k, -1), ref_summary_.value(k, -2)) << k << ": " << r.summary.dump();
    return r;
  }

  /// Deciphers `in`, whose frames `copies` (copy, original) repeat earlier frames octet for
  /// octet: each copy must read in the output as its original does (rewritten or not), and
  /// the summary must count the rewritten copies.
  copies_run decipher_copies(const test_capture& in,
                             const std::vector<std::pair<std::size_t, std::size_t>>& copies,
                             const std::string& name) {
    copies_run run;
    const fs::path in_file = dir_ / (name + ".pcapng");
    run.out_file = dir_ / (name + ".dec.pcapng");
    write_capture(in_file, in);
    const auto r = decipher_like_ref(in_file, run.out_file);
    EXPECT_EQ(r.exit_code, 0);
    const test_capture out = read_capture(run.out_file);
    EXPECT_EQ(out.frames.size(), in.frames.size());
    if (out.frames.size() != in.frames.size()) return run;
    for (const auto& [copy, orig] : copies) {
      SCOPED_TRACE("copy in frame " + std::to_string(copy + 1) + " of frame " +
                   std::to_string(orig + 1));
      EXPECT_EQ(in.frames[copy].data, in.frames[orig].data);
      EXPECT_EQ(out.frames[copy].data, out.frames[orig].data);
      run.rewritten += out.frames[orig].data != in.frames[orig].data;
    }
    EXPECT_EQ(r.summary.value("retransmissions_rewritten", 0u), run.rewritten);
    EXPECT_EQ(deliver(run.out_file).bad_checksums, 0u);
    return run;
  }

  /// Deciphers `in` and checks everything the output of a complete variant must satisfy.
  void check_variant(const test_capture& in, const std::string& name) {
    SCOPED_TRACE(name);
    const fs::path in_file = dir_ / (name + ".pcapng");
    const fs::path out_file = dir_ / (name + ".dec.pcapng");
    write_capture(in_file, in);
    // The variant really splits the ciphered messages.
    std::size_t split_ciphered = 0;
    for (const auto& f : in.frames)
      split_ciphered += f.ciphered && f.what == test_frame::role::last_piece;
    ASSERT_GE(split_ciphered, 3u);

    const auto r = decipher_like_ref(in_file, out_file);
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.summary.value("frames", 0u), in.frames.size());

    // Same frames, same order; a frame without a comment is unchanged.
    const test_capture out = read_capture(out_file);
    ASSERT_EQ(out.frames.size(), in.frames.size());
    const auto notes = comments(out_file);
    ASSERT_EQ(notes.size(), out.frames.size());
    std::size_t changed = 0, parts = 0;
    for (std::size_t i = 0; i < out.frames.size(); ++i) {
      EXPECT_EQ(out.frames[i].ts, in.frames[i].ts) << "frame " << i + 1;
      if (notes[i].empty()) {
        EXPECT_EQ(out.frames[i].data, in.frames[i].data)
            << "frame " << i + 1 << " changed without a comment";
      } else {
        EXPECT_NE(notes[i].find("sec5g decipher"), std::string::npos);
        EXPECT_NE(in.frames[i].what, test_frame::role::filler) << "frame " << i + 1;
        ++changed;
        parts += notes[i].find("part of the NAS message deciphered in frame") != std::string::npos;
      }
      if (in.frames[i].what == test_frame::role::filler) {
        EXPECT_EQ(out.frames[i].data, in.frames[i].data);
      }
    }
    EXPECT_GT(parts, 0u); // pieces in other frames than the completing one were rewritten
    EXPECT_EQ(r.summary.value("changed_packets", 0u), changed);

    // Reassembled, the rewritten messages equal those of the deciphered unsplit capture, and
    // every SCTP checksum holds.
    const delivered d = deliver(out_file);
    EXPECT_EQ(d.bad_checksums, 0u);
    ASSERT_EQ(d.messages.size(), ref_.messages.size());
    for (std::size_t i = 0; i < d.messages.size(); ++i)
      EXPECT_EQ(d.messages[i], ref_.messages[i]) << "NGAP message " << i;

    // tshark reassembles and reads the plain NAS messages.
    if (test::have_tool("tshark")) {
      EXPECT_EQ(malformed(out_file), 0u);
      const auto want = nas_types(dir_ / "ref.pcapng");
      const auto got = nas_types(out_file);
      EXPECT_EQ(got, want);
      const auto before = nas_types(in_file);
      EXPECT_NE(before, want); // the split input was not readable as plain
    }
  }

  fs::path dir_;
  test_capture original_;
  delivered ref_;
  nlohmann::json ref_summary_;
};

TEST_F(DecipherSplit, DataChunksInSeparateFramesAreRewrittenInEveryPiece) {
  check_variant(split_chunks(original_), "chunks");
}

TEST_F(DecipherSplit, Ipv4FragmentsAreRewrittenAndTheChecksumFixedInTheFirstFragment) {
  check_variant(fragment_ip(original_, false), "ipv4");
}

TEST_F(DecipherSplit, Ipv6FragmentsAreRewritten) {
  check_variant(fragment_ip(original_, true), "ipv6");
}

TEST_F(DecipherSplit, ChunksCarriedInIpv4FragmentsAreRewritten) {
  check_variant(fragment_ip(split_chunks(original_), false), "chunks_ipv4");
}

/// The last piece of a ciphered message never comes: its other pieces are written unchanged,
/// every frame is written, and the rest of the capture is still deciphered.
void check_incomplete(const test_capture& full, const fs::path& dir, const std::string& name) {
  SCOPED_TRACE(name);
  test_capture in = full;
  const int g = drop_last_piece(in);
  ASSERT_GE(g, 0);
  const fs::path in_file = dir / (name + ".pcapng");
  const fs::path out_file = dir / (name + ".dec.pcapng");
  write_capture(in_file, in);
  const auto r = decipher(in_file, out_file);
  ASSERT_EQ(r.exit_code, 0);
  // The cut message is lost; the other four ciphered ones are deciphered.
  EXPECT_EQ(r.summary.value("deciphered", 0), 4) << r.summary.dump();
  const test_capture out = read_capture(out_file);
  ASSERT_EQ(out.frames.size(), in.frames.size());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < in.frames.size(); ++i) {
    EXPECT_EQ(out.frames[i].ts, in.frames[i].ts);
    if (in.frames[i].group == g) {
      EXPECT_EQ(out.frames[i].data, in.frames[i].data) << "frame " << i + 1;
      ++kept;
    }
  }
  EXPECT_GE(kept, 2u);
  EXPECT_GT(r.summary.value("changed_packets", 0), 0);
  EXPECT_EQ(deliver(out_file).bad_checksums, 0u);
  // Messages after the incomplete one (while its pieces were still held) were rewritten.
  if (test::have_tool("tshark")) {
    const auto notes = comments(out_file);
    ASSERT_EQ(notes.size(), in.frames.size());
    std::size_t last_of_group = 0, rewritten_after = 0;
    for (std::size_t i = 0; i < in.frames.size(); ++i)
      if (in.frames[i].group == g) last_of_group = i;
    for (std::size_t i = last_of_group + 1; i < notes.size(); ++i)
      rewritten_after += notes[i].find("deciphered with 128-NEA1") != std::string::npos;
    EXPECT_GE(rewritten_after, 2u);
  }
}

TEST_F(DecipherSplit, MessageWithoutItsLastChunkIsWrittenUnchanged) {
  check_incomplete(split_chunks(original_), dir_, "chunks_cut");
}

TEST_F(DecipherSplit, DatagramWithoutItsLastFragmentIsWrittenUnchanged) {
  check_incomplete(fragment_ip(original_, false), dir_, "ipv4_cut");
}

/// While a message is incomplete, more frames arrive than --max-held-mib allows: the oldest
/// held frames (with the message's first pieces) are written as they were, so the message stays
/// ciphered and a warning says so; every frame is still written once, in order, and the
/// messages after it are deciphered.
TEST_F(DecipherSplit, FramesBeyondTheHeldCapAreWrittenAndTheirMessageStaysCiphered) {
  test_capture in = split_chunks(original_);
  std::size_t first = in.frames.size();
  for (std::size_t i = 0; i < in.frames.size(); ++i) {
    if (in.frames[i].ciphered && in.frames[i].what == test_frame::role::piece) {
      first = i;
      break;
    }
  }
  ASSERT_LT(first, in.frames.size());
  const int g = in.frames[first].group;
  const auto like = parse(in.link, in.frames[first].data);
  ASSERT_TRUE(like.has_value());
  // 1.5 MiB of unrelated frames right after the message's first piece.
  std::vector<test_frame> fill;
  for (int k = 0; k < 1100; ++k) fill.push_back(filler(in.link, *like, in.frames[first].ts, 1400));
  in.frames.insert(in.frames.begin() + static_cast<std::ptrdiff_t>(first) + 1, fill.begin(),
                   fill.end());
  const fs::path in_file = dir_ / "held_cap.pcapng";
  const fs::path out_file = dir_ / "held_cap.dec.pcapng";
  const fs::path err_file = dir_ / "held_cap.err";
  write_capture(in_file, in);
  const auto r = run_command(sec5g_bin + " decipher " + shell_quote(in_file.string()) + " -o " +
                             shell_quote(out_file.string()) + " --keys " +
                             shell_quote((shared_captures / "keys" / "oai.csv").string()) +
                             " --max-held-mib 1 2>" + shell_quote(err_file.string()));
  ASSERT_EQ(r.exit_code, 0);
  const auto summary = nlohmann::json::parse(r.out, nullptr, false);
  // The tracker deciphered all five; one of them could not be written in plain form.
  EXPECT_EQ(summary.value("deciphered", 0), 5) << summary.dump();
  std::ifstream ef(err_file);
  const std::string err((std::istreambuf_iterator<char>(ef)), std::istreambuf_iterator<char>());
  EXPECT_NE(err.find("1 NAS message(s) left ciphered"), std::string::npos) << err;
  EXPECT_NE(err.find("1 MiB held"), std::string::npos) << err;

  const test_capture out = read_capture(out_file);
  ASSERT_EQ(out.frames.size(), in.frames.size());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < in.frames.size(); ++i) {
    EXPECT_EQ(out.frames[i].ts, in.frames[i].ts) << "frame " << i + 1;
    if (in.frames[i].group == g || in.frames[i].what == test_frame::role::filler) {
      EXPECT_EQ(out.frames[i].data, in.frames[i].data) << "frame " << i + 1;
      kept += in.frames[i].group == g;
    }
  }
  EXPECT_GE(kept, 3u);
  EXPECT_EQ(deliver(out_file).bad_checksums, 0u);
  if (test::have_tool("tshark")) {
    // The other four ciphered messages are in plain form.
    const auto notes = comments(out_file);
    std::size_t rewritten = 0;
    for (const auto& n : notes) rewritten += n.find("deciphered with 128-NEA1") != std::string::npos;
    EXPECT_EQ(rewritten, 4u);
  }
  // The default cap (64 MiB) holds the same input: the message is rewritten.
  const auto d = decipher(in_file, dir_ / "held_default.dec.pcapng");
  ASSERT_EQ(d.exit_code, 0);
  const test_capture whole = read_capture(dir_ / "held_default.dec.pcapng");
  ASSERT_EQ(whole.frames.size(), in.frames.size());
  std::size_t changed = 0;
  for (std::size_t i = 0; i < in.frames.size(); ++i)
    changed += in.frames[i].group == g && whole.frames[i].data != in.frames[i].data;
  EXPECT_GE(changed, 1u);
}

/// The DATA chunk payloads of an SCTP-over-IP frame (empty when it is not one).
std::vector<byte_buffer> data_payloads(capture::link_type lt, const byte_buffer& frame) {
  std::vector<byte_buffer> v;
  const auto s = parse(lt, frame);
  if (!s) return v;
  sctp::chunk_walker w(s->sctp);
  while (auto c = w.next()) {
    if (c->type != 0) continue;
    if (auto d = sctp::decode_data_chunk(*c)) v.emplace_back(d->payload.begin(), d->payload.end());
  }
  return v;
}

/// `f` rebuilt with its DATA chunks alone in the SCTP packet (same TSNs, flags and streams;
/// other chunks, e.g. a bundled SACK, left out; a valid checksum); with `forge`, the last
/// user-data octet of each chunk flipped (other octets, same TSN).
test_frame data_chunks_alone(capture::link_type lt, const test_frame& f, bool forge) {
  const auto s = parse(lt, f.data);
  EXPECT_TRUE(s.has_value());
  if (!s) return f;
  const auto hdr = sctp::decode_common_header(s->sctp);
  byte_buffer chunks;
  sctp::chunk_walker w(s->sctp);
  while (auto c = w.next()) {
    if (c->type != 0) continue;
    const auto d = sctp::decode_data_chunk(*c);
    if (!d) continue;
    byte_buffer payload(d->payload.begin(), d->payload.end());
    if (forge) payload.back() ^= 0x01;
    sctp::data_spec spec;
    spec.tsn = d->tsn;
    spec.stream_id = d->stream_id;
    spec.ssn = d->ssn;
    spec.ppid = d->ppid;
    spec.unordered = d->unordered;
    spec.begin = d->begin;
    spec.end = d->end;
    spec.payload = payload;
    sctp::append_data_chunk(chunks, spec);
  }
  test_frame t = f;
  t.data = s->link;
  const auto b = sctp::build_packet(hdr->src_port, hdr->dst_port, hdr->verification_tag, chunks);
  append_ipv4(t.data, *s, b.size(), 0, false);
  t.data.insert(t.data.end(), b.begin(), b.end());
  return t;
}

/// A retransmitted DATA chunk (RFC 9260 6.3.3: same TSN, same octets) of a ciphered message
/// is rewritten like the first copy, whether it comes in an identical packet or rebuilt alone in
/// a new one; a chunk that repeats a TSN with other octets is left alone. The tracker sees each
/// message once (summary as without the copies).
TEST_F(DecipherSplit, RetransmittedCopiesOfADecipheredMessageAreRewrittenToo) {
  test_capture in;
  in.link = original_.link;
  std::size_t identical_copies = 0, rebuilt_copies = 0, forged_copies = 0;
  struct copy_of {
    std::size_t copy = 0, original = 0;
    enum class kind : std::uint8_t { identical, rebuilt, forged } what = kind::identical;
  };
  std::vector<copy_of> copies;
  std::size_t n = 0;
  for (const auto& f : original_.frames) {
    in.frames.push_back(f);
    const std::size_t at = in.frames.size() - 1;
    auto s = parse(in.link, f.data);
    if (!s || !looks_ciphered(s->sctp)) continue;
    auto hdr = sctp::decode_common_header(s->sctp);
    ASSERT_TRUE(hdr.has_value());
    in.frames.push_back(filler(in.link, *s, f.ts));
    const auto k = static_cast<copy_of::kind>(n++ % 3);
    test_frame t = f;
    if (k == copy_of::kind::identical) {
      ++identical_copies;
    } else {
      // The DATA chunks alone in a new packet (the original may bundle a SACK first).
      t = data_chunks_alone(in.link, f, k == copy_of::kind::forged);
      (k == copy_of::kind::rebuilt ? rebuilt_copies : forged_copies) += 1;
    }
    in.frames.push_back(std::move(t));
    copies.push_back({in.frames.size() - 1, at, k});
  }
  ASSERT_GE(identical_copies, 1u);
  ASSERT_GE(rebuilt_copies, 1u);
  ASSERT_GE(forged_copies, 1u);

  const fs::path in_file = dir_ / "retransmitted.pcapng";
  const fs::path out_file = dir_ / "retransmitted.dec.pcapng";
  write_capture(in_file, in);
  const auto r = decipher_like_ref(in_file, out_file);
  ASSERT_EQ(r.exit_code, 0);
  // Counted per message: a copy of a packet with two DATA chunks repeats two messages.
  std::size_t repeated = 0;
  for (const auto& c : copies)
    if (c.what != copy_of::kind::forged) repeated += data_payloads(in.link, in.frames[c.copy].data).size();
  EXPECT_GE(repeated, identical_copies + rebuilt_copies);
  EXPECT_EQ(r.summary.value("retransmissions_rewritten", 0u), repeated);

  const test_capture out = read_capture(out_file);
  ASSERT_EQ(out.frames.size(), in.frames.size());
  for (const auto& c : copies) {
    SCOPED_TRACE("copy in frame " + std::to_string(c.copy + 1));
    const auto original_in = data_payloads(in.link, in.frames[c.original].data);
    const auto original_out = data_payloads(in.link, out.frames[c.original].data);
    ASSERT_NE(original_in, original_out); // the first copy was rewritten
    switch (c.what) {
    case copy_of::kind::identical:
      EXPECT_EQ(out.frames[c.copy].data, out.frames[c.original].data);
      break;
    case copy_of::kind::rebuilt:
      EXPECT_EQ(data_payloads(in.link, out.frames[c.copy].data), original_out);
      break;
    case copy_of::kind::forged:
      EXPECT_EQ(out.frames[c.copy].data, in.frames[c.copy].data);
      break;
    }
  }
  // Checksums valid in the input (the rebuilt copies; the capture's own packets may carry
  // none, offloaded) stay valid.
  EXPECT_EQ(deliver(out_file).bad_checksums, deliver(in_file).bad_checksums);
  if (test::have_tool("tshark")) {
    const auto notes = comments(out_file);
    ASSERT_EQ(notes.size(), out.frames.size());
    for (const auto& c : copies) {
      const bool noted = notes[c.copy].find("(retransmission of frame " +
                                            std::to_string(c.original + 1)) != std::string::npos;
      EXPECT_EQ(noted, c.what != copy_of::kind::forged) << "frame " << c.copy + 1;
    }
    EXPECT_EQ(malformed(out_file), 0u);
  }
}

/// A fragment (B/M/E chunk) of a ciphered message, retransmitted after the message completed,
/// is rewritten like its first copy when that copy was (the chunk holds octets of the NAS
/// PDU), and left as it is otherwise; the tracker sees each message once.
TEST_F(DecipherSplit, RetransmittedFragmentsOfADecipheredMessageAreRewrittenToo) {
  const test_capture split = split_chunks(original_);
  test_capture in;
  in.link = split.link;
  std::vector<std::pair<std::size_t, std::size_t>> copies; // (copy, original) frame indices
  std::vector<std::size_t> pending;                       // pieces to repeat after their group
  for (std::size_t i = 0; i < split.frames.size(); ++i) {
    const auto& f = split.frames[i];
    in.frames.push_back(f);
    if (f.ciphered && f.what == test_frame::role::piece) pending.push_back(in.frames.size() - 1);
    if (f.what == test_frame::role::last_piece) {
      // The message is complete: repeat its pieces (and this last one) unchanged.
      const std::size_t last = in.frames.size() - 1;
      for (const std::size_t p : pending) {
        if (in.frames[p].group != f.group) continue;
        in.frames.push_back(in.frames[p]);
        copies.emplace_back(in.frames.size() - 1, p);
      }
      if (f.ciphered) {
        in.frames.push_back(f);
        copies.emplace_back(in.frames.size() - 1, last);
      }
      std::erase_if(pending, [&](std::size_t p) { return in.frames[p].group == f.group; });
    }
  }
  ASSERT_GE(copies.size(), 6u);

  const copies_run run = decipher_copies(in, copies, "fragments_retransmitted");
  EXPECT_GE(run.rewritten, 3u); // pieces holding NAS octets were among them
  EXPECT_LT(run.rewritten, copies.size()); // and pieces holding none (left as they are)
  if (test::have_tool("tshark")) {
    EXPECT_EQ(malformed(run.out_file), 0u);
  }
}

/// A fragment of a ciphered message repeated while the message is still being reassembled
/// (before its last piece came) is rewritten like its first copy once the message completes:
/// its frame is still held then.
TEST_F(DecipherSplit, FragmentsRepeatedBeforeTheirMessageCompletedAreRewrittenToo) {
  const test_capture split = split_chunks(original_);
  test_capture in;
  in.link = split.link;
  std::vector<std::pair<std::size_t, std::size_t>> copies; // (copy, original) frame indices
  for (const auto& f : split.frames) {
    in.frames.push_back(f);
    if (f.ciphered && f.what == test_frame::role::piece) {
      in.frames.push_back(f); // at once: the message's last piece comes later
      copies.emplace_back(in.frames.size() - 1, in.frames.size() - 2);
    }
  }
  ASSERT_GE(copies.size(), 4u);

  const copies_run run = decipher_copies(in, copies, "fragments_early");
  EXPECT_GE(run.rewritten, 2u);
  if (test::have_tool("tshark")) {
    const auto notes = comments(run.out_file);
    ASSERT_EQ(notes.size(), in.frames.size());
    std::size_t noted = 0;
    for (const auto& [copy, orig] : copies)
      noted += notes[copy].find("retransmitted before its message completed in frame") !=
               std::string::npos;
    EXPECT_EQ(noted, run.rewritten);
    EXPECT_EQ(malformed(run.out_file), 0u);
  }
}

/// `split` (split_chunks) with, right after the first piece of each ciphered message, what
/// `add(capture, piece, index of the piece)` appends: the message is still pending there.
template <class Add>
test_capture after_first_pieces(const test_capture& split, Add add) {
  test_capture in;
  in.link = split.link;
  int seen_group = -1;
  for (const auto& f : split.frames) {
    in.frames.push_back(f);
    if (!f.ciphered || f.what != test_frame::role::piece || f.group == seen_group) continue;
    seen_group = f.group;
    add(in, f, in.frames.size() - 1);
  }
  return in;
}

/// Thousands of copies of the first piece of each ciphered message, identical and forged
/// (same TSN, other octets) in turn, before the message completes: every identical copy reads
/// as its rewritten original, every forged one is left as it is, and the run ends normally
/// (the copies kept are bounded and found by key, not scanned).
TEST_F(DecipherSplit, ManyRepeatedFragmentsOfAPendingMessage) {
  constexpr std::size_t per_piece = 1500;
  std::vector<std::pair<std::size_t, std::size_t>> copies; // identical (copy, original)
  std::vector<std::size_t> forged;
  const test_capture in = after_first_pieces(
      split_chunks(original_), [&](test_capture& c, const test_frame& f, std::size_t orig) {
        const test_frame fake = data_chunks_alone(c.link, f, true);
        EXPECT_NE(fake.data, f.data);
        for (std::size_t i = 0; i < per_piece; ++i) {
          c.frames.push_back(f);
          copies.emplace_back(c.frames.size() - 1, orig);
          c.frames.push_back(fake);
          forged.push_back(c.frames.size() - 1);
        }
      });
  ASSERT_GE(copies.size(), 2 * per_piece);

  const copies_run run = decipher_copies(in, copies, "fragments_many");
  // (A first piece may hold only NGAP octets before the NAS-PDU: neither it nor its copies
  // change; decipher_copies checked that each copy reads as its original.)
  EXPECT_GE(run.rewritten, per_piece);
  const test_capture out = read_capture(run.out_file);
  ASSERT_EQ(out.frames.size(), in.frames.size());
  for (const std::size_t i : forged) EXPECT_EQ(out.frames[i].data, in.frames[i].data) << i;
}

/// More copies of a pending message's piece than the bound on kept copies (4 MiB): the oldest
/// are given up (left as they are), the newest are still rewritten.
TEST_F(DecipherSplit, RepeatedFragmentsBeyondTheBoundStayAsTheyAre) {
  constexpr std::size_t per_piece = 40000;  // ~200 octets kept each: well beyond 4 MiB
  std::vector<std::array<std::size_t, 3>> groups; // original, first copy, last copy
  const test_capture in = after_first_pieces(
      split_chunks(original_), [&](test_capture& c, const test_frame& f, std::size_t orig) {
        for (std::size_t i = 0; i < per_piece; ++i) c.frames.push_back(f);
        groups.push_back({orig, orig + 1, c.frames.size() - 1});
      });
  ASSERT_GE(groups.size(), 2u);

  const fs::path in_file = dir_ / "fragments_bound.pcapng";
  const fs::path out_file = dir_ / "fragments_bound.dec.pcapng";
  write_capture(in_file, in);
  const auto r = decipher_like_ref(in_file, out_file);
  ASSERT_EQ(r.exit_code, 0);
  const test_capture out = read_capture(out_file);
  ASSERT_EQ(out.frames.size(), in.frames.size());
  std::size_t checked = 0;
  for (const auto& [orig, first, last] : groups) {
    if (out.frames[orig].data == in.frames[orig].data) continue; // holds no NAS octet
    ++checked;
    EXPECT_EQ(out.frames[first].data, in.frames[first].data) << "given up: frame " << first + 1;
    EXPECT_EQ(out.frames[last].data, out.frames[orig].data) << "rewritten: frame " << last + 1;
  }
  EXPECT_GE(checked, 1u);
  const auto n = r.summary.value("retransmissions_rewritten", 0u);
  EXPECT_GT(n, 0u);
  EXPECT_LT(n, checked * per_piece);
}

TEST(DecipherCli, MaxHeldMibOutOfRangeIsAUsageError) {
  for (const char* v : {"0", "4097", "x"}) {
    const auto r = run_command(sec5g_bin + " decipher in.pcap -o out.pcapng --keys k.csv " +
                               "--max-held-mib " + v + " 2>/dev/null");
    EXPECT_EQ(r.exit_code, 2) << v;
  }
}

} // namespace
} // namespace sec5g
