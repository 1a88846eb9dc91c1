#include "sec5g/core/secret.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <string.h>  // explicit_bzero (glibc >= 2.25)
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <new>

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

std::expected<secret_buffer, int> read_secret_file(const std::string& path,
                                                    std::size_t max_size) noexcept {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(errno);
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } close_fd{fd};
  // The buffer, zeroized whenever it is dropped (grown, error, done).
  struct buffer {
    std::unique_ptr<std::uint8_t[]> p;
    std::size_t cap = 0;
    ~buffer() {
      if (p) secure_zero({p.get(), cap});
    }
  } buf;
  struct stat st{};
  std::size_t cap = 4096;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    cap = static_cast<std::size_t>(st.st_size) + 1;  // + 1: the end of the file is seen at once
  if (cap > max_size + 1) cap = max_size + 1;
  std::size_t used = 0;
  try {
    buf.p = std::make_unique<std::uint8_t[]>(cap);
    buf.cap = cap;
    while (true) {
      if (used == buf.cap) {
        if (buf.cap > max_size) return std::unexpected(EFBIG);
        const std::size_t bigger = std::min(buf.cap * 2, max_size + 1);
        auto p = std::make_unique<std::uint8_t[]>(bigger);
        std::copy_n(buf.p.get(), used, p.get());
        secure_zero({buf.p.get(), buf.cap});
        buf.p = std::move(p);
        buf.cap = bigger;
      }
      const ssize_t got = ::read(fd, buf.p.get() + used, buf.cap - used);
      if (got < 0) {
        if (errno == EINTR) continue;
        return std::unexpected(errno);
      }
      if (got == 0) break;
      used += static_cast<std::size_t>(got);
    }
    if (used > max_size) return std::unexpected(EFBIG);
    return secret_buffer(bytes_view(buf.p.get(), used));
  } catch (const std::bad_alloc&) {
    return std::unexpected(ENOMEM);
  }
}

}  // namespace sec5g
