#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>

#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"
#include "synth/engine_parts.hpp"

namespace sec5g::synth {

namespace detail {

suci_profile hn_profile(const options& opt) noexcept {
  if (opt.profile != suci_profile::null_scheme) return opt.profile;
  if (opt.what == scenario::suci_replay || opt.what == scenario::mixed) {
    return suci_profile::profile_a;
  }
  return suci_profile::null_scheme;
}

secret<32> hn_private_key(const options& opt) noexcept {
  secret<32> k;
  rng r(derive_seed(opt.seed, 20, static_cast<std::uint64_t>(hn_profile(opt))));
  r.fill(k.mutable_view());
  // Keep a P-256 scalar below the group order (and the X25519 scalar any value: clamped by
  // the algorithm itself).
  k.mutable_view()[0] &= 0x7F;
  k.mutable_view()[31] |= 0x01;
  return k;
}

std::expected<byte_buffer, synth_error> hn_public_key(const options& opt) {
  const auto p = hn_profile(opt);
  const auto scheme = p == suci_profile::profile_b ? identity::protection_scheme::profile_b
                                                   : identity::protection_scheme::profile_a;
  const auto priv = hn_private_key(opt);
  auto pub = identity::public_key_from_private(scheme, priv.view());
  if (!pub) return std::unexpected(synth_error{"home network key: " + identity::describe(pub.error())});
  return std::move(*pub);
}

std::expected<byte_buffer, synth_error> conceal_suci(std::string_view msin, suci_profile profile,
                                                     std::uint8_t key_id, bytes_view hn_public,
                                                     rng& r) {
  auto supi = identity::parse_supi(std::string("imsi-00101") + std::string(msin));
  if (!supi) return std::unexpected(synth_error{"bad SUPI"});
  supi->mnc_digits = 2;
  identity::conceal_options o;
  o.scheme = static_cast<identity::protection_scheme>(profile);
  o.routing.assign("0000");
  secret<32> eph;
  if (profile != suci_profile::null_scheme) {
    o.hn_public_key_id = key_id;
    o.hn_public_key = hn_public;
    r.fill(eph.mutable_view());
    eph.mutable_view()[0] &= 0x7F;
    eph.mutable_view()[31] |= 0x01;
    o.eph_private_key = eph.view();
  }
  auto s = identity::conceal(*supi, o);
  if (!s) return std::unexpected(synth_error{"SUCI conceal: " + identity::describe(s.error())});
  byte_buffer out;
  if (!identity::encode_suci(*s, out)) return std::unexpected(synth_error{"SUCI encode failed"});
  return out;
}

}  // namespace detail

namespace {

struct bio_free {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct pkey_free {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};

std::expected<std::string, synth_error> pem_of(EVP_PKEY* key, bool type_specific) {
  std::unique_ptr<BIO, bio_free> bio(BIO_new(BIO_s_mem()));
  if (!bio) return std::unexpected(synth_error{"OpenSSL: BIO_new failed"});
  if (type_specific) {
    // "EC PRIVATE KEY" (SEC1), as `openssl ecparam -genkey` writes it and Open5GS reads it.
    OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(
        key, OSSL_KEYMGMT_SELECT_ALL, "PEM", "type-specific", nullptr);
    const bool ok = ctx != nullptr && OSSL_ENCODER_to_bio(ctx, bio.get()) == 1;
    OSSL_ENCODER_CTX_free(ctx);
    if (!ok) return std::unexpected(synth_error{"OpenSSL: cannot encode the EC key"});
  } else if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return std::unexpected(synth_error{"OpenSSL: cannot write the PEM key"});
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

std::expected<std::string, synth_error> home_network_key_pem(const options& opt) {
  const auto p = detail::hn_profile(opt);
  if (p == suci_profile::null_scheme) {
    return std::unexpected(synth_error{"the null scheme has no home network key"});
  }
  const auto priv = detail::hn_private_key(opt);
  if (p == suci_profile::profile_a) {
    std::unique_ptr<EVP_PKEY, pkey_free> key(
        EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, priv.data(), priv.size()));
    if (!key) return std::unexpected(synth_error{"OpenSSL: bad X25519 key"});
    return pem_of(key.get(), false);
  }
  auto pub = detail::hn_public_key(opt);
  if (!pub) return std::unexpected(pub.error());
  BIGNUM* bn = BN_bin2bn(priv.data(), static_cast<int>(priv.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY* raw = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  bool ok = bn != nullptr && bld != nullptr && ctx != nullptr &&
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn) &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub->data(),
                                             pub->size()) &&
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                            "compressed", 0);
  if (ok) params = OSSL_PARAM_BLD_to_param(bld);
  ok = ok && params != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
       EVP_PKEY_fromdata(ctx, &raw, EVP_PKEY_KEYPAIR, params) == 1;
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX_free(ctx);
  BN_clear_free(bn);
  std::unique_ptr<EVP_PKEY, pkey_free> key(raw);
  if (!ok || !key) return std::unexpected(synth_error{"OpenSSL: cannot build the P-256 key"});
  return pem_of(key.get(), true);
}

}  // namespace sec5g::synth
