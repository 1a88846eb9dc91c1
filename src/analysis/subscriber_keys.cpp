// Subscriber key file (CSV) parser. Errors carry file:line:column and never key material.
#include "sec5g/analysis/subscriber_keys.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "sec5g/core/hex.hpp"

namespace sec5g::analysis {

namespace {

enum class column_kind : std::uint8_t { supi, k, opc, op, amf, sqn, tuak_top, unknown };

struct column_name {
  std::string_view name;
  column_kind kind;
};

constexpr std::array<column_name, 7> known_columns{{
    {"supi", column_kind::supi},
    {"k", column_kind::k},
    {"opc", column_kind::opc},
    {"op", column_kind::op},
    {"amf", column_kind::amf},
    {"sqn", column_kind::sqn},
    {"tuak_top", column_kind::tuak_top},
}};

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

/// A field of a line: its text (trimmed) and its 1-based column.
struct field {
  std::string_view text;
  std::size_t column;
};

/// Splits a line on commas (no quoting: none of the fields may contain a comma).
void split_fields(std::string_view line, std::vector<field>& out) {
  out.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::string_view raw =
        line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    std::size_t lead = 0;
    while (lead < raw.size() && (raw[lead] == ' ' || raw[lead] == '\t')) ++lead;
    out.push_back(field{trim(raw), start + lead + 1});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

bool valid_nai(std::string_view nai) noexcept {
  // user@realm: non-empty user and realm, printable ASCII, no spaces or commas, one '@'.
  const std::size_t at = nai.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= nai.size()) return false;
  if (nai.find('@', at + 1) != std::string_view::npos) return false;
  return std::all_of(nai.begin(), nai.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != ',';
  });
}

}  // namespace

std::string_view subscriber_keys::imsi_digits() const noexcept {
  std::string_view s = supi;
  if (s.starts_with("imsi-")) return s.substr(5);
  return {};
}

std::string describe(const key_file_error& e) {
  if (e.line == 0) return e.file + ": " + e.message;
  return e.file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message;
}

bool is_valid_supi_text(std::string_view supi) noexcept {
  if (supi.starts_with("imsi-")) {
    const std::string_view d = supi.substr(5);
    if (d.size() < 5 || d.size() > 15) return false;
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  if (supi.starts_with("nai-")) return valid_nai(supi.substr(4));
  return false;
}

const subscriber_keys* subscriber_db::find(std::string_view supi) const {
  const std::uint32_t e = index_.find(supi, key_of());
  return e == text_index::npos ? nullptr : &subs_[e];
}

void subscriber_db::reserve(std::size_t n) {
  subs_.reserve(n);
  index_.reserve(n);
}

bool subscriber_db::add(subscriber_keys&& s) {
  const auto [e, inserted] =
      index_.try_emplace(s.supi, static_cast<std::uint32_t>(subs_.size()), key_of());
  if (!inserted) return false;
  subs_.push_back(std::move(s));
  return true;
}

void subscriber_db::merge(subscriber_db&& other) {
  for (auto& s : other.subs_) add(std::move(s));
  other.subs_.clear();
  other.index_.clear();
}

std::expected<subscriber_db, key_file_error> parse_subscriber_keys(
    std::string_view text, std::string_view file_name) noexcept {
  const std::string file(file_name);
  auto fail = [&](std::size_t line, std::size_t column, std::string msg) {
    return std::unexpected(key_file_error{file, line, column, std::move(msg)});
  };

  subscriber_db db;
  // One subscriber per line at most (after the header): no reallocation, which would move
  // every key once more.
  db.reserve(std::min<std::size_t>(
      static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1, max_subscribers));
  std::vector<column_kind> columns;
  std::vector<field> fields;
  bool have_header = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.size() > max_key_line_len) return fail(line_no, 1, "line too long");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // UTF-8 BOM
    const std::string_view t = trim(line);
    if (t.empty() || t.front() == '#') continue;
    split_fields(line, fields);

    if (!have_header) {
      bool has_supi = false, has_k = false, has_opc = false, has_op = false;
      for (const auto& f : fields) {
        column_kind kind = column_kind::unknown;
        for (const auto& c : known_columns) {
          if (iequals(f.text, c.name)) kind = c.kind;
        }
        if (kind == column_kind::unknown)
          return fail(line_no, f.column, "unknown column '" + std::string(f.text.substr(0, 32)) +
                                             "' (expected supi,k,opc[,op][,amf][,sqn][,tuak_top])");
        if (std::find(columns.begin(), columns.end(), kind) != columns.end())
          return fail(line_no, f.column, "duplicate column '" + std::string(f.text) + "'");
        columns.push_back(kind);
        has_supi |= kind == column_kind::supi;
        has_k |= kind == column_kind::k;
        has_opc |= kind == column_kind::opc;
        has_op |= kind == column_kind::op;
      }
      if (!has_supi) return fail(line_no, 1, "header lacks the 'supi' column");
      if (!has_k) return fail(line_no, 1, "header lacks the 'k' column");
      if (!has_opc && !has_op) return fail(line_no, 1, "header lacks the 'opc' (or 'op') column");
      have_header = true;
      continue;
    }

    if (fields.size() != columns.size())
      return fail(line_no, fields.size() < columns.size() ? line.size() + 1 : fields[columns.size()].column,
                  "expected " + std::to_string(columns.size()) + " fields, found " +
                      std::to_string(fields.size()));
    if (db.size() >= max_subscribers) return fail(line_no, 1, "too many subscribers");

    subscriber_keys s;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const field& f = fields[i];
      auto hex_into = [&](bytes_span out, const char* name) -> std::optional<key_file_error> {
        if (auto r = from_hex_into(f.text, out); !r) {
          std::string why;
          switch (r.error().code) {
            case hex_errc::bad_digit: why = "not a hex digit"; break;
            case hex_errc::odd_length: why = "odd number of hex digits"; break;
            case hex_errc::wrong_length: why = "wrong length"; break;
          }
          const std::size_t col = r.error().code == hex_errc::bad_digit
                                      ? f.column + r.error().offset
                                      : f.column;
          return key_file_error{file, line_no, col,
                                std::string("bad '") + name + "': " + why + " (expected " +
                                    std::to_string(out.size() * 2) + " hex digits)"};
        }
        return std::nullopt;
      };
      switch (columns[i]) {
        case column_kind::supi:
          if (!is_valid_supi_text(f.text))
            return fail(line_no, f.column,
                        "bad 'supi': expected imsi-<5..15 digits> or nai-<user@realm>");
          s.supi = std::string(f.text);
          break;
        case column_kind::k:
          if (auto e = hex_into(s.k.mutable_view(), "k")) return std::unexpected(*e);
          break;
        case column_kind::opc:
          if (f.text.empty()) break;
          if (auto e = hex_into(s.opc.mutable_view(), "opc")) return std::unexpected(*e);
          s.has_opc = true;
          break;
        case column_kind::op:
          if (f.text.empty()) break;
          if (auto e = hex_into(s.op.mutable_view(), "op")) return std::unexpected(*e);
          s.has_op = true;
          break;
        case column_kind::amf: {
          if (f.text.empty()) break;
          byte_array<2> a{};
          if (auto e = hex_into(a, "amf")) return std::unexpected(*e);
          s.amf = a;
          break;
        }
        case column_kind::sqn: {
          if (f.text.empty()) break;
          byte_array<6> q{};
          if (auto e = hex_into(q, "sqn")) return std::unexpected(*e);
          std::uint64_t v = 0;
          for (auto b : q) v = (v << 8) | b;
          s.sqn = v;
          break;
        }
        case column_kind::tuak_top:
          if (f.text.empty()) break;
          if (auto e = hex_into(s.tuak_top.mutable_view(), "tuak_top")) return std::unexpected(*e);
          s.has_tuak_top = true;
          break;
        case column_kind::unknown:
          break;
      }
    }
    if (!s.has_opc && !s.has_op && !s.has_tuak_top)
      return fail(line_no, 1, "subscriber has neither 'opc' nor 'op'");
    const std::size_t supi_col = fields[static_cast<std::size_t>(
        std::find(columns.begin(), columns.end(), column_kind::supi) - columns.begin())].column;
    // add() leaves `s` as it was when the SUPI is present already.
    if (!db.add(std::move(s))) return fail(line_no, supi_col, "duplicate supi '" + s.supi + "'");
  }
  if (!have_header) return fail(line_no == 0 ? 1 : line_no, 1, "no header line (supi,k,opc)");
  return db;
}

}  // namespace sec5g::analysis

#include <cerrno>
#include <system_error>

#include "sec5g/core/secret.hpp"

namespace sec5g::analysis {

std::expected<subscriber_db, key_file_error> load_subscriber_keys(const std::string& path) {
  auto text = read_secret_file(path, max_key_file_size);
  if (!text) {
    return std::unexpected(key_file_error{
        path, 0, 0,
        text.error() == EFBIG ? "file too large (more than 512 MiB)"
                              : "cannot read file (" + std::generic_category().message(text.error()) + ")"});
  }
  const bytes_view b = text->view();
  return parse_subscriber_keys(
      std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), path);
}

}  // namespace sec5g::analysis
