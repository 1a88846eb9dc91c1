// TS 33.501 Annex A derivations, AUTN/AUTS, and the 5G-AKA chain.
#include "sec5g/crypto/key_hierarchy.hpp"

#include <cstring>

#include "sec5g/crypto/kdf.hpp"

namespace sec5g::crypto {

namespace {

std::unexpected<auth_error> fail(auth_errc c) noexcept { return std::unexpected(auth_error{c}); }

bytes_view text(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

void ck_ik(key128_view ck, key128_view ik, std::uint8_t out[32]) noexcept {
  std::memcpy(out, ck.data(), 16);
  std::memcpy(out + 16, ik.data(), 16);
}

// Moves the 128 least significant bits (octets 16..31) of a KDF output into a secret<16>.
template <std::size_t N>
secret<N> low_bits(const key256& k) noexcept {
  secret<N> r;
  std::memcpy(r.data(), k.data() + 32 - N, N);
  return r;
}

}  // namespace

std::expected<key256, auth_error> derive_k_ausf(key128_view ck, key128_view ik,
                                                std::string_view snn,
                                                sqn_view sqn_xor_ak) noexcept {
  if (snn.size() > max_name_len) return fail(auth_errc::bad_length);
  std::uint8_t key[32];
  ck_ik(ck, ik, key);
  auto r = kdf(bytes_view(key, 32), fc_k_ausf, {text(snn), bytes_view(sqn_xor_ak)});
  secure_zero(key);
  return r;
}

std::expected<secret<16>, auth_error> derive_res_star(key128_view ck, key128_view ik,
                                                      std::string_view snn, rand_view rand,
                                                      bytes_view res) noexcept {
  if (snn.size() > max_name_len || res.size() < 4 || res.size() > 16)
    return fail(auth_errc::bad_length);
  std::uint8_t key[32];
  ck_ik(ck, ik, key);
  auto r = kdf(bytes_view(key, 32), fc_res_star, {text(snn), bytes_view(rand), res});
  secure_zero(key);
  if (!r) return std::unexpected(r.error());
  return low_bits<16>(*r);
}

std::expected<byte_array<16>, auth_error> derive_hres_star(
    rand_view rand, std::span<const std::uint8_t, 16> res_star) noexcept {
  std::uint8_t s[32];
  std::memcpy(s, rand.data(), 16);
  std::memcpy(s + 16, res_star.data(), 16);
  auto h = sha256(bytes_view(s, 32));
  secure_zero(s);
  if (!h) return std::unexpected(h.error());
  byte_array<16> out{};
  std::memcpy(out.data(), h->data() + 16, 16);
  return out;
}

std::expected<key256, auth_error> derive_k_seaf(key256_view k_ausf,
                                                std::string_view snn) noexcept {
  if (snn.size() > max_name_len) return fail(auth_errc::bad_length);
  return kdf(bytes_view(k_ausf), fc_k_seaf, {text(snn)});
}

std::string_view supi_kdf_value(std::string_view supi) noexcept {
  if (supi.starts_with("imsi-")) return supi.substr(5);
  if (supi.starts_with("nai-")) return supi.substr(4);
  return supi;
}

std::expected<key256, auth_error> derive_k_amf(key256_view k_seaf, std::string_view supi,
                                               bytes_view abba) noexcept {
  const std::string_view v = supi_kdf_value(supi);
  if (v.size() > max_name_len || abba.size() > max_name_len) return fail(auth_errc::bad_length);
  static const std::uint8_t default_abba[2] = {0, 0};
  return kdf(bytes_view(k_seaf), fc_k_amf,
             {text(v), abba.empty() ? bytes_view(default_abba, 2) : abba});
}

namespace {

// A.8, A.9 and A.10 under a raw key (bytes_view) or a prepared one (hmac_key): same KDF input.
template <class Key>
std::expected<key128, auth_error> algorithm_key(const Key& key, algorithm_type type,
                                                std::uint8_t algorithm_id) noexcept {
  const std::uint8_t p0[1] = {static_cast<std::uint8_t>(type)};
  const std::uint8_t p1[1] = {algorithm_id};
  auto r = kdf(key, fc_algorithm_key, {bytes_view(p0, 1), bytes_view(p1, 1)});
  if (!r) return std::unexpected(r.error());
  return low_bits<16>(*r);
}

template <class Key>
std::expected<key256, auth_error> k_gnb(const Key& k_amf, std::uint32_t uplink_nas_count,
                                        access_type access) noexcept {
  std::uint8_t count[4];
  store_be32(count, uplink_nas_count);
  const std::uint8_t at[1] = {static_cast<std::uint8_t>(access)};
  return kdf(k_amf, fc_k_gnb, {bytes_view(count, 4), bytes_view(at, 1)});
}

}  // namespace

std::expected<key128, auth_error> derive_algorithm_key(key256_view key, algorithm_type type,
                                                       std::uint8_t algorithm_id) noexcept {
  return algorithm_key(bytes_view(key), type, algorithm_id);
}
std::expected<key128, auth_error> derive_algorithm_key(const hmac_key& key, algorithm_type type,
                                                       std::uint8_t algorithm_id) noexcept {
  return algorithm_key(key, type, algorithm_id);
}

std::expected<key256, auth_error> derive_k_gnb(key256_view k_amf, std::uint32_t uplink_nas_count,
                                               access_type access) noexcept {
  return k_gnb(bytes_view(k_amf), uplink_nas_count, access);
}
std::expected<key256, auth_error> derive_k_gnb(const hmac_key& k_amf,
                                               std::uint32_t uplink_nas_count,
                                               access_type access) noexcept {
  return k_gnb(k_amf, uplink_nas_count, access);
}

std::expected<key256, auth_error> derive_nh(key256_view k_amf, key256_view sync_input) noexcept {
  return kdf(bytes_view(k_amf), fc_nh, {bytes_view(sync_input)});
}
std::expected<key256, auth_error> derive_nh(const hmac_key& k_amf,
                                            key256_view sync_input) noexcept {
  return kdf(k_amf, fc_nh, {bytes_view(sync_input)});
}

namespace {

/// KDF(key, fc, PCI (2 octets), (E)ARFCN-DL (3 octets)): A.11 and A.12.
std::expected<key256, auth_error> k_ran_star(key256_view key, std::uint8_t fc, std::uint16_t pci,
                                             std::uint16_t max_pci, std::uint32_t arfcn_dl) noexcept {
  if (pci > max_pci || arfcn_dl > 0xFFFFFFu) return fail(auth_errc::bad_parameter);
  std::uint8_t p0[2];
  store_be16(p0, pci);
  const std::uint8_t p1[3] = {static_cast<std::uint8_t>(arfcn_dl >> 16),
                              static_cast<std::uint8_t>(arfcn_dl >> 8),
                              static_cast<std::uint8_t>(arfcn_dl)};
  return kdf(bytes_view(key), fc, {bytes_view(p0, 2), bytes_view(p1, 3)});
}

}  // namespace

std::expected<key256, auth_error> derive_k_ng_ran_star(key256_view key, std::uint16_t pci,
                                                       std::uint32_t arfcn_dl) noexcept {
  return k_ran_star(key, fc_k_ng_ran_star, pci, 1007, arfcn_dl);  // NR PCI 0..1007
}

std::expected<key256, auth_error> derive_k_ng_ran_star_ng_enb(key256_view key, std::uint16_t pci,
                                                              std::uint32_t earfcn_dl) noexcept {
  return k_ran_star(key, fc_k_ng_ran_star_ng_enb, pci, 503, earfcn_dl);  // E-UTRA PCI 0..503
}

std::expected<key256, auth_error> derive_k_amf_prime(key256_view k_amf, k_amf_change change,
                                                     std::uint32_t nas_count) noexcept {
  const std::uint8_t dir[1] = {static_cast<std::uint8_t>(change)};
  std::uint8_t count[4];
  store_be32(count, nas_count);
  return kdf(bytes_view(k_amf), fc_k_amf_prime, {bytes_view(dir, 1), bytes_view(count, 4)});
}

std::expected<key256, auth_error> derive_k_asme_prime(key256_view k_amf, k_amf_change change,
                                                      std::uint32_t nas_count) noexcept {
  std::uint8_t count[4];
  store_be32(count, nas_count);
  const std::uint8_t fc =
      change == k_amf_change::handover ? fc_k_asme_prime_handover : fc_k_asme_prime_idle;
  return kdf(bytes_view(k_amf), fc, {bytes_view(count, 4)});
}

std::expected<key256, auth_error> idle_from_k_asme(key256_view k_asme,
                                                   std::uint32_t tau_uplink_nas_count) noexcept {
  std::uint8_t count[4];
  store_be32(count, tau_uplink_nas_count);
  return kdf(bytes_view(k_asme), fc_k_amf_from_k_asme_idle, {bytes_view(count, 4)});
}

std::expected<key256, auth_error> handover_from_k_asme(key256_view k_asme, key256_view nh) noexcept {
  return kdf(bytes_view(k_asme), fc_k_amf_from_k_asme_handover, {bytes_view(nh)});
}

autn128 assemble_autn(sqn_view sqn, std::span<const std::uint8_t, 6> ak, amf_view amf,
                      std::span<const std::uint8_t, 8> mac_a) noexcept {
  autn128 a{};
  for (std::size_t i = 0; i < 6; ++i) a[i] = static_cast<std::uint8_t>(sqn[i] ^ ak[i]);
  a[6] = amf[0];
  a[7] = amf[1];
  std::memcpy(a.data() + 8, mac_a.data(), 8);
  return a;
}

sqn48 sqn_from_autn(autn_view autn, std::span<const std::uint8_t, 6> ak) noexcept {
  sqn48 s{};
  for (std::size_t i = 0; i < 6; ++i) s[i] = static_cast<std::uint8_t>(autn[i] ^ ak[i]);
  return s;
}

auts112 assemble_auts(sqn_view sqn_ms, std::span<const std::uint8_t, 6> ak_star,
                      std::span<const std::uint8_t, 8> mac_s) noexcept {
  auts112 a{};
  for (std::size_t i = 0; i < 6; ++i) a[i] = static_cast<std::uint8_t>(sqn_ms[i] ^ ak_star[i]);
  std::memcpy(a.data() + 6, mac_s.data(), 8);
  return a;
}

std::expected<autn_check_result, auth_error> check_autn(milenage& m, rand_view rand,
                                                        autn_view autn) noexcept {
  auto ak = m.f5(rand);
  if (!ak) return std::unexpected(ak.error());
  autn_check_result r;
  r.sqn = sqn_from_autn(autn, ak->view());
  r.amf = {autn[6], autn[7]};
  auto xmac = m.f1(rand, r.sqn, r.amf);
  if (!xmac) return std::unexpected(xmac.error());
  r.mac_ok = constant_time_equal(*xmac, autn.subspan<8, 8>());
  return r;
}

std::expected<autn_check_result, auth_error> check_autn(const tuak& t, rand_view rand,
                                                        autn_view autn) noexcept {
  if (t.config().mac_bits != 64) return fail(auth_errc::bad_parameter);
  auto o = t.f2345(rand);
  if (!o) return std::unexpected(o.error());
  autn_check_result r;
  r.sqn = sqn_from_autn(autn, o->ak.view());
  r.amf = {autn[6], autn[7]};
  auto xmac = t.f1(rand, r.sqn, r.amf);
  if (!xmac) return std::unexpected(xmac.error());
  r.mac_ok = constant_time_equal(*xmac, autn.subspan<8, 8>());
  return r;
}

std::expected<std::optional<std::size_t>, auth_error> find_subscriber_by_autn(
    std::span<const subscriber_keys> candidates, rand_view rand, autn_view autn) noexcept {
  if (candidates.empty()) return std::optional<std::size_t>{};
  auto m = milenage::create(candidates[0].k, candidates[0].opc);
  if (!m) return std::unexpected(m.error());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) {
      if (auto r = m->rekey(candidates[i].k, candidates[i].opc); !r)
        return std::unexpected(r.error());
    }
    auto c = check_autn(*m, rand, autn);
    if (!c) return std::unexpected(c.error());
    if (c->mac_ok) return std::optional<std::size_t>{i};
  }
  return std::optional<std::size_t>{};
}

namespace {

/// SQN_MS = AUTS[0..5] xor AK*. Ref: TS 33.102 6.3.3.
sqn48 sqn_ms_of(auts_view auts, bytes_view ak_star) noexcept {
  sqn48 sqn_ms{};
  for (std::size_t i = 0; i < 6; ++i) sqn_ms[i] = static_cast<std::uint8_t>(auts[i] ^ ak_star[i]);
  return sqn_ms;
}

const std::uint8_t auts_amf[2] = {0, 0};  // TS 33.102 6.3.3: AMF = 0 in MAC-S

}  // namespace

std::expected<std::optional<sqn48>, auth_error> verify_auts(milenage& m, rand_view rand,
                                                            auts_view auts) noexcept {
  auto ak_star = m.f5star(rand);
  if (!ak_star) return std::unexpected(ak_star.error());
  const sqn48 sqn_ms = sqn_ms_of(auts, ak_star->view());
  auto mac_s = m.f1star(rand, sqn_ms, amf_view(auts_amf));
  if (!mac_s) return std::unexpected(mac_s.error());
  if (!constant_time_equal(*mac_s, auts.subspan<6, 8>())) return std::optional<sqn48>{};
  return std::optional<sqn48>{sqn_ms};
}

std::expected<std::optional<sqn48>, auth_error> verify_auts(const tuak& t, rand_view rand,
                                                            auts_view auts) noexcept {
  if (t.config().mac_bits != 64) return fail(auth_errc::bad_parameter);
  auto ak_star = t.f5star(rand);
  if (!ak_star) return std::unexpected(ak_star.error());
  const sqn48 sqn_ms = sqn_ms_of(auts, ak_star->view());
  auto mac_s = t.f1star(rand, sqn_ms, amf_view(auts_amf));
  if (!mac_s) return std::unexpected(mac_s.error());
  if (!constant_time_equal(*mac_s, auts.subspan<6, 8>())) return std::optional<sqn48>{};
  return std::optional<sqn48>{sqn_ms};
}

namespace {

bool params_ok(const aka_5g_params& p) noexcept {
  return p.nas_enc_alg <= 15 && p.nas_int_alg <= 15 &&
         p.serving_network_name.size() <= max_name_len && p.supi.size() <= max_name_len &&
         p.abba.size() <= max_name_len;
}

// K_SEAF .. K_gNB into `k` from k.k_ausf.
std::expected<void, auth_error> serving_chain(aka_5g_keys& k, const aka_5g_params& p) noexcept {
  auto k_seaf = derive_k_seaf(k.k_ausf.view(), p.serving_network_name);
  if (!k_seaf) return std::unexpected(k_seaf.error());
  k.k_seaf = std::move(*k_seaf);
  auto k_amf = derive_k_amf(k.k_seaf.view(), p.supi, p.abba);
  if (!k_amf) return std::unexpected(k_amf.error());
  k.k_amf = std::move(*k_amf);
  auto enc = derive_algorithm_key(k.k_amf.view(), algorithm_type::nas_enc, p.nas_enc_alg);
  if (!enc) return std::unexpected(enc.error());
  k.k_nas_enc = std::move(*enc);
  auto integ = derive_algorithm_key(k.k_amf.view(), algorithm_type::nas_int, p.nas_int_alg);
  if (!integ) return std::unexpected(integ.error());
  k.k_nas_int = std::move(*integ);
  auto gnb = derive_k_gnb(k.k_amf.view(), p.uplink_nas_count, access_type::three_gpp);
  if (!gnb) return std::unexpected(gnb.error());
  k.k_gnb = std::move(*gnb);
  return {};
}

}  // namespace

std::expected<aka_5g_keys, auth_error> derive_5g_aka(milenage& m, rand_view rand, sqn_view sqn,
                                                     amf_view amf,
                                                     const aka_5g_params& p) noexcept {
  if (!params_ok(p)) return fail(auth_errc::bad_parameter);
  auto out = m.compute(rand, sqn, amf);
  if (!out) return std::unexpected(out.error());
  aka_5g_keys k;
  k.ck = std::move(out->ck);
  k.ik = std::move(out->ik);
  k.ak = std::move(out->ak);
  k.res = std::move(out->res);
  k.mac_a = out->mac_a;
  k.autn = assemble_autn(sqn, k.ak.view(), amf, k.mac_a);
  const sqn_view sqn_xor_ak = std::span<const std::uint8_t>(k.autn).first<6>();
  auto res_star = derive_res_star(k.ck.view(), k.ik.view(), p.serving_network_name, rand,
                                  bytes_view(k.res.view()));
  if (!res_star) return std::unexpected(res_star.error());
  k.res_star = std::move(*res_star);
  auto hxres = derive_hres_star(rand, k.res_star.view());
  if (!hxres) return std::unexpected(hxres.error());
  k.hxres_star = *hxres;
  auto k_ausf = derive_k_ausf(k.ck.view(), k.ik.view(), p.serving_network_name, sqn_xor_ak);
  if (!k_ausf) return std::unexpected(k_ausf.error());
  k.k_ausf = std::move(*k_ausf);
  if (auto r = serving_chain(k, p); !r) return std::unexpected(r.error());
  return k;
}

std::expected<aka_5g_keys, auth_error> derive_from_k_ausf(key256_view k_ausf,
                                                          const aka_5g_params& p) noexcept {
  if (!params_ok(p)) return fail(auth_errc::bad_parameter);
  aka_5g_keys k;
  k.k_ausf = key256(k_ausf);
  if (auto r = serving_chain(k, p); !r) return std::unexpected(r.error());
  return k;
}

}  // namespace sec5g::crypto
