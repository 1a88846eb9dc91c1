// NAS-5GS encoding: re-encoding of decoded messages and table-driven building of new ones.
// Ref: TS 24.501 8, 9.1; TS 24.007 11.2

#include <cstring>

#include "sec5g/core/byte_writer.hpp"
#include "sec5g/nas/nas.hpp"

namespace sec5g::nas {
namespace {

void write_header(byte_writer& w, const message_header& h, std::uint8_t spare_half,
                  std::uint8_t header_nibble = 0) {
  w.u8(static_cast<std::uint8_t>(h.epd));
  if (h.epd == epd::session_management) {
    w.u8(h.pdu_session_id);
    w.u8(h.pti);
  } else {
    w.u8(static_cast<std::uint8_t>((spare_half << 4) | (header_nibble & 0x0f)));
  }
  w.u8(h.message_type);
}

// Writes one IE (not half-octet V IEs, which the callers pair up).
void write_ie(byte_writer& w, ie_format f, std::uint8_t iei, std::uint8_t half, bytes_view v) {
  switch (f) {
    case ie_format::v_half:
      break;
    case ie_format::v:
      w.bytes(v);
      break;
    case ie_format::lv:
      w.u8(static_cast<std::uint8_t>(v.size()));
      w.bytes(v);
      break;
    case ie_format::lv_e:
      w.u16(static_cast<std::uint16_t>(v.size()));
      w.bytes(v);
      break;
    case ie_format::tv_half:
      w.u8(static_cast<std::uint8_t>((iei & 0xf0) | (half & 0x0f)));
      break;
    case ie_format::t:
      w.u8(iei);
      break;
    case ie_format::tv:
      w.u8(iei);
      w.bytes(v);
      break;
    case ie_format::tlv:
      w.u8(iei);
      w.u8(static_cast<std::uint8_t>(v.size()));
      w.bytes(v);
      break;
    case ie_format::tlv_e:
      w.u8(iei);
      w.u16(static_cast<std::uint16_t>(v.size()));
      w.bytes(v);
      break;
  }
}

bool same(const char* a, const char* b) noexcept { return std::strcmp(a, b) == 0; }

}  // namespace

const char* to_string(encode_errc code) noexcept {
  switch (code) {
    case encode_errc::unknown_message: return "unknown_message";
    case encode_errc::not_in_message: return "not_in_message";
    case encode_errc::missing_mandatory_ie: return "missing_mandatory_ie";
    case encode_errc::length_out_of_range: return "length_out_of_range";
    case encode_errc::value_out_of_range: return "value_out_of_range";
  }
  return "unknown";
}

void encode(const plain_message& m, byte_buffer& out) {
  byte_writer w(out);
  write_header(w, {m.epd, m.message_type, m.pdu_session_id, m.pti}, m.spare_half,
               m.header_nibble);
  if (m.spec == nullptr) {
    w.bytes(m.body);
    return;
  }
  const auto ies = m.ies();
  for (std::size_t i = 0; i < ies.size(); ++i) {
    const ie& e = ies[i];
    if (e.format == ie_format::v_half) {
      std::uint8_t octet = e.half & 0x0f;
      if (i + 1 < ies.size() && ies[i + 1].format == ie_format::v_half &&
          ies[i + 1].offset == e.offset) {
        octet = static_cast<std::uint8_t>(octet | (ies[i + 1].half << 4));
        ++i;
      }
      w.u8(octet);
      continue;
    }
    write_ie(w, e.format, e.iei, e.half, e.value);
  }
}

void encode(const nas_message& m, byte_buffer& out) {
  if (m.security_header == security_header_type::plain) {
    encode(m.message, out);
    return;
  }
  byte_buffer inner;
  bytes_view inner_view = m.inner;
  if (m.has_message) {
    encode(m.message, inner);
    inner_view = inner;
  }
  const std::size_t at = out.size();
  encode_protected(m.security_header, std::span<const std::uint8_t, 4>(m.mac), m.sqn, inner_view,
                   out);
  out[at + 1] = static_cast<std::uint8_t>(out[at + 1] | (m.spare_half << 4));
}

std::expected<void, encode_error> encode_message(const message_header& h,
                                                 std::span<const ie_value> ies, byte_buffer& out) {
  const message_spec* spec = find_message_spec(h.epd, h.message_type);
  if (spec == nullptr) return std::unexpected(encode_error{encode_errc::unknown_message, ""});
  for (const ie_value& v : ies) {
    bool known = false;
    for (const ie_spec& s : spec->ies) known = known || same(s.name, v.name);
    if (!known) return std::unexpected(encode_error{encode_errc::not_in_message, v.name});
  }
  const std::size_t start = out.size();
  byte_writer w(out);
  write_header(w, h, 0);
  const auto table = spec->ies;
  const auto fail = [&](encode_errc c, const char* name) {
    out.resize(start);
    return std::unexpected(encode_error{c, name});
  };
  for (std::size_t i = 0; i < table.size(); ++i) {
    const ie_spec& s = table[i];
    const ie_value* given = nullptr;
    for (const ie_value& v : ies) {
      if (same(s.name, v.name)) {
        given = &v;
        break;
      }
    }
    if (s.format == ie_format::v_half) {
      // Pair of half-octet IEs: the first in bits 1-4, the second in bits 5-8.
      std::uint8_t lo = 0;
      std::uint8_t hi = 0;
      if (given == nullptr && s.kind != ie_kind::spare_half) {
        return fail(encode_errc::missing_mandatory_ie, s.name);
      }
      if (given) {
        if (given->half > 15) return fail(encode_errc::value_out_of_range, s.name);
        lo = given->half;
      }
      if (i + 1 < table.size() && table[i + 1].format == ie_format::v_half) {
        ++i;
        const ie_spec& s2 = table[i];
        const ie_value* g2 = nullptr;
        for (const ie_value& v : ies) {
          if (same(s2.name, v.name)) g2 = &v;
        }
        if (g2 == nullptr && s2.kind != ie_kind::spare_half) {
          return fail(encode_errc::missing_mandatory_ie, s2.name);
        }
        if (g2) {
          if (g2->half > 15) return fail(encode_errc::value_out_of_range, s2.name);
          hi = g2->half;
        }
      }
      w.u8(static_cast<std::uint8_t>(lo | (hi << 4)));
      continue;
    }
    if (given == nullptr) {
      if (s.presence == presence::mandatory) return fail(encode_errc::missing_mandatory_ie, s.name);
      continue;
    }
    if (s.format == ie_format::tv_half) {
      if (given->half > 15) return fail(encode_errc::value_out_of_range, s.name);
    } else if (s.format != ie_format::t) {
      const std::size_t len = given->value.size();
      if (len < s.min_len || len > s.max_len) return fail(encode_errc::length_out_of_range, s.name);
    }
    write_ie(w, s.format, s.iei, given->half, given->value);
  }
  return {};
}

void encode_protected(security_header_type type, std::span<const std::uint8_t, 4> mac,
                      std::uint8_t sqn, bytes_view inner, byte_buffer& out) {
  byte_writer w(out);
  w.u8(static_cast<std::uint8_t>(epd::mobility_management));
  w.u8(static_cast<std::uint8_t>(type));
  w.bytes(mac);
  w.u8(sqn);
  w.bytes(inner);
}

}  // namespace sec5g::nas
