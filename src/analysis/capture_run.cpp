// capture -> SCTP -> tracker driver.
#include "sec5g/analysis/capture_run.hpp"

#include "sec5g/capture/reader.hpp"

namespace sec5g::analysis {

void endpoint_labels(const sctp::user_message& m, std::string& gnb, std::string& amf) {
  const bool src_is_amf = m.src.port == sctp::ngap_port && m.dst.port != sctp::ngap_port;
  const bool dst_is_amf = m.dst.port == sctp::ngap_port;
  if (src_is_amf) {
    gnb = m.dst.to_string();
    amf = m.src.to_string();
  } else if (dst_is_amf) {
    gnb = m.src.to_string();
    amf = m.dst.to_string();
  } else if (m.dir == sctp::direction::a_to_b) {
    gnb = m.src.to_string();
    amf = m.dst.to_string();
  } else {
    gnb = m.dst.to_string();
    amf = m.src.to_string();
  }
}

packet_meta packet_meta_builder::operator()(const sctp::user_message& m) {
  auto it = labels_.find(m.association_id);
  if (it == labels_.end()) {
    std::string g, a;
    endpoint_labels(m, g, a);
    it = labels_.emplace(m.association_id, std::make_pair(std::move(g), std::move(a))).first;
  }
  packet_meta meta;
  meta.frame = m.frame_number;
  meta.time_ns = m.timestamp_ns;
  meta.association = m.association_id;
  meta.gnb = it->second.first;
  meta.amf = it->second.second;
  return meta;
}

std::expected<void, capture::capture_error> run_capture_file(const std::filesystem::path& file,
                                                              sctp::pipeline& pipeline,
                                                              tracker& trk, current_message& cur,
                                                              run_stats& stats,
                                                              const run_hooks& hooks) {
  auto rd = capture::reader::open(file);
  if (!rd) return std::unexpected(rd.error());
  packet_meta_builder make_meta;
  while (true) {
    auto next = rd->next();
    if (!next) return std::unexpected(next.error());
    if (!*next) break;
    const capture::frame& f = **next;
    ++stats.frames;
    cur.frame = &f;
    pipeline.feed(f, [&](const sctp::user_message& m) {
      ++stats.ngap_messages;
      const packet_meta meta = make_meta(m);
      cur.msg = &m;
      cur.payload_offset = -1;
      const auto* fb = f.data.data();
      const auto* pb = m.payload.data();
      if (!m.reassembled && !m.ip_reassembled && pb >= fb && pb + m.payload.size() <= fb + f.data.size())
        cur.payload_offset = pb - fb;
      trk.on_ngap(meta, m.payload);
      cur.msg = nullptr;
    });
    if (hooks.after_frame) hooks.after_frame(f);
    cur.frame = nullptr;
  }
  return {};
}

}  // namespace sec5g::analysis
