// Vector runner for the authentication families (milenage.json, tuak.json, kdf.json,
// eap_aka_prime.json) and the dispatcher over every family.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <cctype>
#include <set>
#include <string>

#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/eap_aka_prime.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/keccak.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/crypto/tuak.hpp"
#include "sec5g/crypto/vectors.hpp"

#if __has_include("sec5g/crypto/cipher_vectors.hpp")
#include "sec5g/crypto/cipher_vectors.hpp"
#define SEC5G_HAVE_CIPHER_VECTORS 1
#endif

namespace sec5g::crypto {

namespace {

using json = nlohmann::json;

// Fields every family may carry that describe provenance, not values.
constexpr const char* provenance_fields[] = {
    "id", "algorithm", "scheme", "derivation", "kind", "source", "spec_clause",
    "read_from", "verified", "verified_by", "official", "notes",
};

// Reads fields of one vector object, remembering which were used; the first problem wins.
class reader {
 public:
  explicit reader(const json& j) : j_(j) {
    for (const char* f : provenance_fields) used_.insert(f);
  }

  [[nodiscard]] bool ok() const { return error_.empty(); }
  [[nodiscard]] const std::string& error() const { return error_; }
  void fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }

  // A hex field of any length (or exactly `len` octets when len != 0).
  byte_buffer hex(const char* name, std::size_t len = 0) {
    used_.insert(name);
    if (!ok()) return {};
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_string()) {
      fail(std::string("missing or non-string field '") + name + "'");
      return {};
    }
    auto v = from_hex(it->get_ref<const std::string&>());
    if (!v) {
      fail(std::string("field '") + name + "': " + describe(v.error()));
      return {};
    }
    if (len != 0 && v->size() != len) {
      fail(std::string("field '") + name + "': expected " + std::to_string(len) + " octets, got " +
           std::to_string(v->size()));
      return {};
    }
    return std::move(*v);
  }

  template <std::size_t N>
  std::array<std::uint8_t, N> fixed(const char* name) {
    std::array<std::uint8_t, N> a{};
    auto v = hex(name, N);
    if (ok()) std::copy(v.begin(), v.end(), a.begin());
    return a;
  }

  std::string text(const char* name) {
    used_.insert(name);
    if (!ok()) return {};
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_string()) {
      fail(std::string("missing or non-string field '") + name + "'");
      return {};
    }
    return it->get<std::string>();
  }

  std::uint64_t integer(const char* name) {
    used_.insert(name);
    if (!ok()) return 0;
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_number_unsigned()) {
      fail(std::string("missing or non-integer field '") + name + "'");
      return 0;
    }
    return it->get<std::uint64_t>();
  }

  const json* array(const char* name) {
    used_.insert(name);
    if (!ok()) return nullptr;
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_array()) {
      fail(std::string("missing or non-array field '") + name + "'");
      return nullptr;
    }
    return &*it;
  }

  // A field that is informational for this family (read, not checked against a computation).
  void known(const char* name) { used_.insert(name); }

  // Fails on the first field the runner does not know.
  void no_unknown_fields() {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (!used_.contains(it.key())) {
        fail("unknown field '" + it.key() + "'");
        return;
      }
    }
  }

  void expect_eq(const char* what, bytes_view got, bytes_view want) {
    if (!ok()) return;
    if (got.size() != want.size() || !std::equal(got.begin(), got.end(), want.begin()))
      fail(std::string(what) + " mismatch: got " + to_hex(got) + ", want " + to_hex(want));
  }
  void expect_ne(const char* what, bytes_view got, bytes_view want) {
    if (!ok()) return;
    if (got.size() == want.size() && std::equal(got.begin(), got.end(), want.begin()))
      fail(std::string("negative twin: ") + what + " unchanged after a flipped input bit");
  }
  template <class E>
  bool check(const E& e, const char* what) {
    if (!ok()) return false;
    if (!e) {
      fail(std::string(what) + " failed: " + to_string(e.error().code));
      return false;
    }
    return true;
  }

 private:
  const json& j_;
  std::set<std::string> used_;
  std::string error_;
};

vector_result finish(reader& r) {
  r.no_unknown_fields();
  if (r.ok()) return {vector_status::pass, {}};
  return {vector_status::fail, r.error()};
}

template <std::size_t N>
std::array<std::uint8_t, N> flipped(const std::array<std::uint8_t, N>& a) {
  auto b = a;
  b[0] ^= 0x01;
  return b;
}

vector_result run_milenage(const json& j) {
  reader r(j);
  const auto k = r.fixed<16>("k");
  const auto rand = r.fixed<16>("rand");
  const auto sqn = r.fixed<6>("sqn");
  const auto amf = r.fixed<2>("amf");
  const auto op = r.fixed<16>("op");
  const auto opc = r.fixed<16>("opc");
  const auto f1 = r.fixed<8>("f1");
  const auto f1s = r.fixed<8>("f1star");
  const auto f2 = r.fixed<8>("f2");
  const auto f3 = r.fixed<16>("f3");
  const auto f4 = r.fixed<16>("f4");
  const auto f5 = r.fixed<6>("f5");
  const auto f5s = r.fixed<6>("f5star");
  if (!r.ok()) return finish(r);

  auto got_opc = milenage_opc(k, op);
  if (r.check(got_opc, "OPc")) r.expect_eq("OPc", got_opc->view(), opc);
  // Variant 1: compute() from OPc.
  auto m = milenage::create(k, opc);
  if (!r.check(m, "create")) return finish(r);
  auto all = m->compute(rand, sqn, amf);
  if (r.check(all, "compute")) {
    r.expect_eq("f1", all->mac_a, f1);
    r.expect_eq("f1*", all->mac_s, f1s);
    r.expect_eq("f2", all->res.view(), f2);
    r.expect_eq("f3", all->ck.view(), f3);
    r.expect_eq("f4", all->ik.view(), f4);
    r.expect_eq("f5", all->ak.view(), f5);
    r.expect_eq("f5*", all->ak_star.view(), f5s);
  }
  // Variant 2: the single functions, on an instance created from OP.
  auto m2 = milenage::create_from_op(k, op);
  if (!r.check(m2, "create_from_op")) return finish(r);
  auto a1 = m2->f1(rand, sqn, amf);
  if (r.check(a1, "f1")) r.expect_eq("f1 (single)", *a1, f1);
  auto a1s = m2->f1star(rand, sqn, amf);
  if (r.check(a1s, "f1*")) r.expect_eq("f1* (single)", *a1s, f1s);
  auto a25 = m2->f2345(rand);
  if (r.check(a25, "f2345")) {
    r.expect_eq("f2 (single)", a25->res.view(), f2);
    r.expect_eq("f3 (single)", a25->ck.view(), f3);
    r.expect_eq("f4 (single)", a25->ik.view(), f4);
    r.expect_eq("f5 (single)", a25->ak.view(), f5);
  }
  auto a5 = m2->f5(rand);
  if (r.check(a5, "f5")) r.expect_eq("f5 (alone)", a5->view(), f5);
  auto a5s = m2->f5star(rand);
  if (r.check(a5s, "f5*")) r.expect_eq("f5* (single)", a5s->view(), f5s);
  // Variant 3: the AUTN check an auditor runs, on the AUTN these outputs make.
  const auto autn = assemble_autn(sqn, f5, amf, f1);
  auto c = check_autn(*m, rand, autn);
  if (r.check(c, "check_autn")) {
    if (!c->mac_ok) r.fail("check_autn rejected the vector's AUTN");
    r.expect_eq("SQN from AUTN", c->sqn, sqn);
  }
  // Negative twins: a flipped RAND bit changes every output; a flipped MAC bit fails the AUTN.
  auto neg = m->compute(flipped(rand), sqn, amf);
  if (r.check(neg, "compute (negative)")) {
    r.expect_ne("f1", neg->mac_a, f1);
    r.expect_ne("f1*", neg->mac_s, f1s);
    r.expect_ne("f2", neg->res.view(), f2);
    r.expect_ne("f3", neg->ck.view(), f3);
    r.expect_ne("f4", neg->ik.view(), f4);
    r.expect_ne("f5", neg->ak.view(), f5);
    r.expect_ne("f5*", neg->ak_star.view(), f5s);
  }
  auto bad_autn = autn;
  bad_autn[15] ^= 0x80;
  auto cn = check_autn(*m, rand, bad_autn);
  if (r.check(cn, "check_autn (negative)") && cn->mac_ok)
    r.fail("negative twin: check_autn accepted a flipped MAC bit");
  return finish(r);
}

vector_result run_gsm_milenage(const json& j) {
  reader r(j);
  const auto k = r.fixed<16>("k");
  const auto rand = r.fixed<16>("rand");
  const auto opc = r.fixed<16>("opc");
  const auto sres1 = r.fixed<4>("sres1");
  const auto sres2 = r.fixed<4>("sres2");
  const auto kc = r.fixed<8>("kc");
  if (!r.ok()) return finish(r);
  auto m = milenage::create(k, opc);
  if (!r.check(m, "create")) return finish(r);
  auto o = m->f2345(rand);
  if (r.check(o, "f2345")) {
    r.expect_eq("SRES (c2)", gsm_sres_c2(o->res.view()), sres1);
    r.expect_eq("SRES2", gsm_sres2(o->res.view()), sres2);
    r.expect_eq("Kc (c3)", gsm_kc_c3(o->ck.view(), o->ik.view()).view(), kc);
  }
  auto n = m->f2345(flipped(rand));
  if (r.check(n, "f2345 (negative)")) {
    r.expect_ne("SRES (c2)", gsm_sres_c2(n->res.view()), sres1);
    r.expect_ne("Kc (c3)", gsm_kc_c3(n->ck.view(), n->ik.view()).view(), kc);
  }
  return finish(r);
}

vector_result run_tuak(const json& j) {
  reader r(j);
  const auto k = r.hex("k");
  const auto rand = r.fixed<16>("rand");
  const auto sqn = r.fixed<6>("sqn");
  const auto amf = r.fixed<2>("amf");
  const auto top = r.fixed<32>("top");
  const auto topc = r.fixed<32>("topc");
  tuak_config cfg;
  cfg.keccak_iterations = static_cast<unsigned>(r.integer("keccak_iterations"));
  const auto k_bits = r.integer("k_length_bits");
  cfg.mac_bits = static_cast<unsigned>(r.integer("mac_length_bits"));
  cfg.res_bits = static_cast<unsigned>(r.integer("res_length_bits"));
  cfg.ck_bits = static_cast<unsigned>(r.integer("ck_length_bits"));
  cfg.ik_bits = static_cast<unsigned>(r.integer("ik_length_bits"));
  const auto f1 = r.hex("f1", cfg.mac_bits / 8);
  const auto f1s = r.hex("f1star", cfg.mac_bits / 8);
  const auto f2 = r.hex("f2", cfg.res_bits / 8);
  const auto f3 = r.hex("f3", cfg.ck_bits / 8);
  const auto f4 = r.hex("f4", cfg.ik_bits / 8);
  const auto f5 = r.fixed<6>("f5");
  const auto f5s = r.fixed<6>("f5star");
  if (r.ok() && k.size() * 8 != k_bits) r.fail("k_length_bits does not match the size of k");
  if (!r.ok()) return finish(r);

  auto t1 = tuak::create_from_top(k, top, cfg);
  if (r.check(t1, "create_from_top")) r.expect_eq("TOPc", t1->topc(), topc);
  auto t = tuak::create(k, topc, cfg);
  if (!r.check(t, "create")) return finish(r);
  auto m1 = t->f1(rand, sqn, amf);
  if (r.check(m1, "f1")) r.expect_eq("f1", *m1, f1);
  auto m1s = t->f1star(rand, sqn, amf);
  if (r.check(m1s, "f1*")) r.expect_eq("f1*", *m1s, f1s);
  auto o = t->f2345(rand);
  if (r.check(o, "f2345")) {
    r.expect_eq("f2", o->res.view(), f2);
    r.expect_eq("f3", o->ck.view(), f3);
    r.expect_eq("f4", o->ik.view(), f4);
    r.expect_eq("f5", o->ak.view(), f5);
  }
  auto a5s = t->f5star(rand);
  if (r.check(a5s, "f5*")) r.expect_eq("f5*", a5s->view(), f5s);
  // Negative twin: a flipped RAND bit.
  const auto nrand = flipped(rand);
  auto n1 = t->f1(nrand, sqn, amf);
  if (r.check(n1, "f1 (negative)")) r.expect_ne("f1", *n1, f1);
  auto n2 = t->f2345(nrand);
  if (r.check(n2, "f2345 (negative)")) {
    r.expect_ne("f2", n2->res.view(), f2);
    r.expect_ne("f3", n2->ck.view(), f3);
    r.expect_ne("f5", n2->ak.view(), f5);
  }
  auto n5 = t->f5star(nrand);
  if (r.check(n5, "f5* (negative)")) r.expect_ne("f5*", n5->view(), f5s);
  return finish(r);
}

vector_result run_keccak(const json& j) {
  reader r(j);
  auto in = r.fixed<200>("input");
  const auto out = r.fixed<200>("output");
  if (!r.ok()) return finish(r);
  auto state = in;
  keccak_f1600(std::span<std::uint8_t, 200>(state));
  r.expect_eq("Keccak-f[1600] (octets)", state, out);
  std::array<std::uint64_t, 25> lanes{};
  for (std::size_t i = 0; i < 25; ++i)
    for (std::size_t b = 0; b < 8; ++b) lanes[i] |= std::uint64_t{in[8 * i + b]} << (8 * b);
  keccak_f1600(lanes);
  std::array<std::uint8_t, 200> from_lanes{};
  for (std::size_t i = 0; i < 25; ++i)
    for (std::size_t b = 0; b < 8; ++b) from_lanes[8 * i + b] = static_cast<std::uint8_t>(lanes[i] >> (8 * b));
  r.expect_eq("Keccak-f[1600] (lanes)", from_lanes, out);
  in[199] ^= 0x80;
  keccak_f1600(std::span<std::uint8_t, 200>(in));
  r.expect_ne("Keccak-f[1600]", in, out);
  return finish(r);
}

vector_result run_hmac(const json& j) {
  reader r(j);
  auto key = r.hex("key");
  auto msg = r.hex("message");
  const auto out = r.hex("output", 32);
  if (!r.ok()) return finish(r);
  auto h = hmac_sha256(key, msg);
  if (r.check(h, "HMAC-SHA-256")) r.expect_eq("HMAC-SHA-256", *h, out);
  if (!msg.empty()) {
    msg[0] ^= 0x01;
    auto n = hmac_sha256(key, msg);
    if (r.check(n, "HMAC-SHA-256 (negative)")) r.expect_ne("HMAC-SHA-256", *n, out);
  }
  return finish(r);
}

std::string_view as_text(bytes_view b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// The typed Annex A function for a kdf.json entry, where the spec clause names one.
void run_typed_kdf(reader& r, const std::string& clause, bytes_view key,
                   const std::vector<byte_buffer>& p, bytes_view output, bytes_view used) {
  auto key256_of = [&](bytes_view k) -> std::optional<key256_view> {
    if (k.size() != 32) return std::nullopt;
    return key256_view(k.first<32>());
  };
  const auto k = key256_of(key);
  if (!k) return;
  const key128_view ck(key.first<16>());
  const key128_view ik(key.subspan(16).first<16>());
  if (clause == "TS 33.501 A.2" && p.size() == 2 && p[1].size() == 6) {
    auto v = derive_k_ausf(ck, ik, as_text(p[0]), sqn_view(bytes_view(p[1]).first<6>()));
    if (r.check(v, "derive_k_ausf")) r.expect_eq("derive_k_ausf", v->view(), output);
  } else if (clause == "TS 33.501 A.4" && p.size() == 3 && p[1].size() == 16) {
    auto v = derive_res_star(ck, ik, as_text(p[0]), rand_view(bytes_view(p[1]).first<16>()), p[2]);
    if (r.check(v, "derive_res_star")) r.expect_eq("derive_res_star", v->view(), used);
  } else if (clause == "TS 33.501 A.6" && p.size() == 1) {
    auto v = derive_k_seaf(*k, as_text(p[0]));
    if (r.check(v, "derive_k_seaf")) r.expect_eq("derive_k_seaf", v->view(), output);
  } else if (clause == "TS 33.501 A.7" && p.size() == 2) {
    auto v = derive_k_amf(*k, as_text(p[0]), p[1]);
    if (r.check(v, "derive_k_amf")) r.expect_eq("derive_k_amf", v->view(), output);
  } else if (clause == "TS 33.501 A.8" && p.size() == 2 && p[0].size() == 1 && p[1].size() == 1) {
    auto v = derive_algorithm_key(*k, static_cast<algorithm_type>(p[0][0]), p[1][0]);
    if (r.check(v, "derive_algorithm_key")) r.expect_eq("derive_algorithm_key", v->view(), used);
  } else if (clause == "TS 33.501 A.9" && p.size() == 2 && p[0].size() == 4 && p[1].size() == 1) {
    auto v = derive_k_gnb(*k, load_be32(p[0].data()), static_cast<access_type>(p[1][0]));
    if (r.check(v, "derive_k_gnb")) r.expect_eq("derive_k_gnb", v->view(), output);
  } else if (clause == "TS 33.501 A.11" && p.size() == 2 && p[0].size() == 2 && p[1].size() == 3) {
    // Only a 3-octet ARFCN-DL is the clause's encoding (see derive_k_ng_ran_star).
    const std::uint32_t arfcn = (std::uint32_t{p[1][0]} << 16) | (std::uint32_t{p[1][1]} << 8) | p[1][2];
    auto v = derive_k_ng_ran_star(*k, load_be16(p[0].data()), arfcn);
    if (r.check(v, "derive_k_ng_ran_star")) r.expect_eq("derive_k_ng_ran_star", v->view(), output);
  }
}

vector_result run_kdf(const json& j) {
  reader r(j);
  const auto key = r.hex("key");
  const auto fc = r.hex("fc", 1);
  const auto s = r.hex("s");
  const auto output = r.hex("output", 32);
  const auto used = r.hex("output_used");
  r.known("key_description");
  r.known("output_used_description");
  r.known("inputs");  // raw values before combination: documentation of the parameters
  const json* params = r.array("params");
  std::vector<byte_buffer> p;
  if (r.ok() && params != nullptr) {
    if (params->size() > kdf_max_params) r.fail("too many params");
    for (const auto& e : *params) {
      if (!r.ok()) break;
      if (!e.is_object()) {
        r.fail("params: entry is not an object");
        break;
      }
      reader pr(e);
      pr.known("name");
      auto v = pr.hex("value");
      const auto len = pr.integer("length");
      if (pr.ok() && v.size() != len) pr.fail("params: length differs from the value's size");
      if (pr.ok() && e.contains("ascii")) {
        const auto a = pr.text("ascii");
        if (pr.ok() && as_text(v) != a) pr.fail("params: ascii differs from the value");
      }
      pr.no_unknown_fields();
      if (!pr.ok()) r.fail("params: " + pr.error());
      p.push_back(std::move(v));
    }
  }
  if (!r.ok()) return finish(r);
  std::vector<bytes_view> views(p.begin(), p.end());
  auto got_s = kdf_input_string(fc[0], views);
  if (r.check(got_s, "kdf_input_string")) r.expect_eq("S", *got_s, s);
  auto out = kdf(key, fc[0], views);
  if (r.check(out, "kdf")) r.expect_eq("KDF output", out->view(), output);
  // output_used is the full output or its least significant octets.
  if (r.ok() && (used.empty() || used.size() > 32 ||
                 !std::equal(used.begin(), used.end(), output.end() - static_cast<std::ptrdiff_t>(used.size()))))
    r.fail("output_used is not the least significant part of output");
  // The same through the plain HMAC over S.
  auto h = hmac_sha256(key, s);
  if (r.check(h, "HMAC over S")) r.expect_eq("HMAC(key, S)", *h, output);
  if (j.contains("spec_clause") && j["spec_clause"].is_string())
    run_typed_kdf(r, j["spec_clause"].get<std::string>(), key, p, output, used);
  // Negative twin: a flipped key bit.
  if (r.ok()) {
    byte_buffer k2(std::max<std::size_t>(key.size(), 1), 0);
    std::copy(key.begin(), key.end(), k2.begin());
    k2[0] ^= 0x01;
    auto n = kdf(k2, fc[0], views);
    if (r.check(n, "kdf (negative)")) r.expect_ne("KDF output", n->view(), output);
  }
  return finish(r);
}

// The first "<label><2N hex digits>" in `text` not followed by another hex digit, into `out`.
// (Hand-written: std::regex trips g++ 12 -Wmaybe-uninitialized in the sanitizer build.)
template <std::size_t N>
bool hex_after(const std::string& text, std::string_view label, byte_array<N>& out) {
  const auto is_hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (std::size_t at = text.find(label); at != std::string::npos; at = text.find(label, at + 1)) {
    const std::size_t begin = at + label.size();
    if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1])) != 0) continue;
    if (begin + 2 * N > text.size()) break;
    const std::string_view digits(text.data() + begin, 2 * N);
    if (!std::all_of(digits.begin(), digits.end(), is_hex)) continue;
    if (begin + 2 * N < text.size() && is_hex(text[begin + 2 * N])) continue;
    return from_hex_into(digits, out).has_value();
  }
  return false;
}

// "K <32 hex>, OP <32 hex>, SQN <12 hex>, AMF <4 hex>" in the free-text milenage_origin of
// eap_aka_prime.json: when present, RAND/RES/CK/IK/AUTN of the vector must be that MILENAGE run.
void check_milenage_origin(reader& r, const std::string& origin, const rand128& rand,
                           const byte_buffer& res, const byte_array<16>& ck,
                           const byte_array<16>& ik, const autn128& autn) {
  if (!r.ok() || origin.empty()) return;
  byte_array<16> k{}, op{};
  sqn48 sqn{};
  amf16 amf{};
  if (!hex_after(origin, "K ", k) || !hex_after(origin, "OP ", op) ||
      !hex_after(origin, "SQN ", sqn) || !hex_after(origin, "AMF ", amf))
    return;  // text only: nothing to recompute
  auto mil = milenage::create_from_op(k, op);
  if (!r.check(mil, "milenage (origin)")) return;
  auto o = mil->compute(rand, sqn, amf);
  if (!r.check(o, "milenage (origin)")) return;
  r.expect_eq("RES (origin)", o->res.view(), res);
  r.expect_eq("CK (origin)", o->ck.view(), ck);
  r.expect_eq("IK (origin)", o->ik.view(), ik);
  r.expect_eq("AUTN (origin)", assemble_autn(sqn, o->ak.view(), amf, o->mac_a), autn);
}

vector_result run_eap_aka_prime(const json& j) {
  reader r(j);
  const auto identity = r.text("identity");
  const auto identity_hex = r.hex("identity_hex");
  const auto network_name = r.text("network_name");
  const auto network_name_hex = r.hex("network_name_hex");
  // RAND, RES and AUTN are not inputs of the derivation: they are checked below against the
  // MILENAGE test set that milenage_origin names, when it names one.
  const auto rand = r.fixed<16>("rand");
  const auto res = r.hex("res");
  const std::string origin =
      j.contains("milenage_origin") ? r.text("milenage_origin") : std::string();
  const auto autn = r.fixed<16>("autn");
  const auto sqn_xor_ak = r.fixed<6>("sqn_xor_ak");
  const auto ck = r.fixed<16>("ck");
  const auto ik = r.fixed<16>("ik");
  const auto ck_p = r.fixed<16>("ck_prime");
  const auto ik_p = r.fixed<16>("ik_prime");
  const auto k_encr = r.fixed<16>("k_encr");
  const auto k_aut = r.fixed<32>("k_aut");
  const auto k_re = r.fixed<32>("k_re");
  const auto msk = r.fixed<64>("msk");
  const auto emsk = r.fixed<64>("emsk");
  if (!r.ok()) return finish(r);
  if (as_text(identity_hex) != identity) r.fail("identity_hex differs from identity");
  if (as_text(network_name_hex) != network_name) r.fail("network_name_hex differs from network_name");
  r.expect_eq("SQN xor AK vs AUTN[0..5]", std::span<const std::uint8_t>(autn).first(6), sqn_xor_ak);
  auto p = derive_ck_ik_prime(ck, ik, network_name, sqn_xor_ak);
  if (r.check(p, "derive_ck_ik_prime")) {
    r.expect_eq("CK'", p->ck_prime.view(), ck_p);
    r.expect_eq("IK'", p->ik_prime.view(), ik_p);
  }
  auto keys = derive_eap_aka_prime_keys(ck_p, ik_p, identity);
  if (r.check(keys, "derive_eap_aka_prime_keys")) {
    r.expect_eq("K_encr", keys->k_encr.view(), k_encr);
    r.expect_eq("K_aut", keys->k_aut.view(), k_aut);
    r.expect_eq("K_re", keys->k_re.view(), k_re);
    r.expect_eq("MSK", keys->msk.view(), msk);
    r.expect_eq("EMSK", keys->emsk.view(), emsk);
    r.expect_eq("K_AUSF from EMSK", k_ausf_from_emsk(keys->emsk.view()).view(),
                std::span<const std::uint8_t>(emsk).first(32));
  }
  check_milenage_origin(r, origin, rand, res, ck, ik, autn);
  // PRF' directly: MK = K_encr || K_aut || K_re || MSK || EMSK.
  std::array<std::uint8_t, 32> key{};
  std::copy(ik_p.begin(), ik_p.end(), key.begin());
  std::copy(ck_p.begin(), ck_p.end(), key.begin() + 16);
  byte_buffer s(8 + identity.size());
  std::memcpy(s.data(), "EAP-AKA'", 8);
  std::memcpy(s.data() + 8, identity.data(), identity.size());
  std::array<std::uint8_t, 208> mk{};
  auto pr = prf_prime(key, s, mk);
  if (r.check(pr, "prf_prime")) {
    byte_buffer want;
    for (bytes_view part : {bytes_view(k_encr), bytes_view(k_aut), bytes_view(k_re),
                            bytes_view(msk), bytes_view(emsk)})
      want.insert(want.end(), part.begin(), part.end());
    r.expect_eq("PRF' MK", mk, want);
  }
  // Negative twins: a flipped SQN xor AK bit, a changed identity.
  auto np = derive_ck_ik_prime(ck, ik, network_name, flipped(sqn_xor_ak));
  if (r.check(np, "derive_ck_ik_prime (negative)")) r.expect_ne("CK'", np->ck_prime.view(), ck_p);
  std::string other = identity;
  if (other.empty()) other.push_back('x');
  other[0] = static_cast<char>(other[0] ^ 0x01);
  auto nk = derive_eap_aka_prime_keys(ck_p, ik_p, other);
  if (r.check(nk, "derive_eap_aka_prime_keys (negative)")) r.expect_ne("EMSK", nk->emsk.view(), emsk);
  return finish(r);
}

std::string family_of(const json& j) {
  for (const char* f : {"algorithm", "derivation", "scheme", "kind"}) {
    auto it = j.find(f);
    if (it != j.end() && it->is_string()) return std::string(f) + " '" + it->get<std::string>() + "'";
    if (it != j.end() && it->is_number()) return std::string(f) + " " + it->dump();
  }
  return "no algorithm/derivation/scheme/kind field";
}

}  // namespace

std::optional<vector_result> run_auth_vector(const nlohmann::json& j) noexcept {
  try {
    if (!j.is_object()) return std::nullopt;
    if (auto it = j.find("algorithm"); it != j.end() && it->is_string()) {
      const auto& a = it->get_ref<const std::string&>();
      if (a == "MILENAGE") return run_milenage(j);
      if (a == "GSM-MILENAGE") return run_gsm_milenage(j);
      if (a == "TUAK") return run_tuak(j);
      if (a.starts_with("Keccak-f[1600]")) return run_keccak(j);
      if (a == "EAP-AKA' key derivation") return run_eap_aka_prime(j);
      return std::nullopt;
    }
    if (auto it = j.find("derivation"); it != j.end() && it->is_string()) {
      if (it->get_ref<const std::string&>() == "HMAC-SHA-256 primitive") return run_hmac(j);
      if (j.contains("fc")) return run_kdf(j);
      return std::nullopt;
    }
    return std::nullopt;
  } catch (const std::exception& e) {
    return vector_result{vector_status::fail, std::string("runner error: ") + e.what()};
  }
}

vector_result run_vector(const nlohmann::json& j) noexcept {
  try {
    if (!j.is_object()) return {vector_status::fail, "vector is not a JSON object"};
    if (auto r = run_auth_vector(j)) return std::move(*r);
#ifdef SEC5G_HAVE_CIPHER_VECTORS
    if (auto c = run_cipher_vector(j)) {
      switch (c->status) {
        case cipher_vector_status::pass: return {vector_status::pass, {}};
        case cipher_vector_status::fail: return {vector_status::fail, std::move(c->reason)};
        case cipher_vector_status::skipped: return {vector_status::skipped, std::move(c->reason)};
      }
    }
#endif
    return {vector_status::skipped, "no runner for " + family_of(j)};
  } catch (const std::exception& e) {
    return {vector_status::fail, std::string("runner error: ") + e.what()};
  }
}

}  // namespace sec5g::crypto
