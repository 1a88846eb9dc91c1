// Recording of NAS verdicts for the decoder's JSON.
#include "sec5g/analysis/nas_verdicts.hpp"

namespace sec5g::analysis {

void nas_verdict_recorder::on_nas(const nas_event& e) {
  if (next_ != nullptr) next_->on_nas(e);
  nas_verdict v;
  v.offset = e.offset;
  v.pdu_session_id = e.pdu_session_id;
  v.dir = e.dir;
  v.header_type = e.header_type;
  v.deciphered = e.deciphered;
  if (e.header_type != 0) v.plain.assign(e.plain.begin(), e.plain.end());
  v.mac = e.mac;
  v.count = e.count;
  v.nea = e.nea;
  v.nia = e.nia;
  if (e.container_deciphered) {
    v.container_plain.assign(e.container_plain.begin(), e.container_plain.end());
    v.container_offset = e.container_offset;
  }
  v_.push_back(std::move(v));
}

}  // namespace sec5g::analysis
