// Rendering of decoded NAS-5GS messages to JSON (keys documented in docs/formats/nas.md).

#include "sec5g/nas/nas_json.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <type_traits>
#include <variant>

#include "sec5g/core/decode_error.hpp"
#include "sec5g/core/hex.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/nas/ies.hpp"

namespace sec5g::nas {
namespace {

using nlohmann::json;

json render_nas(const nas_message& m, const json_options& opt, unsigned depth);
json render_plain(const plain_message& m, const json_options& opt, unsigned depth);

json nested(bytes_view v, const json_options& opt, unsigned depth) {
  if (depth >= opt.max_depth) return to_hex(v);
  decode_options d;
  d.null_decipher = opt.null_decipher;
  nas_message inner;
  if (!decode_into(v, inner, d)) return to_hex(v);
  return render_nas(inner, opt, depth + 1);
}

json s_nssai_json(const s_nssai& s) {
  json j;
  j["sst"] = s.sst;
  const auto sd_hex = [](std::uint32_t sd) {
    const std::uint8_t b[3] = {static_cast<std::uint8_t>(sd >> 16),
                               static_cast<std::uint8_t>(sd >> 8), static_cast<std::uint8_t>(sd)};
    return to_hex(b);
  };
  if (s.sd) j["sd"] = sd_hex(*s.sd);
  if (s.mapped_sst) j["mapped_sst"] = *s.mapped_sst;
  if (s.mapped_sd) j["mapped_sd"] = sd_hex(*s.mapped_sd);
  return j;
}

std::string plmn_mcc(const identity::plmn_id& p) { return std::string(p.mcc.view()); }
std::string plmn_mnc(const identity::plmn_id& p) { return std::string(p.mnc.view()); }

// 5GS mobile identity via sec5g::identity; undecodable values keep the raw hex.
json mobile_identity_json(bytes_view v) {
  json j;
  j["type_id"] = v.empty() ? 0 : (v[0] & 0x07);
  auto id = identity::decode_mobile_identity(v);
  if (!id) {
    j["value"] = to_hex(v);
    j["error"] = to_string(id.error().code);
    return j;
  }
  j["type"] = identity::to_string(identity::type_of(*id));
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, identity::suci_value>) {
          j["supi_format"] = static_cast<unsigned>(x.format);
          if (x.format == identity::supi_format::imsi) {
            j["mcc"] = plmn_mcc(x.plmn);
            j["mnc"] = plmn_mnc(x.plmn);
            j["routing_indicator"] = std::string(x.routing.view());
            j["protection_scheme_id"] = x.protection_scheme_id;
            j["home_network_public_key_id"] = x.hn_public_key_id;
            j["scheme_output"] = to_hex(x.scheme_output);
          } else {
            j["nai"] = std::string(x.nai);
          }
          j["suci"] = identity::to_string(x);
        } else if constexpr (std::is_same_v<T, identity::guti_5g>) {
          j["mcc"] = plmn_mcc(x.plmn);
          j["mnc"] = plmn_mnc(x.plmn);
          j["amf_region_id"] = x.amf_region_id;
          j["amf_set_id"] = x.amf_set_id;
          j["amf_pointer"] = x.amf_pointer;
          j["tmsi"] = x.tmsi;
          j["guti"] = identity::to_string(x);
        } else if constexpr (std::is_same_v<T, identity::s_tmsi_5g>) {
          j["amf_set_id"] = x.amf_set_id;
          j["amf_pointer"] = x.amf_pointer;
          j["tmsi"] = x.tmsi;
          j["s_tmsi"] = identity::to_string(x);
        } else if constexpr (std::is_same_v<T, identity::imei> ||
                             std::is_same_v<T, identity::imeisv> ||
                             std::is_same_v<T, identity::mac_address> ||
                             std::is_same_v<T, identity::eui64>) {
          j["pei"] = identity::to_string(x);
        }
      },
      *id);
  return j;
}

json ie_json(const plain_message& m, const ie& e, const json_options& opt, unsigned depth) {
  const bytes_view v = e.value;
  switch (e.kind()) {
    case ie_kind::octets:
    case ie_kind::abba:
    case ie_kind::rand:
    case ie_kind::autn:
    case ie_kind::res_star:
    case ie_kind::auts:
    case ie_kind::eap_message:
      return to_hex(v);
    case ie_kind::half:
    case ie_kind::spare_half:
    case ie_kind::payload_container_type:
    case ie_kind::imeisv_request:
    case ie_kind::identity_type:
    case ie_kind::service_type:
    case ie_kind::pdu_session_type:
    case ie_kind::ssc_mode:
      return e.half;
    case ie_kind::ngksi: {
      const auto k = ngksi::from_half(e.half);
      return json{{"tsc", k.tsc ? 1 : 0}, {"ksi", k.ksi}};
    }
    case ie_kind::registration_type: {
      const auto t = registration_type::from_half(e.half);
      return json{{"follow_on_request", t.follow_on_request}, {"value", t.value}};
    }
    case ie_kind::deregistration_type: {
      const auto t = deregistration_type::from_half(e.half);
      return json{{"switch_off", t.switch_off},
                  {"reregistration_required", t.reregistration_required},
                  {"access_type", t.access_type}};
    }
    case ie_kind::registration_result: {
      auto r = decode_registration_result(v);
      if (!r) return to_hex(v);
      return json{{"value", r->value},
                  {"sms_allowed", r->sms_allowed},
                  {"nssaa_performed", r->nssaa_performed},
                  {"emergency_registered", r->emergency_registered},
                  {"disaster_roaming", r->disaster_roaming}};
    }
    case ie_kind::mobile_identity:
      return mobile_identity_json(v);
    case ie_kind::ue_security_capability: {
      auto c = decode_ue_security_capability(v);
      if (!c) return to_hex(v);
      json j{{"ea", c->ea}, {"ia", c->ia}};
      if (c->eea) j["eea"] = *c->eea;
      if (c->eia) j["eia"] = *c->eia;
      return j;
    }
    case ie_kind::nas_security_algorithms:
    case ie_kind::eps_nas_security_algorithms: {
      auto a = decode_nas_security_algorithms(v);
      if (!a) return to_hex(v);
      return json{{"ciphering", a->ciphering}, {"integrity", a->integrity}};
    }
    case ie_kind::cause_5gmm:
    case ie_kind::cause_5gsm:
    case ie_kind::pdu_session_id:
      if (v.size() != 1) return to_hex(v);
      return v[0];
    case ie_kind::nas_message_container:
      return nested(v, opt, depth);
    case ie_kind::payload_container: {
      const ie* type = m.find(ie_kind::payload_container_type);
      if (type && type->half == static_cast<std::uint8_t>(payload_container_type::n1_sm_information)) {
        return nested(v, opt, depth);
      }
      return to_hex(v);
    }
    case ie_kind::nssai: {
      auto l = decode_nssai(v);
      if (!l) return to_hex(v);
      json a = json::array();
      for (const auto& s : l->view()) a.push_back(s_nssai_json(s));
      return a;
    }
    case ie_kind::s_nssai: {
      auto s = decode_s_nssai(v);
      if (!s) return to_hex(v);
      return s_nssai_json(*s);
    }
    case ie_kind::dnn: {
      std::array<char, 128> buf{};
      auto n = decode_dnn(v, buf);
      if (!n) return to_hex(v);
      return std::string(buf.data(), *n);
    }
  }
  return to_hex(v);
}

json render_plain(const plain_message& m, const json_options& opt, unsigned depth) {
  json j = json::object();
  j["epd"] = static_cast<unsigned>(m.epd);
  j["message_type"] = m.message_type;
  if (const char* name = message_name(m.epd, m.message_type)) {
    j["message"] = name;
  } else {
    j["message"] = nullptr;
  }
  if (m.epd == epd::session_management) {
    j["pdu_session_id"] = m.pdu_session_id;
    j["pti"] = m.pti;
  }
  json unknown = json::array();
  for (const ie& e : m.ies()) {
    if (e.spec == nullptr) {
      json u{{"iei", e.iei}};
      if (e.format == ie_format::tv_half) {
        u["iei"] = e.iei | e.half;
      } else {
        u["value"] = to_hex(e.value);
      }
      unknown.push_back(std::move(u));
      continue;
    }
    if (e.spec->kind == ie_kind::spare_half) continue;
    if (j.contains(e.spec->name)) continue;  // repeated IE: the first counts (TS 24.007 11.2.5)
    j[e.spec->name] = ie_json(m, e, opt, depth);
  }
  if (!unknown.empty()) j["unknown_ies"] = std::move(unknown);
  if (m.spec == nullptr && !m.body.empty()) j["body"] = to_hex(m.body);
  if (m.anomalies.count > 0) {
    json a = json::array();
    for (const auto& r : m.anomalies.view()) a.push_back(to_string(r.kind));
    j["anomalies"] = std::move(a);
  }
  return j;
}

json render_nas(const nas_message& m, const json_options& opt, unsigned depth) {
  json j = m.has_message ? render_plain(m.message, opt, depth) : json::object();
  j["epd"] = static_cast<unsigned>(m.epd);
  j["security_header"] = static_cast<unsigned>(m.security_header);
  if (m.security_header != security_header_type::plain) {
    j["mac"] = to_hex(m.mac);
    j["sqn"] = m.sqn;
  }
  if (!m.has_message) {
    j["message_type"] = nullptr;
    j["message"] = nullptr;
    if (m.message.anomalies.count > 0) {
      json a = json::array();
      for (const auto& r : m.message.anomalies.view()) a.push_back(to_string(r.kind));
      j["anomalies"] = std::move(a);
    }
  }
  return j;
}

}  // namespace

nlohmann::json to_json(const nas_message& m, const json_options& opt) {
  return render_nas(m, opt, 0);
}

nlohmann::json to_json(const plain_message& m, const json_options& opt) {
  return render_plain(m, opt, 0);
}

nlohmann::json decode_to_json(bytes_view pdu, const json_options& opt) {
  decode_options d;
  d.null_decipher = opt.null_decipher;
  nas_message m;
  if (auto r = decode_into(pdu, m, d); !r) {
    return json{{"error", to_string(r.error().code)},
                {"offset", r.error().offset},
                {"field", r.error().field}};
  }
  return render_nas(m, opt, 0);
}

}  // namespace sec5g::nas
