// The rule catalogue. Clauses were checked against the specification texts (docs/RULES.md).
#include "sec5g/rules/catalogue.hpp"

#include <algorithm>
#include <array>

namespace sec5g::rules {

namespace {

using enum severity;

// Sorted by id (checked by a unit test).
constexpr std::array<rule_info, 27> rules_table{{
    {"aka.amf_separation_bit", medium, "AUTN's AMF separation bit is 0 in a 5G authentication",
     "TS 33.501 6.1.3.2, Annex A.2; TS 33.102 Annex H", false},
    {"aka.auth_failure_storm", medium,
     "Authentication Failures (#20/#21/#26/#71) exceed a threshold per UE / gNB / window",
     "TS 24.501 5.4.1.3.7", false},
    {"aka.rand_reuse", high, "The same RAND is used twice for one subscriber", "TS 33.501 6.1.3",
     false},
    {"aka.res_mismatch_accepted", high,
     "RES* does not verify but the AMF continues with the Security Mode Command",
     "TS 33.501 6.1.3.2.0; SCAS TS 33.512 4.2.2.1.2", true},
    {"id.guti_not_refreshed", low,
     "5G-GUTI not re-allocated after an initial or mobility registration",
     "TS 33.501 6.12.3; SCAS TS 33.512 4.2.2.5.1", true},
    {"id.identity_request_flood", medium,
     "Repeated Identity Requests for the SUCI to the same UE or cell (catcher pattern)",
     "TS 24.501 5.4.3", false},
    {"id.pei_before_security", medium, "IMEI/IMEISV requested or sent before NAS security is active",
     "TS 33.501 6.12; TS 24.501 5.4.3.1", false},
    {"id.suci_null_scheme", high, "A SUCI uses the null protection scheme (SUPI in clear)",
     "TS 33.501 6.12.2", false},
    {"id.suci_replay", medium,
     "The same SUCI scheme output (same ephemeral public key) is seen again",
     "TS 33.501 6.12.2, Annex C.3", false},
    {"nas.cleartext_ie_violation", medium,
     "An initial NAS message sent in clear carries IEs outside the cleartext set",
     "TS 24.501 4.4.6; TS 33.501 6.4.6", false},
    {"nas.container_not_ciphered", medium,
     "The NAS message container of an initial message is sent unciphered while NAS ciphering "
     "is active",
     "TS 24.501 4.4.6; TS 33.501 6.4.6", false},
    {"nas.count_replay", high,
     "A NAS COUNT repeats or goes back within one security context",
     "TS 24.501 4.4.3.1; SCAS TS 33.512 4.2.2.3.1", false},
    {"nas.mac_failure", high, "A protected NAS message fails MAC verification",
     "TS 24.501 4.4.4; TS 33.501 6.4.3", true},
    {"nas.null_ciphering", medium, "The Security Mode Command selects 5G-EA0 (null ciphering)",
     "TS 33.501 5.5.1; TS 24.501 4.4.1", false},
    {"nas.null_integrity", high,
     "The Security Mode Command selects 5G-IA0 outside an emergency registration",
     "TS 33.501 5.5.2; TS 24.501 4.4.4.1, 5.4.2.2; SCAS TS 33.512 4.2.2.3.2", false},
    {"nas.smc_caps_mismatch", high,
     "Replayed UE security capabilities in the Security Mode Command differ from the UE's",
     "TS 33.501 6.7.2; TS 24.501 5.4.2.3", false},
    {"nas.smc_ciphered", medium,
     "Security Mode Command not sent as integrity protected with new 5G NAS security context",
     "TS 24.501 4.4.2.3, 5.4.2.2", false},
    {"nas.smc_reject_caps", high,
     "Security Mode Reject with cause #23 (UE security capabilities mismatch)",
     "TS 24.501 5.4.2.5", false},
    {"nas.ue_caps_null_only", medium,
     "The UE security capability offers only null algorithms",
     "TS 33.501 5.5; SCAS TS 33.512 4.2.2.6.1", false},
    {"nas.unprotected_after_smc", high,
     "A NAS message travels without integrity protection after security was activated",
     "TS 24.501 4.4.4.2, 4.4.4.3", false},
    {"ngap.as_key_mismatch", high,
     "The K_gNB or NH the AMF sends on N2 does not follow the UE's key hierarchy",
     "TS 33.501 6.9.2.1.1, Annex A.9, A.10", true},
    {"ngap.caps_mismatch", high,
     "InitialContextSetup UE Security Capabilities differ from the NAS ones",
     "TS 33.501 6.7.2; SCAS TS 33.512 4.2.2.6.2", false},
    {"ngap.duplicate_ran_ue_id", low,
     "A new InitialUEMessage reuses a live RAN-UE-NGAP-ID on the same association",
     "TS 38.413 9.3.3.2, 10.6", false},
    {"ngap.key_in_clear", info,
     "NGAP carrying the K_gNB (Security Key IE) is readable on the wire: N2 is not protected",
     "TS 33.501 9.2", false},
    {"ngap.path_switch_caps_mismatch", high,
     "PathSwitchRequest UE Security Capabilities differ from the stored ones and are not corrected",
     "TS 33.501 6.7.3.1; SCAS TS 33.512 4.2.2.4.1", false},
    {"ngap.registration_flood", medium,
     "InitialUEMessage / Registration Request rate per gNB over a threshold",
     "TS 33.501 16.3 (signalling-storm DoS); TS 23.501 5.19", false},
    {"ngap.up_integrity_not_enforced", medium,
     "PDU session with UP integrity protection \"required\" set up without it",
     "TS 33.501 6.6.1; SCAS TS 33.511 4.2.2.1.4", false},
}};


}  // namespace

std::string_view to_string(severity s) noexcept {
  switch (s) {
    case info: return "info";
    case low: return "low";
    case medium: return "medium";
    case high: return "high";
  }
  return "info";
}

std::optional<severity> parse_severity(std::string_view text) noexcept {
  for (severity s : {info, low, medium, high}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::span<const rule_info> catalogue() noexcept {
  return rules_table;
}

const rule_info* find_rule(std::string_view id) noexcept {
  const auto all = catalogue();
  const auto it = std::find_if(all.begin(), all.end(), [&](const rule_info& r) { return r.id == id; });
  return it == all.end() ? nullptr : &*it;
}

}  // namespace sec5g::rules
