#pragma once
// NGAP messages carrying one NAS-PDU, built with the ngap encoder, for the tracker tests; and
// the Registration Request they most often carry.
#include <gtest/gtest.h>

#include "sec5g/core/bytes.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/nas/messages.hpp"
#include "sec5g/ngap/message.hpp"

namespace sec5g::analysis::test {

/// NR User Location Information in PLMN 001/01, TAC 1.
inline ngap::user_location_information test_uli() {
  ngap::user_location_information uli;
  uli.type = ngap::user_location_information::kind::nr;
  uli.nr.plmn = {0x00, 0xf1, 0x10};
  uli.ta.plmn = {0x00, 0xf1, 0x10};
  uli.ta.tac = 1;
  return uli;
}

inline byte_buffer encoded(const ngap::message& m) {
  auto enc = ngap::encode_message(m);
  EXPECT_TRUE(enc.has_value());
  return enc ? *enc : byte_buffer{};
}

inline byte_buffer initial_ue_message(std::uint32_t ran_id, bytes_view nas) {
  ngap::message m;
  m.type = ngap::pdu_type::initiating;
  m.procedure_code = ngap::procedure::initial_ue_message;
  m.ran_ue_ngap_id = ran_id;
  m.nas_pdu = ngap::octets_at{nas, 0};
  m.user_location_information = test_uli();
  m.rrc_establishment_cause = 3;
  return encoded(m);
}

/// DownlinkNASTransport / UplinkNASTransport (the uplink one with the ULI).
inline byte_buffer nas_transport(std::uint8_t procedure, std::uint64_t amf_id, std::uint32_t ran_id,
                                 bytes_view nas) {
  ngap::message m;
  m.type = ngap::pdu_type::initiating;
  m.procedure_code = procedure;
  m.amf_ue_ngap_id = amf_id;
  m.ran_ue_ngap_id = ran_id;
  m.nas_pdu = ngap::octets_at{nas, 0};
  if (procedure == ngap::procedure::uplink_nas_transport) m.user_location_information = test_uli();
  return encoded(m);
}

inline byte_buffer downlink_nas(std::uint64_t amf_id, std::uint32_t ran_id, bytes_view nas) {
  return nas_transport(ngap::procedure::downlink_nas_transport, amf_id, ran_id, nas);
}

inline byte_buffer uplink_nas(std::uint64_t amf_id, std::uint32_t ran_id, bytes_view nas) {
  return nas_transport(ngap::procedure::uplink_nas_transport, amf_id, ran_id, nas);
}

/// A plain initial Registration Request naming the UE by `id`, with all of 128-NEA1-3 and
/// 128-NIA1-3 (and EA0 / IA0) in its UE security capability.
inline byte_buffer registration_request_nas(const identity::mobile_identity& id) {
  nas::msg::registration_request r;
  r.type = nas::registration_type{};
  r.mobile_identity = id;
  nas::ue_security_capability caps;
  caps.ea = 0xf0;
  caps.ia = 0xf0;
  r.ue_security_capability = caps;
  byte_buffer out;
  EXPECT_TRUE(nas::msg::encode(r, out).has_value());
  return out;
}

} // namespace sec5g::analysis::test
