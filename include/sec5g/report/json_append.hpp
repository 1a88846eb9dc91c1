#pragma once
/// Appending JSON text to a string byte for byte as nlohmann's dump(-1, ' ', false, handler)
/// writes it (compact form, ensure_ascii off), without a string per value: the hot paths of
/// `sec5g audit --format jsonl` (the report) and `sec5g decode --json`. What this writer does
/// not format itself (floating-point numbers, binary values, strings with non-ASCII octets,
/// which nlohmann validates as UTF-8 under `handler`) goes through nlohmann for that one value.
/// tests/report compares both on every kind of value and every character to escape.

#include <charconv>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sec5g::report {

using json_error_handler = nlohmann::json::error_handler_t;

/// Appends the decimal JSON number of the integer `n`.
template <class Int>
void append_json_int(std::string& out, Int n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

/// Appends the JSON string literal of `s`.
void append_json_string(std::string& out, std::string_view s,
                        json_error_handler handler = json_error_handler::strict);

/// Appends `v` (nlohmann::json or nlohmann::ordered_json; objects in their container's order,
/// as dump).
template <class Json>
void append_json_value(std::string& out, const Json& v,
                       json_error_handler handler = json_error_handler::strict) {
  using t = typename Json::value_t;
  switch (v.type()) {
  case t::null: out += "null"; return;
  case t::boolean: out += v.template get_ref<const bool&>() ? "true" : "false"; return;
  case t::number_integer:
    append_json_int(out, v.template get_ref<const typename Json::number_integer_t&>());
    return;
  case t::number_unsigned:
    append_json_int(out, v.template get_ref<const typename Json::number_unsigned_t&>());
    return;
  case t::string: append_json_string(out, v.template get_ref<const std::string&>(), handler); return;
  case t::object: {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : v.items()) {
      if (!first) out += ',';
      first = false;
      append_json_string(out, key, handler);
      out += ':';
      append_json_value(out, item, handler);
    }
    out += '}';
    return;
  }
  case t::array: {
    out += '[';
    bool first = true;
    for (const auto& item : v) {
      if (!first) out += ',';
      first = false;
      append_json_value(out, item, handler);
    }
    out += ']';
    return;
  }
  case t::number_float:
  case t::binary:
  case t::discarded: break;
  }
  out += v.dump(-1, ' ', false, handler);
}

}  // namespace sec5g::report
