// Fuzz target of the NAS-5GS codec: decode (with and without null deciphering), render to
// JSON, re-encode and compare with the input; when a message decodes without anomalies, the
// table-driven encoder must rebuild it byte for byte from its IE values.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <nlohmann/json.hpp>

#include "sec5g/nas/ies.hpp"
#include "sec5g/nas/nas.hpp"
#include "sec5g/nas/nas_json.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void rebuild_from_table(const sec5g::nas::plain_message& m) {
  using namespace sec5g::nas;
  if (m.spec == nullptr || m.anomalies.count != 0 || m.header_nibble != 0 || m.spare_half != 0) {
    return;
  }
  std::vector<ie_value> values;
  for (const ie& e : m.ies()) values.push_back({e.spec->name, e.value, e.half});
  sec5g::byte_buffer out;
  auto r = encode_message({m.epd, m.message_type, m.pdu_session_id, m.pti}, values, out);
  check(r.has_value());
  check(out.size() == m.raw.size() && std::memcmp(out.data(), m.raw.data(), out.size()) == 0);
}

void typed_codecs(const sec5g::nas::plain_message& m) {
  using namespace sec5g::nas;
  for (const ie& e : m.ies()) {
    (void)decode_ue_security_capability(e.value);
    (void)decode_nssai(e.value);
    (void)decode_s_nssai(e.value);
    (void)decode_registration_result(e.value);
    std::array<char, 128> buf{};
    (void)decode_dnn(e.value, buf);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sec5g::nas;
  const sec5g::bytes_view in(data, size);
  for (bool null_decipher : {false, true}) {
    nas_message m;
    if (!decode_into(in, m, decode_options{.null_decipher = null_decipher})) continue;
    sec5g::byte_buffer out;
    encode(m, out);
    check(out.size() == size && (size == 0 || std::memcmp(out.data(), data, size) == 0));
    if (m.has_message) {
      rebuild_from_table(m.message);
      typed_codecs(m.message);
    }
    const auto j = to_json(m, json_options{.null_decipher = null_decipher});
    (void)j.dump();
  }
  plain_message p;
  if (decode_plain_into(in, p)) {
    sec5g::byte_buffer out;
    encode(p, out);
    check(out.size() == size && std::memcmp(out.data(), data, size) == 0);
  }
  return 0;
}
