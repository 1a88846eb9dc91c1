#pragma once
/// The 5G key hierarchy (TS 33.501 Annex A on the TS 33.220 B.2 KDF), AUTN/AUTS assembly and
/// checking, and the whole 5G-AKA chain from CK/IK (or from K/OPc through MILENAGE) to K_gNB.
/// Ref: TS 33.501 Annex A, 6.1.3.2, 6.2; TS 33.102 6.3.
///
/// Thread-safe, never throws. Derived keys come back in secret<N>.

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/auth_types.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/crypto/tuak.hpp"

namespace sec5g::crypto {

// ---- FC values of TS 33.501 Annex A (and TS 33.402 A.2 for CK'/IK') ----
inline constexpr std::uint8_t fc_ck_ik_prime = 0x20;      ///< TS 33.501 A.3 / TS 33.402 A.2
inline constexpr std::uint8_t fc_algorithm_key = 0x69;    ///< TS 33.501 A.8
inline constexpr std::uint8_t fc_k_ausf = 0x6A;           ///< TS 33.501 A.2
inline constexpr std::uint8_t fc_res_star = 0x6B;         ///< TS 33.501 A.4
inline constexpr std::uint8_t fc_k_seaf = 0x6C;           ///< TS 33.501 A.6
inline constexpr std::uint8_t fc_k_amf = 0x6D;            ///< TS 33.501 A.7
inline constexpr std::uint8_t fc_k_gnb = 0x6E;            ///< TS 33.501 A.9 (also K_N3IWF)
inline constexpr std::uint8_t fc_nh = 0x6F;               ///< TS 33.501 A.10
inline constexpr std::uint8_t fc_k_ng_ran_star = 0x70;    ///< TS 33.501 A.11
inline constexpr std::uint8_t fc_k_ng_ran_star_ng_enb = 0x71;  ///< TS 33.501 A.12
inline constexpr std::uint8_t fc_k_amf_prime = 0x72;      ///< TS 33.501 A.13
inline constexpr std::uint8_t fc_k_asme_prime_idle = 0x73;      ///< TS 33.501 A.14.1
inline constexpr std::uint8_t fc_k_asme_prime_handover = 0x74;  ///< TS 33.501 A.14.2
inline constexpr std::uint8_t fc_k_amf_from_k_asme_idle = 0x75;     ///< TS 33.501 A.15.1
inline constexpr std::uint8_t fc_k_amf_from_k_asme_handover = 0x76; ///< TS 33.501 A.15.2

/// Algorithm type distinguishers. Ref: TS 33.501 A.8, Table A.8-1.
enum class algorithm_type : std::uint8_t {
  nas_enc = 0x01,
  nas_int = 0x02,
  rrc_enc = 0x03,
  rrc_int = 0x04,
  up_enc = 0x05,
  up_int = 0x06,
};

/// Access type distinguisher of K_gNB / K_N3IWF. Ref: TS 33.501 A.9, Table A.9-1.
enum class access_type : std::uint8_t {
  three_gpp = 0x01,
  non_three_gpp = 0x02,
};

/// Why K_AMF' is derived. Ref: TS 33.501 A.13.
enum class k_amf_change : std::uint8_t {
  idle_mobility = 0x00,  ///< mobility registration update: COUNT = uplink NAS COUNT
  handover = 0x01,       ///< N2 handover: COUNT = downlink NAS COUNT
};

/// Largest serving network name / SUPI / ABBA accepted, in octets (far above real values).
inline constexpr std::size_t max_name_len = 1024;

// ---- Annex A derivations ----

/// K_AUSF = KDF(CK||IK, 0x6A, SNN, SQN xor AK). Ref: TS 33.501 A.2.
std::expected<key256, auth_error> derive_k_ausf(key128_view ck, key128_view ik,
                                                std::string_view serving_network_name,
                                                sqn_view sqn_xor_ak) noexcept;

/// RES* / XRES* = 128 least significant bits of KDF(CK||IK, 0x6B, SNN, RAND, RES).
/// `res` is 4..16 octets. Ref: TS 33.501 A.4.
std::expected<secret<16>, auth_error> derive_res_star(key128_view ck, key128_view ik,
                                                      std::string_view serving_network_name,
                                                      rand_view rand, bytes_view res) noexcept;

/// HRES* / HXRES* = 128 least significant bits of SHA-256(RAND || RES*). Ref: TS 33.501 A.5.
std::expected<byte_array<16>, auth_error> derive_hres_star(
    rand_view rand, std::span<const std::uint8_t, 16> res_star) noexcept;

/// K_SEAF = KDF(K_AUSF, 0x6C, SNN). Ref: TS 33.501 A.6.
std::expected<key256, auth_error> derive_k_seaf(key256_view k_ausf,
                                                std::string_view serving_network_name) noexcept;

/// The SUPI as KDF input P0 of A.7: "imsi-<digits>" gives the digits, "nai-<nai>" the NAI;
/// any other text is used as given. Ref: TS 33.501 A.7.0, TS 23.003 2.2A.
std::string_view supi_kdf_value(std::string_view supi) noexcept;

/// K_AMF = KDF(K_SEAF, 0x6D, SUPI, ABBA). `supi` goes through supi_kdf_value().
/// Ref: TS 33.501 A.7.1.
std::expected<key256, auth_error> derive_k_amf(key256_view k_seaf, std::string_view supi,
                                               bytes_view abba) noexcept;

/// An algorithm key (K_NASenc, K_NASint, K_RRCenc, ... K_UPint) = 128 least significant bits
/// of KDF(key, 0x69, type, algorithm id). Ref: TS 33.501 A.8.
std::expected<key128, auth_error> derive_algorithm_key(key256_view key, algorithm_type type,
                                                       std::uint8_t algorithm_id) noexcept;
/// The same from the key prepared once (hmac_key::prepare): two SHA-256 blocks instead of four.
std::expected<key128, auth_error> derive_algorithm_key(const hmac_key& key, algorithm_type type,
                                                       std::uint8_t algorithm_id) noexcept;

/// K_gNB (access_type::three_gpp) or K_N3IWF (non_three_gpp) = KDF(K_AMF, 0x6E, uplink NAS
/// COUNT (4 octets), access type distinguisher). Ref: TS 33.501 A.9.
std::expected<key256, auth_error> derive_k_gnb(key256_view k_amf, std::uint32_t uplink_nas_count,
                                               access_type access = access_type::three_gpp) noexcept;
/// The same from K_AMF prepared once (hmac_key::prepare).
std::expected<key256, auth_error> derive_k_gnb(
    const hmac_key& k_amf, std::uint32_t uplink_nas_count,
    access_type access = access_type::three_gpp) noexcept;

/// NH = KDF(K_AMF, 0x6F, SYNC-input) with SYNC-input = K_gNB (first NH) or the previous NH.
/// Ref: TS 33.501 A.10.
std::expected<key256, auth_error> derive_nh(key256_view k_amf, key256_view sync_input) noexcept;
/// The same from K_AMF prepared once (hmac_key::prepare).
std::expected<key256, auth_error> derive_nh(const hmac_key& k_amf, key256_view sync_input) noexcept;

/// K_NG-RAN* = KDF(key, 0x70, PCI (2 octets), ARFCN-DL (3 octets)) with key = K_gNB or NH.
/// ARFCN-DL is always 3 octets (L1 = 0x00 0x03 as the clause prints; NR-ARFCN <= 3279165 needs
/// 22 bits). Some implementations use 2 octets below 65536: their output differs.
/// Errors: bad_parameter if pci > 1007 or arfcn_dl > 0xFFFFFF. Ref: TS 33.501 A.11.
std::expected<key256, auth_error> derive_k_ng_ran_star(key256_view key, std::uint16_t pci,
                                                       std::uint32_t arfcn_dl) noexcept;

/// K_NG-RAN* for a target ng-eNB = KDF(key, 0x71, PCI (2 octets), EARFCN-DL (3 octets)) with
/// key = K_gNB / K_eNB or NH. Errors: bad_parameter if pci > 503 (E-UTRA PCI) or
/// earfcn_dl > 0xFFFFFF. Ref: TS 33.501 A.12.
std::expected<key256, auth_error> derive_k_ng_ran_star_ng_enb(key256_view key, std::uint16_t pci,
                                                              std::uint32_t earfcn_dl) noexcept;

/// K_AMF' = KDF(K_AMF, 0x72, DIRECTION, COUNT): idle mobility uses DIRECTION 0x00 and the
/// uplink NAS COUNT of the Registration Request, handover 0x01 and the downlink NAS COUNT.
/// Ref: TS 33.501 A.13.
std::expected<key256, auth_error> derive_k_amf_prime(key256_view k_amf, k_amf_change change,
                                                     std::uint32_t nas_count) noexcept;

/// K_ASME' from K_AMF for 5GS -> EPS interworking: idle mobility FC 0x73 with the NAS uplink
/// COUNT, handover FC 0x74 with the NAS downlink COUNT. Ref: TS 33.501 A.14.1, A.14.2.
std::expected<key256, auth_error> derive_k_asme_prime(key256_view k_amf, k_amf_change change,
                                                      std::uint32_t nas_count) noexcept;

/// K_AMF' from K_ASME for EPS -> 5GS interworking. Idle mobility: FC 0x75 with the NAS uplink
/// COUNT of the TAU message carried in the Registration Request (`idle_from_k_asme`); handover:
/// FC 0x76 with the NH (`handover_from_k_asme`). Ref: TS 33.501 A.15.1, A.15.2.
std::expected<key256, auth_error> idle_from_k_asme(key256_view k_asme,
                                                   std::uint32_t tau_uplink_nas_count) noexcept;
std::expected<key256, auth_error> handover_from_k_asme(key256_view k_asme, key256_view nh) noexcept;

// ---- AUTN / AUTS ----

/// AUTN = (SQN xor AK) || AMF || MAC-A. Ref: TS 33.102 6.3.2.
autn128 assemble_autn(sqn_view sqn, std::span<const std::uint8_t, 6> ak, amf_view amf,
                      std::span<const std::uint8_t, 8> mac_a) noexcept;

/// SQN = AUTN[0..5] xor AK. Ref: TS 33.102 6.3.3.
sqn48 sqn_from_autn(autn_view autn, std::span<const std::uint8_t, 6> ak) noexcept;

/// AUTS = (SQN_MS xor AK*) || MAC-S. Ref: TS 33.102 6.3.3.
auts112 assemble_auts(sqn_view sqn_ms, std::span<const std::uint8_t, 6> ak_star,
                      std::span<const std::uint8_t, 8> mac_s) noexcept;

/// The AUTN check of the USIM (and of an auditor holding candidate keys): AK = f5(RAND),
/// SQN = AUTN[0..5] xor AK, XMAC-A = f1(RAND, SQN, AMF), MAC-A compared in constant time.
struct autn_check_result {
  bool mac_ok = false;  ///< XMAC-A == MAC-A
  sqn48 sqn{};          ///< the SQN the AUTN carries under this key
  amf16 amf{};          ///< the AMF field of the AUTN
};

/// Checks `autn` against the subscriber loaded in `m` (3 AES calls). Ref: TS 33.102 6.3.3.
std::expected<autn_check_result, auth_error> check_autn(milenage& m, rand_view rand,
                                                        autn_view autn) noexcept;

/// The same check with TUAK (f5 from the f2..f5 instance, f1 with the configured MAC length).
/// Errors: bad_parameter unless t.config().mac_bits == 64 (AUTN carries a 64-bit MAC-A).
/// Ref: TS 33.102 6.3.3, TS 35.231 6.3/6.4.
std::expected<autn_check_result, auth_error> check_autn(const tuak& t, rand_view rand,
                                                        autn_view autn) noexcept;

/// One candidate subscriber for find_subscriber_by_autn(): views of K and OPc.
struct subscriber_keys {
  key128_view k;
  key128_view opc;
};

/// Identifies the subscriber of an authentication challenge: the index of the first candidate
/// whose MILENAGE f1 verifies the AUTN's MAC-A (one MILENAGE per candidate, one cipher context
/// for all), or std::nullopt. Ref: TS 33.102 6.3.3.
std::expected<std::optional<std::size_t>, auth_error> find_subscriber_by_autn(
    std::span<const subscriber_keys> candidates, rand_view rand, autn_view autn) noexcept;

/// Verifies an AUTS (re-synchronisation token) with the subscriber loaded in `m`:
/// SQN_MS = AUTS[0..5] xor f5*(RAND), MAC-S = f1*(RAND, SQN_MS, AMF = 0x0000). Returns SQN_MS
/// if MAC-S verifies, std::nullopt otherwise. Ref: TS 33.102 6.3.3, 6.3.5.
std::expected<std::optional<sqn48>, auth_error> verify_auts(milenage& m, rand_view rand,
                                                            auts_view auts) noexcept;
/// The same with TUAK. Errors: bad_parameter unless t.config().mac_bits == 64 (AUTS carries a
/// 64-bit MAC-S). Ref: TS 33.102 6.3.3, TS 35.231 6.3/6.5.
std::expected<std::optional<sqn48>, auth_error> verify_auts(const tuak& t, rand_view rand,
                                                            auts_view auts) noexcept;

// ---- the 5G-AKA chain ----

/// The keys and values of one 5G-AKA run, home network to gNB. Ref: TS 33.501 6.1.3.2, 6.2.
struct aka_5g_keys {
  key128 ck;
  key128 ik;
  secret<6> ak;
  secret<8> res;              ///< MILENAGE RES (empty when derived from CK/IK)
  mac64 mac_a{};
  autn128 autn{};
  secret<16> res_star;        ///< RES* = XRES*
  byte_array<16> hxres_star{};
  key256 k_ausf;
  key256 k_seaf;
  key256 k_amf;
  key128 k_nas_enc;
  key128 k_nas_int;
  key256 k_gnb;
};

/// Parameters of the serving network and UE for the chain.
struct aka_5g_params {
  std::string_view serving_network_name;  ///< "5G:mnc093.mcc208.3gppnetwork.org"
  std::string_view supi;                  ///< "imsi-<digits>" (or the KDF value itself)
  bytes_view abba = {};                   ///< ABBA; empty means 0x0000
  std::uint8_t nas_enc_alg = 2;           ///< NEA id 0..3 (in the K_NASenc derivation)
  std::uint8_t nas_int_alg = 2;           ///< NIA id 0..3 (in the K_NASint derivation)
  std::uint32_t uplink_nas_count = 0;     ///< for K_gNB
};

/// The whole chain from MILENAGE: f1..f5, AUTN, RES*, HXRES*, K_AUSF, K_SEAF, K_AMF, NAS keys,
/// K_gNB. Errors: bad_parameter if an algorithm id > 15 or a name exceeds max_name_len.
/// Ref: TS 33.501 6.1.3.2, A.2, A.4 - A.9.
std::expected<aka_5g_keys, auth_error> derive_5g_aka(milenage& m, rand_view rand, sqn_view sqn,
                                                     amf_view amf,
                                                     const aka_5g_params& params) noexcept;

/// The serving-network part of the chain from K_AUSF: K_SEAF, K_AMF, K_NASenc, K_NASint, K_gNB
/// (the fields ck/ik/ak/res/mac_a/autn/res_star/hxres_star/k_ausf of the result stay zero).
/// Ref: TS 33.501 A.6 - A.9.
std::expected<aka_5g_keys, auth_error> derive_from_k_ausf(key256_view k_ausf,
                                                          const aka_5g_params& params) noexcept;

}  // namespace sec5g::crypto
