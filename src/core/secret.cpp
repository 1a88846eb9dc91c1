#include "sec5g/core/secret.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <new>

namespace sec5g {

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
void secret_buffer::truncate(std::size_t n) noexcept {
  if (n >= data_.size()) return;
  secure_zero(mutable_view().subspan(n));
  data_.resize(n);
}

std::expected<secret_buffer, int> read_secret_file(const std::string& path,
                                                    std::size_t max_size) noexcept {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(errno);
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } close_fd{fd};
  struct stat st{};
  std::size_t cap = 4096;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    cap = static_cast<std::size_t>(st.st_size) + 1;  // + 1: the end of the file is seen at once
  if (cap > max_size + 1) cap = max_size + 1;
  std::size_t used = 0;
  try {
    // The file is read straight into the buffer returned (zeroized whenever it is dropped:
    // grown, error, done), so a regular file's octets exist once.
    secret_buffer buf(cap);
    while (true) {
      if (used == buf.size()) {
        if (buf.size() > max_size) return std::unexpected(EFBIG);
        secret_buffer bigger(std::min(buf.size() * 2, max_size + 1));
        std::copy_n(buf.view().data(), used, bigger.mutable_view().data());
        buf = std::move(bigger);
      }
      const ssize_t got = ::read(fd, buf.mutable_view().data() + used, buf.size() - used);
      if (got < 0) {
        if (errno == EINTR) continue;
        return std::unexpected(errno);
      }
      if (got == 0) break;
      used += static_cast<std::size_t>(got);
    }
    if (used > max_size) return std::unexpected(EFBIG);
    buf.truncate(used);
    return buf;
  } catch (const std::bad_alloc&) {
    return std::unexpected(ENOMEM);
  }
}

}  // namespace sec5g
