#pragma once
/// SUCI protection schemes (TS 33.501 Annex C): null scheme, ECIES Profile A (X25519) and
/// Profile B (secp256r1, compressed ephemeral key). Concealment (UE side), de-concealment
/// (home network SIDF) and the home-network private key store.
///
/// ECIES: shared key = ECDH(ephemeral, home network); ANSI X9.63 KDF with SHA-256 and the
/// ephemeral public key as transmitted as SharedInfo, 64 octets = EK(16) | ICB(16) | MK(32);
/// ciphertext = AES-128-CTR(EK, ICB, scheme input); MAC tag = HMAC-SHA-256(MK, ciphertext)
/// truncated to 64 bits; scheme output = ephemeral public key | ciphertext | MAC tag.
/// Scheme input: the MSIN in packed BCD (IMSI) or the username of the NAI (UTF-8).
/// Ref: TS 33.501 C.3.2, C.3.3, C.3.4.1, C.3.4.2, C.4.

#include <array>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/secret.hpp"
#include "sec5g/identity/suci.hpp"

namespace sec5g::identity {

/// Home-network private keys for de-concealment, by home network public key id (0..255) and
/// profile. Keys are parsed once into OpenSSL key objects (no per-SUCI parsing). Private key
/// octets are never exposed. Thread-safe for concurrent reads once filled; not copyable.
class hn_key_store {
 public:
  hn_key_store();
  ~hn_key_store();
  hn_key_store(hn_key_store&&) noexcept;
  hn_key_store& operator=(hn_key_store&&) noexcept;
  hn_key_store(const hn_key_store&) = delete;
  hn_key_store& operator=(const hn_key_store&) = delete;

  /// Adds a PEM private key under `key_id`. The profile follows from the key type: an X25519
  /// key (PKCS#8 "PRIVATE KEY", as Open5GS ships them) is Profile A; a secp256r1 key ("EC PRIVATE
  /// KEY" as written by `openssl ecparam -name prime256v1 -genkey -conv_form compressed`, with
  /// or without the "EC PARAMETERS" block, or PKCS#8) is Profile B. Returns the profile.
  /// Errors: key_file (no private key, other key type or curve). Replaces an earlier key with
  /// the same id and profile.
  std::expected<protection_scheme, suci_error> add_pem(std::uint8_t key_id, std::string_view pem);
  /// As add_pem, reading the file at `path` (error key_file "cannot read file", with the reason
  /// when known, or "file too large").
  std::expected<protection_scheme, suci_error> add_pem_file(std::uint8_t key_id,
                                                            const std::string& path);
  /// Adds a raw 32-octet private key (X25519 scalar for Profile A, secp256r1 scalar for
  /// Profile B). `key_id` = nullopt: the key serves every key id of that profile (for tests
  /// and `--hn-priv`). Errors: bad_private_key, unsupported_scheme.
  std::expected<void, suci_error> add_raw(std::optional<std::uint8_t> key_id,
                                          protection_scheme profile, bytes_view private_key);
  /// The public key of a stored key (Profile A: 32 octets; Profile B: 33-octet compressed
  /// point). Errors: unknown_key_id.
  std::expected<byte_buffer, suci_error> public_key(std::uint8_t key_id,
                                                    protection_scheme profile) const;
  /// Number of keys stored.
  [[nodiscard]] std::size_t size() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
  friend class sidf;
};

/// The home network's de-concealment function. Holds per-thread OpenSSL state that is reused
/// across calls (digest and cipher contexts; per key an ECDH context for Profile A, or the
/// P-256 group, a peer point and a copy of the private scalar, cleared on destruction, for
/// Profile B; for Profile A also a copy of the scalar once deconceal_batch used the eight-lane
/// X25519, cleared on destruction): create one per thread. The key store must outlive it.
class sidf {
 public:
  explicit sidf(const hn_key_store& keys);
  ~sidf();
  sidf(sidf&&) noexcept;
  sidf& operator=(sidf&&) noexcept;
  sidf(const sidf&) = delete;
  sidf& operator=(const sidf&) = delete;

  /// De-conceals a SUCI into its SUPI. IMSI: MCC|MNC|MSIN digits with mnc_digits set; NAI
  /// formats: username@home_network_identifier. Errors: unsupported_scheme (scheme id other than
  /// 0, 1, 2), unknown_key_id, output_too_short (shorter than key + 1 octet + 8-octet tag),
  /// bad_ephemeral_key, mac_mismatch, bad_plaintext (MSIN not BCD / too long), crypto_failure.
  /// The null scheme needs no key. Ref: TS 33.501 6.12.2, C.3.3.
  std::expected<supi, suci_error> deconceal(const suci& s) noexcept;
  /// The same on a NAS-decoded SUCI (views); NAI formats are parsed first.
  std::expected<supi, suci_error> deconceal(const suci_value& s) noexcept;
  /// De-conceals several SUCIs: out[i] = deconceal(*in[i]) for i < min(in.size(), out.size()).
  /// On a CPU with AVX-512 IFMA the Profile A SUCIs of one home-network key are computed
  /// eight at a time (one X25519 ladder for eight ephemeral keys, ~4x the throughput of
  /// OpenSSL's single X25519); elsewhere one by one.
  void deconceal_batch(std::span<const suci_value* const> in,
                       std::span<std::expected<supi, suci_error>> out) noexcept;
  /// The same on parsed SUCIs.
  void deconceal_batch(std::span<const suci* const> in,
                       std::span<std::expected<supi, suci_error>> out) noexcept;

  struct state;

 private:
  struct ecies_input;  // a checked Profile A/B SUCI (sidf.cpp)
  std::expected<ecies_input, suci_error> check(const suci& s) noexcept;
  std::expected<void, suci_error> agree(const ecies_input& in, key256& shared) noexcept;
  std::expected<supi, suci_error> finish(const suci& s, const ecies_input& in,
                                         const key256& shared) noexcept;
  const key256* x25519_scalar(std::size_t key) noexcept;

  const hn_key_store* keys_;
  std::unique_ptr<state> st_;
};

/// Options of conceal().
struct conceal_options {
  protection_scheme scheme = protection_scheme::null_scheme;
  /// Home network public key id written into the SUCI (ignored for the null scheme: 0).
  std::uint8_t hn_public_key_id = 0;
  /// Home network public key: Profile A 32 octets; Profile B 33 (compressed) or 65 octets.
  bytes_view hn_public_key;
  /// Routing indicator, 1-4 digits; empty = "0000".
  routing_indicator routing;
  /// Fixed ephemeral private key (32 octets) for reproducible tests; empty = a fresh random
  /// key per call (the only correct choice in a UE: TS 33.501 C.3.2).
  bytes_view eph_private_key;
  /// SUPI format for a NAI SUPI (network_specific, gci or gli).
  supi_format nai_format = supi_format::network_specific;
};

/// Conceals a SUPI into a SUCI (UE side). An IMSI SUPI needs mnc_digits 2 or 3 (bad_supi
/// otherwise) and an MSIN of 1..10 digits. Errors: bad_supi, bad_public_key, bad_private_key,
/// unsupported_scheme, crypto_failure. Ref: TS 33.501 6.12.2, C.3.2.
std::expected<suci, suci_error> conceal(const supi& s, const conceal_options& opt);

/// A freshly generated home-network key pair: the private key as PEM text (secret; Profile A
/// PKCS#8 X25519, Profile B "EC PRIVATE KEY" with the compressed public key) and the public key
/// (A: 32 octets, B: 33-octet compressed point).
struct generated_hn_key {
  secret_buffer pem;
  byte_buffer public_key;
};

/// Generates a home-network key pair for Profile A or B.
std::expected<generated_hn_key, suci_error> generate_hn_key(protection_scheme profile);

/// The public key of a raw private key (A: 32 octets, B: 33-octet compressed).
std::expected<byte_buffer, suci_error> public_key_from_private(protection_scheme profile,
                                                               bytes_view private_key);

/// ECIES building blocks, exposed for the known-answer tests and the vector runner.
/// The ECDH shared secret (X25519 output, or the P-256 x-coordinate) of `private_key` and
/// `peer_public_key` (A: 32 octets; B: 33 or 65 octets). Ref: TS 33.501 C.3.4.1 / C.3.4.2.
std::expected<key256, suci_error> ecies_shared_key(protection_scheme profile,
                                                   bytes_view private_key,
                                                   bytes_view peer_public_key);
/// The keys of the ANSI X9.63 KDF (SHA-256, SharedInfo = the ephemeral public key).
struct ecies_keys {
  key128 enc_key;
  key128 icb;
  key256 mac_key;
};
/// X9.63 KDF of `shared_key` with SharedInfo `eph_public_key`. Ref: TS 33.501 C.3.4, SEC 1
/// 3.6.1.
std::expected<ecies_keys, suci_error> ecies_derive_keys(bytes_view shared_key,
                                                        bytes_view eph_public_key);

}  // namespace sec5g::identity
