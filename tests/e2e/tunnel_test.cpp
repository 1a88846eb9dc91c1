// N2 traffic seen through a tunnel, as a monitoring network delivers it: every IP packet of
// a shared capture is re-sent inside VXLAN, ERSPAN type II or III, GRE, IP in IPv6, Geneve or
// MPLS (frame for frame), or inside VXLAN datagrams fragmented on the outside (more frames);
// VXLAN over IPv4 and IPv6 and GRE also with their optional checksums over the packet.
// `decode` and `audit` must read the wrapped capture exactly as the original (same NGAP
// messages, NAS verdicts and findings, by frame where the frames are the same); tshark, the
// oracle, must find NGAP in the same frames of the wrapped capture as in the original; and
// `decipher` on a wrapped capture must give plain NAS messages that tshark dissects without a
// malformed packet.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sec5g/capture/build.hpp"
#include "sec5g/capture/ip.hpp"
#include "support/capture_copy.hpp"
#include "support/checksum.hpp"
#include "support/process.hpp"

namespace sec5g {
namespace {

namespace fs = std::filesystem;
using test::run_command;
using test::sec5g_bin;
using test::shared_captures;
using test::shell_quote;

using capture_copy = test::capture_copy<>;
using test::read_capture;
using test::write_capture;

byte_buffer cat(std::initializer_list<bytes_view> parts) {
  byte_buffer out;
  for (const auto p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

byte_buffer eth(std::uint16_t et, bytes_view payload) {
  byte_buffer out(14 + payload.size(), 0);
  const std::uint8_t macs[12] = {0x02, 0, 0, 0, 0, 0x20, 0x02, 0, 0, 0, 0, 0x10};
  std::copy(std::begin(macs), std::end(macs), out.begin());
  store_be16(out.data() + 12, et);
  std::copy(payload.begin(), payload.end(), out.begin() + 14);
  return out;
}

byte_buffer ip(bytes_view payload, std::uint8_t proto, bool v6 = false, std::uint16_t id = 0) {
  byte_buffer out;
  capture::ip_spec spec{v6 ? *capture::ip_address::parse("2001:db8:ffff::1")
                           : capture::ip_address::v4(198, 51, 100, 1),
                        v6 ? *capture::ip_address::parse("2001:db8:ffff::2")
                           : capture::ip_address::v4(198, 51, 100, 2)};
  spec.protocol = proto;
  spec.identification = id;
  EXPECT_TRUE(capture::append_ip_header(out, spec, payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

byte_buffer udp(std::uint16_t dp, bytes_view payload) {
  byte_buffer out(8 + payload.size(), 0);
  store_be16(out.data(), 51000);
  store_be16(out.data() + 2, dp);
  store_be16(out.data() + 4, static_cast<std::uint16_t>(out.size()));
  std::copy(payload.begin(), payload.end(), out.begin() + 8);
  return out;
}

/// A GRE header (version 0) with the checksum (C, 0x8000) and sequence number (S, 0x1000)
/// fields `flags` asks for, and `payload`. Ref: RFC 2784 2.1, RFC 2890 2.
byte_buffer gre(std::uint16_t flags, std::uint16_t et, bytes_view payload) {
  const bool csum = (flags & 0x8000u) != 0;
  const bool seq = (flags & 0x1000u) != 0;
  const std::size_t len = 4 + (csum ? 4 : 0) + (seq ? 4 : 0);
  byte_buffer out(len + payload.size(), 0);
  store_be16(out.data(), flags);
  store_be16(out.data() + 2, et);
  if (seq) out[len - 1] = 7;
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(len));
  // The checksum covers the GRE header (its checksum field zero) and the payload.
  if (csum) store_be16(out.data() + 4, test::oracle_checksum(out));
  return out;
}

/// Sets the UDP checksum of `dg`, an IPv4 or IPv6 datagram carrying UDP.
void set_udp_checksum(byte_buffer& dg, bool v6) {
  store_be16(dg.data() + (v6 ? 40 : 20) + 6, test::oracle_udp_checksum(dg));
}

/// vxlan_checksum, vxlan_ipv6 (whose UDP checksum IPv6 requires), gre_checksum and
/// vxlan_fragmented_checksum (the checksum covers two frames) carry outer checksums over the
/// tunnelled packet, which `decipher` must recompute.
enum class tunnel {
  vxlan,
  erspan2,
  erspan3,
  gre_ip,
  ip_in_ipv6,
  geneve,
  mpls,
  vxlan_fragmented,
  vxlan_checksum,
  vxlan_ipv6,
  gre_checksum,
  vxlan_fragmented_checksum
};

std::string name(tunnel t) {
  switch (t) {
  case tunnel::vxlan: return "vxlan";
  case tunnel::erspan2: return "erspan2";
  case tunnel::erspan3: return "erspan3";
  case tunnel::gre_ip: return "gre_ip";
  case tunnel::ip_in_ipv6: return "ip_in_ipv6";
  case tunnel::geneve: return "geneve";
  case tunnel::mpls: return "mpls";
  case tunnel::vxlan_fragmented: return "vxlan_fragmented";
  case tunnel::vxlan_checksum: return "vxlan_checksum";
  case tunnel::vxlan_ipv6: return "vxlan_ipv6";
  case tunnel::gre_checksum: return "gre_checksum";
  case tunnel::vxlan_fragmented_checksum: return "vxlan_fragmented_checksum";
  }
  return "?";
}

/// The outer IPv4 datagram `dg` as frames: whole, or in two fragments when it is long.
std::vector<byte_buffer> outer_frames(const byte_buffer& dg, bool fragment) {
  if (!fragment || dg.size() < 120) return {eth(0x0800, dg)};
  const std::size_t at = ((dg.size() - 20) / 2) & ~std::size_t{7};
  std::vector<byte_buffer> out;
  for (const bool first : {true, false}) {
    const std::size_t from = first ? 0 : at;
    const std::size_t len = first ? at : dg.size() - 20 - at;
    byte_buffer f(dg.begin(), dg.begin() + 20);
    f.insert(f.end(), dg.begin() + 20 + static_cast<std::ptrdiff_t>(from),
             dg.begin() + 20 + static_cast<std::ptrdiff_t>(from + len));
    store_be16(f.data() + 2, static_cast<std::uint16_t>(f.size()));
    store_be16(f.data() + 6, static_cast<std::uint16_t>((first ? 0x2000 : 0) | (from / 8)));
    capture::fix_ipv4_checksum(bytes_span(f).first(20));
    out.push_back(eth(0x0800, f));
  }
  return out;
}

/// The capture re-sent through `t` (an Ethernet capture); frames that are not IP stay as
/// Ethernet frames of their ethertype.
capture_copy wrap(const capture_copy& in, tunnel t) {
  capture_copy out;
  out.link = capture::link_type::ethernet;
  std::uint16_t id = 1;
  for (const auto& f : in.frames) {
    auto lp = capture::decode_link(in.link, f.data);
    EXPECT_TRUE(lp.has_value());
    if (!lp) continue;
    const std::uint16_t et = lp->ethertype;
    if (et != 0x0800 && et != 0x86dd) {
      out.frames.push_back({f.ts, eth(et, lp->payload)});
      continue;
    }
    const byte_buffer inner_eth = eth(et, lp->payload);
    const bool v4 = et == 0x0800;
    std::vector<byte_buffer> frames;
    switch (t) {
    case tunnel::vxlan:
    case tunnel::vxlan_fragmented: {
      const byte_buffer dg = ip(
          udp(4789, cat({byte_buffer{0x08, 0, 0, 0, 0, 0, 0x2a, 0}, inner_eth})), 17, false, id++);
      frames = outer_frames(dg, t == tunnel::vxlan_fragmented);
      break;
    }
    case tunnel::vxlan_checksum:
    case tunnel::vxlan_ipv6:
    case tunnel::vxlan_fragmented_checksum: {
      const bool six = t == tunnel::vxlan_ipv6;
      byte_buffer dg = ip(udp(4789, cat({byte_buffer{0x08, 0, 0, 0, 0, 0, 0x2a, 0}, inner_eth})),
                          17, six, id++);
      set_udp_checksum(dg, six);
      frames = six ? std::vector<byte_buffer>{eth(0x86dd, dg)}
                   : outer_frames(dg, t == tunnel::vxlan_fragmented_checksum);
      break;
    }
    case tunnel::gre_checksum:
      frames = {eth(0x0800, ip(gre(0x8000, et, lp->payload), 47))};
      break;
    case tunnel::erspan2:
      frames = {eth(
          0x0800,
          ip(gre(0x1000, 0x88be, cat({byte_buffer{0x10, 0, 0, 1, 0, 0, 0, 3}, inner_eth})), 47))};
      break;
    case tunnel::erspan3:
      frames = {
          eth(0x0800, ip(gre(0x1000, 0x22eb,
                             cat({byte_buffer{0x20, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, inner_eth})),
                         47))};
      break;
    case tunnel::gre_ip: frames = {eth(0x0800, ip(gre(0, et, lp->payload), 47))}; break;
    case tunnel::ip_in_ipv6: frames = {eth(0x86dd, ip(lp->payload, v4 ? 4 : 41, true))}; break;
    case tunnel::geneve:
      frames = {eth(
          0x0800,
          ip(udp(6081, cat({byte_buffer{0x01, 0, 0x65, 0x58, 0, 0, 0x2a, 0, 0, 0x01, 0x02, 0x00},
                            inner_eth})),
             17))};
      break;
    case tunnel::mpls:
      frames = {
          eth(0x8847, cat({byte_buffer{0, 0x01, 0x00, 0x40, 0, 0x02, 0x01, 0x40}, lp->payload}))};
      break;
    }
    for (auto& fr : frames)
      out.frames.push_back({f.ts, std::move(fr)});
  }
  return out;
}

/// JSON Lines with every "file"/"files" member removed (the paths differ).
std::vector<nlohmann::json> records(const std::string& jsonl) {
  std::vector<nlohmann::json> v;
  std::istringstream in(jsonl);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << line;
    j.erase("file");
    j.erase("files");
    v.push_back(std::move(j));
  }
  return v;
}

/// Frame number and NGAP procedure code of every NGAP PDU tshark finds.
std::string tshark_ngap(const fs::path& file) {
  return run_command("tshark -r " + shell_quote(file.string()) +
                     " -Y ngap -T fields -E occurrence=a -e frame.number -e ngap.procedureCode "
                     "2>/dev/null")
      .out;
}

class Tunnel : public ::testing::Test {
protected:
  static fs::path dir() {
    const fs::path d = fs::temp_directory_path() / ("sec5g_tunnel_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }

  const fs::path oai = shared_captures / "oai_ueransim_registration.pcap";
  const std::string keys = (shared_captures / "keys" / "oai.csv").string();

  fs::path wrapped(const fs::path& original, tunnel t) {
    const fs::path out = dir() / (original.stem().string() + "_" + name(t) + ".pcapng");
    if (!fs::exists(out)) write_capture(out, wrap(read_capture(original), t));
    return out;
  }

  std::string audit(const fs::path& file, const std::string& keys_file) {
    auto r = run_command(sec5g_bin + " audit " + shell_quote(file.string()) + " --keys " +
                         shell_quote(keys_file) + " --format jsonl 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return r.out;
  }

  std::string decode(const fs::path& file) {
    auto r = run_command(sec5g_bin + " decode --json " + shell_quote(file.string()) + " --keys " +
                         shell_quote(keys) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return r.out;
  }
};

TEST_F(Tunnel, DecodeAndAuditReadEveryTunnelFrameForFrameAsTheOriginal) {
  const auto want_audit = records(audit(oai, keys));
  const auto want_decode = records(decode(oai));
  ASSERT_GT(want_decode.size(), 10u);
  ASSERT_EQ(want_audit.back()["type"], "summary");
  EXPECT_GT(want_audit.back()["mac_ok"].get<int>(), 0);
  EXPECT_GT(want_audit.back()["deciphered"].get<int>(), 0);
  for (const tunnel t : {tunnel::vxlan, tunnel::erspan2, tunnel::erspan3, tunnel::gre_ip,
                         tunnel::ip_in_ipv6, tunnel::geneve, tunnel::mpls,
                         tunnel::vxlan_checksum, tunnel::vxlan_ipv6, tunnel::gre_checksum}) {
    SCOPED_TRACE(name(t));
    const fs::path w = wrapped(oai, t);
    EXPECT_EQ(records(audit(w, keys)), want_audit);
    auto got = records(decode(w));
    ASSERT_EQ(got.size(), want_decode.size());
    // The summary counts the tunnels (a statistic, not in the summary) but nothing else new.
    EXPECT_EQ(got, want_decode);
  }
}

TEST_F(Tunnel, OuterFragmentsGiveTheSameMessagesVerdictsAndFindings) {
  // A larger capture: 1038 protected NAS PDUs, every MAC verifiable with its keys.
  const fs::path o5 = shared_captures / "open5gs_testregistration.pcapng";
  const std::string o5keys = (shared_captures / "keys" / "open5gs-2020.csv").string();
  for (const auto& [file, k] : {std::pair{oai, keys}, std::pair{o5, o5keys}}) {
    SCOPED_TRACE(file.string());
    const fs::path w = wrapped(file, tunnel::vxlan_fragmented);
    auto want = records(audit(file, k));
    auto got = records(audit(w, k));
    ASSERT_FALSE(want.empty());
    ASSERT_EQ(got.size(), want.size());
    // Frame numbers move (a fragmented datagram takes two frames); everything else stays.
    auto strip = [](std::vector<nlohmann::json>& v) {
      for (auto& j : v) {
        j.erase("frame");
        j.erase("frames");
        if (j.contains("evidence")) {
          for (auto it = j["evidence"].begin(); it != j["evidence"].end();) {
            if (it.key().find("frame") != std::string::npos)
              it = j["evidence"].erase(it);
            else
              ++it;
          }
        }
      }
    };
    EXPECT_GT(got.back()["frames"].get<int>(), want.back()["frames"].get<int>());
    strip(want);
    strip(got);
    EXPECT_EQ(got, want);
  }
}

TEST_F(Tunnel, TsharkFindsNgapInTheSameFramesOfTheWrappedCapture) {
  if (!test::have_tool("tshark")) GTEST_SKIP() << "tshark not installed";
  const std::string want = tshark_ngap(oai);
  ASSERT_FALSE(want.empty());
  for (const tunnel t : {tunnel::vxlan, tunnel::erspan2, tunnel::erspan3, tunnel::gre_ip,
                         tunnel::ip_in_ipv6, tunnel::geneve, tunnel::mpls}) {
    SCOPED_TRACE(name(t));
    EXPECT_EQ(tshark_ngap(wrapped(oai, t)), want);
  }
}

TEST_F(Tunnel, DecipherRewritesMessagesInsideTunnelsAndOuterFragments) {
  auto decipher = [&](const fs::path& in, const std::string& tag) {
    const fs::path out = dir() / ("deciphered_" + tag + ".pcapng");
    auto r = run_command(sec5g_bin + " decipher " + shell_quote(in.string()) + " -o " +
                         shell_quote(out.string()) + " --keys " + shell_quote(keys) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return out;
  };
  // The NAS message types tshark reads, sorted (frame numbers differ with outer fragments).
  auto nas_types = [](const fs::path& file) {
    std::istringstream in(run_command("tshark -r " + shell_quote(file.string()) +
                                      " -Y nas-5gs -T fields -E occurrence=a -E aggregator=' ' "
                                      "-e nas_5gs.mm.message_type -e nas_5gs.sm.message_type "
                                      "2>/dev/null")
                              .out);
    std::vector<std::string> v;
    for (std::string tok; in >> tok;)
      v.push_back(tok);
    std::sort(v.begin(), v.end());
    return v;
  };
  const fs::path plain = decipher(oai, "original");
  // What our own reading of the deciphered original gives: messages that now read as plain.
  auto want = records(audit(plain, keys)).back();
  EXPECT_LT(want["deciphered"].get<int>(),
            records(audit(oai, keys)).back()["deciphered"].get<int>());
  const auto want_types = test::have_tool("tshark") ? nas_types(plain) : std::vector<std::string>{};
  // Frames whose outer checksum verifies (status 1) / does not (0), as tshark checks it: the
  // first UDP layer's (the inner packets carry UDP too, some with wrong checksums), or GRE's.
  auto checksums = [](const fs::path& file, tunnel t, const char* status) {
    const std::string field =
        t == tunnel::gre_checksum ? "gre.checksum.status" : "udp.checksum.status#1";
    return run_command("tshark -r " + shell_quote(file.string()) +
                       " -o udp.check_checksum:TRUE -Y '" + field + " == " + status +
                       "' 2>/dev/null | wc -l")
        .out;
  };
  for (const tunnel t :
       {tunnel::vxlan, tunnel::erspan2, tunnel::vxlan_fragmented, tunnel::vxlan_checksum,
        tunnel::vxlan_ipv6, tunnel::gre_checksum, tunnel::vxlan_fragmented_checksum}) {
    SCOPED_TRACE(name(t));
    const bool outer_checksum = t == tunnel::vxlan_checksum || t == tunnel::vxlan_ipv6 ||
                                t == tunnel::gre_checksum ||
                                t == tunnel::vxlan_fragmented_checksum;
    if (outer_checksum && test::have_tool("tshark")) {
      // The wrapped input is right (tshark's status 1: good, 0: bad).
      EXPECT_EQ(checksums(wrapped(oai, t), t, "0"), "0\n");
      EXPECT_NE(checksums(wrapped(oai, t), t, "1"), "0\n");
    }
    const fs::path out = decipher(wrapped(oai, t), name(t));
    auto got = records(audit(out, keys)).back();
    for (const char* k : {"ngap", "nas", "protected", "deciphered", "mac_ok", "mac_failed"})
      EXPECT_EQ(got[k], want[k]) << k;
    if (!test::have_tool("tshark")) continue;
    const auto types = nas_types(out);
    EXPECT_EQ(types, want_types);
    // Registration Accept (0x42) and Registration Complete (0x43) travel ciphered.
    EXPECT_TRUE(std::count(types.begin(), types.end(), "0x42") > 0);
    EXPECT_TRUE(std::count(types.begin(), types.end(), "0x43") > 0);
    const auto bad = run_command("tshark -r " + shell_quote(out.string()) +
                                 " -Y '_ws.malformed || _ws.expert.severity >= error' "
                                 "2>/dev/null | wc -l")
                         .out;
    EXPECT_EQ(bad, "0\n");
    // The outer checksums over the rewritten packets were recomputed.
    if (outer_checksum) {
      EXPECT_EQ(checksums(out, t, "0"), "0\n");
      EXPECT_EQ(checksums(out, t, "1"), checksums(wrapped(oai, t), t, "1"));
    }
  }
}

} // namespace
} // namespace sec5g
