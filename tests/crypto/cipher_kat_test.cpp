// Known-answer tests of 128-NEA/NIA 1-3, UEA2/UIA2 and the raw SNOW 3G / ZUC keystream, read
// from the vector files (tests/data/vectors/{snow3g,zuc,aes}.json). Each vector runs one-shot,
// in place and batch, deciphers back, and has a negative twin (run_cipher_vector).
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/cipher_vectors.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"
#include "sec5g/crypto/stream_primitives.hpp"

namespace sec5g::crypto {
namespace {

using json = nlohmann::json;

json load_vectors(const std::string& file) {
  std::ifstream in(std::string(SEC5G_VECTORS_DIR) + "/" + file);
  EXPECT_TRUE(in.good()) << file;
  return json::parse(in);
}

// Runs every entry of `file`; returns the number of passes per algorithm.
std::map<std::string, int> run_file(const std::string& file) {
  std::map<std::string, int> passed;
  const auto vectors = load_vectors(file);
  EXPECT_TRUE(vectors.is_array());
  for (const auto& v : vectors) {
    const auto id = v.value("id", std::string("?"));
    SCOPED_TRACE(file + ": " + id);
    const auto r = run_cipher_vector(v);
    if (!r.has_value()) {
      ADD_FAILURE() << "not recognised as a cipher vector";
      continue;
    }
    EXPECT_EQ(r->status, cipher_vector_status::pass) << r->reason;
    if (r->status == cipher_vector_status::pass) ++passed[v.at("algorithm").get<std::string>()];
  }
  return passed;
}

TEST(CipherVectors, Snow3gFileAllPass) {
  const auto p = run_file("snow3g.json");
  EXPECT_EQ(p.at("SNOW3G-keystream"), 2);
  EXPECT_EQ(p.at("UEA2"), 3);
  EXPECT_EQ(p.at("UIA2"), 4);
  EXPECT_EQ(p.at("128-NEA1"), 4);
  EXPECT_EQ(p.at("128-NIA1"), 4);
}

TEST(CipherVectors, ZucFileAllPass) {
  const auto p = run_file("zuc.json");
  EXPECT_EQ(p.at("ZUC-keystream"), 2);
  EXPECT_EQ(p.at("128-NEA3"), 3);
  EXPECT_EQ(p.at("128-NIA3"), 3);
}

TEST(CipherVectors, AesFileAllPass) {
  const auto p = run_file("aes.json");
  EXPECT_EQ(p.at("128-NEA2"), 4);
  EXPECT_EQ(p.at("128-NIA2"), 5);
}

json first_of(const std::string& file, const std::string& algorithm) {
  for (const auto& v : load_vectors(file))
    if (v.at("algorithm") == algorithm) return v;
  ADD_FAILURE() << algorithm << " not in " << file;
  return json::object();
}

TEST(CipherVectors, RunnerFailsOnUnknownField) {
  auto v = first_of("aes.json", "128-NEA2");
  v["iv"] = "00";
  const auto r = run_cipher_vector(v);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, cipher_vector_status::fail);
  EXPECT_NE(r->reason.find("unknown field 'iv'"), std::string::npos) << r->reason;
}

TEST(CipherVectors, RunnerFailsOnMissingField) {
  auto v = first_of("zuc.json", "128-NIA3");
  v.erase("mac");
  const auto r = run_cipher_vector(v);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, cipher_vector_status::fail);
}

TEST(CipherVectors, RunnerFailsOnWrongExpectedOutput) {
  for (const auto& [file, alg, field] : {std::tuple{"aes.json", "128-NEA2", "ciphertext"},
                                         {"aes.json", "128-NIA2", "mac"},
                                         {"snow3g.json", "128-NEA1", "ciphertext"},
                                         {"snow3g.json", "128-NIA1", "mac"},
                                         {"snow3g.json", "UIA2", "mac"},
                                         {"snow3g.json", "UEA2", "ciphertext"},
                                         {"zuc.json", "128-NEA3", "ciphertext"},
                                         {"zuc.json", "128-NIA3", "mac"}}) {
    SCOPED_TRACE(alg);
    auto v = first_of(file, alg);
    auto bytes = from_hex(v.at(field).get<std::string>()).value();
    bytes[0] ^= 0x01;
    v[field] = to_hex(bytes);
    const auto r = run_cipher_vector(v);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, cipher_vector_status::fail);
  }
}

TEST(CipherVectors, RunnerFailsOnWrongKeystreamWord) {
  auto v = first_of("snow3g.json", "SNOW3G-keystream");
  v["keystream"][0]["z"] = "00000000";
  EXPECT_EQ(run_cipher_vector(v)->status, cipher_vector_status::fail);
  auto z = first_of("zuc.json", "ZUC-keystream");
  z["keystream"][1]["z"] = "ffffffff";
  EXPECT_EQ(run_cipher_vector(z)->status, cipher_vector_status::fail);
}

TEST(CipherVectors, RunnerFailsOnLengthFieldMismatch) {
  auto v = first_of("aes.json", "128-NEA2");
  v["length_bits"] = v.at("length_bits").get<int>() + 8;
  EXPECT_EQ(run_cipher_vector(v)->status, cipher_vector_status::fail);
}

TEST(CipherVectors, RunnerLeavesOtherFamiliesAlone) {
  EXPECT_FALSE(run_cipher_vector(json{{"algorithm", "MILENAGE"}}).has_value());
  EXPECT_FALSE(run_cipher_vector(json{{"derivation", "K_AUSF"}}).has_value());
  EXPECT_FALSE(run_cipher_vector(json::array()).has_value());
  EXPECT_TRUE(is_cipher_vector_algorithm("128-NIA2"));
  EXPECT_FALSE(is_cipher_vector_algorithm("128-NIA4"));
}

TEST(CipherVectors, RunnerNeverThrowsOnMalformedValues) {
  auto v = first_of("snow3g.json", "128-NIA1");
  v["bearer"] = "fifteen";
  EXPECT_EQ(run_cipher_vector(v)->status, cipher_vector_status::fail);
  v = first_of("snow3g.json", "128-NIA1");
  v["key"] = "zz";
  EXPECT_EQ(run_cipher_vector(v)->status, cipher_vector_status::fail);
  v = first_of("snow3g.json", "128-NIA1");
  v["bearer"] = 32;
  EXPECT_EQ(run_cipher_vector(v)->status, cipher_vector_status::fail);
}

// A hand-checked spot value independent of the runner: TS 33.401 C.1 test set 1 (128-EEA2).
TEST(Nea2, Ts33401TestSet1Direct) {
  const auto key = from_hex("d3c5d592327fb11c4035c6680af8c6d1").value();
  const auto plain =
      from_hex("981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0").value();
  byte_buffer out(plain.size(), 0xff);
  ASSERT_TRUE(nea(nea_alg::nea2, std::span<const std::uint8_t, 16>(key.data(), 16), 0x398a59b4,
                  0x15, 1, plain, 253, out)
                  .has_value());
  // 253 bits: the last octet keeps its top 5 bits (0x78 & 0xf8), the other 3 are zero.
  EXPECT_EQ(to_hex(out), "e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e78");
}

} // namespace
} // namespace sec5g::crypto
