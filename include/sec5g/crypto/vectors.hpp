#pragma once
/// Runs test-vector objects (schema of tests/data/vectors/README.md) through the library: the
/// authentication families here, the cipher families through run_cipher_vector()
/// (cipher_vectors.hpp). Used by the known-answer tests and by `sec5g selftest`.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace sec5g::crypto {

/// Outcome of one vector.
enum class vector_status : std::uint8_t {
  pass,     ///< every output matched (and its negative twin failed as it must)
  fail,     ///< an output differed, a field was missing/malformed/unknown, or a call failed
  skipped,  ///< no runner for this family in this build
};

/// The outcome and, for fail/skipped, a one-line reason (never contains key material).
struct vector_result {
  vector_status status = vector_status::fail;
  std::string reason;
};

/// Runs `vector` if it belongs to an authentication family: "algorithm" MILENAGE,
/// GSM-MILENAGE, TUAK, "Keccak-f[1600] ...", "EAP-AKA' key derivation", or a kdf.json entry
/// ("derivation" present). Returns std::nullopt for anything else. A field the runner does not
/// know makes the vector fail (BoringSSL style). Never throws.
std::optional<vector_result> run_auth_vector(const nlohmann::json& vector) noexcept;

/// Runs any vector: the auth families, then the cipher families; anything else (e.g. SUCI,
/// until an identity runner is wired) is `skipped` with a reason naming the family.
vector_result run_vector(const nlohmann::json& vector) noexcept;

/// A vector file compiled into the library (the tests/data/vectors/*.json of the build).
struct embedded_vector_file {
  std::string_view name;     ///< file name, e.g. "milenage.json"
  std::string_view content;  ///< the JSON text
};

/// The vector files embedded at build time, sorted by name.
std::span<const embedded_vector_file> embedded_vector_files() noexcept;

}  // namespace sec5g::crypto
