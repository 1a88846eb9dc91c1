// Fuzz target: the subscriber key file (CSV) parser must never crash, hang or over-read, and
// its errors must never quote key material.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sec5g/analysis/subscriber_keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto db = sec5g::analysis::parse_subscriber_keys(text, "fuzz.csv");
  if (db) {
    // Every subscriber is found at its own row (the SUPI index, core/text_index.hpp), and
    // variants of its SUPI (one octet changed, one octet short) at no other row.
    for (const auto& s : db->all()) {
      if (!sec5g::analysis::is_valid_supi_text(s.supi)) std::abort();
      if (db->find(s.supi) != &s) std::abort();
      std::string other = s.supi;
      other.back() = other.back() == '0' ? '1' : '0';
      const auto* o = db->find(other);
      if (o != nullptr && o->supi != other) std::abort();
      const auto* shorter = db->find(std::string_view(s.supi).substr(0, s.supi.size() - 1));
      if (shorter != nullptr && shorter->supi.size() != s.supi.size() - 1) std::abort();
    }
  } else {
    const std::string msg = sec5g::analysis::describe(db.error());
    if (db.error().line == 0 || db.error().column == 0) std::abort();
  }
  return 0;
}
