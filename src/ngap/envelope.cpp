// NGAP-PDU envelope and ProtocolIE-Container. Ref: TS 38.413 9.4.2 (NGAP-PDU-Descriptions),
// 9.4.8 (NGAP-Containers); ITU-T X.691.
#include "ngap/aper.hpp"
#include "ngap/internal.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::ngap {

using aper::reader;
using aper::writer;

const protocol_ie* pdu::find(std::uint16_t id) const noexcept {
  if (id < 256 && ((ids_below_256[id >> 6] >> (id & 63)) & 1U) == 0) return nullptr;
  for (std::uint16_t i = 0; i < ie_count; ++i) {
    if (ie_storage[i].id == id) return &ie_storage[i];
  }
  return nullptr;
}

namespace {

// The message value of `out` (out.value at out.value_offset): its extension bit and its
// ProtocolIE-Container into out.ie_storage.
std::expected<void, decode_error> decode_ies(pdu& out) noexcept {
  out.ie_count = 0;
  out.ids_below_256 = {};
  out.private_ies = false;
  reader v(out.value, out.value_offset);
  SEC5G_TRY(mext, v.bit("ngap.message"));
  out.extended = *mext;
  if (out.procedure_code == procedure::private_message) {
    out.private_ies = true;
    return {};
  }
  SEC5G_TRY(n, v.constrained(0, 65535, "ngap.ies"));
  if (*n > max_ies) return std::unexpected(v.error(decode_errc::length_too_large, "ngap.ies"));
  for (std::uint64_t i = 0; i < *n; ++i) {
    std::uint16_t id = 0;
    std::uint8_t c = 0;
    aper::octets_view val;
    SEC5G_TRY_VOID(v.ie_field(id, c, val, "ngap.ie.id", "ngap.ie.criticality", "ngap.ie.value"));
    protocol_ie& e = out.ie_storage[out.ie_count++];
    e.id = id;
    e.crit = static_cast<criticality>(c);
    e.value = val.bytes;
    e.value_offset = val.offset;
    if (id < 256) out.ids_below_256[id >> 6] |= std::uint64_t{1} << (id & 63);
  }
  // Extension additions of the message SEQUENCE are not defined in TS 38.413; tolerated.
  return {};
}

}  // namespace

std::expected<void, decode_error> decode_pdu(bytes_view bytes, pdu& out) noexcept {
  // The usual header read in whole octets (X.691, aligned): the CHOICE's extension bit and
  // index with five padding bits, the procedure code, the criticality with six padding bits,
  // the value's length determinant in one octet (below 128) or two (below 16384), then the
  // value. Exactly what the reader below reads for it, without going through its results
  // (whose views the compiler had put together on the stack and read back in one load that
  // waited on both stores, where the profile put ~40% of this function's samples; 385 -> 318
  // instructions per message, the time's change too small to resolve). Anything else, and
  // every error, through the reader.
  const std::uint8_t* b = bytes.data();
  const std::size_t size = bytes.size();
  if (size >= 4 && (b[0] & 0x80U) == 0 && ((b[0] >> 5) & 3U) <= 2 && (b[2] >> 6) <= 2) {
    std::size_t at = 4;
    std::size_t n = b[3];
    bool plain = true;
    if ((n & 0x80U) != 0) {
      plain = (n & 0xC0U) == 0x80U && size >= 5;
      n = ((n & 0x3FU) << 8) | b[size >= 5 ? 4 : 3];
      at = 5;
    }
    if (plain && n <= size - at) {
      out.type = static_cast<pdu_type>((b[0] >> 5) & 3U);
      out.procedure_code = b[1];
      out.crit = static_cast<criticality>(b[2] >> 6);
      out.bytes = bytes.first(at + n);
      out.trailing_len = static_cast<std::uint32_t>(size - at - n);
      out.value = bytes.subspan(at, n);
      out.value_offset = static_cast<std::uint32_t>(at);
      return decode_ies(out);
    }
  }
  return detail::decode_pdu_general(bytes, out);
}

std::expected<void, decode_error> detail::decode_pdu_general(bytes_view bytes, pdu& out) noexcept {
  reader r(bytes);
  SEC5G_TRY(ext, r.bit("ngap.pdu"));
  if (*ext) return std::unexpected(r.error(decode_errc::unsupported, "ngap.pdu"));
  SEC5G_TRY(type, r.bits(2, "ngap.pdu"));
  if (*type > 2) return std::unexpected(r.error(decode_errc::bad_value, "ngap.pdu"));
  SEC5G_TRY(code, r.constrained(0, 255, "ngap.procedure_code"));
  SEC5G_TRY(crit, r.bits(2, "ngap.criticality"));
  if (*crit > 2) return std::unexpected(r.error(decode_errc::bad_value, "ngap.criticality"));
  SEC5G_TRY(value, r.open_type("ngap.value"));

  out.type = static_cast<pdu_type>(*type);
  out.procedure_code = static_cast<std::uint8_t>(*code);
  out.crit = static_cast<criticality>(*crit);
  const std::size_t used = r.octets_used();
  out.bytes = bytes.first(used);
  out.trailing_len = static_cast<std::uint32_t>(bytes.size() - used);
  out.value = value->bytes;
  out.value_offset = value->offset;
  return decode_ies(out);
}

std::expected<pdu, decode_error> decode_pdu(bytes_view bytes) noexcept {
  pdu p;
  SEC5G_TRY_VOID(decode_pdu(bytes, p));
  return p;
}

std::expected<std::size_t, decode_error> collect_nas_pdus(const pdu& p,
                                                          std::span<nas_pdu_ref> out) noexcept {
  std::size_t count = 0;
  auto add = [&](bytes_view b, std::uint32_t off, std::uint16_t ie, std::int16_t session) {
    if (count < out.size()) out[count] = nas_pdu_ref{b, off, ie, session};
    ++count;
  };
  for (const protocol_ie& e : p.ies()) {
    if (e.id == ie_id::nas_pdu || e.id == ie_id::nasc) {
      reader r(e.value, e.value_offset);
      SEC5G_TRY(o, r.octet_string("ngap.nas_pdu"));
      add(o->bytes, o->offset, e.id, -1);
      continue;
    }
    if (e.id != ie_id::pdu_session_resource_setup_list_su_req &&
        e.id != ie_id::pdu_session_resource_setup_list_cxt_req &&
        e.id != ie_id::pdu_session_resource_modify_list_mod_req) {
      continue;
    }
    const auto layout = detail::layout_of(e.id);
    reader r(e.value, e.value_offset);
    SEC5G_TRY(n, detail::read_list_count(r));
    for (std::uint32_t i = 0; i < *n; ++i) {
      pdu_session_item item;
      SEC5G_TRY_VOID(detail::read_pdu_session_item(r, layout, item));
      if (item.nas_pdu) add(*item.nas_pdu, item.nas_pdu_offset, e.id, item.pdu_session_id);
    }
  }
  return count;
}

namespace {
// A constrained whole number of at most `max_octets` octets at the start of an IE value: a
// `len_bits`-bit octet count - 1, padding, the octets (X.691 11.5.7.4). True with the value
// when it is well formed and complete; false sends the caller to the general reader (which
// then reports the error). Every value of 1..max_octets octets is in range for the two ids.
template <unsigned len_bits, unsigned max_octets>
[[gnu::always_inline]] inline bool small_int(bytes_view v, std::uint64_t& out) noexcept {
  if (v.empty()) return false;
  const unsigned n = (v[0] >> (8 - len_bits)) + 1U;
  if (n > max_octets || v.size() < 1U + n) return false;
  std::uint64_t x = 0;
  for (unsigned i = 1; i <= n; ++i)
    x = (x << 8) | v[i];
  out = x;
  return true;
}
}  // namespace

namespace {

std::expected<void, decode_error> read_ue_ids(const pdu& p, ue_ngap_ids& ids) noexcept {
  for (const protocol_ie& e : p.ies()) {
    switch (e.id) {  // a reader is made only where an id needs the general decoder
    case ie_id::amf_ue_ngap_id: {
      // AMF-UE-NGAP-ID ::= INTEGER (0..1099511627775): 3-bit count, up to 5 octets.
      std::uint64_t x = 0;
      if (small_int<3, 5>(e.value, x)) {
        ids.amf_ue_ngap_id = x;
        break;
      }
      reader r(e.value, e.value_offset);
      SEC5G_TRY(v, detail::read_amf_ue_ngap_id(r));
      ids.amf_ue_ngap_id = *v;
      break;
    }
    case ie_id::ran_ue_ngap_id: {
      // RAN-UE-NGAP-ID ::= INTEGER (0..4294967295): 2-bit count, up to 4 octets.
      std::uint64_t x = 0;
      if (small_int<2, 4>(e.value, x)) {
        ids.ran_ue_ngap_id = static_cast<std::uint32_t>(x);
        break;
      }
      reader r(e.value, e.value_offset);
      SEC5G_TRY(v, detail::read_ran_ue_ngap_id(r));
      ids.ran_ue_ngap_id = *v;
      break;
    }
    case ie_id::source_amf_ue_ngap_id: {
      reader r(e.value, e.value_offset);
      SEC5G_TRY(v, detail::read_amf_ue_ngap_id(r));
      if (!ids.amf_ue_ngap_id) ids.amf_ue_ngap_id = *v;
      break;
    }
    case ie_id::ue_ngap_ids: {
      // UE-NGAP-IDs ::= CHOICE { uE-NGAP-ID-pair, aMF-UE-NGAP-ID, choice-Extensions }
      reader r(e.value, e.value_offset);
      SEC5G_TRY(c, r.choice(3, false, "ngap.ue_ngap_ids"));
      if (*c == 0) {
        std::uint32_t opt = 0;
        SEC5G_TRY(ext, detail::read_preamble(r, 1, opt, "ngap.ue_ngap_id_pair"));
        SEC5G_TRY(amf, detail::read_amf_ue_ngap_id(r));
        SEC5G_TRY(ran, detail::read_ran_ue_ngap_id(r));
        ids.amf_ue_ngap_id = *amf;
        ids.ran_ue_ngap_id = *ran;
        (void)ext;
      } else if (*c == 1) {
        SEC5G_TRY(amf, detail::read_amf_ue_ngap_id(r));
        ids.amf_ue_ngap_id = *amf;
      }
      break;
    }
    default: break;
    }
  }
  return {};
}

} // namespace

std::expected<ue_ngap_ids, decode_error> ue_ids(const pdu& p) noexcept {
  // Read into the result in place (every return returns `out`, so it is the caller's object):
  // ids built aside and copied out were read back before their narrow stores had left the
  // store buffer, a stall of about half this function's time.
  std::expected<ue_ngap_ids, decode_error> out(std::in_place);
  if (auto r = read_ue_ids(p, *out); !r) out = std::unexpected(r.error());
  return out;
}

std::expected<byte_buffer, decode_error> encode_pdu(pdu_type type, std::uint8_t procedure_code,
                                                    criticality crit,
                                                    std::span<const protocol_ie> ies) {
  if (ies.size() > 65535)
    return std::unexpected(decode_error{decode_errc::bad_value, 0, "ngap.ies"});
  byte_buffer value;
  {
    writer w(value);
    w.bit(false);
    w.constrained(ies.size(), 0, 65535);
    for (const protocol_ie& e : ies) {
      if (e.value.size() >= 16384) {
        return std::unexpected(decode_error{decode_errc::bad_value, 0, "ngap.ie.value"});
      }
      w.constrained(e.id, 0, 65535);
      w.bits(static_cast<std::uint64_t>(e.crit), 2);
      w.octet_string(e.value);
    }
  }
  if (value.size() >= 16384) {
    return std::unexpected(decode_error{decode_errc::bad_value, 0, "ngap.value"});
  }
  byte_buffer out;
  out.reserve(value.size() + 4);
  writer w(out);
  w.bit(false);
  w.bits(static_cast<std::uint64_t>(type), 2);
  w.constrained(procedure_code, 0, 255);
  w.bits(static_cast<std::uint64_t>(crit), 2);
  w.octet_string(value);
  return out;
}

} // namespace sec5g::ngap
