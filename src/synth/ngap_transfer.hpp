#pragma once
// Aligned-PER encodings of the NGAP "transfer" containers that the ngap module's API carries as
// opaque octet strings: what the SMF puts in PDUSessionResourceSetupRequest and the gNB answers,
// and the path-switch transfers. Only the fields the synthesizer needs.
// Ref: TS 38.413 9.3.4.1, 9.3.4.2, 9.3.4.8, 9.3.4.9 and the ASN.1 of 9.4.5; ITU-T X.691.

#include <cstdint>
#include <span>

#include "sec5g/core/bytes.hpp"

namespace sec5g::synth::detail {

/// UP security policy / result values as in the NGAP ENUMERATEDs.
enum class up_indication : std::uint8_t { required = 0, preferred = 1, not_needed = 2 };
enum class up_result : std::uint8_t { performed = 0, not_performed = 1 };

/// PDUSessionResourceSetupRequestTransfer: session AMBR, UL NG-U tunnel (UPF address, TEID),
/// PDU session type IPv4, SecurityIndication, one QoS flow (QFI 1, 5QI 9, ARP 8).
byte_buffer setup_request_transfer(std::span<const std::uint8_t, 4> upf_ip, std::uint32_t teid,
                                   up_indication integrity, up_indication confidentiality);

/// PDUSessionResourceSetupResponseTransfer: DL tunnel (gNB address, TEID), QFI 1, and the
/// SecurityResult.
byte_buffer setup_response_transfer(std::span<const std::uint8_t, 4> gnb_ip, std::uint32_t teid,
                                    up_result integrity, up_result confidentiality);

/// PathSwitchRequestTransfer: the new DL tunnel and QFI 1 accepted.
byte_buffer path_switch_request_transfer(std::span<const std::uint8_t, 4> gnb_ip,
                                         std::uint32_t teid);

/// PathSwitchRequestAcknowledgeTransfer: the UL tunnel (UPF) kept.
byte_buffer path_switch_ack_transfer(std::span<const std::uint8_t, 4> upf_ip, std::uint32_t teid);

}  // namespace sec5g::synth::detail
