// Known-answer tests of the authentication families: every vector of milenage.json, tuak.json,
// kdf.json and eap_aka_prime.json through the runner (which checks each API variant and a
// negative twin), plus runner strictness.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "sec5g/crypto/vectors.hpp"

namespace {

using nlohmann::json;
using sec5g::crypto::run_auth_vector;
using sec5g::crypto::run_vector;
using sec5g::crypto::vector_status;

json load(const std::string& file) {
  std::ifstream in(std::string(SEC5G_VECTORS_DIR) + "/" + file);
  EXPECT_TRUE(in) << file;
  return json::parse(in);
}

// Runs every entry of `file`; each must be an auth vector and pass. Returns the count.
std::size_t expect_all_pass(const std::string& file) {
  const json v = load(file);
  std::size_t n = 0;
  for (const auto& e : v) {
    auto r = run_auth_vector(e);
    EXPECT_TRUE(r.has_value()) << file << ": " << e.value("id", "?") << " not an auth vector";
    if (!r) continue;
    EXPECT_EQ(r->status, vector_status::pass) << file << ":" << e.value("id", "?") << ": " << r->reason;
    ++n;
  }
  return n;
}

TEST(AuthVectors, MilenageFileAllPass) { EXPECT_EQ(expect_all_pass("milenage.json"), 23u); }
TEST(AuthVectors, TuakFileAllPass) { EXPECT_EQ(expect_all_pass("tuak.json"), 8u); }
TEST(AuthVectors, KdfFileAllPass) { EXPECT_EQ(expect_all_pass("kdf.json"), 26u); }
TEST(AuthVectors, EapAkaPrimeFileAllPass) { EXPECT_EQ(expect_all_pass("eap_aka_prime.json"), 2u); }

json first_of(const std::string& file, const std::string& algorithm_or_id) {
  for (const auto& e : load(file)) {
    if (e.value("id", "") == algorithm_or_id || e.value("algorithm", "") == algorithm_or_id) return e;
  }
  ADD_FAILURE() << algorithm_or_id << " not found in " << file;
  return json::object();
}

// Flips the low bit of the last octet.
std::string flip_hex_bit(std::string h) {
  h.back() = h.back() == '0' ? '1' : '0';
  return h;
}

// Each field of each family: a flipped expected value must fail the vector.
void expect_every_output_checked(const std::string& file, const std::string& which,
                                 std::initializer_list<const char*> fields) {
  const json good = first_of(file, which);
  ASSERT_EQ(run_auth_vector(good)->status, vector_status::pass);
  for (const char* f : fields) {
    json bad = good;
    bad[f] = flip_hex_bit(bad[f].get<std::string>());
    auto r = run_auth_vector(bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, vector_status::fail) << which << ": flipped " << f << " passed";
  }
}

TEST(AuthVectors, MilenageEveryFieldIsChecked) {
  expect_every_output_checked("milenage.json", "milenage-ts01",
                              {"k", "rand", "sqn", "amf", "op", "opc", "f1", "f1star", "f2", "f3",
                               "f4", "f5", "f5star"});
}
TEST(AuthVectors, GsmMilenageEveryFieldIsChecked) {
  expect_every_output_checked("milenage.json", "gsm-milenage-ts01",
                              {"k", "rand", "opc", "sres1", "sres2", "kc"});
}
TEST(AuthVectors, TuakEveryFieldIsChecked) {
  expect_every_output_checked("tuak.json", "tuak-ts2",
                              {"k", "rand", "sqn", "amf", "top", "topc", "f1", "f1star", "f2",
                               "f3", "f4", "f5", "f5star"});
}
TEST(AuthVectors, KeccakEveryFieldIsChecked) {
  expect_every_output_checked("tuak.json", "keccak-f1600-ts1", {"input", "output"});
}
TEST(AuthVectors, KdfEveryFieldIsChecked) {
  expect_every_output_checked("kdf.json", "kdf-5g-kamf-1", {"key", "fc", "s", "output", "output_used"});
}
TEST(AuthVectors, EapAkaPrimeEveryFieldIsChecked) {
  expect_every_output_checked("eap_aka_prime.json", "eap-aka-prime-rfc5448-case1",
                              {"identity_hex", "network_name_hex", "rand", "res", "autn",
                               "sqn_xor_ak", "ck", "ik",
                               "ck_prime", "ik_prime", "k_encr", "k_aut", "k_re", "msk", "emsk"});
}

TEST(AuthVectors, EapAkaPrimeMilenageOriginIsRecomputed) {
  json bad = first_of("eap_aka_prime.json", "eap-aka-prime-rfc5448-case1");
  auto origin = bad["milenage_origin"].get<std::string>();
  const auto at = origin.find("AMF c3ab");
  ASSERT_NE(at, std::string::npos);
  origin.replace(at, 8, "AMF c3ac");
  bad["milenage_origin"] = origin;
  auto r = run_auth_vector(bad);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, vector_status::fail);
  EXPECT_NE(r->reason.find("AUTN (origin)"), std::string::npos) << r->reason;
}

TEST(AuthVectors, TuakLengthFieldsAreChecked) {
  json bad = first_of("tuak.json", "tuak-ts1");
  bad["k_length_bits"] = 256;
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  bad = first_of("tuak.json", "tuak-ts1");
  bad["keccak_iterations"] = 2;
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  bad = first_of("tuak.json", "tuak-ts1");
  bad["res_length_bits"] = 64;  // f2 then has the wrong size
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
}

TEST(AuthVectors, KdfParamsAreChecked) {
  json bad = first_of("kdf.json", "kdf-5g-kausf");
  bad["params"][1]["value"] = "305eb06b7306";
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  bad = first_of("kdf.json", "kdf-5g-kausf");
  bad["params"][1]["length"] = 7;
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  bad = first_of("kdf.json", "kdf-5g-kausf");
  bad["params"][0]["ascii"] = "5G:mnc071.mcc901.3gppnetwork.org";
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  bad = first_of("kdf.json", "kdf-5g-kausf");
  bad["params"][0]["surprise"] = 1;
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
}

TEST(AuthVectors, UnknownFieldFailsLoudly) {
  for (const auto& [file, id] : {std::pair{"milenage.json", "milenage-ts01"},
                                 {"milenage.json", "gsm-milenage-ts01"}, {"tuak.json", "tuak-ts1"},
                                 {"tuak.json", "keccak-f1600-ts1"}, {"kdf.json", "kdf-5g-kseaf"},
                                 {"kdf.json", "hmac-sha256-rfc4231-tc2"},
                                 {"eap_aka_prime.json", "eap-aka-prime-rfc5448-case2"}}) {
    json bad = first_of(file, id);
    bad["f6"] = "00";
    auto r = run_auth_vector(bad);
    ASSERT_TRUE(r) << id;
    EXPECT_EQ(r->status, vector_status::fail) << id;
    EXPECT_NE(r->reason.find("f6"), std::string::npos) << r->reason;
  }
}

TEST(AuthVectors, MissingFieldFails) {
  json bad = first_of("milenage.json", "milenage-ts03");
  bad.erase("f5star");
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
}

TEST(AuthVectors, MalformedValuesFailWithoutThrowing) {
  json bad = first_of("milenage.json", "milenage-ts03");
  bad["k"] = "zz";
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  bad["k"] = 12;
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  bad = first_of("kdf.json", "kdf-5g-kseaf");
  bad["params"] = "nope";
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  bad["params"] = json::array({1, 2});
  EXPECT_EQ(run_auth_vector(bad)->status, vector_status::fail);
  EXPECT_EQ(run_vector(json(42)).status, vector_status::fail);
}

TEST(AuthVectors, UnknownFamiliesAreSkippedNotPassed) {
  json v = {{"id", "x"}, {"algorithm", "MILENAGE-256"}, {"k", "00"}};
  EXPECT_FALSE(run_auth_vector(v).has_value());
  auto r = run_vector(v);
  EXPECT_EQ(r.status, vector_status::skipped);
  EXPECT_NE(r.reason.find("MILENAGE-256"), std::string::npos);
  for (const auto& e : load("suci.json")) EXPECT_EQ(run_vector(e).status, vector_status::skipped);
}

TEST(AuthVectors, EmbeddedFilesMatchTheVectorDirectory) {
  const auto files = sec5g::crypto::embedded_vector_files();
  ASSERT_GE(files.size(), 8u);
  for (const auto& f : files) {
    std::ifstream in(std::string(SEC5G_VECTORS_DIR) + "/" + std::string(f.name), std::ios::binary);
    ASSERT_TRUE(in) << f.name;
    const std::string disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(disk, f.content) << f.name;
  }
}

}  // namespace
