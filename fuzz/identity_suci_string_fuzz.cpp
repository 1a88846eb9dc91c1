// Fuzz target: SUCI UDM string / NAI parser (untrusted text from SBI bodies, logs, the CLI).
// Invariants: a parsed SUCI prints to a UDM string that parses back to the same SUCI; its NAI
// form (when it has one) parses back to the same SUCI for the NAI SUPI formats; the NAS
// encoding decodes back to it.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sec5g/identity/suci.hpp"

using namespace sec5g::identity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = parse_suci(text);
  (void)parse_supi(text);
  if (!s) return 0;
  auto again = parse_suci_string(to_udm_string(*s));
  if (!again || !(*again == *s)) __builtin_trap();
  auto nai = to_nai(*s);
  if (nai && s->format != supi_format::imsi) {
    auto back = parse_suci_nai(*nai);
    if (!back || !(*back == *s)) __builtin_trap();
  }
  sec5g::byte_buffer nas;
  if (encode_suci(*s, nas)) {
    auto mi = decode_mobile_identity(nas);
    if (!mi || !std::holds_alternative<suci_value>(*mi)) __builtin_trap();
    auto back = to_suci(std::get<suci_value>(*mi));
    if (!back || !(*back == *s)) __builtin_trap();
  }
  return 0;
}
