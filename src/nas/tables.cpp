// NAS-5GS message tables: one table per message, in the order and with the formats and length
// bounds of TS 24.501 clause 8 (Release 17). Lengths in the spec tables are of the whole IE
// (IEI + length octets + value); the helpers below convert them to value lengths.
// Ref: TS 24.501 8.2 (5GMM), 8.3 (5GSM); TS 24.007 11.2.1.1

#include <array>

#include "sec5g/nas/nas.hpp"

namespace sec5g::nas {
namespace {

constexpr std::uint16_t n = 0xffff;  // "n" in the spec tables (no upper bound but the format's)

constexpr std::uint16_t sub(std::uint16_t total, std::uint16_t overhead) {
  return total == n ? n : static_cast<std::uint16_t>(total - overhead);
}

// Mandatory IEs (no IEI).
constexpr ie_spec vh(ie_kind k, const char* name, const char* clause) {
  return {0, ie_format::v_half, 0, 0, presence::mandatory, k, name, clause};
}
constexpr ie_spec spare() {
  return {0, ie_format::v_half, 0, 0, presence::mandatory, ie_kind::spare_half, "spare", "9.5"};
}
constexpr ie_spec v(ie_kind k, const char* name, const char* clause, std::uint16_t len) {
  return {0, ie_format::v, len, len, presence::mandatory, k, name, clause};
}
constexpr ie_spec lv(ie_kind k, const char* name, const char* clause, std::uint16_t min_total,
                     std::uint16_t max_total) {
  return {0, ie_format::lv, sub(min_total, 1), max_total == n ? std::uint16_t{255} : sub(max_total, 1),
          presence::mandatory, k, name, clause};
}
constexpr ie_spec lve(ie_kind k, const char* name, const char* clause, std::uint16_t min_total,
                      std::uint16_t max_total) {
  return {0, ie_format::lv_e, sub(min_total, 2), max_total == n ? n : sub(max_total, 2),
          presence::mandatory, k, name, clause};
}
// Optional IEs.
constexpr ie_spec tvh(std::uint8_t iei, ie_kind k, const char* name, const char* clause) {
  return {iei, ie_format::tv_half, 0, 0, presence::optional, k, name, clause};
}
constexpr ie_spec tv(std::uint8_t iei, ie_kind k, const char* name, const char* clause,
                     std::uint16_t total) {
  return {iei, ie_format::tv, sub(total, 1), sub(total, 1), presence::optional, k, name, clause};
}
constexpr ie_spec tlv(std::uint8_t iei, ie_kind k, const char* name, const char* clause,
                      std::uint16_t min_total, std::uint16_t max_total) {
  return {iei, ie_format::tlv, sub(min_total, 2), max_total == n ? std::uint16_t{255} : sub(max_total, 2),
          presence::optional, k, name, clause};
}
constexpr ie_spec tlve(std::uint8_t iei, ie_kind k, const char* name, const char* clause,
                       std::uint16_t min_total, std::uint16_t max_total) {
  return {iei, ie_format::tlv_e, sub(min_total, 3), max_total == n ? n : sub(max_total, 3),
          presence::optional, k, name, clause};
}

using k = ie_kind;

// Recurring optional IEs.
constexpr ie_spec eap_tlve = tlve(0x78, k::eap_message, "eap_message", "9.11.2.2", 7, 1503);
constexpr ie_spec epco = tlve(0x7b, k::octets, "extended_protocol_configuration_options",
                              "9.11.4.6", 4, n);
constexpr ie_spec pdu_status = tlv(0x50, k::octets, "pdu_session_status", "9.11.3.44", 4, 34);
constexpr ie_spec t3346 = tlv(0x5f, k::octets, "t3346_value", "9.11.2.5", 3, 3);
constexpr ie_spec t3448 = tlv(0x6b, k::octets, "t3448_value", "9.11.2.5", 3, 3);
constexpr ie_spec cag_list = tlve(0x75, k::octets, "cag_information_list", "9.11.3.18A", 3, n);
constexpr ie_spec ext_cag_list =
    tlve(0x71, k::octets, "extended_cag_information_list", "9.11.3.18C", 3, n);
constexpr ie_spec ext_rejected =
    tlv(0x68, k::octets, "extended_rejected_nssai", "9.11.3.75", 5, 90);
constexpr ie_spec disaster_return =
    tlv(0x2c, k::octets, "disaster_return_wait_range", "9.11.3.84", 4, 4);
constexpr ie_spec lower_bound = tlv(0x3a, k::octets, "lower_bound_timer_value", "9.11.2.5", 3, 3);
constexpr ie_spec forbidden_roaming =
    tlv(0x1d, k::octets, "forbidden_tais_for_roaming", "9.11.3.9", 9, 114);
constexpr ie_spec forbidden_regional =
    tlv(0x1e, k::octets, "forbidden_tais_for_regional_provision", "9.11.3.9", 9, 114);
constexpr ie_spec gmm_cause_v = v(k::cause_5gmm, "gmm_cause", "9.11.3.2", 1);
constexpr ie_spec gmm_cause_tv = tv(0x58, k::cause_5gmm, "gmm_cause", "9.11.3.2", 2);
constexpr ie_spec gsm_cause_v = v(k::cause_5gsm, "gsm_cause", "9.11.4.2", 1);
constexpr ie_spec gsm_cause_tv = tv(0x59, k::cause_5gsm, "gsm_cause", "9.11.4.2", 2);
constexpr ie_spec back_off = tlv(0x37, k::octets, "back_off_timer_value", "9.11.2.5", 3, 3);
constexpr ie_spec congestion =
    tlv(0x61, k::octets, "congestion_reattempt_indicator", "9.11.4.21", 3, 3);
constexpr ie_spec slaa_72 = tlve(0x72, k::octets, "service_level_aa_container", "9.11.2.10", 6, n);
constexpr ie_spec header_compression =
    tlv(0x66, k::octets, "header_compression_configuration", "9.11.4.24", 5, 257);
constexpr ie_spec eth_header_compression =
    tlv(0x1f, k::octets, "ethernet_header_compression_configuration", "9.11.4.28", 3, 3);
constexpr ie_spec port_mgmt =
    tlve(0x74, k::octets, "port_management_information_container", "9.11.4.27", 8, n);
constexpr ie_spec mapped_eps =
    tlve(0x75, k::octets, "mapped_eps_bearer_contexts", "9.11.4.8", 7, n);

// --- 5GMM ----------------------------------------------------------------------------------

constexpr std::array registration_request{
    vh(k::registration_type, "registration_type", "9.11.3.7"),
    vh(k::ngksi, "ngksi", "9.11.3.32"),
    lve(k::mobile_identity, "mobile_identity", "9.11.3.4", 6, n),
    tvh(0xc0, k::ngksi, "non_current_native_nas_ksi", "9.11.3.32"),
    tlv(0x10, k::octets, "gmm_capability", "9.11.3.1", 3, 15),
    tlv(0x2e, k::ue_security_capability, "ue_security_capability", "9.11.3.54", 4, 10),
    tlv(0x2f, k::nssai, "requested_nssai", "9.11.3.37", 4, 74),
    tv(0x52, k::octets, "last_visited_registered_tai", "9.11.3.8", 7),
    tlv(0x17, k::octets, "s1_ue_network_capability", "9.11.3.48", 4, 15),
    tlv(0x40, k::octets, "uplink_data_status", "9.11.3.57", 4, 34),
    pdu_status,
    tvh(0xb0, k::half, "mico_indication", "9.11.3.31"),
    tlv(0x2b, k::octets, "ue_status", "9.11.3.56", 3, 3),
    tlve(0x77, k::mobile_identity, "additional_guti", "9.11.3.4", 14, 14),
    tlv(0x25, k::octets, "allowed_pdu_session_status", "9.11.3.13", 4, 34),
    tlv(0x18, k::octets, "ue_usage_setting", "9.11.3.55", 3, 3),
    tlv(0x51, k::octets, "requested_drx_parameters", "9.11.3.2A", 3, 3),
    tlve(0x70, k::octets, "eps_nas_message_container", "9.11.3.24", 4, n),
    tlve(0x74, k::octets, "ladn_indication", "9.11.3.29", 3, 811),
    tvh(0x80, k::payload_container_type, "payload_container_type", "9.11.3.40"),
    tlve(0x7b, k::payload_container, "payload_container", "9.11.3.39", 4, n),
    tvh(0x90, k::half, "network_slicing_indication", "9.11.3.36"),
    tlv(0x53, k::octets, "update_type", "9.11.3.9A", 3, 3),
    tlv(0x41, k::octets, "mobile_station_classmark_2", "9.11.3.31C", 5, 5),
    tlv(0x42, k::octets, "supported_codecs", "9.11.3.51A", 5, n),
    tlve(0x71, k::nas_message_container, "nas_message_container", "9.11.3.33", 4, n),
    tlv(0x60, k::octets, "eps_bearer_context_status", "9.11.3.23A", 4, 4),
    tlv(0x6e, k::octets, "requested_extended_drx_parameters", "9.11.3.26A", 3, 4),
    tlv(0x6a, k::octets, "t3324_value", "9.11.2.5", 3, 3),
    tlv(0x67, k::octets, "ue_radio_capability_id", "9.11.3.68", 3, n),
    tlv(0x35, k::octets, "requested_mapped_nssai", "9.11.3.84", 3, 42),
    tlv(0x48, k::octets, "additional_information_requested", "9.11.3.12A", 3, 3),
    tlv(0x1a, k::octets, "requested_wus_assistance_information", "9.11.3.71", 3, n),
    tvh(0xa0, k::half, "n5gc_indication", "9.11.3.72"),
    tlv(0x30, k::octets, "requested_nb_n1_mode_drx_parameters", "9.11.3.73", 3, 3),
    tlv(0x29, k::octets, "ue_request_type", "9.11.3.76", 3, 3),
    tlv(0x28, k::octets, "paging_restriction", "9.11.3.77", 3, 35),
    slaa_72,
    tlv(0x32, k::octets, "nid", "9.11.3.79", 8, 8),
    tlv(0x16, k::octets, "ms_determined_plmn_with_disaster_condition", "9.11.3.85", 5, 5),
    tlv(0x2a, k::octets, "requested_peips_assistance_information", "9.11.3.80", 3, n),
    tlv(0x3b, k::octets, "requested_t3512_value", "9.11.2.5", 3, 3),
};

constexpr std::array registration_accept{
    lv(k::registration_result, "registration_result", "9.11.3.6", 2, 2),
    tlve(0x77, k::mobile_identity, "guti", "9.11.3.4", 14, 14),
    tlv(0x4a, k::octets, "equivalent_plmns", "9.11.3.45", 5, 47),
    tlv(0x54, k::octets, "tai_list", "9.11.3.9", 9, 114),
    tlv(0x15, k::nssai, "allowed_nssai", "9.11.3.37", 4, 74),
    tlv(0x11, k::octets, "rejected_nssai", "9.11.3.46", 4, 42),
    tlv(0x31, k::nssai, "configured_nssai", "9.11.3.37", 4, 146),
    tlv(0x21, k::octets, "network_feature_support", "9.11.3.5", 3, 5),
    pdu_status,
    tlv(0x26, k::octets, "pdu_session_reactivation_result", "9.11.3.42", 4, 34),
    tlve(0x72, k::octets, "pdu_session_reactivation_result_error_cause", "9.11.3.43", 5, 515),
    tlve(0x79, k::octets, "ladn_information", "9.11.3.30", 12, 1715),
    tvh(0xb0, k::half, "mico_indication", "9.11.3.31"),
    tvh(0x90, k::half, "network_slicing_indication", "9.11.3.36"),
    tlv(0x27, k::octets, "service_area_list", "9.11.3.49", 6, 114),
    tlv(0x5e, k::octets, "t3512_value", "9.11.2.5", 3, 3),
    tlv(0x5d, k::octets, "non_3gpp_deregistration_timer_value", "9.11.2.4", 3, 3),
    tlv(0x16, k::octets, "t3502_value", "9.11.2.4", 3, 3),
    tlv(0x34, k::octets, "emergency_number_list", "9.11.3.23", 5, 50),
    tlve(0x7a, k::octets, "extended_emergency_number_list", "9.11.3.26", 7, n),
    tlve(0x73, k::octets, "sor_transparent_container", "9.11.3.51", 20, n),
    eap_tlve,
    tvh(0xa0, k::half, "nssai_inclusion_mode", "9.11.3.37A"),
    tlve(0x76, k::octets, "operator_defined_access_category_definitions", "9.11.3.38", 3, n),
    tlv(0x51, k::octets, "negotiated_drx_parameters", "9.11.3.2A", 3, 3),
    tvh(0xd0, k::half, "non_3gpp_nw_policies", "9.11.3.36A"),
    tlv(0x60, k::octets, "eps_bearer_context_status", "9.11.3.23A", 4, 4),
    tlv(0x6e, k::octets, "negotiated_extended_drx_parameters", "9.11.3.26A", 3, 4),
    tlv(0x6c, k::octets, "t3447_value", "9.11.2.5", 3, 3),
    t3448,
    tlv(0x6a, k::octets, "t3324_value", "9.11.2.5", 3, 3),
    tlv(0x67, k::octets, "ue_radio_capability_id", "9.11.3.68", 3, n),
    tvh(0xe0, k::half, "ue_radio_capability_id_deletion_indication", "9.11.3.69"),
    tlv(0x39, k::nssai, "pending_nssai", "9.11.3.37", 4, 74),
    tlve(0x74, k::octets, "ciphering_key_data", "9.11.3.18C", 34, n),
    cag_list,
    tlv(0x1b, k::octets, "truncated_s_tmsi_configuration", "9.11.3.70", 3, 3),
    tlv(0x1c, k::octets, "negotiated_wus_assistance_information", "9.11.3.71", 3, n),
    tlv(0x29, k::octets, "negotiated_nb_n1_mode_drx_parameters", "9.11.3.73", 3, 3),
    ext_rejected,
    tlve(0x7b, k::octets, "service_level_aa_container", "9.11.2.10", 6, n),
    tlv(0x33, k::octets, "negotiated_peips_assistance_information", "9.11.3.80", 3, n),
    tlv(0x35, k::octets, "additional_request_result", "9.11.3.81", 3, 3),
    tlve(0x70, k::octets, "nssrg_information", "9.11.3.82", 7, 4099),
    tlv(0x14, k::octets, "disaster_roaming_wait_range", "9.11.3.84", 4, 4),
    disaster_return,
    tlv(0x13, k::octets, "list_of_plmns_to_be_used_in_disaster_condition", "9.11.3.83", 2, n),
    forbidden_roaming,
    forbidden_regional,
    ext_cag_list,
    tlve(0x7c, k::octets, "nsag_information", "9.11.3.87", 9, 3143),
};

constexpr std::array registration_complete{
    tlve(0x73, k::octets, "sor_transparent_container", "9.11.3.51", 20, n),
};

constexpr std::array registration_reject{
    gmm_cause_v,
    t3346,
    tlv(0x16, k::octets, "t3502_value", "9.11.2.4", 3, 3),
    eap_tlve,
    tlv(0x69, k::octets, "rejected_nssai", "9.11.3.46", 4, 42),
    cag_list,
    ext_rejected,
    disaster_return,
    ext_cag_list,
    lower_bound,
    forbidden_roaming,
    forbidden_regional,
};

constexpr std::array deregistration_request_ue_originating{
    vh(k::deregistration_type, "deregistration_type", "9.11.3.20"),
    vh(k::ngksi, "ngksi", "9.11.3.32"),
    lve(k::mobile_identity, "mobile_identity", "9.11.3.4", 4, n),
};

constexpr std::array deregistration_request_ue_terminated{
    vh(k::deregistration_type, "deregistration_type", "9.11.3.20"),
    spare(),
    gmm_cause_tv,
    t3346,
    tlv(0x6d, k::octets, "rejected_nssai", "9.11.3.46", 4, 42),
    ext_rejected,
    disaster_return,
    ext_cag_list,
    lower_bound,
    forbidden_roaming,
    forbidden_regional,
};

constexpr std::array<ie_spec, 0> no_ies{};

constexpr std::array service_request{
    vh(k::ngksi, "ngksi", "9.11.3.32"),
    vh(k::service_type, "service_type", "9.11.3.50"),
    lve(k::mobile_identity, "s_tmsi", "9.11.3.4", 9, 9),
    tlv(0x40, k::octets, "uplink_data_status", "9.11.3.57", 4, 34),
    pdu_status,
    tlv(0x25, k::octets, "allowed_pdu_session_status", "9.11.3.13", 4, 34),
    tlve(0x71, k::nas_message_container, "nas_message_container", "9.11.3.33", 4, n),
};

constexpr std::array service_accept{
    pdu_status,
    tlv(0x26, k::octets, "pdu_session_reactivation_result", "9.11.3.42", 4, 34),
    tlve(0x72, k::octets, "pdu_session_reactivation_result_error_cause", "9.11.3.43", 5, 515),
    eap_tlve,
    t3448,
    tlv(0x34, k::octets, "additional_request_result", "9.11.3.81", 3, 3),
    forbidden_roaming,
    forbidden_regional,
};

constexpr std::array service_reject{
    gmm_cause_v, pdu_status, t3346, eap_tlve, t3448, cag_list, disaster_return, ext_cag_list,
    lower_bound, forbidden_roaming, forbidden_regional,
};

constexpr std::array configuration_update_command{
    tvh(0xd0, k::half, "configuration_update_indication", "9.11.3.18"),
    tlve(0x77, k::mobile_identity, "guti", "9.11.3.4", 14, 14),
    tlv(0x54, k::octets, "tai_list", "9.11.3.9", 9, 114),
    tlv(0x15, k::nssai, "allowed_nssai", "9.11.3.37", 4, 74),
    tlv(0x27, k::octets, "service_area_list", "9.11.3.49", 6, 114),
    tlv(0x43, k::octets, "full_name_for_network", "9.11.3.35", 3, n),
    tlv(0x45, k::octets, "short_name_for_network", "9.11.3.35", 3, n),
    tv(0x46, k::octets, "local_time_zone", "9.11.3.52", 2),
    tv(0x47, k::octets, "universal_time_and_local_time_zone", "9.11.3.53", 8),
    tlv(0x49, k::octets, "network_daylight_saving_time", "9.11.3.19", 3, 3),
    tlve(0x79, k::octets, "ladn_information", "9.11.3.30", 3, 1715),
    tvh(0xb0, k::half, "mico_indication", "9.11.3.31"),
    tvh(0x90, k::half, "network_slicing_indication", "9.11.3.36"),
    tlv(0x31, k::nssai, "configured_nssai", "9.11.3.37", 4, 146),
    tlv(0x11, k::octets, "rejected_nssai", "9.11.3.46", 4, 42),
    tlve(0x76, k::octets, "operator_defined_access_category_definitions", "9.11.3.38", 3, n),
    tvh(0xf0, k::half, "sms_indication", "9.11.3.50A"),
    tlv(0x6c, k::octets, "t3447_value", "9.11.2.5", 3, 3),
    cag_list,
    tlv(0x67, k::octets, "ue_radio_capability_id", "9.11.3.68", 3, n),
    tvh(0xa0, k::half, "ue_radio_capability_id_deletion_indication", "9.11.3.69"),
    tlv(0x44, k::registration_result, "registration_result", "9.11.3.6", 3, 3),
    tlv(0x1b, k::octets, "truncated_s_tmsi_configuration", "9.11.3.70", 3, 3),
    tvh(0xc0, k::half, "additional_configuration_indication", "9.11.3.74"),
    ext_rejected,
    slaa_72,
    tlve(0x70, k::octets, "nssrg_information", "9.11.3.82", 7, 4099),
    tlv(0x14, k::octets, "disaster_roaming_wait_range", "9.11.3.84", 4, 4),
    disaster_return,
    tlv(0x13, k::octets, "list_of_plmns_to_be_used_in_disaster_condition", "9.11.3.83", 2, n),
    forbidden_roaming,
    forbidden_regional,
    ext_cag_list,
    tlve(0x7c, k::octets, "nsag_information", "9.11.3.87", 9, 3143),
};

constexpr std::array authentication_request{
    vh(k::ngksi, "ngksi", "9.11.3.32"),
    spare(),
    lv(k::abba, "abba", "9.11.3.10", 3, n),
    tv(0x21, k::rand, "rand", "9.11.3.16", 17),
    tlv(0x20, k::autn, "autn", "9.11.3.15", 18, 18),
    eap_tlve,
};

constexpr std::array authentication_response{
    tlv(0x2d, k::res_star, "res_star", "9.11.3.17", 18, 18),
    eap_tlve,
};

constexpr std::array authentication_reject{eap_tlve};

constexpr std::array authentication_failure{
    gmm_cause_v,
    tlv(0x30, k::auts, "auts", "9.11.3.14", 16, 16),
};

constexpr std::array authentication_result{
    vh(k::ngksi, "ngksi", "9.11.3.32"),
    spare(),
    lve(k::eap_message, "eap_message", "9.11.2.2", 7, 1503),
    tlv(0x38, k::abba, "abba", "9.11.3.10", 4, n),
};

constexpr std::array identity_request{
    vh(k::identity_type, "identity_type", "9.11.3.3"),
    spare(),
};

constexpr std::array identity_response{
    lve(k::mobile_identity, "mobile_identity", "9.11.3.4", 3, n),
};

constexpr std::array security_mode_command{
    v(k::nas_security_algorithms, "selected_nas_security_algorithms", "9.11.3.34", 1),
    vh(k::ngksi, "ngksi", "9.11.3.32"),
    spare(),
    lv(k::ue_security_capability, "replayed_ue_security_capabilities", "9.11.3.54", 3, 9),
    tvh(0xe0, k::imeisv_request, "imeisv_request", "9.11.3.28"),
    tv(0x57, k::eps_nas_security_algorithms, "selected_eps_nas_security_algorithms", "9.11.3.25",
       2),
    tlv(0x36, k::octets, "additional_security_information", "9.11.3.12", 3, 3),
    eap_tlve,
    tlv(0x38, k::abba, "abba", "9.11.3.10", 4, n),
    tlv(0x19, k::octets, "replayed_s1_ue_security_capabilities", "9.11.3.48A", 4, 7),
};

constexpr std::array security_mode_complete{
    tlve(0x77, k::mobile_identity, "imeisv", "9.11.3.4", 12, 12),
    tlve(0x71, k::nas_message_container, "nas_message_container", "9.11.3.33", 4, n),
    tlve(0x78, k::mobile_identity, "non_imeisv_pei", "9.11.3.4", 7, n),
};

constexpr std::array cause_only_5gmm{gmm_cause_v};

constexpr std::array notification{
    vh(k::half, "access_type", "9.11.2.1A"),
    spare(),
};

constexpr std::array notification_response{pdu_status};

constexpr std::array ul_nas_transport{
    vh(k::payload_container_type, "payload_container_type", "9.11.3.40"),
    spare(),
    lve(k::payload_container, "payload_container", "9.11.3.39", 3, n),
    tv(0x12, k::pdu_session_id, "pdu_session_id", "9.11.3.41", 2),
    tv(0x59, k::pdu_session_id, "old_pdu_session_id", "9.11.3.41", 2),
    tvh(0x80, k::half, "request_type", "9.11.3.47"),
    tlv(0x22, k::s_nssai, "s_nssai", "9.11.2.8", 3, 10),
    tlv(0x25, k::dnn, "dnn", "9.11.2.1B", 3, 102),
    tlv(0x24, k::octets, "additional_information", "9.11.2.1", 3, n),
    tvh(0xa0, k::half, "ma_pdu_session_information", "9.11.3.31A"),
    tvh(0xf0, k::half, "release_assistance_indication", "9.11.3.46A"),
};

constexpr std::array dl_nas_transport{
    vh(k::payload_container_type, "payload_container_type", "9.11.3.40"),
    spare(),
    lve(k::payload_container, "payload_container", "9.11.3.39", 3, n),
    tv(0x12, k::pdu_session_id, "pdu_session_id", "9.11.3.41", 2),
    tlv(0x24, k::octets, "additional_information", "9.11.2.1", 3, n),
    gmm_cause_tv,
    back_off,
    lower_bound,
};

// --- 5GSM ----------------------------------------------------------------------------------

constexpr std::array pdu_session_establishment_request{
    v(k::octets, "integrity_protection_maximum_data_rate", "9.11.4.7", 2),
    tvh(0x90, k::pdu_session_type, "pdu_session_type", "9.11.4.11"),
    tvh(0xa0, k::ssc_mode, "ssc_mode", "9.11.4.16"),
    tlv(0x28, k::octets, "gsm_capability", "9.11.4.1", 3, 15),
    tv(0x55, k::octets, "maximum_number_of_supported_packet_filters", "9.11.4.9", 3),
    tvh(0xb0, k::half, "always_on_pdu_session_requested", "9.11.4.4"),
    tlv(0x39, k::octets, "sm_pdu_dn_request_container", "9.11.4.15", 3, 255),
    epco,
    header_compression,
    tlv(0x6e, k::octets, "ds_tt_ethernet_port_mac_address", "9.11.4.25", 8, 8),
    tlv(0x6f, k::octets, "ue_ds_tt_residence_time", "9.11.4.26", 10, 10),
    port_mgmt,
    eth_header_compression,
    tlv(0x29, k::octets, "suggested_interface_identifier", "9.11.4.10", 11, 11),
    slaa_72,
    tlve(0x70, k::octets, "requested_mbs_container", "9.11.4.30", 8, n),
    tlv(0x34, k::octets, "pdu_session_pair_id", "9.11.4.32", 3, 3),
    tlv(0x35, k::octets, "rsn", "9.11.4.33", 3, 3),
};

constexpr std::array pdu_session_establishment_accept{
    vh(k::pdu_session_type, "selected_pdu_session_type", "9.11.4.11"),
    vh(k::ssc_mode, "selected_ssc_mode", "9.11.4.16"),
    lve(k::octets, "authorized_qos_rules", "9.11.4.13", 6, n),
    lv(k::octets, "session_ambr", "9.11.4.14", 7, 7),
    gsm_cause_tv,
    tlv(0x29, k::octets, "pdu_address", "9.11.4.10", 7, 31),
    tv(0x56, k::octets, "rq_timer_value", "9.11.2.3", 2),
    tlv(0x22, k::s_nssai, "s_nssai", "9.11.2.8", 3, 10),
    tvh(0x80, k::half, "always_on_pdu_session_indication", "9.11.4.3"),
    mapped_eps,
    eap_tlve,
    tlve(0x79, k::octets, "authorized_qos_flow_descriptions", "9.11.4.12", 6, n),
    epco,
    tlv(0x25, k::dnn, "dnn", "9.11.2.1B", 3, 102),
    tlv(0x17, k::octets, "gsm_network_feature_support", "9.11.4.18", 3, 15),
    tlv(0x18, k::octets, "serving_plmn_rate_control", "9.11.4.20", 4, 4),
    tlve(0x77, k::octets, "atsss_container", "9.11.4.22", 3, n),
    tvh(0xc0, k::half, "control_plane_only_indication", "9.11.4.23"),
    header_compression,
    eth_header_compression,
    slaa_72,
    tlve(0x70, k::octets, "received_mbs_container", "9.11.4.31", 9, n),
};

constexpr std::array pdu_session_establishment_reject{
    gsm_cause_v,
    back_off,
    tvh(0xf0, k::half, "allowed_ssc_mode", "9.11.4.5"),
    eap_tlve,
    congestion,
    epco,
    tlv(0x1d, k::octets, "reattempt_indicator", "9.11.4.17", 3, 3),
    slaa_72,
};

constexpr std::array pdu_session_authentication_command{
    lve(k::eap_message, "eap_message", "9.11.2.2", 6, 1502),
    epco,
};

constexpr std::array pdu_session_authentication_result{eap_tlve, epco};

constexpr std::array pdu_session_modification_request{
    tlv(0x28, k::octets, "gsm_capability", "9.11.4.1", 3, 15),
    gsm_cause_tv,
    tv(0x55, k::octets, "maximum_number_of_supported_packet_filters", "9.11.4.9", 3),
    tvh(0xb0, k::half, "always_on_pdu_session_requested", "9.11.4.4"),
    tv(0x13, k::octets, "integrity_protection_maximum_data_rate", "9.11.4.7", 3),
    tlve(0x7a, k::octets, "requested_qos_rules", "9.11.4.13", 7, n),
    tlve(0x79, k::octets, "requested_qos_flow_descriptions", "9.11.4.12", 6, n),
    mapped_eps,
    epco,
    port_mgmt,
    header_compression,
    eth_header_compression,
    tlve(0x70, k::octets, "requested_mbs_container", "9.11.4.30", 8, n),
    slaa_72,
};

constexpr std::array pdu_session_modification_reject{
    gsm_cause_v, back_off, congestion, epco,
    tlv(0x1d, k::octets, "reattempt_indicator", "9.11.4.17", 3, 3),
};

constexpr std::array pdu_session_modification_command{
    gsm_cause_tv,
    tlv(0x2a, k::octets, "session_ambr", "9.11.4.14", 8, 8),
    tv(0x56, k::octets, "rq_timer_value", "9.11.2.3", 2),
    tvh(0x80, k::half, "always_on_pdu_session_indication", "9.11.4.3"),
    tlve(0x7a, k::octets, "authorized_qos_rules", "9.11.4.13", 7, n),
    mapped_eps,
    tlve(0x79, k::octets, "authorized_qos_flow_descriptions", "9.11.4.12", 6, n),
    epco,
    tlve(0x77, k::octets, "atsss_container", "9.11.4.22", 3, n),
    header_compression,
    port_mgmt,
    eth_header_compression,
    slaa_72,
};

constexpr std::array pdu_session_modification_complete{epco, port_mgmt};

constexpr std::array cause_epco_5gsm{gsm_cause_v, epco};

constexpr std::array pdu_session_release_request{gsm_cause_tv, epco};

constexpr std::array pdu_session_release_command{
    gsm_cause_v, back_off, eap_tlve, congestion, epco,
    tvh(0xd0, k::half, "access_type", "9.11.2.1A"),
};

constexpr std::array cause_only_5gsm{gsm_cause_v};

constexpr auto mm = epd::mobility_management;
constexpr auto sm = epd::session_management;

constexpr message_spec spec(epd e, message_type t, const char* id, const char* name,
                            const char* clause, std::span<const ie_spec> ies) {
  std::uint16_t mandatory = 0;
  while (mandatory < ies.size() && ies[mandatory].presence == presence::mandatory) ++mandatory;
  return {e, static_cast<std::uint8_t>(t), name, clause, ies, id, mandatory};
}

using mt = message_type;

constexpr std::array all_specs{
    spec(mm, mt::registration_request, "registration_request", "RegistrationRequest", "8.2.6",
         registration_request),
    spec(mm, mt::registration_accept, "registration_accept", "RegistrationAccept", "8.2.7",
         registration_accept),
    spec(mm, mt::registration_complete, "registration_complete", "RegistrationComplete", "8.2.8",
         registration_complete),
    spec(mm, mt::registration_reject, "registration_reject", "RegistrationReject", "8.2.9",
         registration_reject),
    spec(mm, mt::deregistration_request_ue_originating, "deregistration_request_ue_originating",
         "DeregistrationRequestUEOriginating", "8.2.12", deregistration_request_ue_originating),
    spec(mm, mt::deregistration_accept_ue_originating, "deregistration_accept_ue_originating",
         "DeregistrationAcceptUEOriginating", "8.2.13", no_ies),
    spec(mm, mt::deregistration_request_ue_terminated, "deregistration_request_ue_terminated",
         "DeregistrationRequestUETerminated", "8.2.14", deregistration_request_ue_terminated),
    spec(mm, mt::deregistration_accept_ue_terminated, "deregistration_accept_ue_terminated",
         "DeregistrationAcceptUETerminated", "8.2.15", no_ies),
    spec(mm, mt::service_request, "service_request", "ServiceRequest", "8.2.16", service_request),
    spec(mm, mt::service_accept, "service_accept", "ServiceAccept", "8.2.17", service_accept),
    spec(mm, mt::service_reject, "service_reject", "ServiceReject", "8.2.18", service_reject),
    spec(mm, mt::configuration_update_command, "configuration_update_command",
         "ConfigurationUpdateCommand", "8.2.19", configuration_update_command),
    spec(mm, mt::configuration_update_complete, "configuration_update_complete",
         "ConfigurationUpdateComplete", "8.2.20", no_ies),
    spec(mm, mt::authentication_request, "authentication_request", "AuthenticationRequest", "8.2.1",
         authentication_request),
    spec(mm, mt::authentication_response, "authentication_response", "AuthenticationResponse",
         "8.2.2", authentication_response),
    spec(mm, mt::authentication_result, "authentication_result", "AuthenticationResult", "8.2.3",
         authentication_result),
    spec(mm, mt::authentication_failure, "authentication_failure", "AuthenticationFailure", "8.2.4",
         authentication_failure),
    spec(mm, mt::authentication_reject, "authentication_reject", "AuthenticationReject", "8.2.5",
         authentication_reject),
    spec(mm, mt::identity_request, "identity_request", "IdentityRequest", "8.2.21",
         identity_request),
    spec(mm, mt::identity_response, "identity_response", "IdentityResponse", "8.2.22",
         identity_response),
    spec(mm, mt::notification, "notification", "Notification", "8.2.23", notification),
    spec(mm, mt::notification_response, "notification_response", "NotificationResponse", "8.2.24",
         notification_response),
    spec(mm, mt::security_mode_command, "security_mode_command", "SecurityModeCommand", "8.2.25",
         security_mode_command),
    spec(mm, mt::security_mode_complete, "security_mode_complete", "SecurityModeComplete", "8.2.26",
         security_mode_complete),
    spec(mm, mt::security_mode_reject, "security_mode_reject", "SecurityModeReject", "8.2.27",
         cause_only_5gmm),
    spec(mm, mt::status_5gmm, "5gmm_status", "5GMMStatus", "8.2.29", cause_only_5gmm),
    spec(mm, mt::ul_nas_transport, "ul_nas_transport", "ULNASTransport", "8.2.10",
         ul_nas_transport),
    spec(mm, mt::dl_nas_transport, "dl_nas_transport", "DLNASTransport", "8.2.11",
         dl_nas_transport),
    spec(sm, mt::pdu_session_establishment_request, "pdu_session_establishment_request",
         "PDUSessionEstablishmentRequest", "8.3.1", pdu_session_establishment_request),
    spec(sm, mt::pdu_session_establishment_accept, "pdu_session_establishment_accept",
         "PDUSessionEstablishmentAccept", "8.3.2", pdu_session_establishment_accept),
    spec(sm, mt::pdu_session_establishment_reject, "pdu_session_establishment_reject",
         "PDUSessionEstablishmentReject", "8.3.3", pdu_session_establishment_reject),
    spec(sm, mt::pdu_session_authentication_command, "pdu_session_authentication_command",
         "PDUSessionAuthenticationCommand", "8.3.4", pdu_session_authentication_command),
    spec(sm, mt::pdu_session_authentication_complete, "pdu_session_authentication_complete",
         "PDUSessionAuthenticationComplete", "8.3.5", pdu_session_authentication_command),
    spec(sm, mt::pdu_session_authentication_result, "pdu_session_authentication_result",
         "PDUSessionAuthenticationResult", "8.3.6", pdu_session_authentication_result),
    spec(sm, mt::pdu_session_modification_request, "pdu_session_modification_request",
         "PDUSessionModificationRequest", "8.3.7", pdu_session_modification_request),
    spec(sm, mt::pdu_session_modification_reject, "pdu_session_modification_reject",
         "PDUSessionModificationReject", "8.3.8", pdu_session_modification_reject),
    spec(sm, mt::pdu_session_modification_command, "pdu_session_modification_command",
         "PDUSessionModificationCommand", "8.3.9", pdu_session_modification_command),
    spec(sm, mt::pdu_session_modification_complete, "pdu_session_modification_complete",
         "PDUSessionModificationComplete", "8.3.10", pdu_session_modification_complete),
    spec(sm, mt::pdu_session_modification_command_reject, "pdu_session_modification_command_reject",
         "PDUSessionModificationCommandReject", "8.3.11", cause_epco_5gsm),
    spec(sm, mt::pdu_session_release_request, "pdu_session_release_request",
         "PDUSessionReleaseRequest", "8.3.12", pdu_session_release_request),
    spec(sm, mt::pdu_session_release_reject, "pdu_session_release_reject",
         "PDUSessionReleaseReject", "8.3.13", cause_epco_5gsm),
    spec(sm, mt::pdu_session_release_command, "pdu_session_release_command",
         "PDUSessionReleaseCommand", "8.3.14", pdu_session_release_command),
    spec(sm, mt::pdu_session_release_complete, "pdu_session_release_complete",
         "PDUSessionReleaseComplete", "8.3.15", pdu_session_release_request),
    spec(sm, mt::status_5gsm, "5gsm_status", "5GSMStatus", "8.3.16", cause_only_5gsm),
};

// Direct index: 5GMM types 0x40-0x7f and 5GSM types 0xc0-0xff -> position in all_specs + 1.
struct spec_index {
  std::array<std::uint8_t, 64> mm{};
  std::array<std::uint8_t, 64> sm{};
};

constexpr spec_index make_index() {
  spec_index idx{};
  for (std::size_t i = 0; i < all_specs.size(); ++i) {
    const auto& s = all_specs[i];
    auto& tab = s.epd == mm ? idx.mm : idx.sm;
    tab[s.type & 0x3f] = static_cast<std::uint8_t>(i + 1);
  }
  return idx;
}
constexpr spec_index index = make_index();

// Names of message types that have no table (header-only decoding).
struct extra_name {
  std::uint8_t type;
  const char* name;
};
constexpr std::array extra_mm_names{
    extra_name{0x4f, "ControlPlaneServiceRequest"},
    extra_name{0x50, "NetworkSliceSpecificAuthenticationCommand"},
    extra_name{0x51, "NetworkSliceSpecificAuthenticationComplete"},
    extra_name{0x52, "NetworkSliceSpecificAuthenticationResult"},
    extra_name{0x69, "RelayKeyRequest"},
    extra_name{0x6a, "RelayKeyAccept"},
    extra_name{0x6b, "RelayKeyReject"},
    extra_name{0x6c, "RelayAuthenticationRequest"},
    extra_name{0x6d, "RelayAuthenticationResponse"},
};

}  // namespace

const message_spec* find_message_spec(epd protocol, std::uint8_t type) noexcept {
  std::uint8_t at = 0;
  if (protocol == mm && (type & 0xc0) == 0x40) at = index.mm[type & 0x3f];
  if (protocol == sm && (type & 0xc0) == 0xc0) at = index.sm[type & 0x3f];
  return at == 0 ? nullptr : &all_specs[at - 1u];
}

const char* message_name(epd protocol, std::uint8_t type) noexcept {
  if (const auto* s = find_message_spec(protocol, type)) return s->name;
  if (protocol == mm) {
    for (const auto& e : extra_mm_names) {
      if (e.type == type) return e.name;
    }
  }
  return nullptr;
}

std::span<const message_spec> all_message_specs() noexcept { return all_specs; }

}  // namespace sec5g::nas
