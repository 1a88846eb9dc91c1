// TUAK (TS 35.231) on our Keccak-f[1600].
#include "sec5g/crypto/tuak.hpp"

#include <array>
#include <cstring>
#include <new>

#include "sec5g/crypto/keccak.hpp"

namespace sec5g::crypto {

namespace {

// The 1600-bit INOUT of TS 35.231 6.1 as Keccak state octets. The spec numbers INOUT bits so
// that each multi-octet field lands in the state octet-reversed (least significant octet
// first); outputs are read back the same way.
//   [0..31] TOP/TOPc, [32] INSTANCE, [33..39] ALGONAME "TUAK1.0", [40..55] RAND,
//   [56..57] AMF, [58..63] SQN, [64..95] K (128-bit K in [64..79], zeros after),
//   [96] 0x1F, [97..134] zeros, [135] 0x80, [136..199] zeros.
void put_reversed(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) dst[i] = src[n - 1 - i];
}

struct tuak_state {
  std::array<std::uint8_t, 200> s{};
  ~tuak_state() { secure_zero(s); }
};

void tuak_core(tuak_state& st, const std::uint8_t* top32, std::uint8_t instance,
               const std::uint8_t* rand16, const std::uint8_t* amf2, const std::uint8_t* sqn6,
               const std::uint8_t* k, std::size_t k_len, unsigned iterations) noexcept {
  static constexpr char algoname[] = "TUAK1.0";
  static const std::uint8_t zeros[16] = {};
  auto& s = st.s;
  s.fill(0);
  put_reversed(s.data(), top32, 32);
  s[32] = instance;
  put_reversed(s.data() + 33, reinterpret_cast<const std::uint8_t*>(algoname), 7);
  put_reversed(s.data() + 40, rand16 != nullptr ? rand16 : zeros, 16);
  put_reversed(s.data() + 56, amf2 != nullptr ? amf2 : zeros, 2);
  put_reversed(s.data() + 58, sqn6 != nullptr ? sqn6 : zeros, 6);
  put_reversed(s.data() + 64, k, k_len);
  s[96] = 0x1F;
  s[135] = 0x80;
  for (unsigned i = 0; i < iterations; ++i) keccak_f1600(std::span<std::uint8_t, 200>(s));
}

bool valid_k(std::size_t len) noexcept { return len == 16 || len == 32; }

std::uint8_t k_bit(std::size_t k_len) noexcept { return k_len == 32 ? 0x01 : 0x00; }

// INSTANCE length bits of TS 35.231 6.3/6.4.
bool mac_bits_code(unsigned bits, std::uint8_t& code) noexcept {
  switch (bits) {
    case 64: code = 0x08; return true;
    case 128: code = 0x10; return true;
    case 256: code = 0x20; return true;
    default: return false;
  }
}
bool res_bits_code(unsigned bits, std::uint8_t& code) noexcept {
  switch (bits) {
    case 32: code = 0x00; return true;
    case 64: code = 0x08; return true;
    case 128: code = 0x10; return true;
    case 256: code = 0x20; return true;
    default: return false;
  }
}

bool config_ok(const tuak_config& c) noexcept {
  std::uint8_t code = 0;
  return mac_bits_code(c.mac_bits, code) && res_bits_code(c.res_bits, code) &&
         (c.ck_bits == 128 || c.ck_bits == 256) && (c.ik_bits == 128 || c.ik_bits == 256) &&
         c.keccak_iterations >= 1 && c.keccak_iterations <= tuak_max_keccak_iterations;
}

}  // namespace

std::expected<key256, auth_error> tuak_topc(bytes_view k, key256_view top,
                                            unsigned keccak_iterations) noexcept {
  if (!valid_k(k.size())) return std::unexpected(auth_error{auth_errc::bad_length});
  if (keccak_iterations < 1 || keccak_iterations > tuak_max_keccak_iterations)
    return std::unexpected(auth_error{auth_errc::bad_parameter});
  tuak_state st;
  tuak_core(st, top.data(), k_bit(k.size()), nullptr, nullptr, nullptr, k.data(), k.size(),
            keccak_iterations);
  key256 topc;
  put_reversed(topc.data(), st.s.data(), 32);
  return topc;
}

std::expected<tuak, auth_error> tuak::create(bytes_view k, key256_view topc,
                                             const tuak_config& config) noexcept {
  if (!valid_k(k.size())) return std::unexpected(auth_error{auth_errc::bad_length});
  if (!config_ok(config)) return std::unexpected(auth_error{auth_errc::bad_parameter});
  tuak t;
  std::memcpy(t.k_.data(), k.data(), k.size());
  t.k_len_ = k.size();
  std::memcpy(t.topc_.data(), topc.data(), 32);
  t.config_ = config;
  return t;
}

std::expected<tuak, auth_error> tuak::create_from_top(bytes_view k, key256_view top,
                                                      const tuak_config& config) noexcept {
  if (!config_ok(config)) return std::unexpected(auth_error{auth_errc::bad_parameter});
  auto topc = tuak_topc(k, top, config.keccak_iterations);
  if (!topc) return std::unexpected(topc.error());
  return create(k, topc->view(), config);
}

std::expected<byte_buffer, auth_error> tuak::mac(rand_view rand, sqn_view sqn, amf_view amf,
                                                 std::uint8_t star) const noexcept {
  std::uint8_t code = 0;
  if (!mac_bits_code(config_.mac_bits, code))
    return std::unexpected(auth_error{auth_errc::bad_parameter});
  tuak_state st;
  tuak_core(st, topc_.data(), static_cast<std::uint8_t>(star | code | k_bit(k_len_)), rand.data(),
            amf.data(), sqn.data(), k_.data(), k_len_, config_.keccak_iterations);
  try {
    byte_buffer out(config_.mac_bits / 8);
    put_reversed(out.data(), st.s.data(), out.size());
    return out;
  } catch (const std::bad_alloc&) {
    return std::unexpected(auth_error{auth_errc::backend_failure});
  }
}

std::expected<byte_buffer, auth_error> tuak::f1(rand_view rand, sqn_view sqn,
                                                amf_view amf) const noexcept {
  return mac(rand, sqn, amf, 0x00);
}

std::expected<byte_buffer, auth_error> tuak::f1star(rand_view rand, sqn_view sqn,
                                                    amf_view amf) const noexcept {
  return mac(rand, sqn, amf, 0x80);  // the INSTANCE bit of f1*
}

std::expected<tuak_f2345_output, auth_error> tuak::f2345(rand_view rand) const noexcept {
  std::uint8_t res_code = 0;
  if (!res_bits_code(config_.res_bits, res_code))
    return std::unexpected(auth_error{auth_errc::bad_parameter});
  const std::uint8_t instance = static_cast<std::uint8_t>(
      0x40 | res_code | (config_.ck_bits == 256 ? 0x04 : 0x00) |
      (config_.ik_bits == 256 ? 0x02 : 0x00) | k_bit(k_len_));
  tuak_state st;
  tuak_core(st, topc_.data(), instance, rand.data(), nullptr, nullptr, k_.data(), k_len_,
            config_.keccak_iterations);
  try {
    tuak_f2345_output r{secret_buffer(config_.res_bits / 8), secret_buffer(config_.ck_bits / 8),
                        secret_buffer(config_.ik_bits / 8), secret<6>{}};
    put_reversed(r.res.mutable_view().data(), st.s.data(), r.res.size());
    put_reversed(r.ck.mutable_view().data(), st.s.data() + 32, r.ck.size());
    put_reversed(r.ik.mutable_view().data(), st.s.data() + 64, r.ik.size());
    put_reversed(r.ak.data(), st.s.data() + 96, 6);
    return r;
  } catch (const std::bad_alloc&) {
    return std::unexpected(auth_error{auth_errc::backend_failure});
  }
}

std::expected<secret<6>, auth_error> tuak::f5star(rand_view rand) const noexcept {
  tuak_state st;
  tuak_core(st, topc_.data(), static_cast<std::uint8_t>(0xC0 | k_bit(k_len_)), rand.data(),
            nullptr, nullptr, k_.data(), k_len_, config_.keccak_iterations);
  secret<6> ak;
  put_reversed(ak.data(), st.s.data() + 96, 6);
  return ak;
}

}  // namespace sec5g::crypto
