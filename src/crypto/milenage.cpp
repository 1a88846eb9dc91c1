// MILENAGE on OpenSSL AES-128-ECB: one EVP context per object, keyed once.
#include "sec5g/crypto/milenage.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>

namespace sec5g::crypto {

namespace {

EVP_CIPHER_CTX* as_ctx(void* p) noexcept { return static_cast<EVP_CIPHER_CTX*>(p); }

// Ref: TS 35.206 4.1: r1..r5 = 64, 0, 32, 64, 96 bits; c1..c5 = 0, 1, 2, 4, 8 (last octet).
constexpr std::size_t rot_bytes[6] = {0, 8, 0, 4, 8, 12};
constexpr std::uint8_t c_last[6] = {0, 0, 1, 2, 4, 8};

// y = rot(x xor opc, r) xor c, written into `out` (16 octets).
void rot_xor(const std::uint8_t* x, const std::uint8_t* opc, int i, std::uint8_t* out) noexcept {
  const std::size_t r = rot_bytes[i];
  for (std::size_t j = 0; j < 16; ++j) {
    const std::size_t s = (j + r) & 15u;
    out[j] = static_cast<std::uint8_t>(x[s] ^ opc[s]);
  }
  out[15] = static_cast<std::uint8_t>(out[15] ^ c_last[i]);
}

bool ecb_key(EVP_CIPHER_CTX* ctx, key128_view k) noexcept {
  if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, k.data(), nullptr) != 1) return false;
  return EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;
}

// A new key for a context that already holds AES-128-ECB: no cipher look-up (passing the cipher
// again costs OpenSSL 3 a provider fetch by name, ~3 us, more than the whole MILENAGE run).
bool ecb_rekey(EVP_CIPHER_CTX* ctx, key128_view k) noexcept {
  return EVP_EncryptInit_ex2(ctx, nullptr, k.data(), nullptr, nullptr) == 1;
}

}  // namespace

std::expected<key128, auth_error> milenage_opc(key128_view k, key128_view op) noexcept {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return std::unexpected(auth_error{auth_errc::backend_failure});
  key128 opc;
  int len = 0;
  const bool ok = ecb_key(ctx, k) &&
                  EVP_EncryptUpdate(ctx, opc.data(), &len, op.data(), 16) == 1 && len == 16;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
  for (std::size_t i = 0; i < 16; ++i) opc.data()[i] ^= op[i];
  return opc;
}

std::expected<milenage, auth_error> milenage::create(key128_view k, key128_view opc) noexcept {
  milenage m;
  m.ctx_ = EVP_CIPHER_CTX_new();
  if (m.ctx_ == nullptr || !ecb_key(as_ctx(m.ctx_), k))
    return std::unexpected(auth_error{auth_errc::backend_failure});
  std::memcpy(m.opc_.data(), opc.data(), 16);
  return m;
}

std::expected<milenage, auth_error> milenage::create_from_op(key128_view k,
                                                             key128_view op) noexcept {
  auto opc = milenage_opc(k, op);
  if (!opc) return std::unexpected(opc.error());
  return create(k, opc->view());
}

milenage::milenage(milenage&& other) noexcept
    : ctx_(other.ctx_), opc_(std::move(other.opc_)) {
  other.ctx_ = nullptr;
}

milenage& milenage::operator=(milenage&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(as_ctx(ctx_));
    ctx_ = other.ctx_;
    other.ctx_ = nullptr;
    opc_ = std::move(other.opc_);
  }
  return *this;
}

milenage::~milenage() { EVP_CIPHER_CTX_free(as_ctx(ctx_)); }

std::expected<void, auth_error> milenage::rekey(key128_view k, key128_view opc) noexcept {
  if (ctx_ == nullptr || !ecb_rekey(as_ctx(ctx_), k))
    return std::unexpected(auth_error{auth_errc::backend_failure});
  std::memcpy(opc_.data(), opc.data(), 16);
  return {};
}

bool milenage::encrypt(const std::uint8_t* in, std::uint8_t* out, int len) noexcept {
  int out_len = 0;
  return ctx_ != nullptr && EVP_EncryptUpdate(as_ctx(ctx_), out, &out_len, in, len) == 1 &&
         out_len == len;
}

bool milenage::temp_block(rand_view rand, std::uint8_t temp[16]) noexcept {
  std::uint8_t in[16];
  for (std::size_t i = 0; i < 16; ++i) in[i] = static_cast<std::uint8_t>(rand[i] ^ opc_.data()[i]);
  return encrypt(in, temp, 16);
}

bool milenage::out1(const std::uint8_t temp[16], sqn_view sqn, amf_view amf,
                    std::uint8_t out[16]) noexcept {
  // IN1 = SQN || AMF || SQN || AMF; out1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc.
  std::uint8_t in1[16];
  std::memcpy(in1, sqn.data(), 6);
  std::memcpy(in1 + 6, amf.data(), 2);
  std::memcpy(in1 + 8, in1, 8);
  std::uint8_t block[16];
  rot_xor(in1, opc_.data(), 1, block);
  for (std::size_t i = 0; i < 16; ++i) block[i] ^= temp[i];
  if (!encrypt(block, out, 16)) return false;
  for (std::size_t i = 0; i < 16; ++i) out[i] ^= opc_.data()[i];
  return true;
}

std::expected<mac64, auth_error> milenage::mac_half(rand_view rand, sqn_view sqn, amf_view amf,
                                                    std::size_t at) noexcept {
  std::uint8_t temp[16], out[16];
  if (!temp_block(rand, temp) || !out1(temp, sqn, amf, out))
    return std::unexpected(auth_error{auth_errc::backend_failure});
  mac64 mac{};
  std::memcpy(mac.data(), out + at, 8);
  secure_zero(temp);
  return mac;
}

std::expected<mac64, auth_error> milenage::f1(rand_view rand, sqn_view sqn,
                                              amf_view amf) noexcept {
  return mac_half(rand, sqn, amf, 0);  // MAC-A: OUT1[0..63]
}

std::expected<mac64, auth_error> milenage::f1star(rand_view rand, sqn_view sqn,
                                                  amf_view amf) noexcept {
  return mac_half(rand, sqn, amf, 8);  // MAC-S: OUT1[64..127]
}

std::expected<milenage_f2345_output, auth_error> milenage::f2345(rand_view rand) noexcept {
  std::uint8_t temp[16];
  std::uint8_t in[48], out[48];
  if (!temp_block(rand, temp)) return std::unexpected(auth_error{auth_errc::backend_failure});
  for (int i = 2; i <= 4; ++i) rot_xor(temp, opc_.data(), i, in + 16 * (i - 2));
  const bool ok = encrypt(in, out, 48);
  secure_zero(temp);
  secure_zero(in);
  if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
  for (std::size_t j = 0; j < 48; ++j) out[j] ^= opc_.data()[j & 15u];
  milenage_f2345_output r;
  std::memcpy(r.ak.data(), out, 6);
  std::memcpy(r.res.data(), out + 8, 8);
  std::memcpy(r.ck.data(), out + 16, 16);
  std::memcpy(r.ik.data(), out + 32, 16);
  secure_zero(out);
  return r;
}

std::expected<secret<6>, auth_error> milenage::anonymity_key(rand_view rand, int r) noexcept {
  std::uint8_t temp[16], in[16], out[16];
  if (!temp_block(rand, temp)) return std::unexpected(auth_error{auth_errc::backend_failure});
  rot_xor(temp, opc_.data(), r, in);
  const bool ok = encrypt(in, out, 16);
  secure_zero(temp);
  secure_zero(in);
  if (!ok) {
    secure_zero(out);
    return std::unexpected(auth_error{auth_errc::backend_failure});
  }
  secret<6> ak;
  for (std::size_t i = 0; i < 6; ++i) ak.data()[i] = static_cast<std::uint8_t>(out[i] ^ opc_.data()[i]);
  secure_zero(out);
  return ak;
}

std::expected<secret<6>, auth_error> milenage::f5(rand_view rand) noexcept {
  return anonymity_key(rand, 2);  // OUT2 (r2, c2)
}

std::expected<secret<6>, auth_error> milenage::f5star(rand_view rand) noexcept {
  return anonymity_key(rand, 5);  // OUT5 (r5, c5)
}

std::expected<milenage_output, auth_error> milenage::compute(rand_view rand, sqn_view sqn,
                                                             amf_view amf) noexcept {
  std::uint8_t temp[16];
  if (!temp_block(rand, temp)) return std::unexpected(auth_error{auth_errc::backend_failure});
  // out1..out5 are independent given TEMP: one 80-octet ECB call keeps AES-NI pipelined.
  std::uint8_t in[80], out[80];
  std::uint8_t in1[16];
  std::memcpy(in1, sqn.data(), 6);
  std::memcpy(in1 + 6, amf.data(), 2);
  std::memcpy(in1 + 8, in1, 8);
  rot_xor(in1, opc_.data(), 1, in);
  for (std::size_t i = 0; i < 16; ++i) in[i] ^= temp[i];
  for (int i = 2; i <= 5; ++i) rot_xor(temp, opc_.data(), i, in + 16 * (i - 1));
  const bool ok = encrypt(in, out, 80);
  secure_zero(temp);
  secure_zero(in);
  if (!ok) return std::unexpected(auth_error{auth_errc::backend_failure});
  for (std::size_t j = 0; j < 80; ++j) out[j] ^= opc_.data()[j & 15u];
  milenage_output r;
  std::memcpy(r.mac_a.data(), out, 8);
  std::memcpy(r.mac_s.data(), out + 8, 8);
  std::memcpy(r.ak.data(), out + 16, 6);
  std::memcpy(r.res.data(), out + 24, 8);
  std::memcpy(r.ck.data(), out + 32, 16);
  std::memcpy(r.ik.data(), out + 48, 16);
  std::memcpy(r.ak_star.data(), out + 64, 6);
  secure_zero(out);
  return r;
}

byte_array<4> gsm_sres_c2(std::span<const std::uint8_t, 8> res) noexcept {
  byte_array<4> s{};
  for (std::size_t i = 0; i < 4; ++i) s[i] = static_cast<std::uint8_t>(res[i] ^ res[i + 4]);
  return s;
}

byte_array<4> gsm_sres2(std::span<const std::uint8_t, 8> res) noexcept {
  return {res[0], res[1], res[2], res[3]};
}

secret<8> gsm_kc_c3(key128_view ck, key128_view ik) noexcept {
  secret<8> kc;
  for (std::size_t i = 0; i < 8; ++i)
    kc.data()[i] = static_cast<std::uint8_t>(ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8]);
  return kc;
}

}  // namespace sec5g::crypto
