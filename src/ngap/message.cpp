// NGAP messages in domain terms: typed decode of the security / UE-tracking IEs, and encoding
// in the IE order of TS 38.413 9.4.4 (NGAP-PDU-Contents).
#include "sec5g/ngap/message.hpp"

#include <algorithm>

#include "ngap/aper.hpp"
#include "ngap/internal.hpp"

namespace sec5g::ngap {

const pdu_session_list* message::find_list(std::uint16_t id) const noexcept {
  for (const auto& l : pdu_session_lists) {
    if (l.ie_id == id) return &l;
  }
  return nullptr;
}

namespace {

constexpr criticality R = criticality::reject;
constexpr criticality I = criticality::ignore;

struct ie_spec {
  std::uint16_t id;
  criticality crit;
};

struct message_spec {
  pdu_type type;
  std::uint8_t code;
  std::span<const ie_spec> ies;
};

// IE order and criticality per message. Ref: TS 38.413 9.4.4 (V16.3).
constexpr ie_spec ng_setup_request[] = {{27, R},  {82, I},  {102, R}, {21, I},
                                        {147, I}, {204, I}, {273, I}};
constexpr ie_spec ng_setup_response[] = {{1, R},  {96, R},  {86, I},  {80, R},
                                         {19, I}, {147, I}, {200, I}, {274, I}};
constexpr ie_spec ng_setup_failure[] = {{15, I}, {107, I}, {19, I}};
constexpr ie_spec initial_ue_message[] = {{85, R},  {38, R},  {121, R}, {90, I},  {26, R},
                                          {3, I},   {112, I}, {0, R},   {171, I}, {174, I},
                                          {201, R}, {234, I}, {241, I}, {235, I}, {245, I}};
constexpr ie_spec downlink_nas_transport[] = {
    {10, R},  {85, R},  {48, R},  {83, I},  {38, R},  {36, I},  {31, I},  {110, I}, {0, R},
    {177, I}, {205, I}, {206, I}, {209, I}, {222, I}, {117, I}, {228, I}, {226, I}, {264, I}};
constexpr ie_spec uplink_nas_transport[] = {{10, R},  {85, R},  {38, R}, {121, I},
                                            {239, I}, {246, I}, {247, I}};
constexpr ie_spec initial_context_setup_request[] = {
    {10, R},  {85, R},  {48, R},  {110, R}, {18, I},  {28, R},  {71, R},  {0, R},
    {119, R}, {94, R},  {108, I}, {36, I},  {117, I}, {31, I},  {34, I},  {38, I},
    {24, R},  {91, I},  {118, I}, {146, I}, {33, I},  {165, I}, {177, I}, {199, I},
    {217, I}, {218, I}, {215, I}, {216, I}, {219, I}, {234, I}, {205, I}, {206, I},
    {209, I}, {222, I}, {228, I}, {255, I}, {254, I}, {256, I}, {264, I}};
constexpr ie_spec initial_context_setup_response[] = {{10, I}, {85, I}, {72, I}, {55, I}, {19, I}};
constexpr ie_spec initial_context_setup_failure[] = {{10, I}, {85, I}, {132, I}, {15, I}, {19, I}};
constexpr ie_spec pdu_session_resource_setup_request[] = {{10, R}, {85, R}, {83, I},
                                                          {38, R}, {74, R}, {110, I}};
constexpr ie_spec pdu_session_resource_setup_response[] = {
    {10, I}, {85, I}, {75, I}, {58, I}, {19, I}};
constexpr ie_spec pdu_session_resource_release_command[] = {
    {10, R}, {85, R}, {83, I}, {38, I}, {79, R}};
constexpr ie_spec pdu_session_resource_release_response[] = {
    {10, I}, {85, I}, {70, I}, {121, I}, {19, I}};
constexpr ie_spec ue_context_release_command[] = {{114, R}, {15, I}};
constexpr ie_spec ue_context_release_complete[] = {{10, I}, {85, I}, {121, I},
                                                   {32, I}, {60, R}, {19, I}};
constexpr ie_spec ue_context_release_request[] = {{10, R}, {85, R}, {133, R}, {15, I}};
constexpr ie_spec path_switch_request[] = {{85, R}, {100, R}, {121, I}, {119, I}, {76, R},
                                           {57, I}, {239, I}, {246, I}, {247, I}};
constexpr ie_spec path_switch_request_ack[] = {
    {10, I},  {85, I},  {119, R}, {93, R},  {41, R},  {77, I},  {68, I},  {0, R},   {18, I},
    {91, I},  {19, I},  {146, I}, {165, I}, {177, I}, {199, I}, {205, I}, {206, I}, {209, I},
    {222, I}, {217, I}, {218, I}, {215, I}, {216, I}, {219, I}, {234, I}, {228, I}, {226, I}};
constexpr ie_spec path_switch_request_failure[] = {{10, I}, {85, I}, {69, I}, {19, I}};
constexpr ie_spec ue_context_modification_request[] = {{10, R}, {85, R},  {83, I},  {94, R},
                                                       {31, I}, {110, I}, {119, R}, {18, I},
                                                       {40, R}, {91, I},  {146, I}, {264, I}};
constexpr ie_spec handover_request[] = {
    {10, R}, {29, R},  {15, I}, {110, R}, {18, I}, {119, R}, {93, R}, {41, R}, {37, R},  {73, R},
    {0, R},  {108, I}, {34, I}, {101, R}, {36, I}, {33, I},  {91, I}, {28, R}, {146, I}, {165, I}};
constexpr ie_spec handover_command[] = {{10, R}, {85, R}, {29, R},  {39, R},
                                        {59, I}, {78, I}, {106, R}, {19, I}};

constexpr message_spec specs[] = {
    {pdu_type::initiating, procedure::ng_setup, ng_setup_request},
    {pdu_type::successful, procedure::ng_setup, ng_setup_response},
    {pdu_type::unsuccessful, procedure::ng_setup, ng_setup_failure},
    {pdu_type::initiating, procedure::initial_ue_message, initial_ue_message},
    {pdu_type::initiating, procedure::downlink_nas_transport, downlink_nas_transport},
    {pdu_type::initiating, procedure::uplink_nas_transport, uplink_nas_transport},
    {pdu_type::initiating, procedure::initial_context_setup, initial_context_setup_request},
    {pdu_type::successful, procedure::initial_context_setup, initial_context_setup_response},
    {pdu_type::unsuccessful, procedure::initial_context_setup, initial_context_setup_failure},
    {pdu_type::initiating, procedure::pdu_session_resource_setup,
     pdu_session_resource_setup_request},
    {pdu_type::successful, procedure::pdu_session_resource_setup,
     pdu_session_resource_setup_response},
    {pdu_type::initiating, procedure::pdu_session_resource_release,
     pdu_session_resource_release_command},
    {pdu_type::successful, procedure::pdu_session_resource_release,
     pdu_session_resource_release_response},
    {pdu_type::initiating, procedure::ue_context_release, ue_context_release_command},
    {pdu_type::successful, procedure::ue_context_release, ue_context_release_complete},
    {pdu_type::initiating, procedure::ue_context_release_request, ue_context_release_request},
    {pdu_type::initiating, procedure::path_switch_request, path_switch_request},
    {pdu_type::successful, procedure::path_switch_request, path_switch_request_ack},
    {pdu_type::unsuccessful, procedure::path_switch_request, path_switch_request_failure},
    {pdu_type::initiating, procedure::ue_context_modification, ue_context_modification_request},
    {pdu_type::initiating, procedure::handover_resource_allocation, handover_request},
    {pdu_type::successful, procedure::handover_preparation, handover_command},
};

std::span<const ie_spec> spec_of(pdu_type t, std::uint8_t code) noexcept {
  for (const auto& s : specs) {
    if (s.type == t && s.code == code) return s.ies;
  }
  return {};
}

bool is_pdu_session_list(std::uint16_t id) noexcept {
  return detail::layout_of(id) != detail::list_layout::unknown;
}

} // namespace

std::expected<message, decode_error> decode_message(const pdu& p) noexcept {
  message m;
  m.type = p.type;
  m.procedure_code = p.procedure_code;
  m.crit = p.crit;
  m.ie_order.reserve(p.ie_count);
  for (const protocol_ie& e : p.ies()) {
    m.ie_order.emplace_back(e.id, e.crit);
    auto at = [&](decode_error err) {
      err.offset += e.value_offset;
      return std::unexpected(err);
    };
#define SEC5G_IE(field, call)                                                                      \
  {                                                                                                \
    auto r_ = (call);                                                                              \
    if (!r_) return at(r_.error());                                                                \
    m.field = std::move(*r_);                                                                      \
    break;                                                                                         \
  }
    switch (e.id) {
    case ie_id::amf_ue_ngap_id: SEC5G_IE(amf_ue_ngap_id, decode_amf_ue_ngap_id(e.value))
    case ie_id::ran_ue_ngap_id: SEC5G_IE(ran_ue_ngap_id, decode_ran_ue_ngap_id(e.value))
    case ie_id::source_amf_ue_ngap_id:
      SEC5G_IE(source_amf_ue_ngap_id, decode_amf_ue_ngap_id(e.value))
    case ie_id::nas_pdu: {
      auto r = decode_nas_pdu(e.value);
      if (!r) return at(r.error());
      m.nas_pdu = octets_at{r->bytes, r->offset + e.value_offset};
      break;
    }
    case ie_id::ue_security_capabilities:
      SEC5G_IE(ue_security_capabilities, decode_ue_security_capabilities(e.value))
    case ie_id::security_key: SEC5G_IE(security_key, decode_security_key(e.value))
    case ie_id::security_context: SEC5G_IE(security_context, decode_security_context(e.value))
    case ie_id::guami: SEC5G_IE(guami, decode_guami(e.value))
    case ie_id::five_g_s_tmsi: SEC5G_IE(five_g_s_tmsi, decode_five_g_s_tmsi(e.value))
    case ie_id::user_location_information:
      SEC5G_IE(user_location_information, decode_user_location_information(e.value))
    case ie_id::rrc_establishment_cause:
      SEC5G_IE(rrc_establishment_cause, decode_rrc_establishment_cause(e.value))
    case ie_id::cause: SEC5G_IE(cause, decode_cause(e.value))
    case ie_id::global_ran_node_id: SEC5G_IE(global_ran_node_id, decode_global_ran_node_id(e.value))
    case ie_id::ran_node_name: SEC5G_IE(ran_node_name, decode_printable_name(e.value))
    case ie_id::amf_name: SEC5G_IE(amf_name, decode_printable_name(e.value))
    case ie_id::supported_ta_list: SEC5G_IE(supported_ta_list, decode_supported_ta_list(e.value))
    case ie_id::default_paging_drx: SEC5G_IE(default_paging_drx, decode_paging_drx(e.value))
    case ie_id::served_guami_list: SEC5G_IE(served_guami_list, decode_served_guami_list(e.value))
    case ie_id::relative_amf_capacity:
      SEC5G_IE(relative_amf_capacity, decode_relative_amf_capacity(e.value))
    case ie_id::plmn_support_list: SEC5G_IE(plmn_support_list, decode_plmn_support_list(e.value))
    case ie_id::allowed_nssai: SEC5G_IE(allowed_nssai, decode_allowed_nssai(e.value))
    case ie_id::ue_context_request: SEC5G_IE(ue_context_request, decode_ue_context_request(e.value))
    case ie_id::ue_ngap_ids: {
      aper::reader r(e.value);
      auto c = r.choice(3, false, "ngap.ue_ngap_ids");
      if (!c) return at(c.error());
      if (*c == 2) {
        m.other_ies.push_back(e);
        break;
      }
      ue_ngap_id_choice ids;
      if (*c == 0) {
        std::uint32_t opt = 0;
        auto ext = detail::read_preamble(r, 1, opt, "ngap.ue_ngap_id_pair");
        if (!ext) return at(ext.error());
        auto amf = detail::read_amf_ue_ngap_id(r);
        if (!amf) return at(amf.error());
        auto ran = detail::read_ran_ue_ngap_id(r);
        if (!ran) return at(ran.error());
        auto fin = detail::finish_sequence(r, opt != 0, *ext, "ngap.ue_ngap_id_pair");
        if (!fin) return at(fin.error());
        ids.amf_ue_ngap_id = *amf;
        ids.ran_ue_ngap_id = *ran;
      } else {
        auto amf = detail::read_amf_ue_ngap_id(r);
        if (!amf) return at(amf.error());
        ids.amf_ue_ngap_id = *amf;
      }
      m.ue_ngap_ids = ids;
      break;
    }
    default:
      if (is_pdu_session_list(e.id)) {
        auto l = decode_pdu_session_list(e.id, e.value);
        if (!l) return at(l.error());
        for (auto& item : *l) {
          item.nas_pdu_offset += e.value_offset;
          item.transfer_offset += e.value_offset;
        }
        m.pdu_session_lists.push_back(pdu_session_list{e.id, std::move(*l)});
      } else {
        m.other_ies.push_back(e);
      }
      break;
    }
#undef SEC5G_IE
  }
  return m;
}

std::expected<message, decode_error> decode_message(bytes_view bytes) noexcept {
  auto p = decode_pdu(bytes);
  if (!p) return std::unexpected(p.error());
  return decode_message(*p);
}

std::expected<byte_buffer, decode_error> encode_message(const message& m) {
  struct pending {
    std::uint16_t id;
    std::optional<criticality> crit; // unset: from the spec table
    byte_buffer value;
  };
  std::vector<pending> ies;
  auto add = [&](std::uint16_t id,
                 std::expected<byte_buffer, decode_error> v) -> std::expected<void, decode_error> {
    if (!v) return std::unexpected(v.error());
    ies.push_back(pending{id, std::nullopt, std::move(*v)});
    return {};
  };
  if (m.amf_ue_ngap_id) SEC5G_TRY_VOID(add(10, encode_amf_ue_ngap_id(*m.amf_ue_ngap_id)));
  if (m.ran_ue_ngap_id) SEC5G_TRY_VOID(add(85, encode_ran_ue_ngap_id(*m.ran_ue_ngap_id)));
  if (m.source_amf_ue_ngap_id) {
    SEC5G_TRY_VOID(add(100, encode_amf_ue_ngap_id(*m.source_amf_ue_ngap_id)));
  }
  if (m.ue_ngap_ids) {
    byte_buffer v;
    aper::writer w(v);
    if (m.ue_ngap_ids->amf_ue_ngap_id > 1099511627775ULL) {
      return std::unexpected(decode_error{decode_errc::bad_value, 0, "ngap.ue_ngap_ids"});
    }
    if (m.ue_ngap_ids->ran_ue_ngap_id) {
      w.constrained(0, 0, 2);
      w.bit(false);
      w.bit(false);
      w.constrained(m.ue_ngap_ids->amf_ue_ngap_id, 0, 1099511627775ULL);
      w.constrained(*m.ue_ngap_ids->ran_ue_ngap_id, 0, 4294967295ULL);
    } else {
      w.constrained(1, 0, 2);
      w.constrained(m.ue_ngap_ids->amf_ue_ngap_id, 0, 1099511627775ULL);
    }
    ies.push_back(pending{114, std::nullopt, std::move(v)});
  }
  if (m.nas_pdu) SEC5G_TRY_VOID(add(38, encode_nas_pdu(m.nas_pdu->bytes)));
  if (m.ue_security_capabilities) {
    SEC5G_TRY_VOID(add(119, encode_ue_security_capabilities(*m.ue_security_capabilities)));
  }
  if (m.security_key) SEC5G_TRY_VOID(add(94, encode_security_key(*m.security_key)));
  if (m.security_context) SEC5G_TRY_VOID(add(93, encode_security_context(*m.security_context)));
  if (m.guami) SEC5G_TRY_VOID(add(28, encode_guami(*m.guami)));
  if (m.five_g_s_tmsi) SEC5G_TRY_VOID(add(26, encode_five_g_s_tmsi(*m.five_g_s_tmsi)));
  if (m.user_location_information) {
    SEC5G_TRY_VOID(add(121, encode_user_location_information(*m.user_location_information)));
  }
  if (m.rrc_establishment_cause) {
    SEC5G_TRY_VOID(add(90, encode_rrc_establishment_cause(*m.rrc_establishment_cause)));
  }
  if (m.cause) SEC5G_TRY_VOID(add(15, encode_cause(*m.cause)));
  if (m.global_ran_node_id)
    SEC5G_TRY_VOID(add(27, encode_global_ran_node_id(*m.global_ran_node_id)));
  if (m.ran_node_name) SEC5G_TRY_VOID(add(82, encode_printable_name(*m.ran_node_name)));
  if (m.amf_name) SEC5G_TRY_VOID(add(1, encode_printable_name(*m.amf_name)));
  if (m.supported_ta_list) SEC5G_TRY_VOID(add(102, encode_supported_ta_list(*m.supported_ta_list)));
  if (m.default_paging_drx) SEC5G_TRY_VOID(add(21, encode_paging_drx(*m.default_paging_drx)));
  if (m.served_guami_list) SEC5G_TRY_VOID(add(96, encode_served_guami_list(*m.served_guami_list)));
  if (m.relative_amf_capacity) {
    SEC5G_TRY_VOID(add(86, encode_relative_amf_capacity(*m.relative_amf_capacity)));
  }
  if (m.plmn_support_list) SEC5G_TRY_VOID(add(80, encode_plmn_support_list(*m.plmn_support_list)));
  if (m.allowed_nssai) SEC5G_TRY_VOID(add(0, encode_allowed_nssai(*m.allowed_nssai)));
  if (m.ue_context_request) SEC5G_TRY_VOID(add(112, encode_ue_context_request()));
  for (const auto& l : m.pdu_session_lists) {
    SEC5G_TRY_VOID(add(l.ie_id, encode_pdu_session_list(l.ie_id, l.items)));
  }
  for (const auto& e : m.other_ies) {
    ies.push_back(pending{e.id, e.crit, byte_buffer(e.value.begin(), e.value.end())});
  }

  const auto spec = spec_of(m.type, m.procedure_code);
  auto spec_rank = [&](std::uint16_t id) -> std::size_t {
    for (std::size_t i = 0; i < spec.size(); ++i) {
      if (spec[i].id == id) return i;
    }
    return spec.size();
  };
  auto wire_rank = [&](std::uint16_t id) -> std::size_t {
    for (std::size_t i = 0; i < m.ie_order.size(); ++i) {
      if (m.ie_order[i].first == id) return i;
    }
    return m.ie_order.size();
  };
  auto rank = [&](std::uint16_t id) -> std::size_t {
    const std::size_t w = wire_rank(id);
    return w < m.ie_order.size() ? w : m.ie_order.size() + spec_rank(id);
  };
  std::stable_sort(ies.begin(), ies.end(),
                   [&](const pending& a, const pending& b) { return rank(a.id) < rank(b.id); });

  std::vector<protocol_ie> wire;
  wire.reserve(ies.size());
  for (const auto& p : ies) {
    criticality c = criticality::ignore;
    if (p.crit) {
      c = *p.crit;
    } else if (const std::size_t w = wire_rank(p.id); w < m.ie_order.size()) {
      c = m.ie_order[w].second;
    } else if (const std::size_t k = spec_rank(p.id); k < spec.size()) {
      c = spec[k].crit;
    } else if (p.id == 10 || p.id == 85) {
      c = criticality::reject;
    }
    wire.push_back(protocol_ie{p.id, c, p.value, 0});
  }
  return encode_pdu(m.type, m.procedure_code,
                    m.crit.value_or(procedure_criticality(m.procedure_code)), wire);
}

} // namespace sec5g::ngap
