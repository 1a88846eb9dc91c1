// Fuzz target: home-network private key files (PEM, as given to --hn-key). Invariant: a key
// that loads has a public key of the profile's size.
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <string_view>

#include "sec5g/identity/sidf.hpp"

using namespace sec5g::identity;

namespace {

// An invariant failed: print the input (hex) so that it can be replayed, then stop.
[[noreturn]] void invariant_failed(const std::uint8_t* data, std::size_t size) {
  std::fprintf(stderr, "invariant failed on input: ");
  for (std::size_t i = 0; i < size; ++i) std::fprintf(stderr, "%02x", data[i]);
  std::fprintf(stderr, "\n");
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hn_key_store store;
  auto p = store.add_pem(7, std::string_view(reinterpret_cast<const char*>(data), size));
  if (!p) return 0;
  auto pub = store.public_key(7, *p);
  if (!pub) invariant_failed(data, size);
  const std::size_t want = *p == protection_scheme::profile_a ? 32 : 33;
  if (pub->size() != want) invariant_failed(data, size);
  return 0;
}
