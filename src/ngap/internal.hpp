#pragma once
// Shared pieces of the ngap implementation (private).

#include <cstdint>
#include <expected>

#include "ngap/aper.hpp"
#include "sec5g/ngap/ies.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::ngap::detail {

#define SEC5G_TRY(var, expr)                                                                       \
  auto var = (expr);                                                                               \
  if (!var) return std::unexpected(var.error())

#define SEC5G_TRY_VOID(expr)                                                                       \
  do {                                                                                             \
    auto sec5g_try_r_ = (expr);                                                                    \
    if (!sec5g_try_r_) return std::unexpected(sec5g_try_r_.error());                               \
  } while (0)

/// Item layout of a PDU session resource list, by list IE id.
enum class list_layout : std::uint8_t {
  id_nas_snssai_transfer, // SUReq, CxtReq
  id_nas_transfer,        // ModReq
  id_snssai_transfer,     // HOReq
  id_transfer,            // most lists
  id_only,                // CxtRelCpl, CxtRelReq
  unknown,
};
list_layout layout_of(std::uint16_t list_ie_id) noexcept;

/// Reads one list item at the reader's position (offsets relative to the reader's base).
std::expected<void, decode_error> read_pdu_session_item(aper::reader& r, list_layout layout,
                                                        pdu_session_item& out) noexcept;

/// decode_user_location_information without its fast path for the usual NR form (every
/// choice and option; the reference the fast path is tested against).
std::expected<user_location_information, decode_error>
decode_user_location_information_general(bytes_view v) noexcept;

/// Number of items of a list (SIZE(1..256)).
std::expected<std::uint32_t, decode_error> read_list_count(aper::reader& r) noexcept;

/// Reads the sequence preamble: the extension bit (if extensible) and `n_opt` optional bits
/// into `opt` (first optional in bit n_opt-1).
std::expected<bool, decode_error> read_preamble(aper::reader& r, unsigned n_opt, std::uint32_t& opt,
                                                const char* field) noexcept;

/// Skips the iE-Extensions (when present) and extension additions (when ext) of a SEQUENCE.
std::expected<void, decode_error> finish_sequence(aper::reader& r, bool has_ie_ext, bool ext,
                                                  const char* field) noexcept;

std::expected<std::uint64_t, decode_error> read_amf_ue_ngap_id(aper::reader& r) noexcept;
std::expected<std::uint32_t, decode_error> read_ran_ue_ngap_id(aper::reader& r) noexcept;

/// decode_pdu through the APER reader alone (decode_pdu reads the usual header in whole octets
/// and comes here for the rest): the same result, for the tests that compare the two.
std::expected<void, decode_error> decode_pdu_general(bytes_view bytes, pdu& out) noexcept;

} // namespace sec5g::ngap::detail
