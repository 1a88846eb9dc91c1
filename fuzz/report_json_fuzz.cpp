// Fuzz target of the JSON writer (include/sec5g/report/json_append.hpp): it must write exactly
// what nlohmann's dump(-1, ' ', false, handler) writes. Input: [handler][text]; the handler octet
// selects strict / replace / ignore (modulo 3). The text goes through append_json_string as a
// string (any octets, invalid UTF-8 included: both must throw, or both write the same bytes),
// and, when it parses as JSON, through append_json_value as json and ordered_json. Any
// difference aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sec5g/report/json_append.hpp"

namespace {

using sec5g::report::json_error_handler;

template <class Json>
void compare_value(const Json& v, json_error_handler h) {
  std::string ours, theirs;
  bool ours_threw = false, theirs_threw = false;
  try {
    sec5g::report::append_json_value(ours, v, h);
  } catch (const nlohmann::json::exception&) {
    ours_threw = true;
  }
  try {
    theirs = v.dump(-1, ' ', false, h);
  } catch (const nlohmann::json::exception&) {
    theirs_threw = true;
  }
  if (ours_threw != theirs_threw) std::abort();
  if (!ours_threw && ours != theirs) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr json_error_handler handlers[] = {
      json_error_handler::strict, json_error_handler::replace, json_error_handler::ignore};
  const json_error_handler h = handlers[data[0] % 3];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  {
    std::string ours = "x";  // appends: what was there stays
    bool ours_threw = false, theirs_threw = false;
    try {
      sec5g::report::append_json_string(ours, text, h);
    } catch (const nlohmann::json::exception&) {
      ours_threw = true;
    }
    std::string theirs = "x";
    try {
      theirs += nlohmann::json(text).dump(-1, ' ', false, h);
    } catch (const nlohmann::json::exception&) {
      theirs_threw = true;
    }
    if (ours_threw != theirs_threw) std::abort();
    if (!ours_threw && ours != theirs) std::abort();
  }
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_discarded()) compare_value(j, h);
  const auto o = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!o.is_discarded()) compare_value(o, h);
  return 0;
}
