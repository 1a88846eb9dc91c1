#pragma once
/// Rendering of decoded NAS-5GS messages to JSON for `sec5g decode --json` (library
/// sec5g::nas_json, which links nlohmann-json; the core decoder sec5g::nas does not).
/// Every key is documented in docs/formats/nas.md.

#include <nlohmann/json_fwd.hpp>

#include "sec5g/nas/nas.hpp"

namespace sec5g::nas {

/// Options of the renderer.
struct json_options {
  /// Decode ciphered payloads (header types 2 and 4), also inside containers, as plain.
  bool null_decipher = false;
  /// Deepest container nesting rendered as a NAS object (deeper ones are rendered as hex).
  unsigned max_depth = 4;
};

/// Renders a decoded NAS PDU as one object of the CLI "nas" array:
/// {"epd":126,"security_header":N,["mac":"hex","sqn":N,]"message_type":N|null,
///  "message":"Name"|null, <IE name>: <decoded value>..., ["anomalies":[...]]}
/// A NAS message container or an N1 SM payload container is rendered as a nested object of
/// the same shape under the container's IE name. Never throws for any decoded message.
nlohmann::json to_json(const nas_message& m, const json_options& opt = {});

/// Renders a plain message only (the "message_type", "message" and IE keys, plus "epd" and,
/// for 5GSM, "pdu_session_id" and "pti").
nlohmann::json to_json(const plain_message& m, const json_options& opt = {});

/// Decodes `pdu` and renders it; on a decode error returns
/// {"error":"truncated","offset":N,"field":"nas.ie.length"}.
nlohmann::json decode_to_json(bytes_view pdu, const json_options& opt = {});

}  // namespace sec5g::nas
