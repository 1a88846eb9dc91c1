// Fuzz target for the NGAP decoder (TS 38.413 APER): decodes the envelope, walks every IE with
// every typed decoder, collects NAS-PDUs and UE ids, decodes PDU session transfers, and checks
// the encoder's round trip: when a message decodes and encodes, its encoding must decode and
// re-encode to exactly the same bytes (the first encoding may differ from the input, which can
// use non-minimal lengths or carry skipped extensions). pdu::find and ue_ids are compared with
// a scan of the IE list and the general IE decoders, the user location information's fast path
// with the general decoder. Any violation aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "sec5g/ngap/ies.hpp"
#include "sec5g/ngap/message.hpp"
#include "sec5g/ngap/ngap.hpp"
#include "ngap/internal.hpp"

namespace {

using namespace sec5g;
using namespace sec5g::ngap;
// Every transfer decoder on `v`; what decodes must re-encode to a transfer that decodes to the
// same value (the encoders refuse what they do not model: dynamic 5QI, GBR, odd-bit addresses).
void transfers(sec5g::bytes_view v) {
  using namespace sec5g::ngap;
  auto sec = decode_setup_request_security(v);
  if (auto t = decode_setup_request_transfer(v)) {
    // The tracker's SecurityIndication-only read agrees with the full decoder where it decodes.
    if (!sec || *sec != t->security) std::abort();
    if (auto e = encode_setup_request_transfer(*t)) {
      auto back = decode_setup_request_transfer(*e);
      if (!back || !(*back == *t)) std::abort();
    }
  }
  if (auto t = decode_setup_response_transfer(v)) {
    if (auto e = encode_setup_response_transfer(*t)) {
      auto back = decode_setup_response_transfer(*e);
      if (!back || !(*back == *t)) std::abort();
    }
  }
  if (auto t = decode_path_switch_request_transfer(v)) {
    if (auto e = encode_path_switch_request_transfer(*t)) {
      auto back = decode_path_switch_request_transfer(*e);
      if (!back || !(*back == *t)) std::abort();
    }
  }
  if (auto t = decode_path_switch_ack_transfer(v)) {
    if (auto e = encode_path_switch_ack_transfer(*t)) {
      auto back = decode_path_switch_ack_transfer(*e);
      if (!back || !(*back == *t)) std::abort();
    }
  }
}


// decode_user_location_information (octet-level fast path for the usual NR form) must give
// what the general decoder gives, value and error alike.
void check_uli(sec5g::bytes_view v) {
  const auto a = decode_user_location_information(v);
  const auto b = detail::decode_user_location_information_general(v);
  if (a.has_value() != b.has_value()) std::abort();
  if (!a) return;
  if (a->type != b->type || !(a->nr == b->nr) || !(a->eutra == b->eutra) || !(a->ta == b->ta) ||
      a->time_stamp != b->time_stamp || a->n3iwf_ip_address.size() != b->n3iwf_ip_address.size() ||
      a->n3iwf_ip_address.data() != b->n3iwf_ip_address.data() ||
      a->n3iwf_ip_address_bits != b->n3iwf_ip_address_bits || a->n3iwf_port != b->n3iwf_port ||
      a->extension_value.size() != b->extension_value.size() ||
      a->extension_value.data() != b->extension_value.data() ||
      a->extension_id != b->extension_id || a->has_extensions != b->has_extensions)
    std::abort();
}

void walk_ie(const protocol_ie& e) {
  (void)decode_amf_ue_ngap_id(e.value);
  (void)decode_ran_ue_ngap_id(e.value);
  (void)decode_nas_pdu(e.value);
  (void)decode_ue_security_capabilities(e.value);
  (void)decode_security_key(e.value);
  (void)decode_security_context(e.value);
  (void)decode_guami(e.value);
  (void)decode_five_g_s_tmsi(e.value);
  check_uli(e.value);
  (void)decode_rrc_establishment_cause(e.value);
  (void)decode_cause(e.value);
  (void)decode_global_ran_node_id(e.value);
  (void)decode_printable_name(e.value);
  (void)decode_supported_ta_list(e.value);
  (void)decode_allowed_nssai(e.value);
  (void)decode_plmn_support_list(e.value);
  (void)decode_served_guami_list(e.value);
  transfers(e.value);
  if (auto c = decode_cause(e.value)) (void)cause_value_name(*c);
  (void)ie_name(e.id);
}

// pdu::find (an ids bitmap answers "absent" for ids < 256) must return what a scan of the
// IE list returns: the first IE with that id, or nothing.
void check_find(const pdu& p) {
  const auto scan = [&p](std::uint16_t id) -> const protocol_ie* {
    for (const auto& e : p.ies())
      if (e.id == id) return &e;
    return nullptr;
  };
  for (std::uint16_t id = 0; id < 300; ++id)
    if (p.find(id) != scan(id)) std::abort();
  for (const auto& e : p.ies())
    if (p.find(e.id) != scan(e.id)) std::abort();
}

// ue_ids (octet-level fast path for AMF-/RAN-UE-NGAP-ID) must give what the general IE
// decoders give: the last value of each id, or an error when one does not decode. Only for
// PDUs without the other IEs ue_ids reads (source AMF-UE-NGAP-ID, UE-NGAP-IDs).
void check_ue_ids(const pdu& p) {
  if (p.find(ie_id::source_amf_ue_ngap_id) != nullptr || p.find(ie_id::ue_ngap_ids) != nullptr)
    return;
  ue_ngap_ids want;
  bool ok = true;
  for (const auto& e : p.ies()) {
    if (e.id == ie_id::amf_ue_ngap_id) {
      auto v = decode_amf_ue_ngap_id(e.value);
      if (!v) ok = false;
      else want.amf_ue_ngap_id = *v;
    } else if (e.id == ie_id::ran_ue_ngap_id) {
      auto v = decode_ran_ue_ngap_id(e.value);
      if (!v) ok = false;
      else want.ran_ue_ngap_id = *v;
    }
    if (!ok) break;
  }
  const auto got = ue_ids(p);
  if (got.has_value() != ok) std::abort();
  if (ok && (got->amf_ue_ngap_id != want.amf_ue_ngap_id ||
             got->ran_ue_ngap_id != want.ran_ue_ngap_id))
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bytes_view in(data, size);
  pdu p;
  if (!decode_pdu(in, p)) return 0;
  (void)p.message_name();
  for (const auto& e : p.ies()) {
    if (e.value.data() < in.data() || e.value.data() + e.value.size() > in.data() + in.size()) {
      std::abort(); // a view outside the input
    }
    walk_ie(e);
  }
  nas_pdu_ref refs[8];
  if (auto n = collect_nas_pdus(p, refs)) {
    for (std::size_t i = 0; i < *n && i < 8; ++i) {
      if (refs[i].bytes.data() != in.data() + refs[i].offset) std::abort();
    }
  }
  check_find(p);
  check_ue_ids(p);
  auto m = decode_message(p);
  if (!m) return 0;
  for (const auto& l : m->pdu_session_lists) {
    for (const auto& it : l.items) {
      transfers(it.transfer);
      (void)decode_transfer_cause(l.ie_id, it.transfer);
    }
  }
  auto first = encode_message(*m);
  if (!first) return 0;
  auto m2 = decode_message(*first);
  if (!m2) std::abort(); // our own encoding must decode
  auto second = encode_message(*m2);
  if (!second || *second != *first) std::abort();
  return 0;
}
