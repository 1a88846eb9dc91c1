#pragma once
// NAS-5GS messages as the synthesized UE and AMF send them, and the security protected envelope
// with real 128-NEA/NIA. The contents (IE values) are chosen here; the bytes come from the nas
// module's encoders (sec5g::nas::msg::encode for 5GMM, the table-driven nas::encode_message for
// 5GSM, nas::encode_protected for the envelope), the same tables the decoder reads.
// Each builder returns the plain message, or an empty buffer if the encoder refused a value (a
// bug of the synthesizer: protect() and the NGAP builders refuse an empty NAS message).

#include <cstdint>
#include <optional>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/identity/mobile_identity.hpp"

namespace sec5g::synth::detail {

/// BEARER input of NAS NEA/NIA: the NAS connection identifier, 1 for 3GPP access (as Open5GS
/// and free5GC use it). Ref: TS 33.501 6.4.3.1 / D.2.1, TS 24.501 4.4.3.
inline constexpr std::uint8_t nas_bearer_3gpp = 1;

/// UE security capability octets (bit 8 = algorithm 0). Ref: TS 24.501 9.11.3.54.
struct ue_caps {
  std::uint8_t ea = 0xF0;
  std::uint8_t ia = 0xF0;
  std::uint8_t eea = 0xF0;
  std::uint8_t eia = 0x70;
  friend bool operator==(const ue_caps&, const ue_caps&) = default;
};

namespace nasb {

// ---- 5GMM, Ref: TS 24.501 8.2 ----
/// Registration Request (8.2.6), initial registration with follow-on request. `cleartext_only`:
/// only the IEs of 4.4.6 (initial message); otherwise also 5GMM capability and requested NSSAI
/// (the copy sent in the NAS container).
byte_buffer registration_request(std::uint8_t ngksi, const identity::mobile_identity& id,
                                 const ue_caps& caps, bool cleartext_only);
/// Registration Request of type "periodic registration updating" (8.2.6, 9.11.3.7), no
/// follow-on request, with the 5G-GUTI and the UE security capability (cleartext IEs, 4.4.6),
/// plus the PDU session status (a non-cleartext IE) when `pdu_session_status` is not empty
/// (the complete message) or the NAS message container `container` when that is not empty
/// (the message sent: the complete message ciphered).
byte_buffer registration_request_periodic(std::uint8_t ngksi, const identity::guti_5g& guti,
                                          const ue_caps& caps,
                                          bytes_view pdu_session_status = {},
                                          bytes_view container = {});
/// PSI bitmap of the PDU session status / Uplink data status IEs naming PDU session `psi`.
byte_array<2> psi_bitmap(std::uint8_t psi);
/// Authentication Request with ABBA 0000 and RAND/AUTN (8.2.1), or with an EAP message.
byte_buffer authentication_request(std::uint8_t ngksi, std::span<const std::uint8_t, 16> rand,
                                   std::span<const std::uint8_t, 16> autn);
byte_buffer authentication_request_eap(std::uint8_t ngksi, bytes_view eap);
/// Authentication Response with RES* (8.2.2) or an EAP message.
byte_buffer authentication_response(std::span<const std::uint8_t, 16> res_star);
byte_buffer authentication_response_eap(bytes_view eap);
/// Authentication Failure (8.2.4) with a 5GMM cause (#20 MAC failure, #21 synch failure ...).
byte_buffer authentication_failure(std::uint8_t cause,
                                   std::optional<std::span<const std::uint8_t, 14>> auts);
/// Authentication Reject (8.2.5).
byte_buffer authentication_reject();
/// Security Mode Command (8.2.25) with the replayed UE security capabilities, IMEISV request,
/// additional 5G security information (RINMR) and optionally an EAP message (EAP-Success).
byte_buffer security_mode_command(std::uint8_t nea, std::uint8_t nia, std::uint8_t ngksi,
                                  const ue_caps& replayed, std::optional<bytes_view> eap);
/// Security Mode Complete (8.2.26) with the IMEISV and the whole Registration Request.
byte_buffer security_mode_complete(const identity::imeisv& imeisv, bytes_view nas_container);
/// Security Mode Reject (8.2.27).
byte_buffer security_mode_reject(std::uint8_t cause);
/// Identity Request (8.2.21) for an identity type (SUCI, IMEI, IMEISV ...).
byte_buffer identity_request(identity::mobile_identity_type type);
/// Identity Response (8.2.22).
byte_buffer identity_response(const identity::mobile_identity& id);
/// Registration Accept (8.2.7) with a new 5G-GUTI, a TAI list and the allowed NSSAI.
byte_buffer registration_accept(const identity::guti_5g& guti,
                                std::span<const std::uint8_t, 3> plmn, std::uint32_t tac);
byte_buffer registration_complete();
/// Registration Reject (8.2.9).
byte_buffer registration_reject(std::uint8_t cause);
/// UL NAS Transport (8.2.10) carrying a 5GSM message for PDU session `psi`.
byte_buffer ul_nas_transport_sm(std::uint8_t psi, bytes_view sm, bool initial_request);
/// DL NAS Transport (8.2.11) carrying a 5GSM message for PDU session `psi`.
byte_buffer dl_nas_transport_sm(std::uint8_t psi, bytes_view sm);
/// Service Request (8.2.16) with the 5G-S-TMSI.
byte_buffer service_request(std::uint8_t ngksi, std::uint8_t service_type,
                            const identity::s_tmsi_5g& s_tmsi);
/// Service Request of service type "data" with the 5G-S-TMSI, and the Uplink data status and
/// PDU session status IEs (9.11.3.57, 9.11.3.44) both naming PDU session `psi` (1..15).
/// These are not cleartext IEs (4.4.6): with a valid context the message travels in the NAS
/// message container of service_request_container().
byte_buffer service_request_data(std::uint8_t ngksi, const identity::s_tmsi_5g& s_tmsi,
                                 std::uint8_t psi);
/// Service Request of service type "data" carrying the cleartext IEs and `container`, the
/// complete Service Request with its value ciphered (NAS message container, IEI 0x71).
byte_buffer service_request_container(std::uint8_t ngksi, const identity::s_tmsi_5g& s_tmsi,
                                      bytes_view container);
byte_buffer service_accept();
/// De-registration Request, UE originating (8.2.12), normal, 3GPP access, with the 5G-GUTI.
byte_buffer deregistration_request(std::uint8_t ngksi, const identity::guti_5g& guti);
byte_buffer deregistration_accept();

// ---- 5GSM, Ref: TS 24.501 8.3 ----
byte_buffer pdu_session_establishment_request(std::uint8_t psi, std::uint8_t pti);
byte_buffer pdu_session_establishment_accept(std::uint8_t psi, std::uint8_t pti,
                                             std::span<const std::uint8_t, 4> ue_ip);
/// PDU Session Release Request (8.3.12), UE requested, no IEs.
byte_buffer pdu_session_release_request(std::uint8_t psi, std::uint8_t pti);
/// PDU Session Release Command (8.3.14) with a 5GSM cause (#36 regular deactivation).
byte_buffer pdu_session_release_command(std::uint8_t psi, std::uint8_t pti, std::uint8_t cause);
/// PDU Session Release Complete (8.3.15), no IEs.
byte_buffer pdu_session_release_complete(std::uint8_t psi, std::uint8_t pti);

}  // namespace nasb

/// NAS security context of one side (keys and the COUNTs of both directions).
struct nas_security {
  key128 k_enc;
  key128 k_int;
  std::uint8_t nea = 0;
  std::uint8_t nia = 0;
  std::uint32_t ul_count = 0;
  std::uint32_t dl_count = 0;
};

/// Protects `plain` with header type `sht` (1-4): ciphers (types 2, 4) with NEA, computes the
/// MAC with NIA over SQN || message, with COUNT `count` and direction 0 (uplink) / 1.
/// Returns false when `plain` is empty (a refused message) or a cipher call fails (never for
/// valid keys and algorithms).
/// Ref: TS 24.501 4.4.3, 9.1.1; TS 33.501 6.4.3, 6.4.4, D.2, D.3.
bool protect(std::uint8_t sht, const nas_security& sec, std::uint32_t count, bool downlink,
             bytes_view plain, byte_buffer& out);

/// Ciphers `msg` in place as the value of a NAS message container of an uplink initial
/// message: NEA of `sec` with the uplink NAS COUNT `count` of the message that carries it
/// (5G-EA0 leaves it as is). False when a cipher call fails.
/// Ref: TS 24.501 4.4.6; TS 33.501 6.4.6, D.2.
bool cipher_container(const nas_security& sec, std::uint32_t count, byte_buffer& msg);

}  // namespace sec5g::synth::detail
