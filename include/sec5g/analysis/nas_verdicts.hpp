#pragma once
/// NAS verdicts per NGAP message, for `sec5g decode --keys/--hn-key/--snn`.
///
/// Usage (one tracker for the whole run, messages in capture order):
///   analysis::nas_verdict_recorder rec;
///   analysis::tracker trk(opt, &keys, &hn_keys, rec);
///   for each NGAP user message m (from sctp::pipeline):
///     analysis::packet_meta meta{m.frame_number, m.timestamp_ns, m.association_id, gnb, amf};
///     trk.on_ngap(meta, m.payload);
///     for (const auto& v : rec.verdicts())  // one per NAS-PDU of m, in wire order
///       ... v.offset (NAS-PDU offset in the NGAP PDU), v.deciphered + v.plain, v.mac, v.count
///     rec.clear();
/// JSON mapping (issue 6): a deciphered message is decoded from `plain` with
/// "deciphered":true; "mac_verified" is true for mac_verdict::ok, false for ::failed and
/// absent otherwise; "count" is the full NAS COUNT when set.

#include <cstdint>
#include <optional>
#include <vector>

#include "sec5g/analysis/tracker.hpp"

namespace sec5g::analysis {

/// The verdict of one NAS-PDU.
struct nas_verdict {
  std::uint32_t offset = 0;            ///< offset of the NAS-PDU in its NGAP PDU
  std::int16_t pdu_session_id = -1;    ///< carried in a PDU session item, else -1
  direction dir = direction::uplink;
  std::uint8_t header_type = 0;
  bool deciphered = false;             ///< `plain` holds the deciphered inner message
  /// The plain inner message (deciphered, or the inner message of an integrity-only / EA0
  /// message); empty when unreadable. Starts at the inner EPD.
  byte_buffer plain;
  mac_verdict mac = mac_verdict::not_protected;
  std::optional<std::uint32_t> count;  ///< NAS COUNT used
  std::uint8_t nea = 0, nia = 0;
  /// The deciphered value of the NAS message container of an integrity-protected initial
  /// message (nas_event::container_plain when container_deciphered), else empty.
  byte_buffer container_plain;
  std::uint32_t container_offset = 0;  ///< its offset in the NAS-PDU
};

/// An event_sink that records the NAS verdicts of the current NGAP message. Optionally
/// forwards every event to another sink (e.g. a rules::engine).
class nas_verdict_recorder final : public event_sink {
 public:
  explicit nas_verdict_recorder(event_sink* next = nullptr) : next_(next) {}
  void on_nas(const nas_event& e) override;
  void on_ngap(const ngap_event& e) override {
    if (next_ != nullptr) next_->on_ngap(e);
  }
  void on_ue_end(const ue_context& ue) override {
    if (next_ != nullptr) next_->on_ue_end(ue);
  }
  /// Verdicts since the last clear(), in the order the NAS-PDUs were processed (wire order).
  [[nodiscard]] const std::vector<nas_verdict>& verdicts() const noexcept { return v_; }
  void clear() noexcept { v_.clear(); }

 private:
  event_sink* next_;
  std::vector<nas_verdict> v_;
};

}  // namespace sec5g::analysis
