// Runs one vector object of snow3g.json / zuc.json / aes.json through the NEA/NIA library.
#include "sec5g/crypto/cipher_vectors.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"
#include "sec5g/crypto/stream_primitives.hpp"

namespace sec5g::crypto {
namespace {

using json = nlohmann::json;

// Copies of a vector sent through one batch call: more than the 16 lanes of the widest
// libipsec-mb manager, so that the job path and its flush of partly filled lanes are exercised.
constexpr std::size_t batch_copies = 17;

// Thrown only inside this file and caught by run_cipher_vector(): a malformed vector.
struct vector_error {
  std::string what;
};

const std::initializer_list<std::string_view> common_fields = {
    "id", "algorithm", "source", "read_from", "verified", "verified_by", "notes"};

void check_fields(const json& v, std::initializer_list<std::string_view> used) {
  if (!v.is_object()) throw vector_error{"vector is not a JSON object"};
  for (const auto& [name, value] : v.items()) {
    const bool known =
        std::find(common_fields.begin(), common_fields.end(), name) != common_fields.end() ||
        std::find(used.begin(), used.end(), name) != used.end();
    if (!known) throw vector_error{fmt::format("unknown field '{}'", name)};
  }
  for (auto name : used)
    if (!v.contains(std::string(name))) throw vector_error{fmt::format("missing field '{}'", name)};
}

byte_buffer hex_field(const json& v, const char* name) {
  const auto& f = v.at(name);
  if (!f.is_string()) throw vector_error{fmt::format("field '{}' is not a string", name)};
  auto b = from_hex(f.get<std::string>());
  if (!b) throw vector_error{fmt::format("field '{}': {}", name, describe(b.error()))};
  return std::move(*b);
}

template <std::size_t N> byte_array<N> hex_array(const json& v, const char* name) {
  const auto b = hex_field(v, name);
  if (b.size() != N)
    throw vector_error{fmt::format("field '{}' has {} octets, expected {}", name, b.size(), N)};
  byte_array<N> out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

std::uint64_t uint_field(const json& v, const char* name, std::uint64_t max) {
  const auto& f = v.at(name);
  if (!f.is_number_unsigned() && !(f.is_number_integer() && f.get<std::int64_t>() >= 0))
    throw vector_error{fmt::format("field '{}' is not an unsigned integer", name)};
  const auto x = f.get<std::uint64_t>();
  if (x > max) throw vector_error{fmt::format("field '{}' = {} exceeds {}", name, x, max)};
  return x;
}

std::uint32_t word_field(const json& v, const char* name) {
  return load_be32(hex_array<4>(v, name).data());
}

byte_buffer message_field(const json& v, const char* name, std::size_t length_bits) {
  auto b = hex_field(v, name);
  if (b.size() != message_bytes(length_bits))
    throw vector_error{fmt::format("field '{}' has {} octets, length_bits {} needs {}", name,
                                   b.size(), length_bits, message_bytes(length_bits))};
  return b;
}

// Whether the first `bits` bits of a and b agree.
bool bits_equal(bytes_view a, bytes_view b, std::size_t bits) {
  const std::size_t full = bits / 8;
  if (a.size() < message_bytes(bits) || b.size() < message_bytes(bits)) return false;
  if (!std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(full), b.begin()))
    return false;
  const unsigned rem = static_cast<unsigned>(bits % 8);
  if (rem == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xffu << (8 - rem));
  return (a[full] & mask) == (b[full] & mask);
}

void expect(bool cond, std::string_view what) {
  if (!cond) throw vector_error{std::string(what)};
}

template <class T> T ok_or_throw(std::expected<T, cipher_error> r, std::string_view call) {
  if (!r) throw vector_error{fmt::format("{} failed: {}", call, to_string(r.error().code))};
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

void run_keystream(const json& v, bool snow3g) {
  check_fields(v, {"key", "iv", "keystream"});
  const auto key = hex_array<16>(v, "key");
  const auto iv = hex_array<16>(v, "iv");
  const auto& words = v.at("keystream");
  if (!words.is_array() || words.empty()) throw vector_error{"'keystream' is not a list"};
  std::size_t max_index = 0;
  for (const auto& w : words) {
    for (const auto& [name, value] : w.items())
      if (name != "index" && name != "z")
        throw vector_error{fmt::format("unknown keystream field '{}'", name)};
    max_index = std::max<std::size_t>(max_index, uint_field(w, "index", max_message_bits / 32));
  }
  if (max_index == 0) throw vector_error{"keystream index 0 (indices are 1-based)"};
  std::vector<std::uint32_t> z(max_index);
  auto gen = [&](key_view k, std::span<std::uint32_t> out) {
    return snow3g ? snow3g_keystream(k, iv, out) : zuc_keystream(k, iv, out);
  };
  ok_or_throw(gen(key, z), "keystream");
  for (const auto& w : words) {
    const auto index = uint_field(w, "index", max_index);
    if (index == 0) throw vector_error{"keystream index 0 (indices are 1-based)"};
    if (z[index - 1] != word_field(w, "z"))
      throw vector_error{fmt::format("keystream word {} differs", index)};
  }
  auto flipped = key;
  flipped[15] ^= 0x01;
  std::vector<std::uint32_t> z2(max_index);
  ok_or_throw(gen(flipped, z2), "keystream");
  expect(z2 != z, "negative twin: a flipped key bit did not change the keystream");
}

void run_ciphering(const json& v, nea_alg alg, bool uea2_entry) {
  check_fields(v,
               {"key", "count", "bearer", "direction", "length_bits", "plaintext", "ciphertext"});
  const auto key = hex_array<16>(v, "key");
  const auto count = word_field(v, "count");
  const auto bearer = static_cast<std::uint8_t>(uint_field(v, "bearer", 31));
  const auto direction = static_cast<std::uint8_t>(uint_field(v, "direction", 1));
  const auto bits = static_cast<std::size_t>(uint_field(v, "length_bits", max_message_bits));
  const auto plain = message_field(v, "plaintext", bits);
  const auto cipher = message_field(v, "ciphertext", bits);
  const std::size_t n = message_bytes(bits);

  byte_buffer out(n);
  if (uea2_entry)
    ok_or_throw(uea2(key, count, bearer, direction, plain, bits, out), "uea2");
  else
    ok_or_throw(nea(alg, key, count, bearer, direction, plain, bits, out), "nea");
  expect(bits_equal(out, cipher, bits), "one-shot ciphertext differs");
  expect(n == 0 || bits % 8 == 0 || (out[n - 1] & (0xffu >> (bits % 8))) == 0,
         "bits after length_bits are not zero");

  byte_buffer back(n);
  ok_or_throw(nea(alg, key, count, bearer, direction, cipher, bits, back), "nea");
  expect(bits_equal(back, plain, bits), "deciphering did not give the plaintext");

  byte_buffer in_place = plain;
  ok_or_throw(nea_in_place(alg, key, count, bearer, direction, in_place, bits), "nea_in_place");
  expect(in_place == out, "in-place result differs from one-shot");

  // 1 copy takes the batch's one-shot fallback; 17 copies take the multi-buffer job path with
  // a partly filled last set of lanes.
  for (std::size_t copies : {std::size_t{1}, batch_copies}) {
    std::vector<byte_buffer> batch_out(copies, byte_buffer(n));
    std::vector<nea_request> reqs;
    for (auto& o : batch_out)
      reqs.push_back({key, count, bearer, direction, plain, bits, o});
    ok_or_throw(nea_batch(alg, reqs), "nea_batch");
    for (const auto& o : batch_out)
      expect(o == out, "batch result differs from one-shot");
  }

  if (alg != nea_alg::nea0 && bits > 0) {
    auto flipped = key;
    flipped[0] ^= 0x80;
    byte_buffer twin(n);
    ok_or_throw(nea(alg, flipped, count, bearer, direction, plain, bits, twin), "nea");
    expect(!bits_equal(twin, cipher, bits),
           "negative twin: a flipped key bit did not change the ciphertext");
  }
}

void run_integrity(const json& v, nia_alg alg, bool uia2_entry) {
  if (uia2_entry)
    check_fields(v, {"key", "count", "fresh", "direction", "length_bits", "message", "mac"});
  else
    check_fields(v, {"key", "count", "bearer", "direction", "length_bits", "message", "mac"});
  const auto key = hex_array<16>(v, "key");
  const auto count = word_field(v, "count");
  const auto direction = static_cast<std::uint8_t>(uint_field(v, "direction", 1));
  const auto bits = static_cast<std::size_t>(uint_field(v, "length_bits", max_message_bits));
  const auto msg = message_field(v, "message", bits);
  const auto mac = hex_array<4>(v, "mac");

  if (uia2_entry) {
    const auto fresh = word_field(v, "fresh");
    const auto got = ok_or_throw(uia2(key, count, fresh, direction, msg, bits), "uia2");
    expect(got == mac, "UIA2 MAC differs");
    if (bits > 0) {
      auto twin_msg = msg;
      twin_msg[0] ^= 0x80;
      expect(ok_or_throw(uia2(key, count, fresh, direction, twin_msg, bits), "uia2") != mac,
             "negative twin: a flipped message bit did not change the MAC");
    }
    return;
  }
  const auto bearer = static_cast<std::uint8_t>(uint_field(v, "bearer", 31));
  const auto got = ok_or_throw(nia(alg, key, count, bearer, direction, msg, bits), "nia");
  expect(got == mac, "one-shot MAC differs");
  expect(ok_or_throw(nia_verify(alg, key, count, bearer, direction, msg, bits, mac), "nia_verify"),
         "nia_verify rejected the expected MAC");
  for (std::size_t copies : {std::size_t{1}, batch_copies}) {
    const std::vector<nia_request> reqs(copies, {key, count, bearer, direction, msg, bits});
    std::vector<mac32> batch_macs(copies);
    ok_or_throw(nia_batch(alg, reqs, batch_macs), "nia_batch");
    for (const auto& m : batch_macs)
      expect(m == mac, "batch MAC differs from one-shot");
  }
  if (alg != nia_alg::nia0 && bits > 0) {
    auto twin_msg = msg;
    twin_msg[0] ^= 0x80;
    expect(ok_or_throw(nia(alg, key, count, bearer, direction, twin_msg, bits), "nia") != mac,
           "negative twin: a flipped message bit did not change the MAC");
    auto flipped = key;
    flipped[0] ^= 0x80;
    expect(ok_or_throw(nia(alg, flipped, count, bearer, direction, msg, bits), "nia") != mac,
           "negative twin: a flipped key bit did not change the MAC");
  }
}

} // namespace

bool is_cipher_vector_algorithm(const std::string& algorithm) noexcept {
  static constexpr std::array<std::string_view, 12> names = {
      "SNOW3G-keystream", "ZUC-keystream", "UEA2",     "UIA2",     "128-NEA0", "128-NEA1",
      "128-NEA2",         "128-NEA3",      "128-NIA0", "128-NIA1", "128-NIA2", "128-NIA3"};
  return std::find(names.begin(), names.end(), algorithm) != names.end();
}

std::optional<cipher_vector_result> run_cipher_vector(const nlohmann::json& vector) noexcept {
  try {
    if (!vector.is_object()) return std::nullopt;
    const auto it = vector.find("algorithm");
    if (it == vector.end() || !it->is_string()) return std::nullopt;
    const auto alg = it->get<std::string>();
    if (!is_cipher_vector_algorithm(alg)) return std::nullopt;
    if (alg == "SNOW3G-keystream" || alg == "ZUC-keystream") {
      run_keystream(vector, alg == "SNOW3G-keystream");
    } else if (alg == "UEA2") {
      run_ciphering(vector, nea_alg::nea1, true);
    } else if (alg == "UIA2") {
      run_integrity(vector, nia_alg::nia1, true);
    } else if (alg.starts_with("128-NEA")) {
      run_ciphering(vector, static_cast<nea_alg>(alg.back() - '0'), false);
    } else {
      run_integrity(vector, static_cast<nia_alg>(alg.back() - '0'), false);
    }
    return cipher_vector_result{cipher_vector_status::pass, {}};
  } catch (const vector_error& e) {
    return cipher_vector_result{cipher_vector_status::fail, e.what};
  } catch (const std::exception& e) {
    return cipher_vector_result{cipher_vector_status::fail,
                                fmt::format("malformed vector: {}", e.what())};
  } catch (...) {
    return cipher_vector_result{cipher_vector_status::fail, "malformed vector"};
  }
}

} // namespace sec5g::crypto
