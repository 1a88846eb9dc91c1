#include "sec5g/core/secret.hpp"

#include <openssl/crypto.h>
#include <string.h>  // explicit_bzero (glibc >= 2.25)

namespace sec5g {

void secure_zero(bytes_span data) noexcept {
  // explicit_bzero: a memset the compiler may not remove (glibc's own barrier), at memset's
  // speed; OPENSSL_cleanse stores one octet at a time through a volatile pointer.
  if (!data.empty()) explicit_bzero(data.data(), data.size());
}

bool constant_time_equal(bytes_view a, bytes_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

secret_buffer::secret_buffer(std::size_t n) : data_(n) {}
secret_buffer::secret_buffer(bytes_view init) : data_(init.begin(), init.end()) {}
secret_buffer::secret_buffer(secret_buffer&& other) noexcept : data_(std::move(other.data_)) {
  other.data_.clear();
}
secret_buffer& secret_buffer::operator=(secret_buffer&& other) noexcept {
  if (this != &other) {
    secure_zero(mutable_view());
    data_ = std::move(other.data_);
    other.data_.clear();
  }
  return *this;
}
secret_buffer::~secret_buffer() { secure_zero(mutable_view()); }

}  // namespace sec5g
