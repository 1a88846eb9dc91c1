// Fuzz target: home-network private key files (PEM, as given to --hn-key). Invariant: a key
// that loads has a public key of the profile's size.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sec5g/identity/sidf.hpp"

#include "fuzz_invariant.hpp"

using namespace sec5g::identity;
using sec5g::fuzz::invariant_failed;

namespace {


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
