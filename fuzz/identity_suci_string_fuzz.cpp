// Fuzz target: SUCI UDM string / NAI parser (untrusted text from SBI bodies, logs, the CLI).
// Invariants: a parsed SUCI prints to a UDM string that parses back to the same SUCI; its NAI
// form (when it has one) parses back to the same SUCI for the NAI SUPI formats; the NAS
// encoding decodes back to it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "sec5g/identity/suci.hpp"

#include "fuzz_invariant.hpp"

using namespace sec5g::identity;
using sec5g::fuzz::invariant_failed;

namespace {


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = parse_suci(text);
  (void)parse_supi(text);
  if (!s) return 0;
  // The UDM string form is ambiguous only for a null-scheme NAI SUCI whose realm or username
  // contains '-' (documented in suci.hpp); everything else must round-trip.
  const bool ambiguous = s->format != supi_format::imsi && s->protection_scheme_id == 0 &&
                         (s->home_network_identifier.find('-') != std::string::npos ||
                          std::string_view(reinterpret_cast<const char*>(s->scheme_output.data()),
                                           s->scheme_output.size())
                                  .find('-') != std::string_view::npos);
  auto again = parse_suci_string(to_udm_string(*s));
  if (!again || (!ambiguous && !(*again == *s))) invariant_failed(data, size);
  auto nai = to_nai(*s);
  if (nai && s->format != supi_format::imsi) {
    auto back = parse_suci_nai(*nai);
    if (!back || !(*back == *s)) invariant_failed(data, size);
  }
  sec5g::byte_buffer nas;
  if (encode_suci(*s, nas)) {
    auto mi = decode_mobile_identity(nas);
    if (!mi || !std::holds_alternative<suci_value>(*mi)) invariant_failed(data, size);
    auto back = to_suci(std::get<suci_value>(*mi));
    if (!back || !(*back == *s)) invariant_failed(data, size);
  }
  return 0;
}
