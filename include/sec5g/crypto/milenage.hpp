#pragma once
/// MILENAGE: the 3GPP example authentication and key generation functions f1, f1*, f2, f3, f4,
/// f5, f5* on AES-128, the OPc computation, and the GSM-MILENAGE conversions c2/c3.
/// Ref: TS 35.206 clause 4 (algorithm), TS 35.205 (framework), TS 55.205 (GSM-MILENAGE),
/// TS 33.102 6.8.1.2 (c2, c3).
///
/// A `milenage` object holds one OpenSSL AES-128-ECB context keyed with K, created once and
/// reused by every call (and by rekey()). One object per thread; objects are movable, not
/// copyable. No function throws.

#include <cstdint>
#include <expected>
#include <span>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/crypto/auth_types.hpp"

namespace sec5g::crypto {

/// Every MILENAGE output for one (RAND, SQN, AMF). Ref: TS 35.206 4.1.
struct milenage_output {
  mac64 mac_a{};    ///< f1 = MAC-A
  mac64 mac_s{};    ///< f1* = MAC-S
  secret<8> res;    ///< f2 = RES (64 bits)
  key128 ck;        ///< f3 = CK
  key128 ik;        ///< f4 = IK
  secret<6> ak;     ///< f5 = AK
  secret<6> ak_star;  ///< f5* = AK for re-synchronisation
};

/// The outputs of f2..f5 (no SQN/AMF needed). Ref: TS 35.206 4.1.
struct milenage_f2345_output {
  secret<8> res;  ///< f2
  key128 ck;      ///< f3
  key128 ik;      ///< f4
  secret<6> ak;   ///< f5
};

/// OPc = OP xor E_K(OP). Ref: TS 35.206 4.1.
std::expected<key128, auth_error> milenage_opc(key128_view k, key128_view op) noexcept;

/// MILENAGE for one subscriber (K, OPc). Create with create(); switch subscriber with
/// rekey() (reuses the cipher context: the cheap way to try many candidate keys).
class milenage {
 public:
  /// A MILENAGE instance for K and OPc. Errors: backend_failure.
  static std::expected<milenage, auth_error> create(key128_view k, key128_view opc) noexcept;
  /// Same from OP instead of OPc (computes OPc first). Ref: TS 35.206 4.1.
  static std::expected<milenage, auth_error> create_from_op(key128_view k,
                                                            key128_view op) noexcept;

  milenage(milenage&& other) noexcept;
  milenage& operator=(milenage&& other) noexcept;
  milenage(const milenage&) = delete;
  milenage& operator=(const milenage&) = delete;
  ~milenage();

  /// Switches to another subscriber (K, OPc) keeping the cipher context.
  std::expected<void, auth_error> rekey(key128_view k, key128_view opc) noexcept;

  /// The OPc in use.
  [[nodiscard]] key128_view opc() const noexcept { return opc_.view(); }

  /// f1: MAC-A over SQN || AMF. Ref: TS 35.206 4.1.
  std::expected<mac64, auth_error> f1(rand_view rand, sqn_view sqn, amf_view amf) noexcept;
  /// f1*: MAC-S (re-synchronisation). Ref: TS 35.206 4.1.
  std::expected<mac64, auth_error> f1star(rand_view rand, sqn_view sqn, amf_view amf) noexcept;
  /// f2, f3, f4, f5 together (they share the first AES call). Ref: TS 35.206 4.1.
  std::expected<milenage_f2345_output, auth_error> f2345(rand_view rand) noexcept;
  /// f5 alone: AK. Ref: TS 35.206 4.1.
  std::expected<secret<6>, auth_error> f5(rand_view rand) noexcept;
  /// f5*: AK for re-synchronisation. Ref: TS 35.206 4.1.
  std::expected<secret<6>, auth_error> f5star(rand_view rand) noexcept;
  /// Every output in two AES calls (E_K(RAND xor OPc), then out1..out5 in one ECB call).
  /// Ref: TS 35.206 4.1.
  std::expected<milenage_output, auth_error> compute(rand_view rand, sqn_view sqn,
                                                     amf_view amf) noexcept;

 private:
  milenage() noexcept = default;
  bool encrypt(const std::uint8_t* in, std::uint8_t* out, int len) noexcept;
  bool temp_block(rand_view rand, std::uint8_t temp[16]) noexcept;
  bool out1(const std::uint8_t temp[16], sqn_view sqn, amf_view amf, std::uint8_t out[16]) noexcept;
  // f1 (at 0) or f1* (at 8): eight octets of OUT1.
  std::expected<mac64, auth_error> mac_half(rand_view rand, sqn_view sqn, amf_view amf,
                                            std::size_t at) noexcept;
  // f5 (r = 2) or f5* (r = 5): the first six octets of OUTr.
  std::expected<secret<6>, auth_error> anonymity_key(rand_view rand, int r) noexcept;

  void* ctx_ = nullptr;  // EVP_CIPHER_CTX*, keyed with K
  key128 opc_;
};

/// GSM-MILENAGE / c2 as in TS 55.205: SRES = RES[0..31] xor RES[32..63]. Ref: TS 33.102 6.8.1.2.
byte_array<4> gsm_sres_c2(std::span<const std::uint8_t, 8> res) noexcept;
/// The other SRES of TS 55.205 (sres2): RES[0..31]. Ref: TS 55.205 4.3.
byte_array<4> gsm_sres2(std::span<const std::uint8_t, 8> res) noexcept;
/// c3: Kc = CK1 xor CK2 xor IK1 xor IK2 (64-bit halves). Ref: TS 33.102 6.8.1.2.
secret<8> gsm_kc_c3(key128_view ck, key128_view ik) noexcept;

}  // namespace sec5g::crypto
