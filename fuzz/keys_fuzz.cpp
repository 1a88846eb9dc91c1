// Fuzz target: the subscriber key file (CSV) parser must never crash, hang or over-read, and
// its errors must never quote key material.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sec5g/analysis/subscriber_keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto db = sec5g::analysis::parse_subscriber_keys(text, "fuzz.csv");
  if (db) {
    for (const auto& s : db->all()) {
      if (!sec5g::analysis::is_valid_supi_text(s.supi)) std::abort();
      if (db->find(s.supi) == nullptr) std::abort();
    }
  } else {
    const std::string msg = sec5g::analysis::describe(db.error());
    if (db.error().line == 0 || db.error().column == 0) std::abort();
  }
  return 0;
}
