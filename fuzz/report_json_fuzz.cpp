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

/// Runs both writers; they must both throw, or both produce the same text.
template <class Ours, class Theirs>
void compare(Ours ours, Theirs theirs) {
  std::string a, b;
  bool a_threw = false, b_threw = false;
  try {
    a = ours();
  } catch (const nlohmann::json::exception&) {
    a_threw = true;
  }
  try {
    b = theirs();
  } catch (const nlohmann::json::exception&) {
    b_threw = true;
  }
  if (a_threw != b_threw) std::abort();
  if (!a_threw && a != b) std::abort();
}

template <class Json>
void compare_value(const Json& v, json_error_handler h) {
  compare(
      [&] {
        std::string out;
        sec5g::report::append_json_value(out, v, h);
        return out;
      },
      [&] { return v.dump(-1, ' ', false, h); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr json_error_handler handlers[] = {
      json_error_handler::strict, json_error_handler::replace, json_error_handler::ignore};
  const json_error_handler h = handlers[data[0] % 3];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  compare(
      [&] {
        std::string out = "x"; // appends: what was there stays
        sec5g::report::append_json_string(out, text, h);
        return out;
      },
      [&] { return "x" + nlohmann::json(text).dump(-1, ' ', false, h); });
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_discarded()) compare_value(j, h);
  const auto o = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!o.is_discarded()) compare_value(o, h);
  return 0;
}
