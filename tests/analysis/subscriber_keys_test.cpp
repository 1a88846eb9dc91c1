#include "sec5g/analysis/subscriber_keys.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sec5g/core/hex.hpp"

namespace sec5g::analysis {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(subscriber_keys, every_shared_key_file_parses) {
  const std::filesystem::path dir = std::filesystem::path(SEC5G_SHARED_DIR) / "captures" / "keys";
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".csv") continue;
    ++files;
    auto db = parse_subscriber_keys(read_file(e.path()), e.path().filename().string());
    ASSERT_TRUE(db.has_value()) << describe(db.error());
    EXPECT_GT(db->size(), 0u) << e.path();
  }
  EXPECT_GE(files, 6);
}

TEST(subscriber_keys, parses_the_oai_default_subscriber) {
  auto db = parse_subscriber_keys(
      "supi,k,opc\nimsi-208950000000031,0c0a34601d4f07677303652c0462535b,"
      "63bfa50ee6523365ff14c1f45f88737d\n",
      "oai.csv");
  ASSERT_TRUE(db.has_value());
  const auto* s = db->find("imsi-208950000000031");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(to_hex(s->k.view()), "0c0a34601d4f07677303652c0462535b");
  EXPECT_TRUE(s->has_opc);
  EXPECT_FALSE(s->has_op);
  EXPECT_EQ(to_hex(s->opc.view()), "63bfa50ee6523365ff14c1f45f88737d");
  EXPECT_EQ(s->imsi_digits(), "208950000000031");
  EXPECT_EQ(db->find("imsi-208950000000032"), nullptr);
}

TEST(subscriber_keys, accepts_optional_columns_in_any_order_with_crlf_and_comments) {
  auto db = parse_subscriber_keys(
      "# lab keys\r\nK,SUPI,op,opc,amf,sqn\r\n\r\n"
      "00112233445566778899aabbccddeeff, nai-alice@example.org ,000102030405060708090a0b0c0d0e0f,,"
      "8000,000000000021\r\n",
      "x.csv");
  ASSERT_TRUE(db.has_value()) << describe(db.error());
  const auto* s = db->find("nai-alice@example.org");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->has_op);
  EXPECT_FALSE(s->has_opc);
  ASSERT_TRUE(s->amf.has_value());
  EXPECT_EQ((*s->amf)[0], 0x80);
  ASSERT_TRUE(s->sqn.has_value());
  EXPECT_EQ(*s->sqn, 0x21u);
  EXPECT_TRUE(s->imsi_digits().empty());
}

TEST(subscriber_keys, errors_name_file_line_and_column_without_key_material) {
  auto db = parse_subscriber_keys(
      "supi,k,opc\nimsi-001010000000001,465b5ce8b199b49faa5f0a2ee238a6bc,"
      "e8ed289deba952e4283b54e88e6183cX\n",
      "bad.csv");
  ASSERT_FALSE(db.has_value());
  const std::string msg = describe(db.error());
  EXPECT_EQ(db.error().line, 2u);
  EXPECT_EQ(db.error().column, 55u + 31u);  // opc starts at column 55
  EXPECT_TRUE(msg.starts_with("bad.csv:2:86: bad 'opc'")) << msg;
  EXPECT_EQ(msg.find("465b5ce8"), std::string::npos);
  EXPECT_EQ(msg.find("e8ed289d"), std::string::npos);
}

TEST(subscriber_keys, rejects_malformed_files) {
  const char* bad[] = {
      "",                                                  // no header
      "supi,opc\nimsi-00101,00,00\n",                     // no k column
      "supi,k\n",                                          // no opc/op column
      "supi,k,opc,extra\n",                                // unknown column
      "supi,k,opc,opc\n",                                  // duplicate column
      "supi,k,opc\nimsi-001,00112233445566778899aabbccddeeff,00112233445566778899aabbccddeeff\n",
      "supi,k,opc\nimsi-00101000000000a,00112233445566778899aabbccddeeff,"
      "00112233445566778899aabbccddeeff\n",
      "supi,k,opc\nnai-noat,00112233445566778899aabbccddeeff,00112233445566778899aabbccddeeff\n",
      "supi,k,opc\nimsi-001010000000001,0011,00112233445566778899aabbccddeeff\n",
      "supi,k,opc\nimsi-001010000000001,00112233445566778899aabbccddeeff\n",
      "supi,k,opc\nimsi-001010000000001,00112233445566778899aabbccddeeff,,\n",
      "supi,k,opc\nimsi-001010000000001,00112233445566778899aabbccddeeff,\n",
      "supi,k,opc\nimsi-001010000000001,00112233445566778899aabbccddeeff,"
      "00112233445566778899aabbccddeeff\nimsi-001010000000001,00112233445566778899aabbccddeeff,"
      "00112233445566778899aabbccddeeff\n",  // duplicate supi
  };
  for (const char* text : bad) {
    auto db = parse_subscriber_keys(text, "t.csv");
    EXPECT_FALSE(db.has_value()) << text;
    if (!db) {
      EXPECT_GE(db.error().line, 1u);
      EXPECT_GE(db.error().column, 1u);
    }
  }
}

TEST(subscriber_keys, supi_text_validation) {
  EXPECT_TRUE(is_valid_supi_text("imsi-001010000000001"));
  EXPECT_TRUE(is_valid_supi_text("nai-user@realm.example"));
  EXPECT_FALSE(is_valid_supi_text("001010000000001"));
  EXPECT_FALSE(is_valid_supi_text("imsi-0010100000000012"));
  EXPECT_FALSE(is_valid_supi_text("nai-@realm"));
  EXPECT_FALSE(is_valid_supi_text("nai-a@b@c"));
}

}  // namespace
}  // namespace sec5g::analysis
