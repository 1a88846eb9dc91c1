#pragma once
/// Runs one test-vector object of the cipher families (snow3g.json, zuc.json, aes.json in the
/// schema of tests/data/vectors/README.md) through the library. Used by the known-answer tests
/// and by `sec5g selftest`.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sec5g::crypto {

/// Outcome of one vector.
enum class cipher_vector_status : std::uint8_t {
  pass,    ///< every output matched
  fail,    ///< an output differed, a field was missing/malformed/unknown, or a call failed
  skipped, ///< a cipher-family algorithm this build does not run (none today)
};

/// The outcome and, for fail/skipped, a one-line reason (never contains key material).
struct cipher_vector_result {
  cipher_vector_status status = cipher_vector_status::fail;
  std::string reason;
};

/// Runs `vector` if its "algorithm" is one of: "SNOW3G-keystream", "ZUC-keystream", "UEA2",
/// "UIA2", "128-NEA1", "128-NEA2", "128-NEA3", "128-NIA1", "128-NIA2", "128-NIA3" (also
/// "128-NEA0"/"128-NIA0"). Returns std::nullopt for any other algorithm (not a cipher vector).
/// BoringSSL style: a field the runner does not know, or a missing one, makes the vector fail.
/// Each ciphering vector runs one-shot, in place and batch (1 copy, and 17 copies for the
/// multi-buffer path), deciphers back, and checks that a flipped key bit changes the output;
/// each integrity vector runs one-shot, nia_verify and batch (1 and 17 copies) and checks that a
/// flipped message bit and a flipped key bit change the MAC; keystream vectors compare every
/// listed word and check a flipped key bit. UEA2/UIA2 run through uea2()/uia2() (UIA2 with its
/// FRESH). Never throws; reasons never contain key material.
std::optional<cipher_vector_result> run_cipher_vector(const nlohmann::json& vector) noexcept;

/// Whether `algorithm` names a vector family run_cipher_vector() handles.
bool is_cipher_vector_algorithm(const std::string& algorithm) noexcept;

} // namespace sec5g::crypto
