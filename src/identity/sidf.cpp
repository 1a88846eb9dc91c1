// SUCI concealment / de-concealment (ECIES Profiles A and B, null scheme) and the home-network
// key store. Ref: TS 33.501 6.12.2, Annex C.3, C.4.
// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but remain supported
// through 3.x; see sym_contexts below for why they are used.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sec5g/identity/sidf.hpp"

#include "identity/p256_point.hpp"
#include "identity/x25519_x8.hpp"
#include "sec5g/crypto/kdf.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace sec5g::identity {
namespace {

std::unexpected<suci_error> err(suci_errc c, const char* detail = "", std::uint32_t v = 0) noexcept {
  return std::unexpected(suci_error{c, v, detail});
}

// Algorithms fetched once per process (fetching per call costs locks and lookups).
struct algorithms {
  EVP_CIPHER* aes128_ctr = nullptr;
  bool ok = false;
};

const algorithms& algos() noexcept {
  static const algorithms a = [] {
    algorithms r;
    r.aes128_ctr = EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr);
    r.ok = r.aes128_ctr != nullptr;
    return r;
  }();
  return a;
}

struct pkey_deleter {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
struct pkey_ctx_deleter {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_deleter>;
struct bio_deleter {
  void operator()(BIO* p) const noexcept { BIO_free(p); }
};
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;

std::size_t public_key_len(protection_scheme p) noexcept {
  return p == protection_scheme::profile_a ? profile_a_public_key_len : profile_b_public_key_len;
}

const char* profile_name(protection_scheme p) noexcept {
  return p == protection_scheme::profile_a ? "profile A" : "profile B";
}

// --- key objects ---------------------------------------------------------------------------

pkey_ptr x25519_private(bytes_view priv) noexcept {
  if (priv.size() != 32) return nullptr;
  return pkey_ptr(EVP_PKEY_new_raw_private_key_ex(nullptr, "X25519", nullptr, priv.data(), 32));
}

pkey_ptr x25519_public(bytes_view pub) noexcept {
  if (pub.size() != 32) return nullptr;
  return pkey_ptr(EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, pub.data(), 32));
}

// A secp256r1 private key from its 32-octet scalar: the DER ECPrivateKey (RFC 5915) without
// the public key; OpenSSL computes the public key while decoding.
pkey_ptr p256_private(bytes_view priv) noexcept {
  if (priv.size() != 32) return nullptr;
  if (std::all_of(priv.begin(), priv.end(), [](std::uint8_t b) { return b == 0; })) return nullptr;
  static constexpr std::uint8_t head[] = {0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20};
  static constexpr std::uint8_t tail[] = {0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                          0xce, 0x3d, 0x03, 0x01, 0x07};
  std::array<std::uint8_t, sizeof head + 32 + sizeof tail> der{};
  std::copy(std::begin(head), std::end(head), der.begin());
  std::copy(priv.begin(), priv.end(), der.begin() + sizeof head);
  std::copy(std::begin(tail), std::end(tail), der.begin() + sizeof head + 32);
  const unsigned char* p = der.data();
  pkey_ptr k(d2i_PrivateKey_ex(EVP_PKEY_EC, nullptr, &p, static_cast<long>(der.size()), nullptr,
                               nullptr));
  secure_zero(der);
  return k;
}

// A secp256r1 public key from a compressed (33) or uncompressed (65) point; the decoding checks
// that the point is on the curve (cofactor 1: on the curve = in the group).
pkey_ptr p256_public(EVP_PKEY_CTX* fromdata_ctx, bytes_view pub) noexcept {
  const bool compressed = pub.size() == 33 && (pub[0] == 0x02 || pub[0] == 0x03);
  const bool uncompressed = pub.size() == 65 && pub[0] == 0x04;
  if (!compressed && !uncompressed) return nullptr;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("prime256v1"), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                        const_cast<std::uint8_t*>(pub.data()), pub.size()),
      OSSL_PARAM_construct_end()};
  pkey_ctx_ptr own;
  if (fromdata_ctx == nullptr) {
    own.reset(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!own || EVP_PKEY_fromdata_init(own.get()) <= 0) return nullptr;
    fromdata_ctx = own.get();
  }
  EVP_PKEY* k = nullptr;
  if (EVP_PKEY_fromdata(fromdata_ctx, &k, EVP_PKEY_PUBLIC_KEY, params) <= 0) return nullptr;
  return pkey_ptr(k);
}

// The private key of `profile` from its 32 raw octets.
std::expected<pkey_ptr, suci_error> raw_private(protection_scheme profile,
                                                bytes_view priv) noexcept {
  pkey_ptr k;
  if (profile == protection_scheme::profile_a) k = x25519_private(priv);
  else if (profile == protection_scheme::profile_b) k = p256_private(priv);
  else return err(suci_errc::unsupported_scheme, "", static_cast<std::uint32_t>(profile));
  if (!k) return err(suci_errc::bad_private_key, "expected 32 octets");
  return k;
}

// Compressed point of a P-256 key (33 octets).
std::expected<byte_buffer, suci_error> p256_compressed(EVP_PKEY* k) noexcept {
  std::array<std::uint8_t, 65> buf{};
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, buf.data(), buf.size(), &len) <= 0)
    return err(suci_errc::crypto_failure, "no public key");
  if (len == 33) return byte_buffer(buf.begin(), buf.begin() + 33);
  if (len != 65 || buf[0] != 0x04) return err(suci_errc::crypto_failure, "unexpected point format");
  byte_buffer out(33);
  out[0] = static_cast<std::uint8_t>(0x02 | (buf[64] & 1));
  std::copy(buf.begin() + 1, buf.begin() + 33, out.begin() + 1);
  return out;
}

std::expected<byte_buffer, suci_error> public_of(protection_scheme p, EVP_PKEY* k) noexcept {
  if (p == protection_scheme::profile_b) return p256_compressed(k);
  byte_buffer out(32);
  std::size_t len = 32;
  if (EVP_PKEY_get_raw_public_key(k, out.data(), &len) <= 0 || len != 32)
    return err(suci_errc::crypto_failure, "no public key");
  return out;
}

bool is_p256(EVP_PKEY* k) noexcept {
  if (EVP_PKEY_is_a(k, "EC") == 0) return false;
  char name[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_group_name(k, name, sizeof name, &len) <= 0) return false;
  const std::string_view n(name, len);
  return n == "prime256v1" || n == "P-256" || n == "secp256r1";
}

// ECDH on a context already set up with EVP_PKEY_derive_init for the private key. The peer is
// not re-validated (X25519 needs no check; P-256 points were checked when decoded).
bool derive(EVP_PKEY_CTX* ctx, EVP_PKEY* peer, std::span<std::uint8_t, 32> out) noexcept {
  if (EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) <= 0) return false;
  std::size_t len = 32;
  return EVP_PKEY_derive(ctx, out.data(), &len) > 0 && len == 32;
}

// Profile B ECDH on OpenSSL's EC_POINT API: one group, the private scalar as a constant-time
// BIGNUM, and per SUCI EC_POINT_oct2point (OpenSSL checks the point against the curve once
// more) + EC_POINT_mul + the affine x. That is what EVP_PKEY_derive does inside
// (ossl_ecdh_simple_compute_key: the same EC_POINT_mul on the same group method), minus the
// per-call provider dispatch, BN_CTX and buffer allocations and the peer key update through
// EVP_PKEY_set_octet_string_param: ~1 us less per SUCI (docs/performance/identity.md).
struct p256_ecdh {
  EC_GROUP* group = nullptr;
  BIGNUM* priv = nullptr;  // secret: constant-time flag, cleared on destruction
  EC_POINT* peer = nullptr;
  BN_CTX* bn = nullptr;
  BIGNUM* x = nullptr;

  explicit p256_ecdh(EVP_PKEY* key) noexcept {
    group = EC_GROUP_new_by_curve_name_ex(nullptr, nullptr, NID_X9_62_prime256v1);
    bn = BN_CTX_secure_new_ex(nullptr);
    x = BN_secure_new();
    if (group != nullptr) peer = EC_POINT_new(group);
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &priv) <= 0) priv = nullptr;
    if (priv != nullptr) BN_set_flags(priv, BN_FLG_CONSTTIME);
  }
  ~p256_ecdh() {
    BN_clear_free(priv);
    BN_clear_free(x);
    EC_POINT_free(peer);
    BN_CTX_free(bn);
    EC_GROUP_free(group);
  }
  p256_ecdh(const p256_ecdh&) = delete;
  p256_ecdh& operator=(const p256_ecdh&) = delete;
  [[nodiscard]] bool ok() const noexcept {
    return group != nullptr && priv != nullptr && peer != nullptr && bn != nullptr && x != nullptr;
  }

  // The shared secret (x of priv*peer) for the 65-octet uncompressed peer point. False if the
  // point is not on the curve (or OpenSSL fails).
  bool derive(std::span<const std::uint8_t, 65> point, std::span<std::uint8_t, 32> out) noexcept {
    if (EC_POINT_oct2point(group, peer, point.data(), point.size(), bn) != 1) return false;
    EC_POINT* r = EC_POINT_new(group);
    bool good = r != nullptr && EC_POINT_mul(group, r, nullptr, peer, priv, bn) == 1 &&
                EC_POINT_get_affine_coordinates(group, r, x, nullptr, bn) == 1 &&
                BN_bn2binpad(x, out.data(), 32) == 32;
    EC_POINT_clear_free(r);
    BN_clear(x);
    return good;
  }
};

// --- ECIES symmetric part ------------------------------------------------------------------

// Reusable OpenSSL contexts for the cipher (one set per sidf, i.e. per thread); the KDF hashes
// through OpenSSL's low-level SHA-256 calls, as crypto's HMAC (used for the MAC) does: the same
// SHA-NI / AVX2 block function as the EVP digest, without EVP_DigestInit_ex2's provider look-ups
// on every hash.
struct sym_contexts {
  EVP_CIPHER_CTX* cipher = EVP_CIPHER_CTX_new();
  bool cipher_set = false;  // AES-128-CTR bound to `cipher`: later calls only re-key

  sym_contexts() noexcept = default;
  ~sym_contexts() { EVP_CIPHER_CTX_free(cipher); }
  sym_contexts(const sym_contexts&) = delete;
  sym_contexts& operator=(const sym_contexts&) = delete;
  [[nodiscard]] bool ok() const noexcept { return algos().ok && cipher != nullptr; }

  /// SHA-256 of the concatenation of `parts`; the state is wiped.
  static bool sha256(std::initializer_list<bytes_view> parts, std::uint8_t* out) noexcept {
    SHA256_CTX c;
    bool good = SHA256_Init(&c) == 1;
    for (const bytes_view p : parts)
      if (good && !p.empty()) good = SHA256_Update(&c, p.data(), p.size()) == 1;
    good = good && SHA256_Final(out, &c) == 1;
    secure_zero(bytes_span(reinterpret_cast<std::uint8_t*>(&c), sizeof c));
    return good;
  }

  // ANSI X9.63 KDF with SHA-256: K_i = SHA-256(Z | counter_i (32 bits) | SharedInfo).
  // Ref: TS 33.501 C.3.4.1, SEC 1 v2 3.6.1.
  static bool x963(bytes_view z, bytes_view shared_info, std::span<std::uint8_t, 64> out) noexcept {
    bool good = true;
    for (std::uint32_t i = 1; i <= 2 && good; ++i) {
      std::uint8_t counter[4];
      store_be32(counter, i);
      good = sha256({z, bytes_view(counter), shared_info}, out.data() + 32 * (i - 1));
    }
    return good;
  }

  // AES-128-CTR with the ICB as the first counter block. Ref: TS 33.501 C.3.4.
  bool ctr(bytes_view key, bytes_view icb, bytes_view in, std::uint8_t* out) noexcept {
    int len = 0;
    if (EVP_CipherInit_ex2(cipher, cipher_set ? nullptr : algos().aes128_ctr, key.data(), icb.data(), 1,
                           nullptr) <= 0)
      return false;
    cipher_set = true;
    return EVP_CipherUpdate(cipher, out, &len, in.data(), static_cast<int>(in.size())) > 0 &&
           static_cast<std::size_t>(len) == in.size();
  }

  // HMAC-SHA-256(MK, ciphertext), first 8 octets. Ref: TS 33.501 C.3.4, RFC 2104. Through
  // crypto's per-thread HMAC (low-level SHA-256 calls: EVP_MAC_init re-keys through
  // HMAC_Init_ex, which copies three digest contexts per call).
  static bool tag(bytes_view mk, bytes_view data, std::span<std::uint8_t, 8> out) noexcept {
    const auto full = crypto::hmac_sha256(mk, data);
    if (!full) return false;
    std::copy(full->begin(), full->begin() + 8, out.begin());
    return true;
  }
};

bool split_keys(bytes_view shared, bytes_view eph_pub, secret<64>& keys) noexcept {
  return sym_contexts::x963(shared, eph_pub, keys.mutable_view());
}

}  // namespace

// --- key store -----------------------------------------------------------------------------

struct hn_key_store::impl {
  struct entry {
    protection_scheme profile;
    int key_id;  // -1: any key id of this profile
    pkey_ptr key;
    byte_buffer pub;
  };
  std::vector<entry> keys;

  // Index of the key for (profile, key id): an exact match first, then a wildcard.
  [[nodiscard]] int find(protection_scheme p, std::uint8_t key_id) const noexcept {
    int wildcard = -1;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].profile != p) continue;
      if (keys[i].key_id == key_id) return static_cast<int>(i);
      if (keys[i].key_id < 0) wildcard = static_cast<int>(i);
    }
    return wildcard;
  }

  std::expected<void, suci_error> put(protection_scheme p, int key_id, pkey_ptr k) {
    auto pub = public_of(p, k.get());
    if (!pub) return std::unexpected(pub.error());
    for (auto& e : keys) {
      if (e.profile == p && e.key_id == key_id) {
        e.key = std::move(k);
        e.pub = std::move(*pub);
        return {};
      }
    }
    keys.push_back(entry{p, key_id, std::move(k), std::move(*pub)});
    return {};
  }
};

hn_key_store::hn_key_store() : impl_(std::make_unique<impl>()) {}
hn_key_store::~hn_key_store() = default;
hn_key_store::hn_key_store(hn_key_store&&) noexcept = default;
hn_key_store& hn_key_store::operator=(hn_key_store&&) noexcept = default;

std::size_t hn_key_store::size() const noexcept { return impl_->keys.size(); }

std::expected<protection_scheme, suci_error> hn_key_store::add_pem(std::uint8_t key_id,
                                                                   std::string_view pem) {
  if (pem.size() > 64 * 1024) return err(suci_errc::key_file, "PEM text too large");
  bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return err(suci_errc::crypto_failure, "BIO");
  // No passphrase prompt: encrypted keys are refused.
  auto no_pass = [](char*, int, int, void*) -> int { return 0; };
  pkey_ptr k(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_pass, nullptr));
  if (!k) return err(suci_errc::key_file, "no unencrypted PEM private key found");
  protection_scheme p;
  if (EVP_PKEY_is_a(k.get(), "X25519") != 0) p = protection_scheme::profile_a;
  else if (is_p256(k.get())) p = protection_scheme::profile_b;
  else return err(suci_errc::key_file, "key is neither X25519 nor secp256r1");
  if (auto r = impl_->put(p, key_id, std::move(k)); !r) return std::unexpected(r.error());
  return p;
}

std::expected<protection_scheme, suci_error> hn_key_store::add_pem_file(std::uint8_t key_id,
                                                                        const std::string& path) {
  auto text = read_secret_file(path, std::size_t{1} << 20);  // a PEM key is < 1 KiB
  if (!text) {
    switch (text.error()) {
      case EFBIG: return err(suci_errc::key_file, "file too large");
      case ENOENT: return err(suci_errc::key_file, "cannot read file (No such file or directory)");
      case EACCES: return err(suci_errc::key_file, "cannot read file (Permission denied)");
      case EISDIR: return err(suci_errc::key_file, "cannot read file (Is a directory)");
      default: return err(suci_errc::key_file, "cannot read file");
    }
  }
  const bytes_view b = text->view();
  return add_pem(key_id, std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

std::expected<void, suci_error> hn_key_store::add_raw(std::optional<std::uint8_t> key_id,
                                                      protection_scheme profile,
                                                      bytes_view private_key) {
  auto k = raw_private(profile, private_key);
  if (!k) return std::unexpected(k.error());
  return impl_->put(profile, key_id ? int{*key_id} : -1, std::move(*k));
}

std::expected<byte_buffer, suci_error> hn_key_store::public_key(std::uint8_t key_id,
                                                                protection_scheme profile) const {
  const int i = impl_->find(profile, key_id);
  if (i < 0) return err(suci_errc::unknown_key_id, "", key_id);
  return impl_->keys[static_cast<std::size_t>(i)].pub;
}

// --- SIDF ----------------------------------------------------------------------------------

struct sidf::state {
  // Per key store entry: an ECDH context bound to the private key and to a peer key object
  // whose public key is overwritten for every SUCI (no per-SUCI key object or fetch).
  struct per_key {
    pkey_ctx_ptr derive;  // Profile A
    pkey_ptr peer;        // Profile A
    std::unique_ptr<p256_ecdh> ecdh;  // Profile B
    key256 scalar;            // Profile A, for the eight-lane X25519 (cleared on destruction)
    bool has_scalar = false;
  };
  sym_contexts sym;
  std::vector<per_key> keys;
};

sidf::sidf(const hn_key_store& keys) : keys_(&keys), st_(std::make_unique<state>()) {}
sidf::~sidf() = default;
sidf::sidf(sidf&&) noexcept = default;
sidf& sidf::operator=(sidf&&) noexcept = default;

namespace {

std::expected<supi, suci_error> make_supi(const suci& s, bytes_view scheme_input) noexcept {
  supi out;
  if (s.format == supi_format::imsi) {
    std::string msin;
    if (!unpack_bcd(scheme_input, msin) || msin.empty())
      return err(suci_errc::bad_plaintext, "MSIN is not BCD");
    const std::size_t total = s.plmn.mcc.len + s.plmn.mnc.len + msin.size();
    if (total > 15) return err(suci_errc::bad_plaintext, "IMSI longer than 15 digits");
    out.type = supi_type::imsi;
    out.value.reserve(total);
    out.value += s.plmn.mcc.view();
    out.value += s.plmn.mnc.view();
    out.value += msin;
    out.mnc_digits = s.plmn.mnc.len;
    return out;
  }
  if (scheme_input.empty() || scheme_input.size() > 253)
    return err(suci_errc::bad_plaintext, "username length");
  for (std::uint8_t c : scheme_input)
    if (c < 0x21 || c > 0x7E || c == '@') return err(suci_errc::bad_plaintext, "username characters");
  out.type = supi_type::nai;
  out.value.assign(scheme_input.begin(), scheme_input.end());
  out.value += '@';
  out.value += s.home_network_identifier;
  return out;
}

}  // namespace

// A Profile A or B SUCI checked up to the key agreement: its key and the parts of its scheme
// output (views into the SUCI).
struct sidf::ecies_input {
  protection_scheme profile = protection_scheme::profile_a;
  std::size_t key = 0;  // index in the key store
  bytes_view eph, ct, mac;
};

// The checks of deconceal() before the key agreement (scheme 1 or 2 only); sets up the per-key
// contexts on first use.
std::expected<sidf::ecies_input, suci_error> sidf::check(const suci& s) noexcept {
  const auto scheme = s.protection_scheme_id;
  if (scheme != 1 && scheme != 2) return err(suci_errc::unsupported_scheme, "", scheme);
  const auto profile = static_cast<protection_scheme>(scheme);
  const std::size_t klen = public_key_len(profile);
  const bytes_view out(s.scheme_output);
  if (out.size() < klen + 1 + suci_mac_tag_len) return err(suci_errc::output_too_short, "", scheme);
  if (out.size() > max_scheme_output_len) return err(suci_errc::bad_plaintext, "scheme output too long");
  const int idx = keys_->impl_->find(profile, s.hn_public_key_id);
  if (idx < 0) return err(suci_errc::unknown_key_id, "", s.hn_public_key_id);
  if (!st_->sym.ok()) return err(suci_errc::crypto_failure, "OpenSSL algorithms unavailable");

  const auto& entry = keys_->impl_->keys[static_cast<std::size_t>(idx)];
  if (st_->keys.size() < keys_->impl_->keys.size()) st_->keys.resize(keys_->impl_->keys.size());
  auto& pk = st_->keys[static_cast<std::size_t>(idx)];
  if (profile == protection_scheme::profile_b) {
    if (!pk.ecdh) {
      auto e = std::make_unique<p256_ecdh>(entry.key.get());
      if (!e->ok()) return err(suci_errc::crypto_failure, "EC setup");
      pk.ecdh = std::move(e);
    }
  } else if (!pk.derive) {
    // The peer starts as the key's own public key (any valid point will do).
    pkey_ptr peer = x25519_public(entry.pub);
    pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, entry.key.get(), nullptr));
    if (!peer || !ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
        EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) <= 0)
      return err(suci_errc::crypto_failure, "derive init");
    pk.derive = std::move(ctx);
    pk.peer = std::move(peer);
  }
  ecies_input in;
  in.profile = profile;
  in.key = static_cast<std::size_t>(idx);
  in.eph = out.first(klen);
  in.ct = out.subspan(klen, out.size() - klen - suci_mac_tag_len);
  in.mac = out.last(suci_mac_tag_len);
  return in;
}

// The key agreement of one SUCI through OpenSSL (Profile A) or the P-256 code (Profile B).
std::expected<void, suci_error> sidf::agree(const ecies_input& in, key256& shared) noexcept {
  auto& pk = st_->keys[in.key];
  if (in.profile == protection_scheme::profile_b) {
    // A compressed point (02/03 | x). Decompressing it checks that x is on the curve (cofactor
    // 1: on the curve = in the group); OpenSSL checks the uncompressed point once more.
    std::array<std::uint8_t, 65> point{};
    if (!detail::p256_decompress(in.eph.first<33>(), point))
      return err(suci_errc::bad_ephemeral_key, "not a compressed secp256r1 point");
    if (!pk.ecdh->derive(point, shared.mutable_view()))
      return err(suci_errc::bad_ephemeral_key, "key agreement failed");
    return {};
  }
  // X25519 needs no check (OpenSSL refuses an all-zero result, RFC 7748 6.1).
  if (EVP_PKEY_set_octet_string_param(pk.peer.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                      const_cast<std::uint8_t*>(in.eph.data()), in.eph.size()) <= 0)
    return err(suci_errc::bad_ephemeral_key, profile_name(in.profile));
  std::size_t shared_len = shared.size();
  if (EVP_PKEY_derive(pk.derive.get(), shared.mutable_view().data(), &shared_len) <= 0 ||
      shared_len != shared.size())
    return err(suci_errc::bad_ephemeral_key, "key agreement failed");
  return {};
}

// What follows the key agreement: KDF, MAC check, deciphering, the SUPI.
std::expected<supi, suci_error> sidf::finish(const suci& s, const ecies_input& in,
                                             const key256& shared) noexcept {
  secret<64> keys;
  if (!split_keys(shared.view(), in.eph, keys)) return err(suci_errc::crypto_failure, "KDF");
  const bytes_view k(keys.view());
  std::array<std::uint8_t, 8> tag{};
  if (!st_->sym.tag(k.subspan(32, 32), in.ct, tag)) return err(suci_errc::crypto_failure, "HMAC");
  if (!constant_time_equal(tag, in.mac)) return err(suci_errc::mac_mismatch);
  std::array<std::uint8_t, max_scheme_output_len> plain;  // only the first ct.size() are used
  if (!st_->sym.ctr(k.first(16), k.subspan(16, 16), in.ct, plain.data()))
    return err(suci_errc::crypto_failure, "AES-CTR");
  auto r = make_supi(s, bytes_view(plain).first(in.ct.size()));
  secure_zero(bytes_span(plain).first(in.ct.size()));
  return r;
}

std::expected<supi, suci_error> sidf::deconceal(const suci& s) noexcept {
  if (s.protection_scheme_id == 0) return make_supi(s, s.scheme_output);
  auto in = check(s);
  if (!in) return std::unexpected(in.error());
  key256 shared;
  if (auto a = agree(*in, shared); !a) return std::unexpected(a.error());
  return finish(s, *in, shared);
}

// The home-network scalar of a Profile A key (raw octets, fetched once per sidf).
const key256* sidf::x25519_scalar(std::size_t key) noexcept {
  auto& pk = st_->keys[key];
  if (!pk.has_scalar) {
    std::size_t len = pk.scalar.size();
    if (EVP_PKEY_get_raw_private_key(keys_->impl_->keys[key].key.get(),
                                     pk.scalar.mutable_view().data(), &len) <= 0 ||
        len != pk.scalar.size())
      return nullptr;
    pk.has_scalar = true;
  }
  return &pk.scalar;
}

void sidf::deconceal_batch(std::span<const suci_value* const> in,
                           std::span<std::expected<supi, suci_error>> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  std::vector<suci> owned(n);
  std::vector<const suci*> ptrs;
  std::vector<std::size_t> where;  // out index of each ptrs entry
  for (std::size_t i = 0; i < n; ++i) {
    auto s = to_suci(*in[i]);
    if (!s) {
      out[i] = std::unexpected(s.error());
      continue;
    }
    owned[i] = std::move(*s);
    ptrs.push_back(&owned[i]);
    where.push_back(i);
  }
  std::vector<std::expected<supi, suci_error>> res(ptrs.size());
  deconceal_batch(std::span<const suci* const>(ptrs), res);
  for (std::size_t j = 0; j < ptrs.size(); ++j) out[where[j]] = std::move(res[j]);
}

void sidf::deconceal_batch(std::span<const suci* const> in,
                           std::span<std::expected<supi, suci_error>> out) noexcept {
  const std::size_t n = std::min(in.size(), out.size());
  struct job {
    std::size_t i;
    ecies_input in;
  };
  std::vector<job> lanes_a;  // Profile A SUCIs for the eight-lane X25519
  const bool wide = detail::x25519_x8_available();
  for (std::size_t i = 0; i < n; ++i) {
    const suci& s = *in[i];
    if (!wide || s.protection_scheme_id != 1) {
      out[i] = deconceal(s);
      continue;
    }
    auto c = check(s);
    if (!c) out[i] = std::unexpected(c.error());
    else lanes_a.push_back(job{i, *c});
  }
  // Runs of SUCIs of the same key, eight at a time; a lone SUCI goes through OpenSSL (one
  // eight-lane call costs about two of OpenSSL's).
  std::stable_sort(lanes_a.begin(), lanes_a.end(),
                   [](const job& a, const job& b) { return a.in.key < b.in.key; });
  using u32 = std::array<std::uint8_t, 32>;
  std::array<u32, detail::x25519_lanes> u{};
  std::array<u32, detail::x25519_lanes> shared{};
  key256 one;
  for (std::size_t first = 0; first < lanes_a.size();) {
    std::size_t count = 1;
    while (first + count < lanes_a.size() && count < detail::x25519_lanes &&
           lanes_a[first + count].in.key == lanes_a[first].in.key)
      ++count;
    const key256* scalar = count > 1 ? x25519_scalar(lanes_a[first].in.key) : nullptr;
    if (scalar == nullptr) {  // one SUCI, or no raw scalar: OpenSSL
      for (std::size_t j = first; j < first + count; ++j) {
        const job& jb = lanes_a[j];
        auto a = agree(jb.in, one);
        out[jb.i] = a ? finish(*in[jb.i], jb.in, one) : std::unexpected(a.error());
      }
      first += count;
      continue;
    }
    for (std::size_t l = 0; l < detail::x25519_lanes; ++l)
      std::copy_n(lanes_a[first + std::min(l, count - 1)].in.eph.data(), 32, u[l].begin());
    u32 k;
    std::copy_n(scalar->view().data(), 32, k.begin());
    detail::x25519_x8(k, u, shared);
    secure_zero(bytes_span(k));
    for (std::size_t l = 0; l < count; ++l) {
      const job& jb = lanes_a[first + l];
      std::uint8_t any = 0;
      for (std::uint8_t b : shared[l]) any |= b;
      if (any == 0) {  // RFC 7748 6.1, as OpenSSL
        out[jb.i] = err(suci_errc::bad_ephemeral_key, "key agreement failed");
        continue;
      }
      std::copy(shared[l].begin(), shared[l].end(), one.mutable_view().begin());
      out[jb.i] = finish(*in[jb.i], jb.in, one);
    }
    for (auto& x : shared) secure_zero(bytes_span(x));
    first += count;
  }
}

std::expected<supi, suci_error> sidf::deconceal(const suci_value& v) noexcept {
  auto s = to_suci(v);
  if (!s) return std::unexpected(s.error());
  return deconceal(*s);
}

// --- conceal ---------------------------------------------------------------------------------

std::expected<suci, suci_error> conceal(const supi& s, const conceal_options& opt) {
  suci out;
  byte_buffer input;
  if (s.type == supi_type::imsi) {
    const std::string_view d = s.value;
    if (s.mnc_digits != 2 && s.mnc_digits != 3) return err(suci_errc::bad_supi, "MNC length must be 2 or 3");
    if (d.size() < 3u + s.mnc_digits + 1 || d.size() > 15) return err(suci_errc::bad_supi, "IMSI length");
    out.format = supi_format::imsi;
    if (!out.plmn.mcc.assign(d.substr(0, 3)) || !out.plmn.mnc.assign(d.substr(3, s.mnc_digits)))
      return err(suci_errc::bad_digits, "IMSI");
    if (!pack_bcd(d.substr(3 + s.mnc_digits), input)) return err(suci_errc::bad_digits, "MSIN");
  } else {
    const auto at = s.value.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 >= s.value.size())
      return err(suci_errc::bad_supi, "NAI must be user@realm");
    if (opt.nai_format == supi_format::imsi) return err(suci_errc::bad_supi, "NAI SUPI needs a NAI SUPI format");
    out.format = opt.nai_format;
    out.home_network_identifier = s.value.substr(at + 1);
    input.assign(s.value.begin(), s.value.begin() + static_cast<std::ptrdiff_t>(at));
  }
  if (opt.routing.empty()) out.routing.assign("0000");
  else out.routing = opt.routing;
  out.protection_scheme_id = static_cast<std::uint8_t>(opt.scheme);

  if (opt.scheme == protection_scheme::null_scheme) {
    out.hn_public_key_id = 0;
    out.scheme_output = std::move(input);
    return out;
  }
  if (opt.scheme != protection_scheme::profile_a && opt.scheme != protection_scheme::profile_b)
    return err(suci_errc::unsupported_scheme, "", static_cast<std::uint32_t>(opt.scheme));
  if (input.size() + profile_b_public_key_len + suci_mac_tag_len > max_scheme_output_len)
    return err(suci_errc::bad_supi, "scheme input too long");
  out.hn_public_key_id = opt.hn_public_key_id;
  const bool a = opt.scheme == protection_scheme::profile_a;

  pkey_ptr hn = a ? x25519_public(opt.hn_public_key) : p256_public(nullptr, opt.hn_public_key);
  if (!hn) return err(suci_errc::bad_public_key, a ? "profile A needs 32 octets" : "profile B needs a valid secp256r1 point");
  pkey_ptr eph;
  if (!opt.eph_private_key.empty()) {
    eph = a ? x25519_private(opt.eph_private_key) : p256_private(opt.eph_private_key);
    if (!eph) return err(suci_errc::bad_private_key, "ephemeral private key must be 32 octets");
  } else {
    eph.reset(a ? EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")
                : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!eph) return err(suci_errc::crypto_failure, "ephemeral key generation");
  }
  auto eph_pub = public_of(opt.scheme, eph.get());
  if (!eph_pub) return std::unexpected(eph_pub.error());

  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, eph.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0) return err(suci_errc::crypto_failure, "derive init");
  key256 shared;
  if (!derive(ctx.get(), hn.get(), shared.mutable_view()))
    return err(suci_errc::bad_public_key, "key agreement failed");
  sym_contexts sym;
  if (!sym.ok()) return err(suci_errc::crypto_failure, "OpenSSL algorithms unavailable");
  secret<64> keys;
  if (!split_keys(shared.view(), *eph_pub, keys)) return err(suci_errc::crypto_failure, "KDF");
  const bytes_view k(keys.view());
  out.scheme_output = *eph_pub;
  const std::size_t ct_at = out.scheme_output.size();
  out.scheme_output.resize(ct_at + input.size() + suci_mac_tag_len);
  std::uint8_t* ct = out.scheme_output.data() + ct_at;
  if (!sym.ctr(k.first(16), k.subspan(16, 16), input, ct)) return err(suci_errc::crypto_failure, "AES-CTR");
  std::array<std::uint8_t, 8> tag{};
  if (!sym.tag(k.subspan(32, 32), bytes_view(ct, input.size()), tag))
    return err(suci_errc::crypto_failure, "HMAC");
  std::copy(tag.begin(), tag.end(), ct + input.size());
  secure_zero(input);
  return out;
}

// --- key generation and building blocks -------------------------------------------------------

std::expected<generated_hn_key, suci_error> generate_hn_key(protection_scheme profile) {
  const bool a = profile == protection_scheme::profile_a;
  if (!a && profile != protection_scheme::profile_b)
    return err(suci_errc::unsupported_scheme, "", static_cast<std::uint32_t>(profile));
  pkey_ptr k(a ? EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")
               : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!k) return err(suci_errc::crypto_failure, "key generation");
  if (!a) {
    // As `openssl ecparam -genkey -conv_form compressed` writes it.
    if (EVP_PKEY_set_utf8_string_param(k.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                       OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_COMPRESSED) <= 0)
      return err(suci_errc::crypto_failure, "point format");
  }
  bio_ptr bio(BIO_new(BIO_s_secmem()));
  if (!bio) return err(suci_errc::crypto_failure, "BIO");
  const int ok = a ? PEM_write_bio_PrivateKey(bio.get(), k.get(), nullptr, nullptr, 0, nullptr, nullptr)
                   : PEM_write_bio_PrivateKey_traditional(bio.get(), k.get(), nullptr, nullptr, 0,
                                                          nullptr, nullptr);
  if (ok <= 0) return err(suci_errc::crypto_failure, "PEM write");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  if (n <= 0 || data == nullptr) return err(suci_errc::crypto_failure, "PEM write");
  generated_hn_key g;
  g.pem = secret_buffer(bytes_view(reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(n)));
  auto pub = public_of(profile, k.get());
  if (!pub) return std::unexpected(pub.error());
  g.public_key = std::move(*pub);
  return g;
}

std::expected<byte_buffer, suci_error> public_key_from_private(protection_scheme profile,
                                                               bytes_view private_key) {
  auto k = raw_private(profile, private_key);
  if (!k) return std::unexpected(k.error());
  return public_of(profile, k->get());
}

std::expected<key256, suci_error> ecies_shared_key(protection_scheme profile, bytes_view private_key,
                                                   bytes_view peer_public_key) {
  auto k = raw_private(profile, private_key);
  if (!k) return std::unexpected(k.error());
  const bool a = profile == protection_scheme::profile_a;
  pkey_ptr peer = a ? x25519_public(peer_public_key) : p256_public(nullptr, peer_public_key);
  if (!peer) return err(suci_errc::bad_ephemeral_key, profile_name(profile));
  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, k->get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0) return err(suci_errc::crypto_failure, "derive init");
  key256 shared;
  if (!derive(ctx.get(), peer.get(), shared.mutable_view()))
    return err(suci_errc::bad_ephemeral_key, "key agreement failed");
  return shared;
}

std::expected<ecies_keys, suci_error> ecies_derive_keys(bytes_view shared_key,
                                                        bytes_view eph_public_key) {
  secret<64> keys;
  if (!split_keys(shared_key, eph_public_key, keys)) return err(suci_errc::crypto_failure, "KDF");
  const bytes_view k(keys.view());
  ecies_keys out;
  out.enc_key = key128(k.first<16>());
  out.icb = key128(k.subspan<16, 16>());
  out.mac_key = key256(k.subspan<32, 32>());
  return out;
}

}  // namespace sec5g::identity
