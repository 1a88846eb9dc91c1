// Writes seed inputs for the link_ip and sctp fuzz targets (and one synthetic pcapng for the
// pcap_reader target) from real captures and from hand-built packets.
// Usage: capture_corpus_gen FUZZ_CORPUS_DIR [max_frames] capture...
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sec5g/capture/build.hpp"
#include "sec5g/capture/pcapng_writer.hpp"
#include "sec5g/capture/reader.hpp"
#include "sec5g/sctp/build.hpp"
#include "sec5g/sctp/pipeline.hpp"

namespace {

using namespace sec5g;

int link_selector(capture::link_type lt) {
  using capture::link_type;
  static constexpr link_type links[] = {
      link_type::ethernet, link_type::linux_sll, link_type::linux_sll2, link_type::raw,
      link_type::ipv4,     link_type::ipv6,      link_type::null_bsd,   link_type::loop};
  for (int i = 0; i < 8; ++i) {
    if (links[i] == lt) return i;
  }
  return 0;
}

void put_record(byte_buffer& out, std::uint8_t head, bytes_view data) {
  out.push_back(head);
  out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(data.size()));
  out.insert(out.end(), data.begin(), data.end());
}

void save(const std::filesystem::path& p, const byte_buffer& b) {
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: capture_corpus_gen FUZZ_CORPUS_DIR MAX_FRAMES capture...\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const std::size_t max_frames = std::stoul(argv[2]);
  std::filesystem::create_directories(dir / "link_ip");
  std::filesystem::create_directories(dir / "sctp");
  std::filesystem::create_directories(dir / "pcap");
  for (int i = 3; i < argc; ++i) {
    const std::filesystem::path file = argv[i];
    auto r = capture::reader::open(file);
    if (!r) continue;
    byte_buffer link_seed{static_cast<std::uint8_t>(link_selector(r->link()))};
    byte_buffer sctp_seed;
    capture::counters stats;
    capture::ip_layer ip(stats);
    std::size_t frames = 0;
    std::size_t sctp_packets = 0;
    while (frames < 20000 && sctp_packets < max_frames) {
      auto f = r->next();
      if (!f || !*f) break;
      ++frames;
      const auto pkt = ip.feed(**f);
      if (!pkt || pkt->protocol != 132) continue;
      if (link_seed.size() < 16384) put_record(link_seed, 1, (*f)->data);
      const bool from_amf = pkt->payload.size() >= 2 && load_be16(pkt->payload.data()) == 38412;
      put_record(sctp_seed, from_amf ? 1 : 0, pkt->payload);
      ++sctp_packets;
    }
    if (sctp_packets == 0) continue;
    const std::string stem = file.stem().string();
    save(dir / "link_ip" / stem, link_seed);
    save(dir / "sctp" / stem, sctp_seed);
  }

  // Hand-built seeds: VLAN/QinQ, SLL2, IPv6 with extension headers, IPv4 fragments out of
  // order, SCTP handshake + fragmented DATA + I-DATA + ABORT.
  const auto gnb = capture::ip_address::v4(10, 0, 0, 1);
  const auto amf = capture::ip_address::v4(10, 0, 0, 2);
  byte_buffer payload(300);
  for (std::size_t k = 0; k < payload.size(); ++k)
    payload[k] = static_cast<std::uint8_t>(k);
  byte_buffer init, init_ack, data_frag1, data_frag2, idata, abort;
  sctp::append_init_chunk(init, {0x11111111, 65535, 2, 2, 100});
  sctp::append_init_ack_chunk(init_ack, {0x22222222, 65535, 2, 2, 500},
                              bytes_view(payload).first(16));
  sctp::append_data_chunk(data_frag1,
                          {100, 0, 0, 60, false, true, false, bytes_view(payload).first(150)});
  sctp::append_data_chunk(data_frag2,
                          {101, 0, 0, 60, false, false, true, bytes_view(payload).subspan(150)});
  sctp::append_i_data_chunk(idata,
                            {501, 1, 0, 0, 60, false, true, true, bytes_view(payload).first(40)});
  sctp::append_abort_chunk(abort);
  byte_buffer seed;
  put_record(seed, 0, sctp::build_packet(9487, 38412, 0, init));
  put_record(seed, 1, sctp::build_packet(38412, 9487, 0x11111111, init_ack));
  put_record(seed, 0, sctp::build_packet(9487, 38412, 0x22222222, data_frag2));
  put_record(seed, 0, sctp::build_packet(9487, 38412, 0x22222222, data_frag1));
  put_record(seed, 0, sctp::build_packet(9487, 38412, 0x22222222, data_frag1));
  put_record(seed, 1, sctp::build_packet(38412, 9487, 0x11111111, idata));
  put_record(seed, 4, sctp::build_packet(9487, 38412, 0x22222222, data_frag1));
  put_record(seed, 1, sctp::build_packet(38412, 9487, 0x11111111, abort));
  save(dir / "sctp" / "synthetic_handshake_fragments", seed);

  // Link/IP: VLAN-tagged Ethernet, SLL2, IPv6 with hop-by-hop + fragment headers, IPv4 fragments.
  const byte_buffer sctp_pkt = sctp::build_packet(9487, 38412, 0x22222222, data_frag1);
  byte_buffer link_vlan{0};
  capture::link_spec eth;
  eth.vlan_id = 100;
  put_record(link_vlan, 1, *capture::build_frame(eth, {gnb, amf}, sctp_pkt));
  save(dir / "link_ip" / "synthetic_vlan", link_vlan);
  byte_buffer link_sll2{2};
  capture::link_spec sll2;
  sll2.link = capture::link_type::linux_sll2;
  put_record(link_sll2, 1, *capture::build_frame(sll2, {gnb, amf}, sctp_pkt));
  save(dir / "link_ip" / "synthetic_sll2", link_sll2);
  {
    // IPv4 fragments 2, 1 of one datagram.
    byte_buffer frags{4}; // link type ipv4
    const bytes_view p(sctp_pkt);
    for (int part = 1; part >= 0; --part) {
      byte_buffer f;
      const std::size_t off = part == 0 ? 0 : 96;
      const bytes_view piece = part == 0 ? p.first(96) : p.subspan(96);
      capture::ip_spec ip{gnb, amf};
      ip.identification = 77;
      (void)capture::append_ip_header(f, ip, piece.size());
      store_be16(f.data() + 6, static_cast<std::uint16_t>((part == 0 ? 0x2000 : 0) | (off / 8)));
      capture::fix_ipv4_checksum(bytes_span(f.data(), 20));
      f.insert(f.end(), piece.begin(), piece.end());
      put_record(frags, 1, f);
    }
    save(dir / "link_ip" / "synthetic_ipv4_fragments", frags);
  }
  {
    // IPv6: hop-by-hop (8 octets) then fragment header, two fragments.
    const auto a6 = *capture::ip_address::parse("2001:db8::1");
    const auto b6 = *capture::ip_address::parse("2001:db8::2");
    byte_buffer frags{5};
    const bytes_view p(sctp_pkt);
    for (int part = 0; part < 2; ++part) {
      const bytes_view piece = part == 0 ? p.first(96) : p.subspan(96);
      byte_buffer ext = {44, 0, 1, 4, 0, 0, 0, 0}; // hop-by-hop: next = fragment, PadN
      byte_buffer frag = {132, 0, 0, 0, 0, 0, 0, 9};
      store_be16(frag.data() + 2,
                 static_cast<std::uint16_t>((part == 0 ? 0 : 96) | (part == 0 ? 1 : 0)));
      byte_buffer f;
      capture::ip_spec ip{a6, b6};
      ip.protocol = 0;
      (void)capture::append_ip_header(f, ip, ext.size() + frag.size() + piece.size());
      f.insert(f.end(), ext.begin(), ext.end());
      f.insert(f.end(), frag.begin(), frag.end());
      f.insert(f.end(), piece.begin(), piece.end());
      put_record(frags, 1, f);
    }
    save(dir / "link_ip" / "synthetic_ipv6_ext_fragments", frags);
  }
  {
    // A small pcapng written by our writer, with comments.
    byte_buffer png;
    capture::append_section_header(png);
    capture::append_interface_description(png, capture::link_type::ethernet);
    const std::string_view comment = "seed";
    capture::packet_record rec;
    const byte_buffer f1 = *capture::build_frame(eth, {gnb, amf}, sctp_pkt);
    rec.data = f1;
    rec.timestamp_ns = 1'700'000'000'123'456'789;
    rec.comments = std::span<const std::string_view>(&comment, 1);
    capture::append_enhanced_packet(png, rec);
    save(dir / "pcap" / "synthetic_writer.pcapng", png);
  }
  return 0;
}
