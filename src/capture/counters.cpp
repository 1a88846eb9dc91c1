#include "sec5g/capture/counters.hpp"

namespace sec5g::capture {

namespace {

struct counter_info {
  std::string_view name;
  counter_kind kind;
};

constexpr std::array<counter_info, counter_count> infos = {{
    {"frames", counter_kind::statistic},
    {"bytes", counter_kind::statistic},
    {"link.non_ip", counter_kind::statistic},
    {"link.unsupported_type", counter_kind::statistic},
    {"ip.packets", counter_kind::statistic},
    {"ip.fragments", counter_kind::statistic},
    {"ip.reassembled", counter_kind::statistic},
    {"ip.not_sctp", counter_kind::statistic},
    {"tunnel.packets", counter_kind::statistic},
    {"sctp.packets", counter_kind::statistic},
    {"sctp.chunks", counter_kind::statistic},
    {"sctp.data_chunks", counter_kind::statistic},
    {"sctp.fragments", counter_kind::statistic},
    {"sctp.reassembled", counter_kind::statistic},
    {"sctp.retransmissions", counter_kind::statistic},
    {"sctp.messages", counter_kind::statistic},
    {"sctp.other_messages", counter_kind::statistic},
    {"sctp.associations", counter_kind::statistic},
    {"sctp.associations_closed", counter_kind::statistic},
    {"sctp.aborts", counter_kind::statistic},
    {"sctp.associations_evicted", counter_kind::statistic},
    {"capture.truncated_frames", counter_kind::truncation},
    {"capture.truncated_packets", counter_kind::truncation},
    {"link.malformed", counter_kind::anomaly},
    {"ipv4.bad_header", counter_kind::anomaly},
    {"ipv4.bad_total_length", counter_kind::anomaly},
    {"ipv4.bad_checksum", counter_kind::anomaly},
    {"ipv6.bad_header", counter_kind::anomaly},
    {"ipv6.bad_payload_length", counter_kind::anomaly},
    {"ipv6.bad_ext_header", counter_kind::anomaly},
    {"ipv6.too_many_ext_headers", counter_kind::anomaly},
    {"ip.fragment_bad", counter_kind::anomaly},
    {"ip.fragment_overlap", counter_kind::anomaly},
    {"ip.fragment_duplicate", counter_kind::anomaly},
    {"ip.fragment_timeout", counter_kind::anomaly},
    {"ip.fragment_overflow", counter_kind::anomaly},
    {"tunnel.malformed", counter_kind::anomaly},
    {"sctp.truncated", counter_kind::anomaly},
    {"sctp.bad_checksum", counter_kind::anomaly},
    {"sctp.bad_chunk_length", counter_kind::anomaly},
    {"sctp.bad_data_chunk", counter_kind::anomaly},
    {"sctp.bad_init", counter_kind::anomaly},
    {"sctp.vtag_mismatch", counter_kind::anomaly},
    {"sctp.tsn_jump", counter_kind::anomaly},
    {"sctp.fragment_error", counter_kind::anomaly},
    {"sctp.message_too_large", counter_kind::anomaly},
    {"sctp.reassembly_overflow", counter_kind::anomaly},
}};

} // namespace

std::string_view name(counter c) noexcept {
  const auto i = static_cast<std::size_t>(c);
  return i < counter_count ? infos[i].name : std::string_view("unknown");
}

counter_kind kind_of(counter c) noexcept {
  const auto i = static_cast<std::size_t>(c);
  return i < counter_count ? infos[i].kind : counter_kind::anomaly;
}

std::uint64_t counters::anomalies() const noexcept {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < counter_count; ++i) {
    if (infos[i].kind == counter_kind::anomaly) n += values[i];
  }
  return n;
}

} // namespace sec5g::capture
