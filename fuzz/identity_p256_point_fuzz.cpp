// Fuzz target: P-256 point decompression of a Profile B ephemeral key (33 octets: 02/03 | x), the
// parser the SIDF runs on every Profile B SUCI before any MAC check. Differential invariant:
// our decompression accepts exactly the inputs OpenSSL's EC_POINT_oct2point accepts, with the
// same y. Inputs shorter than 33 octets are ignored; longer ones use their first 33 octets.
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "identity/p256_point.hpp"

#include "fuzz_invariant.hpp"

using sec5g::fuzz::invariant_failed;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 33) return 0;
  std::array<std::uint8_t, 33> in{};
  std::copy(data, data + 33, in.begin());
  std::array<std::uint8_t, 65> ours{};
  const bool ok = sec5g::identity::detail::p256_decompress(in, ours);

  static EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  if (group == nullptr) invariant_failed(data, size, "no group");
  EC_POINT* p = EC_POINT_new(group);
  if (p == nullptr) invariant_failed(data, size, "no point");
  const bool ref_ok = EC_POINT_oct2point(group, p, in.data(), in.size(), nullptr) == 1;
  std::array<std::uint8_t, 65> ref{};
  if (ref_ok && EC_POINT_point2oct(group, p, POINT_CONVERSION_UNCOMPRESSED, ref.data(), ref.size(),
                                   nullptr) != ref.size())
    invariant_failed(data, size, "point2oct");
  EC_POINT_free(p);
  if (ok != ref_ok) invariant_failed(data, size, ok ? "accepted, OpenSSL rejects" : "rejected, OpenSSL accepts");
  if (ok && ours != ref) invariant_failed(data, size, "different y");
  return 0;
}
