// Fuzz target of the auditor's NAS readers: the security header (parse_outer), the 5GMM field
// extractor (parse_mm) and the EAP-AKA' reader (parse_eap_aka) must never crash, hang or
// over-read; every view they return lies inside the input. The NAS message container of a
// Registration/Service Request/SM Complete is parsed as a 5GMM message too (as the tracker does).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "sec5g/analysis/eap_aka.hpp"
#include "sec5g/analysis/nas_info.hpp"

namespace {

void check_inside(sec5g::bytes_view v, sec5g::bytes_view in) {
  if (v.empty()) return;
  if (v.data() < in.data() || v.data() + v.size() > in.data() + in.size()) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sec5g::analysis;
  const sec5g::bytes_view in(data, size);
  if (auto o = parse_outer(in); o && o->protection) {
    if (o->protection->inner_offset > size) std::abort();
    (void)parse_mm(in.subspan(o->protection->inner_offset));
  }
  if (auto m = parse_mm(in)) {
    check_inside(m->abba, in);
    check_inside(m->eap, in);
    if (m->identity) check_inside(m->identity->value, in);
    if (m->iei_count > m->ieis.size()) std::abort();
    if (!m->eap.empty()) (void)parse_eap_aka(m->eap);
    // The NAS message container (IEI 0x71) as the tracker reads a plain one: parsed as the
    // complete 5GMM message it carries.
    check_inside(m->nas_container, in);
    if (m->has_nas_container) {
      if (auto c = parse_mm(m->nas_container)) {
        check_inside(c->abba, m->nas_container);
        check_inside(c->eap, m->nas_container);
        check_inside(c->nas_container, m->nas_container);
        if (c->identity) check_inside(c->identity->value, m->nas_container);
      }
    }
  }
  if (auto p = parse_eap_aka(in)) {
    check_inside(p->res, in);
    if (!p->network_name.empty()) {
      const auto* b = reinterpret_cast<const std::uint8_t*>(p->network_name.data());
      check_inside(sec5g::bytes_view(b, p->network_name.size()), in);
    }
    if (p->mac_offset && *p->mac_offset + 16 > size) std::abort();
    if (p->res.size() != (p->res_bits + 7u) / 8u) std::abort();
  }
  return 0;
}
