#pragma once
// EAP-AKA' as the synthesized AUSF and UE run it: the EAP-Request/AKA'-Challenge the AMF relays
// in the Authentication Request, the UE's EAP-Response/AKA'-Challenge, and K_AUSF from the EMSK.
// Ref: RFC 9048 (EAP-AKA'), RFC 4187 10 (attributes), TS 33.501 6.1.3.1, A.3.

#include <cstdint>
#include <expected>
#include <span>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "synth/rng.hpp"

namespace sec5g::synth::detail {

/// One EAP-AKA' run.
struct eap_state {
  std::uint8_t identifier = 0;
  byte_array<16> autn{};
  byte_buffer request;   ///< EAP-Request/AKA'-Challenge (AT_RAND, AT_AUTN, AT_KDF, AT_KDF_INPUT, AT_MAC)
  byte_buffer response;  ///< EAP-Response/AKA'-Challenge (AT_RES, AT_MAC)
  key256 k_ausf;         ///< EMSK[0..31]
};

/// The identity used in the MK derivation: the SUPI's KDF value (IMSI digits). Ref: TS 33.501
/// 6.1.3.1 (the SUPI as Identity), RFC 9048 3.3.
/// Computes MILENAGE, CK'/IK' (network name = serving network name), MK, builds both EAP
/// packets with their AT_MAC and K_AUSF. Returns false on a crypto failure.
bool eap_start(crypto::milenage& m, eap_state& st, std::span<const std::uint8_t, 16> rand,
               std::span<const std::uint8_t, 6> sqn, std::span<const std::uint8_t, 2> amf,
               std::string_view network_name, std::string_view supi, rng& r);

}  // namespace sec5g::synth::detail
