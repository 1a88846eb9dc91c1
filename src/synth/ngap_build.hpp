#pragma once
// The NGAP messages of the synthesized gNBs and AMF, built through sec5g::ngap::encode_message.
// Each returns the complete NGAP PDU, or an empty buffer if the encoder refused a value (a bug
// of the synthesizer; the engine stops with an error).
// Ref: TS 38.413 9.2 (message contents), 8 (procedures).

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/ngap/ies.hpp"

namespace sec5g::synth::detail::ngb {

/// Where a UE is: PLMN, TAC, NR cell identity (36 bits).
struct cell {
  ngap::plmn_identity plmn{};
  std::uint32_t tac = 1;
  std::uint64_t nr_cell_id = 0;
};

byte_buffer ng_setup_request(std::uint32_t gnb_id, std::string_view name,
                             const ngap::plmn_identity& plmn, std::uint32_t tac);
byte_buffer ng_setup_response(std::string_view amf_name, const ngap::guami& g);
byte_buffer initial_ue_message(std::uint32_t ran, bytes_view nas, const cell& c,
                               std::uint8_t rrc_cause,
                               std::optional<ngap::five_g_s_tmsi> s_tmsi);
byte_buffer downlink_nas(std::uint64_t amf, std::uint32_t ran, bytes_view nas);
byte_buffer uplink_nas(std::uint64_t amf, std::uint32_t ran, bytes_view nas, const cell& c);
byte_buffer ics_request(std::uint64_t amf, std::uint32_t ran, const ngap::guami& g,
                        const ngap::ue_security_capabilities& caps,
                        std::span<const std::uint8_t, 32> k_gnb, std::optional<bytes_view> nas);
byte_buffer ics_response(std::uint64_t amf, std::uint32_t ran);
byte_buffer pdu_setup_request(std::uint64_t amf, std::uint32_t ran, std::uint8_t psi,
                              bytes_view nas, bytes_view transfer);
byte_buffer pdu_setup_response(std::uint64_t amf, std::uint32_t ran, std::uint8_t psi,
                               bytes_view transfer);
/// PDUSessionResourceReleaseCommand (AMF -> gNB) for one session, with the NAS-PDU (the DL NAS
/// Transport carrying the PDU Session Release Command) and the ...ReleaseCommandTransfer.
/// Ref: TS 38.413 9.2.1.5.
byte_buffer pdu_release_command(std::uint64_t amf, std::uint32_t ran, std::uint8_t psi,
                                bytes_view nas, bytes_view transfer);
/// PDUSessionResourceReleaseResponse (gNB -> AMF). Ref: TS 38.413 9.2.1.6.
byte_buffer pdu_release_response(std::uint64_t amf, std::uint32_t ran, std::uint8_t psi,
                                 bytes_view transfer, const cell& c);
/// UEContextReleaseCommand with a cause (group, value). Ref: TS 38.413 9.2.2.5.
byte_buffer release_command(std::uint64_t amf, std::uint32_t ran, ngap::cause c);
/// UEContextReleaseRequest (gNB -> AMF). Ref: TS 38.413 9.2.2.4.
byte_buffer release_request(std::uint64_t amf, std::uint32_t ran, ngap::cause c);
byte_buffer release_complete(std::uint64_t amf, std::uint32_t ran, const cell& c);
byte_buffer path_switch_request(std::uint32_t ran, std::uint64_t source_amf, const cell& c,
                                const ngap::ue_security_capabilities& caps, std::uint8_t psi,
                                bytes_view transfer);
byte_buffer path_switch_ack(std::uint64_t amf, std::uint32_t ran,
                            std::optional<ngap::ue_security_capabilities> caps, std::uint8_t ncc,
                            std::span<const std::uint8_t, 32> nh, std::uint8_t psi,
                            bytes_view transfer);

// The transfers (octet strings inside the PDU session resource lists), through the ngap
// module's transfer encoders. Empty when the encoder refused a value.
// Ref: TS 38.413 9.3.4.1, 9.3.4.2, 9.3.4.8, 9.3.4.9.

/// PDUSessionResourceSetupRequestTransfer of the SMF: session AMBR 1 Gbit/s both ways, the UL
/// NG-U tunnel (UPF address, TEID), PDU session type IPv4, the UP security policy (with the
/// maximum integrity protected data rate "maximum UE rate" unless integrity is not needed) and
/// one QoS flow (QFI 1, non-dynamic 5QI 9, ARP 8, pre-emptable).
byte_buffer setup_request_transfer(std::span<const std::uint8_t, 4> upf_ip, std::uint32_t teid,
                                   ngap::up_protection_indication integrity,
                                   ngap::up_protection_indication confidentiality);
/// PDUSessionResourceSetupResponseTransfer: the DL tunnel (gNB address, TEID) with QFI 1 and the
/// SecurityResult.
byte_buffer setup_response_transfer(std::span<const std::uint8_t, 4> gnb_ip, std::uint32_t teid,
                                    ngap::up_protection_result integrity,
                                    ngap::up_protection_result confidentiality);
/// PathSwitchRequestTransfer: the new DL tunnel and QFI 1 accepted.
byte_buffer path_switch_request_transfer(std::span<const std::uint8_t, 4> gnb_ip,
                                         std::uint32_t teid);
/// PathSwitchRequestAcknowledgeTransfer: the UL tunnel (UPF) kept.
byte_buffer path_switch_ack_transfer(std::span<const std::uint8_t, 4> upf_ip, std::uint32_t teid);

/// PDUSessionResourceReleaseCommandTransfer with a Cause of group nas (value 0..3, the root
/// values of CauseNas). Empty for other values. Ref: TS 38.413 9.3.4.12, 9.3.1.2.
byte_buffer release_command_transfer_nas_cause(std::uint8_t cause_nas);
/// PDUSessionResourceReleaseResponseTransfer (no IE). Ref: TS 38.413 9.3.4.21.
byte_buffer release_response_transfer();

/// NGAP UE Security Capabilities from the NAS octets (bit 8 = algorithm 0, dropped: NGAP
/// bitmaps start at algorithm 1). Ref: TS 38.413 9.3.1.86, TS 24.501 9.11.3.54.
constexpr std::uint16_t ngap_bitmap(std::uint8_t nas_octet) noexcept {
  return static_cast<std::uint16_t>((nas_octet & 0x7F) << 9);
}

}  // namespace sec5g::synth::detail::ngb
