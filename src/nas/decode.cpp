// NAS-5GS decoding: security envelope, 5GMM/5GSM headers, and the table-driven IE walk.
// Ref: TS 24.501 8, 9.1-9.3; TS 24.007 11.2

#include <cstring>

#include "sec5g/core/byte_reader.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/nas/nas.hpp"

namespace sec5g::nas {
namespace {

constexpr std::uint8_t epd_mm = 0x7e;
constexpr std::uint8_t epd_sm = 0x2e;

decode_error err(decode_errc c, std::uint32_t off, const char* field) noexcept {
  return decode_error{c, off, field};
}

bool length_ok(const ie_spec& s, std::size_t len) noexcept {
  return len >= s.min_len && len <= s.max_len;
}

// Finds the table row for an optional IE's first octet. Type 1 IEs match on bits 5-8.
std::ptrdiff_t find_optional(std::span<const ie_spec> table, std::size_t first_optional,
                             std::uint8_t octet) noexcept {
  for (std::size_t i = first_optional; i < table.size(); ++i) {
    const ie_spec& s = table[i];
    if (s.format == ie_format::tv_half) {
      if ((octet & 0xf0) == s.iei) return static_cast<std::ptrdiff_t>(i);
    } else if (octet == s.iei) {
      return static_cast<std::ptrdiff_t>(i);
    }
  }
  return -1;
}

// Flattened: the walk's steps are inlined here (the whole-message decoder's hot loop), while
// ie_walker::next stays an ordinary function for readers that walk a message step by step.
[[gnu::flatten]] std::expected<void, decode_error> decode_body(const message_spec& spec,
                                                               bytes_view body,
                                                               std::uint32_t body_offset,
                                                               plain_message& out) noexcept {
  ie_walker walk(spec, body, body_offset, &out.anomalies);
  // IEs are read straight into the message's storage; one past the capacity is an error.
  ie spare{};
  for (;;) {
    ie& slot = out.ie_count < plain_message::max_ies ? out.ies_storage[out.ie_count] : spare;
    auto more = walk.next(slot);
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    if (&slot == &spare) {
      return std::unexpected(err(decode_errc::length_too_large, walk.offset(), "nas.ies"));
    }
    // A 5G-GUTI (type 2) or 5G-S-TMSI (type 4) is coded with 1111 in bits 5-8 of its first
    // octet; identity::decode_mobile_identity does not read them. Ref: TS 24.501 9.11.3.4.
    if (slot.kind() == ie_kind::mobile_identity && !slot.value.empty()) {
      using identity::mobile_identity_type;
      const std::uint8_t o1 = slot.value[0];
      const auto type = static_cast<mobile_identity_type>(o1 & 0x07);
      if ((type == mobile_identity_type::guti || type == mobile_identity_type::s_tmsi) &&
          (o1 & 0xF0) != 0xF0)
        out.anomalies.add(anomaly::identity_filler, slot.iei, slot.offset);
    }
    ++out.ie_count;
  }
}

// The security header of a 5GMM PDU (decode_security_header; inlined into decode_into).
inline std::expected<security_header, decode_error> read_security_header(
    bytes_view pdu) noexcept {
  if (pdu.empty()) return std::unexpected(err(decode_errc::truncated, 0, "nas.epd"));
  if (pdu[0] != epd_mm) return std::unexpected(err(decode_errc::bad_value, 0, "nas.epd"));
  if (pdu.size() < 2) {
    return std::unexpected(err(decode_errc::truncated, 1, "nas.security_header_type"));
  }
  security_header h;
  const std::uint8_t sht = pdu[1] & 0x0f;
  h.spare_half = static_cast<std::uint8_t>(pdu[1] >> 4);
  if (sht == 0) return h;
  if (sht > 4) {
    // Ref: TS 24.501 9.3.1: all other values are reserved.
    return std::unexpected(err(decode_errc::bad_value, 1, "nas.security_header_type"));
  }
  h.type = static_cast<security_header_type>(sht);
  // Ref: TS 24.501 9.1.1: EPD, security header type, MAC (4), sequence number (1), message.
  if (pdu.size() < 7) {
    return std::unexpected(err(decode_errc::truncated, static_cast<std::uint32_t>(pdu.size()),
                               pdu.size() < 6 ? "nas.mac" : "nas.sqn"));
  }
  std::memcpy(h.mac.data(), pdu.data() + 2, 4);
  h.sqn = pdu[6];
  h.inner_offset = 7;
  return h;
}

}  // namespace

ie_walker::ie_walker(const message_spec& spec, bytes_view body, std::uint32_t body_offset,
                     anomaly_list* anomalies) noexcept
    : table_(spec.ies),
      body_(body),
      base_(body_offset),
      anomalies_(anomalies),
      first_optional_(spec.mandatory_count) {}

// Reads go straight to body_ with the bounds check of byte_reader (same errors: truncated at
// the offset of the missing octet), without a call per octet: this is the hot path of the
// auditor's field extractor.
std::expected<bool, decode_error> ie_walker::next(ie& out) noexcept {
  if (pending_half_) {
    // The second of a pair of half-octet IEs is in bits 5-8 of the same octet.
    pending_half_ = false;
    out.spec = &table_[index_];
    out.format = ie_format::v_half;
    out.iei = 0;
    out.half = static_cast<std::uint8_t>(pending_octet_ >> 4);
    out.offset = pending_offset_;
    out.value = {};
    ++index_;
    return true;
  }
  if (index_ >= first_optional_) return next_optional(out);

  // Mandatory (imperative) part, positional. Ref: TS 24.007 11.2.5
  const ie_spec& s = table_[index_];
  out.spec = &s;
  out.format = s.format;
  out.iei = 0;
  out.half = 0;
  out.offset = offset();
  out.value = {};
  const std::size_t left = body_.size() - pos_;
  switch (s.format) {
    case ie_format::v_half: {
      if (left < 1) return std::unexpected(truncated(s.name));
      const std::uint8_t o = body_[pos_++];
      out.half = static_cast<std::uint8_t>(o & 0x0f);
      ++index_;
      if (index_ < first_optional_ && table_[index_].format == ie_format::v_half) {
        pending_half_ = true;
        pending_octet_ = o;
        pending_offset_ = out.offset;
      }
      return true;
    }
    case ie_format::v: {
      if (left < s.min_len) return std::unexpected(truncated(s.name));
      out.value = body_.subspan(pos_, s.min_len);
      pos_ += s.min_len;
      break;
    }
    case ie_format::lv:
    case ie_format::lv_e: {
      const std::size_t n = s.format == ie_format::lv ? 1 : 2;
      if (left < n) return std::unexpected(truncated(s.name));
      const std::size_t len =
          n == 1 ? body_[pos_] : (std::size_t{body_[pos_]} << 8) | body_[pos_ + 1];
      pos_ += n;
      if (len > left - n) return std::unexpected(truncated(s.name));
      out.value = body_.subspan(pos_, len);
      pos_ += len;
      if (!length_ok(s, len)) note(anomaly::ie_length_out_of_range, 0, out.offset);
      break;
    }
    default:
      // Tables never hold optional formats in the mandatory part.
      return std::unexpected(err(decode_errc::unsupported, offset(), "nas.table"));
  }
  ++index_;
  return true;
}

std::expected<bool, decode_error> ie_walker::next_optional(ie& out) noexcept {
  // Optional (non-imperative) part: IEI-tagged, any order tolerated.
  if (pos_ >= body_.size()) return false;
  const std::uint32_t at = offset();
  const std::uint8_t octet = body_[pos_];
  const std::ptrdiff_t idx = find_optional(table_, first_optional_, octet);
  ie_format fmt{};
  const ie_spec* s = nullptr;
  if (idx >= 0) {
    s = &table_[static_cast<std::size_t>(idx)];
    fmt = s->format;
    const auto bit = static_cast<unsigned>(idx);
    std::uint64_t& seen = bit < 64 ? seen_lo_ : seen_hi_;
    const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
    if (seen & mask) note(anomaly::duplicate_ie, s->iei, at);
    seen |= mask;
    if (idx < last_index_) note(anomaly::ie_out_of_order, s->iei, at);
    last_index_ = idx;
  } else {
    // Unknown IE: skip by the TS 24.007 11.2.4 rules. Bit 8 set: type 1/2, one octet;
    // IEI 0x7X: type 6 (TLV-E) in 5GMM/5GSM; otherwise type 4 (TLV).
    if (octet & 0x80) {
      fmt = ie_format::tv_half;
    } else if ((octet & 0xf0) == 0x70) {
      fmt = ie_format::tlv_e;
    } else {
      fmt = ie_format::tlv;
    }
    note(anomaly::unknown_ie, octet, at);
  }
  out.spec = s;
  out.format = fmt;
  out.iei = octet;
  out.half = 0;
  out.offset = at;
  out.value = {};
  const char* field = s ? s->name : "nas.unknown_ie";
  ++pos_;  // the IEI
  const std::size_t left = body_.size() - pos_;
  switch (fmt) {
    case ie_format::tv_half:
      out.iei = static_cast<std::uint8_t>(octet & 0xf0);
      out.half = static_cast<std::uint8_t>(octet & 0x0f);
      break;
    case ie_format::t:
      break;
    case ie_format::tv: {
      if (left < s->min_len) return std::unexpected(truncated(field));
      out.value = body_.subspan(pos_, s->min_len);
      pos_ += s->min_len;
      break;
    }
    case ie_format::tlv:
    case ie_format::tlv_e: {
      const std::size_t n = fmt == ie_format::tlv ? 1 : 2;
      if (left < n) return std::unexpected(truncated(field));
      const std::size_t len =
          n == 1 ? body_[pos_] : (std::size_t{body_[pos_]} << 8) | body_[pos_ + 1];
      pos_ += n;
      if (len > left - n) return std::unexpected(truncated(field));
      out.value = body_.subspan(pos_, len);
      pos_ += len;
      if (s && !length_ok(*s, len)) note(anomaly::ie_length_out_of_range, octet, at);
      break;
    }
    default:
      return std::unexpected(err(decode_errc::unsupported, at, "nas.table"));
  }
  return true;
}

void anomaly_list::add(anomaly kind, std::uint8_t iei, std::uint32_t offset) noexcept {
  if (count < capacity) {
    items[count++] = anomaly_record{kind, iei, offset};
  } else if (dropped < 0xffff) {
    ++dropped;
  }
}

const char* to_string(anomaly a) noexcept {
  switch (a) {
    case anomaly::unknown_ie: return "nas.unknown_ie";
    case anomaly::unknown_message_type: return "nas.unknown_message_type";
    case anomaly::ie_length_out_of_range: return "nas.ie_length_out_of_range";
    case anomaly::duplicate_ie: return "nas.duplicate_ie";
    case anomaly::ie_out_of_order: return "nas.ie_out_of_order";
    case anomaly::null_decipher_failed: return "nas.null_decipher_failed";
    case anomaly::inner_security_header: return "nas.inner_security_header";
    case anomaly::identity_filler: return "nas.identity_filler";
  }
  return "nas.unknown";
}

const ie* plain_message::find(ie_kind kind, const char* name) const noexcept {
  for (const ie& e : ies()) {
    if (e.spec && e.spec->kind == kind &&
        (name == nullptr || std::strcmp(e.spec->name, name) == 0)) {
      return &e;
    }
  }
  return nullptr;
}

const ie* plain_message::find_iei(std::uint8_t iei) const noexcept {
  for (const ie& e : ies()) {
    if (e.iei != 0 && e.iei == iei) return &e;
  }
  return nullptr;
}

std::expected<void, decode_error> decode_plain_into(bytes_view msg, plain_message& out,
                                                    std::uint32_t base_offset) noexcept {
  out.ie_count = 0;
  out.anomalies = anomaly_list{};
  out.spec = nullptr;
  out.pdu_session_id = 0;
  out.pti = 0;
  out.spare_half = 0;
  out.header_nibble = 0;
  out.raw = msg;
  if (msg.empty()) return std::unexpected(err(decode_errc::truncated, base_offset, "nas.epd"));
  std::size_t header_len = 0;
  if (msg[0] == epd_mm) {
    if (msg.size() < 3) {
      return std::unexpected(err(decode_errc::truncated,
                                 base_offset + static_cast<std::uint32_t>(msg.size()),
                                 "nas.message_type"));
    }
    out.epd = epd::mobility_management;
    out.header_nibble = static_cast<std::uint8_t>(msg[1] & 0x0f);
    if (out.header_nibble != 0) out.anomalies.add(anomaly::inner_security_header, 0, base_offset + 1);
    out.spare_half = static_cast<std::uint8_t>(msg[1] >> 4);
    out.message_type = msg[2];
    header_len = 3;
  } else if (msg[0] == epd_sm) {
    if (msg.size() < 4) {
      return std::unexpected(err(decode_errc::truncated,
                                 base_offset + static_cast<std::uint32_t>(msg.size()),
                                 "nas.message_type"));
    }
    out.epd = epd::session_management;
    out.pdu_session_id = msg[1];
    out.pti = msg[2];
    out.message_type = msg[3];
    header_len = 4;
  } else {
    return std::unexpected(err(decode_errc::bad_value, base_offset, "nas.epd"));
  }
  out.body = msg.subspan(header_len);
  out.spec = find_message_spec(out.epd, out.message_type);
  if (out.spec == nullptr) {
    out.anomalies.add(anomaly::unknown_message_type, 0,
                      base_offset + static_cast<std::uint32_t>(header_len - 1));
    return {};
  }
  return decode_body(*out.spec, out.body,
                     base_offset + static_cast<std::uint32_t>(header_len), out);
}

std::expected<plain_message, decode_error> decode_plain(bytes_view msg,
                                                        std::uint32_t base_offset) noexcept {
  std::expected<plain_message, decode_error> out{std::in_place};
  if (auto r = decode_plain_into(msg, *out, base_offset); !r) return std::unexpected(r.error());
  return out;
}

std::expected<security_header, decode_error> decode_security_header(bytes_view pdu) noexcept {
  return read_security_header(pdu);
}

std::expected<void, decode_error> decode_into(bytes_view pdu, nas_message& out,
                                              const decode_options& opt) noexcept {
  out.has_message = false;
  out.null_deciphered = false;
  out.mac = {};
  out.sqn = 0;
  out.mac_input = {};
  out.inner = pdu;
  out.security_header = security_header_type::plain;
  out.spare_half = 0;
  if (pdu.empty()) return std::unexpected(err(decode_errc::truncated, 0, "nas.epd"));
  if (pdu[0] == epd_sm) {
    out.epd = epd::session_management;
    if (auto r = decode_plain_into(pdu, out.message, 0); !r) return std::unexpected(r.error());
    out.has_message = true;
    return {};
  }
  if (pdu[0] != epd_mm) return std::unexpected(err(decode_errc::bad_value, 0, "nas.epd"));
  out.epd = epd::mobility_management;
  auto h = read_security_header(pdu);
  if (!h) return std::unexpected(h.error());
  if (h->type == security_header_type::plain) {
    if (auto r = decode_plain_into(pdu, out.message, 0); !r) return std::unexpected(r.error());
    out.has_message = true;
    return {};
  }
  out.security_header = h->type;
  out.spare_half = h->spare_half;
  out.mac = h->mac;
  out.sqn = h->sqn;
  out.mac_input = pdu.subspan(6);
  out.inner = pdu.subspan(h->inner_offset);
  if (is_ciphered(out.security_header)) {
    if (!opt.null_decipher) {
      out.message.ie_count = 0;
      out.message.anomalies = anomaly_list{};
      out.message.spec = nullptr;
      return {};
    }
    if (auto r = decode_plain_into(out.inner, out.message, 7); !r) {
      out.message.ie_count = 0;
      out.message.spec = nullptr;
      out.message.anomalies = anomaly_list{};
      out.message.anomalies.add(anomaly::null_decipher_failed, 0, r.error().offset);
      return {};
    }
    out.has_message = true;
    out.null_deciphered = true;
    return {};
  }
  if (auto r = decode_plain_into(out.inner, out.message, 7); !r) return std::unexpected(r.error());
  out.has_message = true;
  return {};
}

std::expected<nas_message, decode_error> decode(bytes_view pdu,
                                                const decode_options& opt) noexcept {
  std::expected<nas_message, decode_error> out{std::in_place};
  if (auto r = decode_into(pdu, *out, opt); !r) return std::unexpected(r.error());
  return out;
}

}  // namespace sec5g::nas
