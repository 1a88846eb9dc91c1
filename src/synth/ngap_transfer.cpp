#include "synth/ngap_transfer.hpp"

namespace sec5g::synth::detail {

namespace {

// A minimal aligned-PER bit writer. Ref: ITU-T X.691 (aligned variant).
class per_writer {
 public:
  void bits(std::uint64_t v, unsigned n) {
    for (unsigned i = n; i-- > 0;) bit(((v >> i) & 1U) != 0);
  }
  void bit(bool b) {
    if (pos_ % 8 == 0) out_.push_back(0);
    if (b) out_.back() = static_cast<std::uint8_t>(out_.back() | (0x80U >> (pos_ % 8)));
    ++pos_;
  }
  void align() { pos_ = (pos_ + 7) & ~std::size_t{7}; }
  void octets(bytes_view v) {
    align();
    out_.insert(out_.end(), v.begin(), v.end());
    pos_ += v.size() * 8;
  }
  /// Unconstrained / large length determinant (< 16384), aligned. Ref: X.691 11.9.3.
  void length(std::size_t n) {
    align();
    if (n < 128) {
      bits(n, 8);
    } else {
      bits(0x8000 | n, 16);
    }
  }
  /// An open type: the complete encoding of a value as an octet string. Ref: X.691 11.2.
  void open_type(const byte_buffer& enc) {
    length(enc.size());
    octets(enc);
  }
  byte_buffer take() { return std::move(out_); }
  [[nodiscard]] bool empty() const noexcept { return pos_ == 0; }

 private:
  byte_buffer out_;
  std::size_t pos_ = 0;
};

// ProtocolIE-Container of a transfer: count (0..65535, 16 bits aligned), then per field id
// (16 bits aligned), criticality (2 bits), open type value. Ref: TS 38.413 9.4.6.
struct ie_field {
  std::uint16_t id;
  std::uint8_t crit;  // 0 reject, 1 ignore
  byte_buffer value;
};

byte_buffer ie_container_sequence(std::span<const ie_field> ies) {
  per_writer w;
  w.bit(false);  // extension bit of the transfer SEQUENCE
  w.align();
  w.bits(ies.size(), 16);
  for (const auto& f : ies) {
    w.align();
    w.bits(f.id, 16);
    w.bits(f.crit, 2);
    w.open_type(f.value);
  }
  return w.take();
}

// BitRate ::= INTEGER (0..4000000000000, ...): extension bit, octet count 1..6 in 3 bits,
// aligned octets. Ref: X.691 12.2.6, 11.5.7.4.
void bit_rate(per_writer& w, std::uint64_t v) {
  w.bit(false);
  unsigned n = 1;
  while (n < 6 && (v >> (8 * n)) != 0) ++n;
  w.bits(n - 1, 3);
  w.align();
  for (unsigned i = n; i-- > 0;) w.bits((v >> (8 * i)) & 0xFF, 8);
}

// UPTransportLayerInformation: CHOICE gTPTunnel (1 bit, no extension marker); GTPTunnel
// SEQUENCE (ext, 1 optional): TransportLayerAddress BIT STRING (SIZE(1..160, ...)),
// GTP-TEID OCTET STRING (SIZE(4)).
void up_tnl(per_writer& w, std::span<const std::uint8_t, 4> ip, std::uint32_t teid) {
  w.bit(false);  // choice index 0: gTPTunnel
  w.bit(false);  // GTPTunnel extension bit
  w.bit(false);  // iE-Extensions absent
  w.bit(false);  // TransportLayerAddress: size within the root
  w.bits(32 - 1, 8);  // length 32 bits, constrained 1..160
  w.octets(ip);
  const std::uint8_t t[4] = {static_cast<std::uint8_t>(teid >> 24),
                             static_cast<std::uint8_t>(teid >> 16),
                             static_cast<std::uint8_t>(teid >> 8),
                             static_cast<std::uint8_t>(teid)};
  w.octets(t);
}

// QosFlowIdentifier ::= INTEGER (0..63, ...).
void qfi(per_writer& w, unsigned q) {
  w.bit(false);
  w.bits(q, 6);
}

byte_buffer finish(per_writer& w) {
  if (w.empty()) w.bits(0, 8);  // an empty encoding is one zero octet. Ref: X.691 11.1.3
  return w.take();
}

}  // namespace

byte_buffer setup_request_transfer(std::span<const std::uint8_t, 4> upf_ip, std::uint32_t teid,
                                   up_indication integrity, up_indication confidentiality) {
  std::vector<ie_field> ies;
  {  // id-PDUSessionAggregateMaximumBitRate (130)
    per_writer w;
    w.bit(false);  // extension
    w.bit(false);  // iE-Extensions absent
    bit_rate(w, 1000000000ULL);
    bit_rate(w, 1000000000ULL);
    ies.push_back({130, 0, finish(w)});
  }
  {  // id-UL-NGU-UP-TNLInformation (139)
    per_writer w;
    up_tnl(w, upf_ip, teid);
    ies.push_back({139, 0, finish(w)});
  }
  {  // id-PDUSessionType (134): ENUMERATED {ipv4, ipv6, ipv4v6, ethernet, unstructured, ...}
    per_writer w;
    w.bit(false);
    w.bits(0, 3);
    ies.push_back({134, 0, finish(w)});
  }
  {  // id-SecurityIndication (138)
    per_writer w;
    w.bit(false);  // extension
    const bool rate = integrity != up_indication::not_needed;
    w.bit(rate);   // maximumIntegrityProtectedDataRate-UL present
    w.bit(false);  // iE-Extensions absent
    w.bit(false);
    w.bits(static_cast<unsigned>(integrity), 2);
    w.bit(false);
    w.bits(static_cast<unsigned>(confidentiality), 2);
    if (rate) {
      w.bit(false);
      w.bits(1, 1);  // maximum-UE-rate
    }
    ies.push_back({138, 0, finish(w)});
  }
  {  // id-QosFlowSetupRequestList (136): one item
    per_writer w;
    w.bits(0, 6);  // SIZE(1..64): 1 item
    w.bit(false);  // item extension
    w.bit(false);  // e-RAB-ID absent
    w.bit(false);  // iE-Extensions absent
    qfi(w, 1);
    // QosFlowLevelQosParameters: ext, 4 optionals absent
    w.bit(false);
    w.bits(0, 4);
    // QosCharacteristics CHOICE (3 alternatives, no marker): nonDynamic5QI
    w.bits(0, 2);
    // NonDynamic5QIDescriptor: ext, 4 optionals absent, FiveQI (0..255, ...)
    w.bit(false);
    w.bits(0, 4);
    w.bit(false);
    w.align();
    w.bits(9, 8);
    // AllocationAndRetentionPriority: ext, 1 optional, PriorityLevelARP (1..15),
    // pre-emption capability / vulnerability (extensible 2-value enums)
    w.bit(false);
    w.bit(false);
    w.bits(8 - 1, 4);
    w.bit(false);
    w.bit(false);  // shall-not-trigger-pre-emption
    w.bit(false);
    w.bit(true);   // pre-emptable
    ies.push_back({136, 0, finish(w)});
  }
  return ie_container_sequence(ies);
}

byte_buffer setup_response_transfer(std::span<const std::uint8_t, 4> gnb_ip, std::uint32_t teid,
                                    up_result integrity, up_result confidentiality) {
  per_writer w;
  w.bit(false);  // extension
  // optionals: additionalDLQosFlowPerTNLInformation, securityResult, qosFlowFailedToSetupList,
  // iE-Extensions
  w.bit(false);
  w.bit(true);
  w.bit(false);
  w.bit(false);
  // dLQosFlowPerTNLInformation: ext, iE-Extensions absent, UP TNL, AssociatedQosFlowList
  w.bit(false);
  w.bit(false);
  up_tnl(w, gnb_ip, teid);
  w.bits(0, 6);  // one AssociatedQosFlowItem
  w.bit(false);  // ext
  w.bit(false);  // qosFlowMappingIndication absent
  w.bit(false);  // iE-Extensions absent
  qfi(w, 1);
  // SecurityResult: ext, iE-Extensions absent, two extensible 2-value enums
  w.bit(false);
  w.bit(false);
  w.bit(false);
  w.bits(static_cast<unsigned>(integrity), 1);
  w.bit(false);
  w.bits(static_cast<unsigned>(confidentiality), 1);
  return finish(w);
}

byte_buffer path_switch_request_transfer(std::span<const std::uint8_t, 4> gnb_ip,
                                         std::uint32_t teid) {
  per_writer w;
  w.bit(false);  // extension
  // optionals: dL-NGU-TNLInformationReused, userPlaneSecurityInformation, iE-Extensions
  w.bits(0, 3);
  up_tnl(w, gnb_ip, teid);
  w.bits(0, 6);  // QosFlowAcceptedList: one item
  w.bit(false);  // ext
  w.bit(false);  // iE-Extensions absent
  qfi(w, 1);
  return finish(w);
}

byte_buffer path_switch_ack_transfer(std::span<const std::uint8_t, 4> upf_ip, std::uint32_t teid) {
  per_writer w;
  w.bit(false);  // extension
  // optionals: uL-NGU-UP-TNLInformation (present), securityIndication, iE-Extensions
  w.bit(true);
  w.bit(false);
  w.bit(false);
  up_tnl(w, upf_ip, teid);
  return finish(w);
}

}  // namespace sec5g::synth::detail
