#include "synth/n2_link.hpp"

#include "sec5g/capture/build.hpp"
#include "sec5g/sctp/build.hpp"
#include "synth/rng.hpp"

namespace sec5g::synth::detail {

namespace {
constexpr std::uint32_t a_rwnd = 106496;
}  // namespace

std::uint64_t n2_writer::emit(association& a, bool uplink, std::uint32_t vtag, std::int64_t t_ns,
                              std::string_view comment) {
  const int d = uplink ? 0 : 1;
  const byte_buffer sctp_packet =
      sctp::build_packet(uplink ? a.gnb_port : ngap_port, uplink ? ngap_port : a.gnb_port, vtag,
                         chunks_);
  capture::link_spec link;
  link.link = capture::link_type::ethernet;
  link.src_mac = uplink ? a.gnb_mac : a.amf_mac;
  link.dst_mac = uplink ? a.amf_mac : a.gnb_mac;
  capture::ip_spec ip;
  ip.src = capture::ip_address::from_bytes(uplink ? bytes_view(a.gnb_ip) : bytes_view(a.amf_ip));
  ip.dst = capture::ip_address::from_bytes(uplink ? bytes_view(a.amf_ip) : bytes_view(a.gnb_ip));
  ip.protocol = 132;
  ip.identification = a.ip_id[d]++;
  frame_.clear();
  // Both calls fail only for address versions that differ or payloads over 64 KiB, which the
  // synthesizer never builds (IPv4 only, NGAP PDUs < 4 KiB).
  (void)capture::append_link_header(frame_, link, 4);
  (void)capture::append_ip_header(frame_, ip, sctp_packet.size());
  frame_.insert(frame_.end(), sctp_packet.begin(), sctp_packet.end());

  if (t_ns < last_time_) t_ns = last_time_;
  last_time_ = t_ns;
  ++frames_;
  bytes_ += frame_.size();
  out_.on_frame(t_ns, frame_, comment);
  chunks_.clear();
  return frames_;
}

void n2_writer::add_sack_if_pending(association& a, bool uplink) {
  // The sender of this packet acknowledges what it received from the peer. Ref: RFC 9260 6.2.
  const int peer = uplink ? 1 : 0;
  if (!a.ack_pending[peer]) return;
  sctp::append_sack_chunk(chunks_, a.highest_received[peer], a_rwnd);
  a.ack_pending[peer] = false;
}

std::int64_t n2_writer::establish(association& a, std::int64_t t_ns, std::uint64_t cookie_seed) {
  // Ref: RFC 9260 5.1 (four-way handshake).
  a.ssn[0].assign(a.streams, 0);
  a.ssn[1].assign(a.streams, 0);
  sctp::init_spec gnb_init{a.gnb_tag, a_rwnd, a.streams, a.streams, a.next_tsn[0]};
  sctp::init_spec amf_init{a.amf_tag, a_rwnd, a.streams, a.streams, a.next_tsn[1]};
  byte_array<32> cookie{};
  std::uint64_t s = cookie_seed;
  for (std::size_t i = 0; i < cookie.size(); i += 8) store_be64(cookie.data() + i, splitmix64(s));

  sctp::append_init_chunk(chunks_, gnb_init);
  emit(a, true, 0, t_ns, {});
  sctp::append_init_ack_chunk(chunks_, amf_init, cookie);
  emit(a, false, a.gnb_tag, t_ns + 200'000, {});
  sctp::append_cookie_echo_chunk(chunks_, cookie);
  emit(a, true, a.amf_tag, t_ns + 400'000, {});
  sctp::append_cookie_ack_chunk(chunks_);
  emit(a, false, a.gnb_tag, t_ns + 600'000, {});
  return t_ns + 600'000;
}

std::uint64_t n2_writer::send(association& a, bool uplink, std::uint16_t stream, bytes_view ngap,
                              std::int64_t t_ns, std::string_view comment) {
  const int d = uplink ? 0 : 1;
  add_sack_if_pending(a, uplink);
  if (stream >= a.streams) stream = 0;
  sctp::data_spec ds;
  ds.tsn = a.next_tsn[d]++;
  ds.stream_id = stream;
  ds.ssn = a.ssn[d][stream]++;
  ds.ppid = ngap_ppid;
  ds.payload = ngap;
  sctp::append_data_chunk(chunks_, ds);
  a.highest_received[d] = ds.tsn;
  a.ack_pending[d] = true;
  return emit(a, uplink, uplink ? a.amf_tag : a.gnb_tag, t_ns, comment);
}

void n2_writer::shutdown(association& a, std::int64_t t_ns) {
  // Ref: RFC 9260 9.2.
  sctp::append_shutdown_chunk(chunks_, a.highest_received[1]);
  a.ack_pending[1] = false;
  emit(a, true, a.amf_tag, t_ns, {});
  sctp::append_shutdown_ack_chunk(chunks_);
  a.ack_pending[0] = false;
  emit(a, false, a.gnb_tag, t_ns + 200'000, {});
  sctp::append_shutdown_complete_chunk(chunks_);
  emit(a, true, a.amf_tag, t_ns + 400'000, {});
}

}  // namespace sec5g::synth::detail
