#pragma once
/// Runs one SUCI test-vector object (tests/data/vectors/suci.json, schema in
/// tests/data/vectors/README.md) through the identity library. Used by the known-answer tests
/// and by `sec5g selftest`. The result has the shape of the crypto module's vector results
/// (crypto::vector_result / crypto::cipher_vector_result): a status and a one-line reason.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sec5g::identity {

/// Outcome of one vector.
enum class suci_vector_status : std::uint8_t {
  pass,     ///< every output matched and every negative twin failed as it must
  fail,     ///< an output differed, a field was missing/malformed/unknown, or a call failed
  skipped,  ///< a SUCI vector this build cannot run (none today)
};

/// The outcome and, for fail/skipped, a one-line reason (never contains key material).
struct suci_vector_result {
  suci_vector_status status = suci_vector_status::fail;
  std::string reason;
};

/// Runs `vector` if its "id" starts with "suci-"; std::nullopt otherwise (not a SUCI vector).
/// Every field is used, and a field the runner does not know makes the vector fail:
/// - null scheme / ECIES Profile A / B: public keys re-derived from the private keys, shared key
///   both ways, X9.63 KDF outputs (enc_key, icb, mac_key), conceal with the fixed ephemeral key
///   reproduces plaintext, ciphertext, mac_tag and scheme_output, de-conceal gives the SUPI, and
///   a flipped bit in the scheme output fails ("MAC tag mismatch" for the profiles);
/// - kind "format": the UDM string and NAI parse to the listed fields and print back
///   identically;
/// - kind "grammar": the realm and username templates, instantiated, equal our NAI output.
/// Never throws.
std::optional<suci_vector_result> run_suci_vector(const nlohmann::json& vector) noexcept;

}  // namespace sec5g::identity
