#pragma once
/// Domain structs of the 5GMM messages the synthesizer builds, and their encoders. Each encoder
/// turns the struct into ie_values and runs the table-driven encode_message (same tables as the
/// decoder), appending a plain message to `out`; wrap it with encode_protected for header types
/// 1-4. Optional IEs are std::optional / empty views (absent when empty). Views must stay valid
/// during the call only. Ref: TS 24.501 8.2

#include <cstdint>
#include <expected>
#include <optional>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/nas/ies.hpp"
#include "sec5g/nas/nas.hpp"

namespace sec5g::nas::msg {

/// Registration Request (8.2.6).
struct registration_request {
  nas::registration_type type{};
  nas::ngksi ksi{};
  identity::mobile_identity mobile_identity = identity::no_identity{};
  std::optional<nas::ue_security_capability> ue_security_capability;
  bytes_view gmm_capability;                    ///< 5GMM capability value (IEI 0x10)
  std::span<const s_nssai> requested_nssai;     ///< IEI 0x2F when not empty
  bytes_view last_visited_registered_tai;       ///< 6 octets (IEI 0x52) when not empty
  bytes_view nas_message_container;             ///< IEI 0x71: the full (ciphered) message
  bytes_view pdu_session_status;                ///< IEI 0x50
  bytes_view uplink_data_status;                ///< IEI 0x40
};

/// Registration Accept (8.2.7).
struct registration_accept {
  nas::registration_result result{};
  std::optional<identity::guti_5g> guti;        ///< IEI 0x77
  bytes_view tai_list;                          ///< IEI 0x54 (value)
  std::span<const s_nssai> allowed_nssai;       ///< IEI 0x15 when not empty
  bytes_view network_feature_support;           ///< IEI 0x21
  bytes_view t3512_value;                       ///< IEI 0x5E (GPRS timer 3 octet)
};

/// Registration Reject (8.2.9), Security Mode Reject (8.2.27), Service Reject (8.2.18),
/// 5GMM Status (8.2.29): a 5GMM cause.
struct cause_only {
  std::uint8_t gmm_cause = 0;
};

/// Authentication Request (8.2.1).
struct authentication_request {
  nas::ngksi ksi{};
  bytes_view abba;                              ///< usually 00 00
  std::optional<byte_array<16>> rand;
  std::optional<byte_array<16>> autn;
  bytes_view eap_message;                       ///< EAP-AKA' (IEI 0x78) when not empty
};

/// Authentication Response (8.2.2).
struct authentication_response {
  std::optional<byte_array<16>> res_star;
  bytes_view eap_message;
};

/// Authentication Failure (8.2.4).
struct authentication_failure {
  std::uint8_t gmm_cause = 20;                  ///< 20 MAC failure, 21 synch failure, 26 non-5G
  std::optional<byte_array<14>> auts;           ///< with cause 21
};

/// Authentication Reject (8.2.5).
struct authentication_reject {
  bytes_view eap_message;
};

/// Authentication Result (8.2.3).
struct authentication_result {
  nas::ngksi ksi{};
  bytes_view eap_message;                       ///< mandatory
  bytes_view abba;                              ///< IEI 0x38 when not empty
};

/// Security Mode Command (8.2.25).
struct security_mode_command {
  nas_security_algorithms selected{};
  nas::ngksi ksi{};
  ue_security_capability replayed{};
  bool imeisv_request = false;
  std::optional<std::uint8_t> additional_security_information;  ///< IEI 0x36 (RINMR, HDP)
  bytes_view abba;                              ///< IEI 0x38 when not empty
  bytes_view eap_message;
};

/// Security Mode Complete (8.2.26).
struct security_mode_complete {
  std::optional<identity::imeisv> imeisv;       ///< IEI 0x77
  bytes_view nas_message_container;             ///< IEI 0x71
};

/// Identity Request (8.2.21).
struct identity_request {
  identity::mobile_identity_type type = identity::mobile_identity_type::suci;
};

/// Identity Response (8.2.22).
struct identity_response {
  identity::mobile_identity mobile_identity = identity::no_identity{};
};

/// De-registration Request, UE originating (8.2.12).
struct deregistration_request_ue_originating {
  nas::deregistration_type type{};
  nas::ngksi ksi{};
  identity::mobile_identity mobile_identity = identity::no_identity{};
};

/// De-registration Request, UE terminated (8.2.14).
struct deregistration_request_ue_terminated {
  nas::deregistration_type type{};
  std::optional<std::uint8_t> gmm_cause;        ///< IEI 0x58
};

/// Service Request (8.2.16).
struct service_request {
  nas::ngksi ksi{};
  std::uint8_t service_type = 0;                ///< 0 signalling, 1 data, ...
  identity::s_tmsi_5g s_tmsi{};
  bytes_view uplink_data_status;
  bytes_view pdu_session_status;
  bytes_view nas_message_container;
};

/// Service Accept (8.2.17).
struct service_accept {
  bytes_view pdu_session_status;
  bytes_view pdu_session_reactivation_result;
};

/// Configuration Update Command (8.2.19).
struct configuration_update_command {
  std::optional<std::uint8_t> indication;       ///< IEI D- (ACK, RED bits)
  std::optional<identity::guti_5g> guti;
  bytes_view tai_list;
  std::span<const s_nssai> allowed_nssai;
  bytes_view full_name_for_network;
};

/// UL NAS Transport (8.2.10).
struct ul_nas_transport {
  payload_container_type payload_type = payload_container_type::n1_sm_information;
  bytes_view payload;                           ///< e.g. an encoded 5GSM message
  std::optional<std::uint8_t> pdu_session_id;
  std::optional<std::uint8_t> request_type;     ///< 1 initial request, 2 existing, ...
  std::optional<nas::s_nssai> s_nssai;
  bytes_view dnn;                               ///< DNN value (length-prefixed labels)
};

/// DL NAS Transport (8.2.11).
struct dl_nas_transport {
  payload_container_type payload_type = payload_container_type::n1_sm_information;
  bytes_view payload;
  std::optional<std::uint8_t> pdu_session_id;
  std::optional<std::uint8_t> gmm_cause;        ///< IEI 0x58
};

/// Encoders: each appends the plain message to `out` (nothing appended on error, e.g. a field
/// value the table refuses: encode_error names the IE).
std::expected<void, encode_error> encode(const registration_request& m, byte_buffer& out);
std::expected<void, encode_error> encode(const registration_accept& m, byte_buffer& out);
/// Registration Complete (8.2.8), Configuration Update Complete (8.2.20), De-registration
/// Accept (8.2.13, 8.2.15): messages without IEs, by type.
std::expected<void, encode_error> encode_empty(message_type type, byte_buffer& out);
/// Registration Reject, Security Mode Reject, Service Reject, 5GMM Status, by type.
std::expected<void, encode_error> encode(message_type type, const cause_only& m, byte_buffer& out);
std::expected<void, encode_error> encode(const authentication_request& m, byte_buffer& out);
std::expected<void, encode_error> encode(const authentication_response& m, byte_buffer& out);
std::expected<void, encode_error> encode(const authentication_failure& m, byte_buffer& out);
std::expected<void, encode_error> encode(const authentication_reject& m, byte_buffer& out);
std::expected<void, encode_error> encode(const authentication_result& m, byte_buffer& out);
std::expected<void, encode_error> encode(const security_mode_command& m, byte_buffer& out);
std::expected<void, encode_error> encode(const security_mode_complete& m, byte_buffer& out);
std::expected<void, encode_error> encode(const identity_request& m, byte_buffer& out);
std::expected<void, encode_error> encode(const identity_response& m, byte_buffer& out);
std::expected<void, encode_error> encode(const deregistration_request_ue_originating& m,
                                         byte_buffer& out);
std::expected<void, encode_error> encode(const deregistration_request_ue_terminated& m,
                                         byte_buffer& out);
std::expected<void, encode_error> encode(const service_request& m, byte_buffer& out);
std::expected<void, encode_error> encode(const service_accept& m, byte_buffer& out);
std::expected<void, encode_error> encode(const configuration_update_command& m, byte_buffer& out);
std::expected<void, encode_error> encode(const ul_nas_transport& m, byte_buffer& out);
std::expected<void, encode_error> encode(const dl_nas_transport& m, byte_buffer& out);

}  // namespace sec5g::nas::msg
