#include "synth/ngap_build.hpp"

#include <vector>

#include "sec5g/ngap/message.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::synth::detail::ngb {

namespace {

byte_buffer finish(const ngap::message& m) {
  // An empty NAS-PDU is a NAS message the nas encoders refused (see nas_build.hpp).
  if (m.nas_pdu && m.nas_pdu->bytes.empty()) return {};
  // Likewise an empty transfer (every list the synthesizer sends carries one).
  for (const auto& list : m.pdu_session_lists) {
    for (const auto& item : list.items) {
      if ((item.nas_pdu && item.nas_pdu->empty()) || item.transfer.empty()) return {};
    }
  }
  auto r = ngap::encode_message(m);
  if (!r) return {};
  return std::move(*r);
}

ngap::message msg(ngap::pdu_type t, std::uint8_t proc) {
  ngap::message m;
  m.type = t;
  m.procedure_code = proc;
  return m;
}

/// A UE-associated message with both NGAP ids.
ngap::message ue_msg(ngap::pdu_type t, std::uint8_t proc, std::uint64_t amf, std::uint32_t ran) {
  auto m = msg(t, proc);
  m.amf_ue_ngap_id = amf;
  m.ran_ue_ngap_id = ran;
  return m;
}

/// Adds a PDU session resource list `list_ie` with one item (PDU session `psi`, `transfer`).
ngap::pdu_session_item& add_session(ngap::message& m, std::uint16_t list_ie, std::uint8_t psi,
                                    bytes_view transfer) {
  ngap::pdu_session_item item;
  item.pdu_session_id = psi;
  item.transfer = transfer;
  m.pdu_session_lists.push_back({list_ie, {item}});
  return m.pdu_session_lists.back().items.back();
}

ngap::user_location_information uli(const cell& c) {
  ngap::user_location_information u;
  u.type = ngap::user_location_information::kind::nr;
  u.nr.plmn = c.plmn;
  u.nr.nr_cell_identity = c.nr_cell_id;
  u.ta.plmn = c.plmn;
  u.ta.tac = c.tac;
  return u;
}

const std::vector<ngap::s_nssai> embb{ngap::s_nssai{1, std::nullopt}};

}  // namespace

byte_buffer ng_setup_request(std::uint32_t gnb_id, std::string_view name,
                             const ngap::plmn_identity& plmn, std::uint32_t tac) {
  // Ref: TS 38.413 9.2.6.1.
  auto m = msg(ngap::pdu_type::initiating, ngap::procedure::ng_setup);
  ngap::global_ran_node_id g;
  g.type = ngap::global_ran_node_id::kind::gnb;
  g.plmn = plmn;
  g.node_id = gnb_id;
  g.node_id_bits = 22;
  m.global_ran_node_id = g;
  m.ran_node_name = name;
  ngap::supported_ta_item ta;
  ta.tac = tac;
  ta.broadcast_plmns.push_back({plmn, embb});
  m.supported_ta_list = std::vector<ngap::supported_ta_item>{ta};
  m.default_paging_drx = 2;  // v128
  return finish(m);
}

byte_buffer ng_setup_response(std::string_view amf_name, const ngap::guami& g) {
  // Ref: TS 38.413 9.2.6.2.
  auto m = msg(ngap::pdu_type::successful, ngap::procedure::ng_setup);
  m.amf_name = amf_name;
  m.served_guami_list = std::vector<ngap::served_guami_item>{{g, std::nullopt}};
  m.relative_amf_capacity = 255;
  m.plmn_support_list = std::vector<ngap::plmn_support_item>{{g.plmn, embb}};
  return finish(m);
}

byte_buffer initial_ue_message(std::uint32_t ran, bytes_view nas, const cell& c,
                               std::uint8_t rrc_cause,
                               std::optional<ngap::five_g_s_tmsi> s_tmsi) {
  // Ref: TS 38.413 9.2.5.1.
  auto m = msg(ngap::pdu_type::initiating, ngap::procedure::initial_ue_message);
  m.ran_ue_ngap_id = ran;
  m.nas_pdu = ngap::octets_at{nas, 0};
  m.user_location_information = uli(c);
  m.rrc_establishment_cause = rrc_cause;
  m.five_g_s_tmsi = s_tmsi;
  m.ue_context_request = 0;
  return finish(m);
}

byte_buffer downlink_nas(std::uint64_t amf, std::uint32_t ran, bytes_view nas) {
  // Ref: TS 38.413 9.2.5.2.
  auto m = ue_msg(ngap::pdu_type::initiating, ngap::procedure::downlink_nas_transport, amf, ran);
  m.nas_pdu = ngap::octets_at{nas, 0};
  return finish(m);
}

byte_buffer uplink_nas(std::uint64_t amf, std::uint32_t ran, bytes_view nas, const cell& c) {
  // Ref: TS 38.413 9.2.5.3.
  auto m = ue_msg(ngap::pdu_type::initiating, ngap::procedure::uplink_nas_transport, amf, ran);
  m.nas_pdu = ngap::octets_at{nas, 0};
  m.user_location_information = uli(c);
  return finish(m);
}

byte_buffer ics_request(std::uint64_t amf, std::uint32_t ran, const ngap::guami& g,
                        const ngap::ue_security_capabilities& caps,
                        std::span<const std::uint8_t, 32> k_gnb, std::optional<bytes_view> nas) {
  // Ref: TS 38.413 9.2.2.1.
  auto m = ue_msg(ngap::pdu_type::initiating, ngap::procedure::initial_context_setup, amf, ran);
  m.guami = g;
  m.allowed_nssai = embb;
  m.ue_security_capabilities = caps;
  m.security_key = bytes_view(k_gnb);
  if (nas) m.nas_pdu = ngap::octets_at{*nas, 0};
  return finish(m);
}

byte_buffer ics_response(std::uint64_t amf, std::uint32_t ran) {
  auto m = ue_msg(ngap::pdu_type::successful, ngap::procedure::initial_context_setup, amf, ran);
  return finish(m);
}

byte_buffer pdu_setup_request(std::uint64_t amf, std::uint32_t ran, std::uint8_t psi,
                              bytes_view nas, bytes_view transfer) {
  // Ref: TS 38.413 9.2.1.1.
  auto m =
      ue_msg(ngap::pdu_type::initiating, ngap::procedure::pdu_session_resource_setup, amf, ran);
  auto& item = add_session(m, ngap::ie_id::pdu_session_resource_setup_list_su_req, psi, transfer);
  item.nas_pdu = nas;
  item.snssai = embb[0];
  return finish(m);
}

byte_buffer pdu_setup_response(std::uint64_t amf, std::uint32_t ran, std::uint8_t psi,
                               bytes_view transfer) {
  auto m =
      ue_msg(ngap::pdu_type::successful, ngap::procedure::pdu_session_resource_setup, amf, ran);
  add_session(m, ngap::ie_id::pdu_session_resource_setup_list_su_res, psi, transfer);
  return finish(m);
}

byte_buffer pdu_release_command(std::uint64_t amf, std::uint32_t ran, std::uint8_t psi,
                                bytes_view nas, bytes_view transfer) {
  // Ref: TS 38.413 9.2.1.5.
  auto m =
      ue_msg(ngap::pdu_type::initiating, ngap::procedure::pdu_session_resource_release, amf, ran);
  m.nas_pdu = ngap::octets_at{nas, 0};
  add_session(m, ngap::ie_id::pdu_session_resource_to_release_list_rel_cmd, psi, transfer);
  return finish(m);
}

byte_buffer pdu_release_response(std::uint64_t amf, std::uint32_t ran, std::uint8_t psi,
                                 bytes_view transfer, const cell& c) {
  // Ref: TS 38.413 9.2.1.6.
  auto m =
      ue_msg(ngap::pdu_type::successful, ngap::procedure::pdu_session_resource_release, amf, ran);
  add_session(m, ngap::ie_id::pdu_session_resource_released_list_rel_res, psi, transfer);
  m.user_location_information = uli(c);
  return finish(m);
}

byte_buffer release_command(std::uint64_t amf, std::uint32_t ran, ngap::cause c) {
  // Ref: TS 38.413 9.2.2.5.
  auto m = msg(ngap::pdu_type::initiating, ngap::procedure::ue_context_release);
  m.ue_ngap_ids = ngap::ue_ngap_id_choice{amf, ran};
  m.cause = c;
  return finish(m);
}

byte_buffer release_request(std::uint64_t amf, std::uint32_t ran, ngap::cause c) {
  auto m =
      ue_msg(ngap::pdu_type::initiating, ngap::procedure::ue_context_release_request, amf, ran);
  m.cause = c;
  return finish(m);
}

byte_buffer release_complete(std::uint64_t amf, std::uint32_t ran, const cell& c) {
  auto m = ue_msg(ngap::pdu_type::successful, ngap::procedure::ue_context_release, amf, ran);
  m.user_location_information = uli(c);
  return finish(m);
}

byte_buffer path_switch_request(std::uint32_t ran, std::uint64_t source_amf, const cell& c,
                                const ngap::ue_security_capabilities& caps, std::uint8_t psi,
                                bytes_view transfer) {
  // Ref: TS 38.413 9.2.3.8.
  auto m = msg(ngap::pdu_type::initiating, ngap::procedure::path_switch_request);
  m.ran_ue_ngap_id = ran;
  m.source_amf_ue_ngap_id = source_amf;
  m.user_location_information = uli(c);
  m.ue_security_capabilities = caps;
  add_session(m, ngap::ie_id::pdu_session_resource_to_be_switched_dl_list, psi, transfer);
  return finish(m);
}

byte_buffer path_switch_ack(std::uint64_t amf, std::uint32_t ran,
                            std::optional<ngap::ue_security_capabilities> caps, std::uint8_t ncc,
                            std::span<const std::uint8_t, 32> nh, std::uint8_t psi,
                            bytes_view transfer) {
  // Ref: TS 38.413 9.2.3.9.
  auto m = ue_msg(ngap::pdu_type::successful, ngap::procedure::path_switch_request, amf, ran);
  m.ue_security_capabilities = caps;
  m.security_context = ngap::security_context{ncc, bytes_view(nh)};
  add_session(m, ngap::ie_id::pdu_session_resource_switched_list, psi, transfer);
  m.allowed_nssai = embb;
  return finish(m);
}

namespace {

byte_buffer transfer_or_empty(std::expected<byte_buffer, decode_error> r) {
  if (!r) return {};
  return std::move(*r);
}

} // namespace

byte_buffer setup_request_transfer(std::span<const std::uint8_t, 4> upf_ip, std::uint32_t teid,
                                   ngap::up_protection_indication integrity,
                                   ngap::up_protection_indication confidentiality) {
  ngap::setup_request_transfer t;
  t.session_ambr_dl = 1'000'000'000;
  t.session_ambr_ul = 1'000'000'000;
  t.ul_tunnel = ngap::ipv4_tunnel(upf_ip, teid);
  t.pdu_session_type = 0; // ipv4
  ngap::security_indication si{integrity, confidentiality, std::nullopt};
  if (integrity != ngap::up_protection_indication::not_needed) {
    si.max_integrity_protected_data_rate_ul = 1; // maximum-UE-rate
  }
  t.security = si;
  ngap::qos_flow_setup_request_item q;
  q.qfi = 1;
  q.five_qi = 9;
  q.arp_priority_level = 8;
  q.may_trigger_pre_emption = false;
  q.pre_emptable = true;
  t.qos_flows.push_back(q);
  return transfer_or_empty(ngap::encode_setup_request_transfer(t));
}

byte_buffer setup_response_transfer(std::span<const std::uint8_t, 4> gnb_ip, std::uint32_t teid,
                                    ngap::up_protection_result integrity,
                                    ngap::up_protection_result confidentiality) {
  ngap::setup_response_transfer t;
  t.dl.tunnel = ngap::ipv4_tunnel(gnb_ip, teid);
  t.dl.qfis = {1};
  t.security = ngap::security_result{integrity, confidentiality};
  return transfer_or_empty(ngap::encode_setup_response_transfer(t));
}

byte_buffer path_switch_request_transfer(std::span<const std::uint8_t, 4> gnb_ip,
                                         std::uint32_t teid) {
  ngap::path_switch_request_transfer t;
  t.dl_tunnel = ngap::ipv4_tunnel(gnb_ip, teid);
  t.accepted_qfis = {1};
  return transfer_or_empty(ngap::encode_path_switch_request_transfer(t));
}

byte_buffer path_switch_ack_transfer(std::span<const std::uint8_t, 4> upf_ip, std::uint32_t teid) {
  ngap::path_switch_ack_transfer t;
  t.ul_tunnel = ngap::ipv4_tunnel(upf_ip, teid);
  return transfer_or_empty(ngap::encode_path_switch_ack_transfer(t));
}

byte_buffer release_command_transfer_nas_cause(std::uint8_t cause_nas) {
  // The ngap module has no encoder for this transfer; it is two bits of SEQUENCE preamble and
  // the Cause, 8 bits in all (APER, TS 38.413 9.4.5):
  //   extension bit 0, iE-Extensions absent 0,
  //   Cause CHOICE (6 alternatives, no extension marker) index 2 = nas: 010,
  //   CauseNas ENUMERATED (4 root values, extensible): extension bit 0, value: 2 bits.
  if (cause_nas > 3) return {};
  return byte_buffer{static_cast<std::uint8_t>(0x10 | cause_nas)};
}

byte_buffer release_response_transfer() {
  // SEQUENCE { iE-Extensions OPTIONAL, ... }: extension bit 0, iE-Extensions absent 0, padding.
  return byte_buffer{0x00};
}

}  // namespace sec5g::synth::detail::ngb
