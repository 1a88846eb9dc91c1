// The suci.json vector runner (known-answer tests, `sec5g selftest`).
#include "sec5g/identity/suci_vectors.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "sec5g/core/hex.hpp"
#include "sec5g/identity/sidf.hpp"

namespace sec5g::identity {
namespace {

using json = nlohmann::json;

// A failed check; the runner turns it into a `fail` result.
struct check_failed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads fields and remembers which were read, so that unknown fields can fail the vector.
class fields {
 public:
  explicit fields(const json& v) : v_(v) {}
  const json& at(const std::string& k) {
    used_.insert(k);
    if (!v_.contains(k)) throw check_failed("missing field " + k);
    return v_.at(k);
  }
  std::string str(const std::string& k) {
    const auto& j = at(k);
    if (!j.is_string()) throw check_failed("field " + k + " is not a string");
    return j.get<std::string>();
  }
  int num(const std::string& k) {
    const auto& j = at(k);
    if (!j.is_number_integer()) throw check_failed("field " + k + " is not an integer");
    return j.get<int>();
  }
  byte_buffer hex(const std::string& k) {
    auto b = from_hex(str(k));
    if (!b) throw check_failed("field " + k + " is not hex");
    return *b;
  }
  bool has(const std::string& k) const { return v_.contains(k); }
  void metadata() {
    for (const char* k : {"id", "source", "spec_clause", "read_from", "verified", "verified_by", "notes"})
      used_.insert(k);
    if (has("verified") && !v_.at("verified").is_boolean()) throw check_failed("verified is not a boolean");
  }
  void expect_all_used() const {
    for (auto it = v_.begin(); it != v_.end(); ++it)
      if (!used_.contains(it.key())) throw check_failed("unknown field " + it.key());
  }

 private:
  const json& v_;
  std::set<std::string> used_;
};

void expect(bool ok, const std::string& what) {
  if (!ok) throw check_failed(what);
}

void value_or_fail(std::expected<void, suci_error> r, const std::string& what) {
  if (!r) throw check_failed(what + ": " + describe(r.error()));
}

template <typename T>
T value_or_fail(std::expected<T, suci_error> r, const std::string& what) {
  if (!r) throw check_failed(what + ": " + describe(r.error()));
  return std::move(*r);
}

void expect_hex(bytes_view got, const byte_buffer& want, const std::string& name) {
  expect(std::equal(got.begin(), got.end(), want.begin(), want.end()),
         fmt::format("{} mismatch: got {}", name, to_hex(got)));
}

void run_scheme(fields& f) {
  const std::string scheme = f.str("scheme");
  const int scheme_id = f.num("protection_scheme_id");
  expect(f.str("supi_type") == "IMSI", "only IMSI scheme vectors are defined");
  const std::string mcc = f.str("mcc");
  const std::string mnc = f.str("mnc");
  const std::string msin = f.str("msin");
  supi in;
  in.type = supi_type::imsi;
  in.value = mcc + mnc + msin;
  in.mnc_digits = static_cast<std::uint8_t>(mnc.size());
  byte_buffer packed;
  expect(pack_bcd(msin, packed), "msin is not decimal");

  if (scheme == "null-scheme") {
    expect(scheme_id == 0, "null-scheme must have protection_scheme_id 0");
    expect_hex(packed, f.hex("scheme_input"), "scheme_input");
    conceal_options opt;
    auto s = value_or_fail(conceal(in, opt), "conceal");
    expect_hex(s.scheme_output, f.hex("scheme_output"), "scheme_output");
    hn_key_store keys;
    sidf engine(keys);
    auto back = value_or_fail(engine.deconceal(s), "deconceal");
    expect(back == in && back.mnc_digits == in.mnc_digits, "deconceal gave " + to_string(back));
    // Negative twin: a nibble above 9 in the MSIN must be refused.
    s.scheme_output[0] = static_cast<std::uint8_t>(s.scheme_output[0] | 0x0A);
    expect(!engine.deconceal(s).has_value(), "a non-BCD MSIN was accepted");
    return;
  }
  protection_scheme p;
  if (scheme == "ECIES Profile A") p = protection_scheme::profile_a;
  else if (scheme == "ECIES Profile B") p = protection_scheme::profile_b;
  else throw check_failed("unknown scheme " + scheme);
  expect(scheme_id == static_cast<int>(p), "protection_scheme_id does not match the scheme");
  const std::string curve = f.str("curve");
  expect(curve.find(p == protection_scheme::profile_a ? "X25519" : "secp256r1") != std::string::npos,
         "curve does not match the profile");

  const auto hn_priv = f.hex("hn_private_key");
  const auto hn_pub = f.hex("hn_public_key");
  const auto eph_priv = f.hex("eph_private_key");
  const auto eph_pub = f.hex("eph_public_key");
  expect_hex(value_or_fail(public_key_from_private(p, hn_priv), "hn public key"), hn_pub, "hn_public_key");
  expect_hex(value_or_fail(public_key_from_private(p, eph_priv), "eph public key"), eph_pub, "eph_public_key");
  const auto shared = f.hex("shared_key");
  const auto ue_side = value_or_fail(ecies_shared_key(p, eph_priv, hn_pub), "ECDH (UE)");
  const auto hn_side = value_or_fail(ecies_shared_key(p, hn_priv, eph_pub), "ECDH (HN)");
  expect_hex(ue_side.view(), shared, "shared_key (UE side)");
  expect_hex(hn_side.view(), shared, "shared_key (HN side)");
  const auto k = value_or_fail(ecies_derive_keys(shared, eph_pub), "KDF");
  expect_hex(k.enc_key.view(), f.hex("enc_key"), "enc_key");
  expect_hex(k.icb.view(), f.hex("icb"), "icb");
  expect_hex(k.mac_key.view(), f.hex("mac_key"), "mac_key");
  expect_hex(packed, f.hex("plaintext"), "plaintext");

  conceal_options opt;
  opt.scheme = p;
  opt.hn_public_key = hn_pub;
  opt.eph_private_key = eph_priv;
  auto s = value_or_fail(conceal(in, opt), "conceal");
  const auto out = f.hex("scheme_output");
  expect_hex(s.scheme_output, out, "scheme_output");
  const bytes_view o(s.scheme_output);
  const auto ct = f.hex("ciphertext");
  const auto tag = f.hex("mac_tag");
  expect(o.size() == eph_pub.size() + ct.size() + tag.size(), "scheme_output is not eph | cipher | mac");
  expect_hex(o.first(eph_pub.size()), eph_pub, "scheme_output key part");
  expect_hex(o.subspan(eph_pub.size(), ct.size()), ct, "ciphertext");
  expect_hex(o.last(tag.size()), tag, "mac_tag");

  hn_key_store keys;
  value_or_fail(keys.add_raw(std::nullopt, p, hn_priv), "hn key");
  sidf engine(keys);
  auto back = value_or_fail(engine.deconceal(s), "deconceal");
  expect(back == in, "deconceal gave " + to_string(back));
  // Negative twin: one flipped bit in every octet position must fail the MAC.
  for (std::size_t i = 0; i < s.scheme_output.size(); ++i) {
    suci bad = s;
    bad.scheme_output[i] ^= 0x01;
    auto r = engine.deconceal(bad);
    expect(!r.has_value(), fmt::format("flipped bit in octet {} was accepted", i));
    const bool key_part = i < eph_pub.size();
    // A flipped ephemeral key octet may also give an invalid point (profile B).
    expect(r.error().code == suci_errc::mac_mismatch ||
               (key_part && r.error().code == suci_errc::bad_ephemeral_key),
           fmt::format("flipped bit in octet {}: {}", i, describe(r.error())));
  }
}

// "IMSI MCC 123 MNC 45 MSIN 0123456789" or "user@realm".
void check_supi_text(const std::string& text, const suci& s) {
  if (s.format == supi_format::imsi) {
    const std::string prefix = fmt::format("IMSI MCC {} MNC {} MSIN ", s.plmn.mcc.view(), s.plmn.mnc.view());
    expect(text.starts_with(prefix), "supi text does not match MCC/MNC");
    const std::string msin = text.substr(prefix.size());
    if (s.protection_scheme_id == 0) {
      std::string digits;
      expect(unpack_bcd(s.scheme_output, digits) && digits == msin, "null-scheme output is not the MSIN");
    }
    return;
  }
  const auto at = text.rfind('@');
  expect(at != std::string::npos, "supi text is not user@realm");
  expect(text.substr(at + 1) == s.home_network_identifier, "supi realm differs from the SUCI");
  if (s.protection_scheme_id == 0)
    expect(std::string(s.scheme_output.begin(), s.scheme_output.end()) == text.substr(0, at),
           "null-scheme output is not the username");
}

void run_format(fields& f) {
  const auto text = f.str("suci_string");
  auto s = value_or_fail(parse_suci_string(text), "parse suci_string");
  expect(static_cast<int>(s.format) == f.num("supi_type"), "supi_type");
  if (s.format == supi_format::imsi) {
    expect(s.plmn.mcc.view() == f.str("mcc"), "mcc");
    expect(s.plmn.mnc.view() == f.str("mnc"), "mnc");
  } else {
    expect(s.home_network_identifier == f.str("home_network_identifier"), "home_network_identifier");
  }
  expect(s.routing.view() == f.str("routing_indicator"), "routing_indicator");
  expect(s.protection_scheme_id == f.num("protection_scheme_id"), "protection_scheme_id");
  expect(s.hn_public_key_id == f.num("hn_public_key_id"), "hn_public_key_id");
  if (f.has("scheme_output")) {
    const auto want = f.str("scheme_output");
    std::string got;
    if (s.protection_scheme_id == 0) {
      if (s.format == supi_format::imsi) expect(unpack_bcd(s.scheme_output, got), "MSIN");
      else got.assign(s.scheme_output.begin(), s.scheme_output.end());
    } else {
      got = to_hex(s.scheme_output);
    }
    expect(got == want, "scheme_output: got " + got);
  }
  check_supi_text(f.str("supi"), s);
  expect(to_udm_string(s) == text, "to_udm_string gave " + to_udm_string(s));
  // The NAS encoding round-trips.
  byte_buffer nas;
  value_or_fail(encode_suci(s, nas), "encode_suci");
  auto mi = decode_mobile_identity(nas);
  expect(mi.has_value() && std::holds_alternative<suci_value>(*mi), "NAS SUCI does not decode");
  expect(value_or_fail(to_suci(std::get<suci_value>(*mi)), "NAS to_suci") == s, "NAS round trip differs");
  if (f.has("nai")) {
    const auto nai = f.str("nai");
    auto n = value_or_fail(parse_suci_nai(nai), "parse nai");
    expect(n == s, "the NAI and the UDM string give different SUCIs");
    expect(value_or_fail(to_nai(s), "to_nai") == nai, "to_nai gave a different NAI");
  }
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

void run_grammar(fields& f) {
  // A null-scheme and an ECIES SUCI of each kind, printed as NAI, must match the templates.
  suci imsi;
  imsi.plmn.mcc.assign("274");
  imsi.plmn.mnc.assign("12");
  imsi.routing.assign("678");
  pack_bcd("001002086", imsi.scheme_output);
  const std::string realm_imsi = f.str("realm_imsi");
  const std::string realm_tpl = realm_imsi.substr(0, realm_imsi.find(' '));
  expect(realm_imsi.find("leading zero") != std::string::npos, "realm_imsi: expected the MNC padding rule");
  const std::string want_realm = replace_all(replace_all(realm_tpl, "<MNC>", "012"), "<MCC>", "274");
  const std::string nai_imsi = value_or_fail(to_nai(imsi), "to_nai");
  expect(nai_imsi.ends_with("@" + want_realm), "IMSI realm: got " + nai_imsi);

  auto fill = [](std::string tpl, const suci& s, const std::string& user_or_parts) {
    tpl = replace_all(tpl, "<supi type>", std::to_string(static_cast<int>(s.format)));
    tpl = replace_all(tpl, "<routing indicator>", std::string(s.routing.view()));
    tpl = replace_all(tpl, "<protection scheme id>", std::to_string(s.protection_scheme_id));
    tpl = replace_all(tpl, "<home network public key id>", std::to_string(s.hn_public_key_id));
    return replace_all(tpl, "<MSIN or NSI username>", user_or_parts);
  };
  expect(nai_imsi.substr(0, nai_imsi.find('@')) == fill(f.str("username_null_scheme"), imsi, "001002086"),
         "null-scheme username: got " + nai_imsi);

  suci nsi;
  nsi.format = supi_format::network_specific;
  nsi.home_network_identifier = "example.com";
  nsi.routing.assign("84");
  nsi.protection_scheme_id = 2;
  nsi.hn_public_key_id = 250;
  nsi.scheme_output.assign(33 + 5 + 8, 0xab);
  std::string tpl = fill(f.str("username_ecies"), nsi, "");
  const bytes_view o(nsi.scheme_output);
  tpl = replace_all(tpl, "<ECC ephemeral public key>", to_hex(o.first(33)));
  tpl = replace_all(tpl, "<cipher text>", to_hex(o.subspan(33, 5)));
  tpl = replace_all(tpl, "<MAC tag value>", to_hex(o.last(8)));
  const std::string nai_nsi = value_or_fail(to_nai(nsi), "to_nai");
  expect(nai_nsi == tpl + "@example.com", "ECIES username: got " + nai_nsi);
  expect(f.str("realm_nsi").find("realm of the Network Specific Identifier") != std::string::npos,
         "realm_nsi: expected the NSI realm rule");
  // The TS 29.503 example form: type1.rid84.schid2.hnkey250.ecckey<66 hex>.cip<hex>.mac<16 hex>@example.com
  const std::string ex = f.str("example_from_ts_29503");
  expect(ex.starts_with(nai_nsi.substr(0, nai_nsi.find(".ecckey") + 7)), "example prefix differs");
  expect(value_or_fail(parse_suci_nai(nai_nsi), "parse our NAI") == nsi, "NAI round trip differs");
}

}  // namespace

std::optional<suci_vector_result> run_suci_vector(const nlohmann::json& vector) noexcept {
  try {
    if (!vector.is_object() || !vector.contains("id") || !vector.at("id").is_string() ||
        !vector.at("id").get<std::string>().starts_with("suci-"))
      return std::nullopt;
    fields f(vector);
    f.metadata();
    const std::string kind = f.has("kind") ? f.str("kind") : "";
    if (kind == "format") run_format(f);
    else if (kind == "grammar") run_grammar(f);
    else if (kind.empty()) run_scheme(f);
    else throw check_failed("unknown kind " + kind);
    f.expect_all_used();
    return suci_vector_result{suci_vector_status::pass, ""};
  } catch (const check_failed& e) {
    return suci_vector_result{suci_vector_status::fail, e.what()};
  } catch (const std::exception& e) {
    return suci_vector_result{suci_vector_status::fail, std::string("exception: ") + e.what()};
  } catch (...) {
    return suci_vector_result{suci_vector_status::fail, "unknown exception"};
  }
}

}  // namespace sec5g::identity
