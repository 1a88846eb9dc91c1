// Fuzz target: 5GS mobile identity IE value decoder (TS 24.501 9.11.3.4), untrusted NAS bytes.
// Invariants: no over-read (the replay driver hands an exactly sized buffer to ASan); a decoded
// identity re-encodes to a value that decodes to the same identity.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/identity/suci.hpp"

#include "fuzz_invariant.hpp"

using namespace sec5g::identity;
using sec5g::fuzz::invariant_failed;

namespace {


}  // namespace

namespace {

bool same(const mobile_identity& a, const mobile_identity& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<suci_value>(&a)) {
    const auto& y = std::get<suci_value>(b);
    return x->format == y.format && x->plmn == y.plmn && x->routing == y.routing &&
           x->protection_scheme_id == y.protection_scheme_id &&
           x->hn_public_key_id == y.hn_public_key_id && x->nai == y.nai &&
           std::equal(x->scheme_output.begin(), x->scheme_output.end(), y.scheme_output.begin(),
                      y.scheme_output.end());
  }
  return to_string(a) == to_string(b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto id = decode_mobile_identity(sec5g::bytes_view(data, size));
  if (!id) return 0;
  (void)to_string(*id);
  if (const auto* s = std::get_if<suci_value>(&*id)) (void)to_suci(*s);
  sec5g::byte_buffer out;
  encode_mobile_identity(*id, out);
  auto again = decode_mobile_identity(out);
  if (!again || !same(*id, *again)) invariant_failed(data, size);
  return 0;
}
