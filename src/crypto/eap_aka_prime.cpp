// EAP-AKA' key derivation (RFC 5448 3.3/3.4) on the prepared-key HMAC of kdf.hpp.
#include "sec5g/crypto/eap_aka_prime.hpp"

#include <array>
#include <cstring>

#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"

namespace sec5g::crypto {

std::expected<ck_ik_prime, auth_error> derive_ck_ik_prime(key128_view ck, key128_view ik,
                                                          std::string_view network_name,
                                                          sqn_view sqn_xor_ak) noexcept {
  if (network_name.size() > max_name_len)
    return std::unexpected(auth_error{auth_errc::bad_length});
  std::uint8_t key[32];
  std::memcpy(key, ck.data(), 16);
  std::memcpy(key + 16, ik.data(), 16);
  const bytes_view name(reinterpret_cast<const std::uint8_t*>(network_name.data()),
                        network_name.size());
  auto r = kdf(bytes_view(key, 32), fc_ck_ik_prime, {name, bytes_view(sqn_xor_ak)});
  secure_zero(key);
  if (!r) return std::unexpected(r.error());
  ck_ik_prime out;
  std::memcpy(out.ck_prime.data(), r->data(), 16);
  std::memcpy(out.ik_prime.data(), r->data() + 16, 16);
  return out;
}

std::expected<void, auth_error> prf_prime(bytes_view key, bytes_view s, bytes_span out) noexcept {
  if (out.size() > prf_prime_max_len) return std::unexpected(auth_error{auth_errc::bad_length});
  // K is prepared once for all the iterations: each then hashes from its padded states.
  const auto k = hmac_key::prepare(key);
  if (!k) return std::unexpected(k.error());
  std::array<std::uint8_t, 32> t{};
  std::size_t done = 0;
  for (unsigned n = 1; done < out.size(); ++n) {
    const std::uint8_t counter[1] = {static_cast<std::uint8_t>(n)};
    // T1 = HMAC(K, S || 0x01); Tn = HMAC(K, Tn-1 || S || n)
    const bytes_view parts[] = {n == 1 ? bytes_view{} : bytes_view(t), s, bytes_view(counter, 1)};
    if (!k->mac(parts, t)) {
      secure_zero(t);
      return std::unexpected(auth_error{auth_errc::backend_failure});
    }
    const std::size_t take = std::min<std::size_t>(32, out.size() - done);
    std::memcpy(out.data() + done, t.data(), take);
    done += take;
  }
  secure_zero(t);
  return {};
}

std::expected<eap_aka_prime_keys, auth_error> derive_eap_aka_prime_keys(
    key128_view ck_prime, key128_view ik_prime, std::string_view identity) noexcept {
  if (identity.size() > max_name_len) return std::unexpected(auth_error{auth_errc::bad_length});
  // K = IK' || CK' (RFC 5448 3.3); S = "EAP-AKA'" || Identity.
  std::uint8_t key[32];
  std::memcpy(key, ik_prime.data(), 16);
  std::memcpy(key + 16, ck_prime.data(), 16);
  static constexpr char label[] = "EAP-AKA'";
  std::array<std::uint8_t, 8 + max_name_len> s{};
  std::memcpy(s.data(), label, 8);
  if (!identity.empty()) std::memcpy(s.data() + 8, identity.data(), identity.size());
  std::array<std::uint8_t, 208> mk{};
  auto r = prf_prime(bytes_view(key, 32), bytes_view(s.data(), 8 + identity.size()), mk);
  secure_zero(key);
  if (!r) {
    secure_zero(mk);
    return std::unexpected(r.error());
  }
  eap_aka_prime_keys k;
  std::memcpy(k.k_encr.data(), mk.data(), 16);
  std::memcpy(k.k_aut.data(), mk.data() + 16, 32);
  std::memcpy(k.k_re.data(), mk.data() + 48, 32);
  std::memcpy(k.msk.data(), mk.data() + 80, 64);
  std::memcpy(k.emsk.data(), mk.data() + 144, 64);
  secure_zero(mk);
  return k;
}

key256 k_ausf_from_emsk(std::span<const std::uint8_t, 64> emsk) noexcept {
  return key256(emsk.first<32>());
}

}  // namespace sec5g::crypto
