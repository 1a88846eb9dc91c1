// Domain-struct encoders of 5GMM messages, on top of the table-driven encode_message.
// Ref: TS 24.501 8.2

#include "sec5g/nas/messages.hpp"

#include <deque>
#include <vector>

namespace sec5g::nas::msg {
namespace {

class builder {
 public:
  void half(const char* name, std::uint8_t v) { values_.push_back({name, {}, v}); }
  // Mandatory value (written even when empty).
  void value(const char* name, bytes_view v) { values_.push_back({name, v, 0}); }
  // Optional value: absent when empty.
  void optional(const char* name, bytes_view v) {
    if (!v.empty()) value(name, v);
  }
  // A value built here; kept alive until encode() returns.
  void owned(const char* name, byte_buffer b) {
    store_.push_back(std::move(b));
    value(name, store_.back());
  }
  void octet(const char* name, std::uint8_t v) { owned(name, byte_buffer{v}); }
  void identity(const char* name, const identity::mobile_identity& id) {
    byte_buffer b;
    identity::encode_mobile_identity(id, b);
    owned(name, std::move(b));
  }
  void nssai(const char* name, std::span<const s_nssai> list) {
    if (list.empty()) return;
    byte_buffer b;
    encode_nssai(list, b);
    owned(name, std::move(b));
  }
  std::expected<void, encode_error> encode(message_type type, byte_buffer& out) const {
    return encode_message({epd::mobility_management, static_cast<std::uint8_t>(type)}, values_,
                          out);
  }

 private:
  std::vector<ie_value> values_;
  std::deque<byte_buffer> store_;
};

}  // namespace

std::expected<void, encode_error> encode(const registration_request& m, byte_buffer& out) {
  builder b;
  b.half("registration_type", m.type.to_half());
  b.half("ngksi", m.ksi.to_half());
  b.identity("mobile_identity", m.mobile_identity);
  b.optional("gmm_capability", m.gmm_capability);
  if (m.ue_security_capability) {
    byte_buffer caps;
    encode_ue_security_capability(*m.ue_security_capability, caps);
    b.owned("ue_security_capability", std::move(caps));
  }
  b.nssai("requested_nssai", m.requested_nssai);
  b.optional("last_visited_registered_tai", m.last_visited_registered_tai);
  b.optional("uplink_data_status", m.uplink_data_status);
  b.optional("pdu_session_status", m.pdu_session_status);
  b.optional("nas_message_container", m.nas_message_container);
  return b.encode(message_type::registration_request, out);
}

std::expected<void, encode_error> encode(const registration_accept& m, byte_buffer& out) {
  builder b;
  byte_buffer result;
  encode_registration_result(m.result, result);
  b.owned("registration_result", std::move(result));
  if (m.guti) b.identity("guti", *m.guti);
  b.optional("tai_list", m.tai_list);
  b.nssai("allowed_nssai", m.allowed_nssai);
  b.optional("network_feature_support", m.network_feature_support);
  b.optional("t3512_value", m.t3512_value);
  return b.encode(message_type::registration_accept, out);
}

std::expected<void, encode_error> encode_empty(message_type type, byte_buffer& out) {
  return builder{}.encode(type, out);
}

std::expected<void, encode_error> encode(message_type type, const cause_only& m,
                                         byte_buffer& out) {
  builder b;
  b.octet("gmm_cause", m.gmm_cause);
  return b.encode(type, out);
}

std::expected<void, encode_error> encode(const authentication_request& m, byte_buffer& out) {
  builder b;
  b.half("ngksi", m.ksi.to_half());
  b.value("abba", m.abba);
  if (m.rand) b.owned("rand", byte_buffer(m.rand->begin(), m.rand->end()));
  if (m.autn) b.owned("autn", byte_buffer(m.autn->begin(), m.autn->end()));
  b.optional("eap_message", m.eap_message);
  return b.encode(message_type::authentication_request, out);
}

std::expected<void, encode_error> encode(const authentication_response& m, byte_buffer& out) {
  builder b;
  if (m.res_star) b.owned("res_star", byte_buffer(m.res_star->begin(), m.res_star->end()));
  b.optional("eap_message", m.eap_message);
  return b.encode(message_type::authentication_response, out);
}

std::expected<void, encode_error> encode(const authentication_failure& m, byte_buffer& out) {
  builder b;
  b.octet("gmm_cause", m.gmm_cause);
  if (m.auts) b.owned("auts", byte_buffer(m.auts->begin(), m.auts->end()));
  return b.encode(message_type::authentication_failure, out);
}

std::expected<void, encode_error> encode(const authentication_reject& m, byte_buffer& out) {
  builder b;
  b.optional("eap_message", m.eap_message);
  return b.encode(message_type::authentication_reject, out);
}

std::expected<void, encode_error> encode(const authentication_result& m, byte_buffer& out) {
  builder b;
  b.half("ngksi", m.ksi.to_half());
  b.value("eap_message", m.eap_message);
  b.optional("abba", m.abba);
  return b.encode(message_type::authentication_result, out);
}

std::expected<void, encode_error> encode(const security_mode_command& m, byte_buffer& out) {
  builder b;
  b.octet("selected_nas_security_algorithms", m.selected.to_octet());
  b.half("ngksi", m.ksi.to_half());
  byte_buffer caps;
  encode_ue_security_capability(m.replayed, caps);
  b.owned("replayed_ue_security_capabilities", std::move(caps));
  if (m.imeisv_request) b.half("imeisv_request", 1);
  if (m.additional_security_information) {
    b.octet("additional_security_information", *m.additional_security_information);
  }
  b.optional("eap_message", m.eap_message);
  b.optional("abba", m.abba);
  return b.encode(message_type::security_mode_command, out);
}

std::expected<void, encode_error> encode(const security_mode_complete& m, byte_buffer& out) {
  builder b;
  if (m.imeisv) b.identity("imeisv", *m.imeisv);
  b.optional("nas_message_container", m.nas_message_container);
  return b.encode(message_type::security_mode_complete, out);
}

std::expected<void, encode_error> encode(const identity_request& m, byte_buffer& out) {
  builder b;
  b.half("identity_type", static_cast<std::uint8_t>(m.type));
  return b.encode(message_type::identity_request, out);
}

std::expected<void, encode_error> encode(const identity_response& m, byte_buffer& out) {
  builder b;
  b.identity("mobile_identity", m.mobile_identity);
  return b.encode(message_type::identity_response, out);
}

std::expected<void, encode_error> encode(const deregistration_request_ue_originating& m,
                                         byte_buffer& out) {
  builder b;
  b.half("deregistration_type", m.type.to_half());
  b.half("ngksi", m.ksi.to_half());
  b.identity("mobile_identity", m.mobile_identity);
  return b.encode(message_type::deregistration_request_ue_originating, out);
}

std::expected<void, encode_error> encode(const deregistration_request_ue_terminated& m,
                                         byte_buffer& out) {
  builder b;
  b.half("deregistration_type", m.type.to_half());
  if (m.gmm_cause) b.octet("gmm_cause", *m.gmm_cause);
  return b.encode(message_type::deregistration_request_ue_terminated, out);
}

std::expected<void, encode_error> encode(const service_request& m, byte_buffer& out) {
  builder b;
  b.half("ngksi", m.ksi.to_half());
  b.half("service_type", m.service_type);
  b.identity("s_tmsi", m.s_tmsi);
  b.optional("uplink_data_status", m.uplink_data_status);
  b.optional("pdu_session_status", m.pdu_session_status);
  b.optional("nas_message_container", m.nas_message_container);
  return b.encode(message_type::service_request, out);
}

std::expected<void, encode_error> encode(const service_accept& m, byte_buffer& out) {
  builder b;
  b.optional("pdu_session_status", m.pdu_session_status);
  b.optional("pdu_session_reactivation_result", m.pdu_session_reactivation_result);
  return b.encode(message_type::service_accept, out);
}

std::expected<void, encode_error> encode(const configuration_update_command& m,
                                         byte_buffer& out) {
  builder b;
  if (m.indication) b.half("configuration_update_indication", *m.indication);
  if (m.guti) b.identity("guti", *m.guti);
  b.optional("tai_list", m.tai_list);
  b.nssai("allowed_nssai", m.allowed_nssai);
  b.optional("full_name_for_network", m.full_name_for_network);
  return b.encode(message_type::configuration_update_command, out);
}

std::expected<void, encode_error> encode(const ul_nas_transport& m, byte_buffer& out) {
  builder b;
  b.half("payload_container_type", static_cast<std::uint8_t>(m.payload_type));
  b.value("payload_container", m.payload);
  if (m.pdu_session_id) b.octet("pdu_session_id", *m.pdu_session_id);
  if (m.request_type) b.half("request_type", *m.request_type);
  if (m.s_nssai) {
    byte_buffer s;
    encode_s_nssai(*m.s_nssai, s);
    b.owned("s_nssai", std::move(s));
  }
  b.optional("dnn", m.dnn);
  return b.encode(message_type::ul_nas_transport, out);
}

std::expected<void, encode_error> encode(const dl_nas_transport& m, byte_buffer& out) {
  builder b;
  b.half("payload_container_type", static_cast<std::uint8_t>(m.payload_type));
  b.value("payload_container", m.payload);
  if (m.pdu_session_id) b.octet("pdu_session_id", *m.pdu_session_id);
  if (m.gmm_cause) b.octet("gmm_cause", *m.gmm_cause);
  return b.encode(message_type::dl_nas_transport, out);
}

}  // namespace sec5g::nas::msg
