#pragma once
// Aligned PER (ITU-T X.691, ALIGNED variant) bit reader and writer: the primitives the NGAP
// codec is built from. Private to the ngap module; nothing here leaks into the public API.
//
// Reader: every read is bounds checked against the view and fails with a decode_error whose
// offset is the byte offset (base + bit position / 8) of the failing field. Alignment is
// relative to the start of the view, which is how open types and the outermost PDU are encoded
// (each is a complete encoding starting at an octet boundary).

#include <bit>
#include <cstdint>
#include <cstring>
#include <expected>

#include "sec5g/core/bytes.hpp"
#include "sec5g/core/decode_error.hpp"

namespace sec5g::ngap::aper {

/// Number of bits of a constrained whole number's bit-field for `range` (range <= 255):
/// the least n with 2^n >= range.
constexpr unsigned bits_for_range(std::uint64_t range) noexcept {
  return range <= 1 ? 0U : static_cast<unsigned>(std::bit_width(range - 1));
}

/// Number of octets needed for `v` (at least 1).
constexpr unsigned octets_for(std::uint64_t v) noexcept {
  return v == 0 ? 1U : (static_cast<unsigned>(std::bit_width(v)) + 7U) / 8U;
}
static_assert(bits_for_range(1) == 0 && bits_for_range(2) == 1 && bits_for_range(3) == 2 &&
              bits_for_range(4) == 2 && bits_for_range(5) == 3 && bits_for_range(255) == 8);
static_assert(octets_for(0) == 1 && octets_for(255) == 1 && octets_for(256) == 2 &&
              octets_for(0xffff'ffffULL) == 4 && octets_for(0xff'ffff'ffffULL) == 5 &&
              octets_for(~0ULL) == 8);

/// A view with the offset of its first byte (relative to the enclosing unit).
struct octets_view {
  bytes_view bytes;
  std::uint32_t offset = 0;
};

/// Maximum nesting of open types / sequences we follow (bounded recursion).
inline constexpr int max_depth = 24;

class reader {
public:
  /// `base` is the offset of data[0] in the enclosing unit (used in errors and views).
  explicit reader(bytes_view data, std::uint32_t base = 0) noexcept : data_(data), base_(base) {}

  [[nodiscard]] std::size_t bit_pos() const noexcept { return pos_; }
  [[nodiscard]] std::size_t bits_left() const noexcept { return data_.size() * 8 - pos_; }
  [[nodiscard]] std::uint32_t offset() const noexcept {
    return base_ + static_cast<std::uint32_t>(pos_ / 8);
  }
  [[nodiscard]] decode_error error(decode_errc c, const char* field) const noexcept {
    return decode_error{c, offset(), field};
  }
  /// Bytes consumed so far, rounding a partial octet up.
  [[nodiscard]] std::size_t octets_used() const noexcept { return (pos_ + 7) / 8; }
  [[nodiscard]] bytes_view data() const noexcept { return data_; }

  void align() noexcept { pos_ = (pos_ + 7) & ~std::size_t{7}; }

  /// Reads n bits (n <= 64), most significant first.
  [[gnu::always_inline]] std::expected<std::uint64_t, decode_error> bits(unsigned n, const char* field) noexcept {
    if (n > bits_left()) return std::unexpected(error(decode_errc::truncated, field));
    if (n == 0) return 0;
    const std::size_t first = pos_ >> 3;
    if (n <= 57) {
      // The octets from the current one hold all n bits (n + pos_ % 8 <= 64) in one 64-bit
      // big-endian word: one load when eight octets remain, else the octets the n bits touch
      // (within the view: n <= bits_left()) with zeros after them. Same value as the octet
      // loop below; the IE values of NGAP are mostly shorter than eight octets.
      const unsigned lead = static_cast<unsigned>(pos_ & 7);
      std::uint64_t w = 0;
      if (first + 8 <= data_.size()) {
        std::memcpy(&w, data_.data() + first, 8);
        if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
      } else {
        const unsigned touched = (lead + n + 7) / 8;
        for (unsigned i = 0; i < touched; ++i)
          w |= std::uint64_t{data_[first + i]} << (56 - 8 * i);
      }
      pos_ += n;
      return (w << lead) >> (64 - n);
    }
    std::uint64_t v = 0;
    while (n > 0) {
      const std::size_t byte = pos_ >> 3;
      const unsigned in_byte = 8 - static_cast<unsigned>(pos_ & 7);
      const unsigned take = n < in_byte ? n : in_byte;
      const unsigned shift = in_byte - take;
      const unsigned mask = (1U << take) - 1U;
      v = (v << take) | ((data_[byte] >> shift) & mask);
      pos_ += take;
      n -= take;
    }
    return v;
  }
  [[gnu::always_inline]] std::expected<bool, decode_error> bit(const char* field) noexcept {
    if (bits_left() < 1) return std::unexpected(error(decode_errc::truncated, field));
    const bool b = ((data_[pos_ >> 3] >> (7 - (pos_ & 7))) & 1U) != 0;
    ++pos_;
    return b;
  }

  /// Constrained whole number in [lb, ub] (X.691 11.5.7, aligned variant).
  [[gnu::always_inline]] std::expected<std::uint64_t, decode_error> constrained(std::uint64_t lb, std::uint64_t ub,
                                                         const char* field) noexcept {
    const std::uint64_t range = ub - lb + 1; // callers never pass the full 64-bit range
    std::uint64_t v = 0;
    if (range == 1) return lb;
    if (range <= 255) {
      auto r = bits(bits_for_range(range), field);
      if (!r) return r;
      v = *r;
    } else if (range == 256) {
      align();
      auto r = bits(8, field);
      if (!r) return r;
      v = *r;
    } else if (range <= 65536) {
      align();
      auto r = bits(16, field);
      if (!r) return r;
      v = *r;
    } else {
      const unsigned max_octets = octets_for(range - 1);
      auto len = bits(bits_for_range(max_octets), field);
      if (!len) return len;
      const unsigned n = static_cast<unsigned>(*len) + 1;
      if (n > max_octets) return std::unexpected(error(decode_errc::bad_value, field));
      align();
      auto r = bits(8 * n, field);
      if (!r) return r;
      v = *r;
    }
    if (v > ub - lb) return std::unexpected(error(decode_errc::bad_value, field));
    return lb + v;
  }

  /// Unconstrained / semi-constrained length determinant (X.691 11.9.3.6-8). Fragmented
  /// lengths (>= 16K) are reported as unsupported.
  std::expected<std::uint32_t, decode_error> length(const char* field) noexcept {
    align();
    auto b0 = bits(8, field);
    if (!b0) return std::unexpected(b0.error());
    if ((*b0 & 0x80U) == 0) return static_cast<std::uint32_t>(*b0);
    if ((*b0 & 0xC0U) == 0x80U) {
      auto b1 = bits(8, field);
      if (!b1) return std::unexpected(b1.error());
      return static_cast<std::uint32_t>(((*b0 & 0x3FU) << 8) | *b1);
    }
    return std::unexpected(error(decode_errc::unsupported, field));
  }

  /// Length of a SEQUENCE OF / string with SIZE(lb..ub), ub < 64K, not extensible.
  std::expected<std::uint32_t, decode_error> size(std::uint32_t lb, std::uint32_t ub,
                                                  const char* field) noexcept {
    auto r = constrained(lb, ub, field);
    if (!r) return std::unexpected(r.error());
    return static_cast<std::uint32_t>(*r);
  }

  /// Normally small non-negative whole number (X.691 11.6).
  std::expected<std::uint32_t, decode_error> normally_small(const char* field) noexcept {
    auto big = bit(field);
    if (!big) return std::unexpected(big.error());
    if (!*big) {
      auto r = bits(6, field);
      if (!r) return std::unexpected(r.error());
      return static_cast<std::uint32_t>(*r);
    }
    auto len = length(field);
    if (!len) return std::unexpected(len.error());
    if (*len == 0 || *len > 4) return std::unexpected(error(decode_errc::bad_value, field));
    auto r = bits(8 * *len, field);
    if (!r) return std::unexpected(r.error());
    return static_cast<std::uint32_t>(*r);
  }

  /// ENUMERATED with `root` root values; `extensible` when it has "...". Extension values are
  /// returned as root + index.
  std::expected<std::uint32_t, decode_error> enumerated(std::uint32_t root, bool extensible,
                                                        const char* field) noexcept {
    if (extensible) {
      auto e = bit(field);
      if (!e) return std::unexpected(e.error());
      if (*e) {
        auto i = normally_small(field);
        if (!i) return i;
        return root + *i;
      }
    }
    auto r = constrained(0, root - 1, field);
    if (!r) return std::unexpected(r.error());
    return static_cast<std::uint32_t>(*r);
  }

  /// CHOICE index with `root` alternatives. For an extension alternative returns root + index
  /// (its value follows as an open type).
  std::expected<std::uint32_t, decode_error> choice(std::uint32_t root, bool extensible,
                                                    const char* field) noexcept {
    return enumerated(root, extensible, field);
  }

  /// Aligned octets of a known count, as a view.
  std::expected<octets_view, decode_error> octets(std::size_t n, const char* field) noexcept {
    align();
    if (n * 8 > bits_left()) return std::unexpected(error(decode_errc::truncated, field));
    octets_view v{data_.subspan(pos_ / 8, n), offset()};
    pos_ += n * 8;
    return v;
  }

  /// OCTET STRING of unconstrained size (also open types): aligned length + aligned octets.
  std::expected<octets_view, decode_error> octet_string(const char* field) noexcept {
    auto n = length(field);
    if (!n) return std::unexpected(n.error());
    return octets(*n, field);
  }
  std::expected<octets_view, decode_error> open_type(const char* field) noexcept {
    return octet_string(field);
  }

  /// One ProtocolIE-Field: id INTEGER (0..65535), criticality ENUMERATED (reject, ignore,
  /// notify) and the value as an open type. Reads what constrained(0, 65535), bits(2) (a value
  /// above 2 refused as bad_value) and open_type() read, with the same values and the same
  /// errors (code, offset, field), but octet by octet: after the alignment the id starts on an
  /// octet, the criticality and its padding fill one, the length is aligned.
  [[gnu::always_inline]] std::expected<void, decode_error> ie_field(
      std::uint16_t& id, std::uint8_t& crit, octets_view& value, const char* id_field,
      const char* crit_field, const char* value_field) noexcept {
    align();
    const std::uint8_t* d = data_.data();
    const std::size_t size = data_.size();
    std::size_t p = pos_ >> 3;
    auto fail = [&](decode_errc c, std::size_t at, const char* f) {
      pos_ = at * 8;
      return std::unexpected(decode_error{c, base_ + static_cast<std::uint32_t>(at), f});
    };
    if (size - p < 2) return fail(decode_errc::truncated, p, id_field);
    id = static_cast<std::uint16_t>((d[p] << 8) | d[p + 1]);
    p += 2;
    if (size - p < 1) return fail(decode_errc::truncated, p, crit_field);
    const auto c = static_cast<std::uint8_t>(d[p] >> 6);
    if (c > 2) return fail(decode_errc::bad_value, p, crit_field);
    crit = c;
    ++p;
    if (size - p < 1) return fail(decode_errc::truncated, p, value_field);
    std::uint32_t n = d[p++];
    if ((n & 0x80U) != 0) {
      if ((n & 0xC0U) != 0x80U) return fail(decode_errc::unsupported, p, value_field);
      if (size - p < 1) return fail(decode_errc::truncated, p, value_field);
      n = ((n & 0x3FU) << 8) | d[p++];
    }
    if (n > size - p) return fail(decode_errc::truncated, p, value_field);
    value = octets_view{data_.subspan(p, n), base_ + static_cast<std::uint32_t>(p)};
    pos_ = (p + n) * 8;
    return {};
  }

  /// Skips a ProtocolExtensionContainer (SIZE(1..65535) OF id, criticality, open type).
  std::expected<void, decode_error> skip_extension_container(const char* field) noexcept {
    auto n = constrained(1, 65535, field);
    if (!n) return std::unexpected(n.error());
    for (std::uint64_t i = 0; i < *n; ++i) {
      auto id = constrained(0, 65535, field);
      if (!id) return std::unexpected(id.error());
      auto c = bits(2, field);
      if (!c) return std::unexpected(c.error());
      auto v = open_type(field);
      if (!v) return std::unexpected(v.error());
    }
    return {};
  }

  /// Skips the extension additions of a SEQUENCE whose extension bit was set (X.691 19.7-9):
  /// a normally small length, the presence bitmap, then each present addition as an open type.
  std::expected<void, decode_error> skip_extension_additions(const char* field) noexcept {
    auto n = normally_small(field);
    if (!n) return std::unexpected(n.error());
    const std::uint32_t count = *n + 1;
    if (count > 64 * 8) return std::unexpected(error(decode_errc::length_too_large, field));
    std::uint32_t present = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
      auto b = bit(field);
      if (!b) return std::unexpected(b.error());
      present += *b ? 1U : 0U;
    }
    for (std::uint32_t i = 0; i < present; ++i) {
      auto v = open_type(field);
      if (!v) return std::unexpected(v.error());
    }
    return {};
  }

private:
  bytes_view data_;
  std::size_t pos_ = 0;
  std::uint32_t base_ = 0;
};

class writer {
public:
  explicit writer(byte_buffer& out) noexcept : out_(out), pos_(out.size() * 8) {}

  void bits(std::uint64_t v, unsigned n) {
    while (n > 0) {
      if ((pos_ & 7) == 0) out_.push_back(0);
      const unsigned room = 8 - static_cast<unsigned>(pos_ & 7);
      const unsigned take = n < room ? n : room;
      const auto chunk = static_cast<unsigned>((v >> (n - take)) & ((1U << take) - 1U));
      out_.back() = static_cast<std::uint8_t>(out_.back() | (chunk << (room - take)));
      pos_ += take;
      n -= take;
    }
  }
  void bit(bool b) { bits(b ? 1 : 0, 1); }
  void align() { pos_ = (pos_ + 7) & ~std::size_t{7}; }

  void constrained(std::uint64_t v, std::uint64_t lb, std::uint64_t ub) {
    const std::uint64_t range = ub - lb + 1;
    const std::uint64_t x = v - lb;
    if (range == 1) return;
    if (range <= 255) {
      bits(x, bits_for_range(range));
    } else if (range == 256) {
      align();
      bits(x, 8);
    } else if (range <= 65536) {
      align();
      bits(x, 16);
    } else {
      const unsigned max_octets = octets_for(range - 1);
      const unsigned n = octets_for(x);
      bits(n - 1, bits_for_range(max_octets));
      align();
      bits(x, 8 * n);
    }
  }
  /// Unconstrained length (< 16384).
  void length(std::uint32_t n) {
    align();
    if (n < 128) {
      bits(n, 8);
    } else {
      bits(0x8000U | n, 16);
    }
  }
  void normally_small(std::uint32_t n) {
    if (n < 64) {
      bit(false);
      bits(n, 6);
    } else {
      bit(true);
      const unsigned k = octets_for(n);
      length(k);
      bits(n, 8 * k);
    }
  }
  void enumerated(std::uint32_t v, std::uint32_t root, bool extensible) {
    if (extensible) {
      bit(v >= root);
      if (v >= root) {
        normally_small(v - root);
        return;
      }
    }
    constrained(v, 0, root - 1);
  }
  void octets(bytes_view v) {
    align();
    out_.insert(out_.end(), v.begin(), v.end());
    pos_ = out_.size() * 8;
  }
  /// Unconstrained OCTET STRING / open type; caller guarantees v.size() < 16384.
  void octet_string(bytes_view v) {
    length(static_cast<std::uint32_t>(v.size()));
    octets(v);
  }

private:
  byte_buffer& out_;
  std::size_t pos_;
};

} // namespace sec5g::ngap::aper
