#include "synth/eap.hpp"

#include "sec5g/core/byte_writer.hpp"
#include "sec5g/crypto/eap_aka_prime.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"

namespace sec5g::synth::detail {

namespace {

using namespace crypto::eap_aka;  // codes, type, subtype, attribute types

// Header; the length is patched by finish().
void header(byte_buffer& b, std::uint8_t code, std::uint8_t id) {
  byte_writer w(b);
  w.u8(code);
  w.u8(id);
  w.u16(0);
  w.u8(type_aka_prime);
  w.u8(subtype_challenge);
  w.u16(0);  // reserved
}

// AT_MAC with a zero MAC; returns the offset of the MAC value.
std::size_t mac_attribute(byte_buffer& b) {
  byte_writer w(b);
  w.u8(at_mac);
  w.u8(5);
  w.u16(0);
  const std::size_t at = b.size();
  w.zeros(16);
  return at;
}

// Sets the length and the AT_MAC = first 16 octets of HMAC-SHA-256(K_aut, packet).
// Ref: RFC 9048 3.4.
bool finish(byte_buffer& b, std::size_t mac_at, const key256& k_aut) {
  store_be16(b.data() + 2, static_cast<std::uint16_t>(b.size()));
  auto mac = crypto::hmac_sha256(k_aut.view(), b);
  if (!mac) return false;
  std::copy(mac->begin(), mac->begin() + 16, b.begin() + static_cast<std::ptrdiff_t>(mac_at));
  return true;
}

}  // namespace

bool eap_start(crypto::milenage& m, eap_state& st, std::span<const std::uint8_t, 16> rand,
               std::span<const std::uint8_t, 6> sqn, std::span<const std::uint8_t, 2> amf,
               std::string_view network_name, std::string_view supi, rng& r) {
  auto out = m.compute(rand, sqn, amf);
  if (!out) return false;
  st.autn = crypto::assemble_autn(sqn, out->ak.view(), amf, out->mac_a);
  byte_array<6> sqn_xor_ak{};
  for (std::size_t i = 0; i < 6; ++i) sqn_xor_ak[i] = static_cast<std::uint8_t>(sqn[i] ^ out->ak.view()[i]);
  auto primes = crypto::derive_ck_ik_prime(out->ck.view(), out->ik.view(), network_name, sqn_xor_ak);
  if (!primes) return false;
  const std::string_view identity = crypto::supi_kdf_value(supi);
  auto keys = crypto::derive_eap_aka_prime_keys(primes->ck_prime.view(), primes->ik_prime.view(),
                                                identity);
  if (!keys) return false;
  st.k_ausf = crypto::k_ausf_from_emsk(keys->emsk.view());
  st.identifier = static_cast<std::uint8_t>(r.next());

  // EAP-Request/AKA'-Challenge. Ref: RFC 9048 3.1, RFC 4187 10.6, 10.7.
  st.request.clear();
  header(st.request, code_request, st.identifier);
  {
    byte_writer w(st.request);
    w.u8(at_rand);
    w.u8(5);
    w.u16(0);
    w.bytes(rand);
    w.u8(at_autn);
    w.u8(5);
    w.u16(0);
    w.bytes(st.autn);
    w.u8(at_kdf);
    w.u8(1);
    w.u16(1);  // KDF 1: CK'/IK' with HMAC-SHA-256
    const std::size_t padded = (network_name.size() + 3) / 4 * 4;
    w.u8(at_kdf_input);
    w.u8(static_cast<std::uint8_t>(1 + padded / 4));
    w.u16(static_cast<std::uint16_t>(network_name.size()));
    w.bytes(bytes_view(reinterpret_cast<const std::uint8_t*>(network_name.data()),
                       network_name.size()));
    w.zeros(padded - network_name.size());
  }
  const std::size_t req_mac = mac_attribute(st.request);
  if (!finish(st.request, req_mac, keys->k_aut)) return false;

  // EAP-Response/AKA'-Challenge. Ref: RFC 4187 10.8 (AT_RES length in bits).
  st.response.clear();
  header(st.response, code_response, st.identifier);
  {
    byte_writer w(st.response);
    w.u8(at_res);
    w.u8(3);
    w.u16(64);
    w.bytes(out->res.view());
  }
  const std::size_t rsp_mac = mac_attribute(st.response);
  return finish(st.response, rsp_mac, keys->k_aut);
}

}  // namespace sec5g::synth::detail
