// A growable array of T in fixed-size chunks: elements never move once created.
//
// std::vector doubles its storage and moves every element when it grows; for the tracker's
// UE records (~0.5 KiB each, tens of thousands) that move showed up at 2.5% of a registration
// storm's audit, and it briefly holds the old and the new storage together (1.5x the table).
// Here growth adds one chunk; indexes and references stay valid; memory grows by one chunk at
// a time. The elements of a chunk are default-constructed when the chunk is allocated and
// destroyed with the store; size() counts those handed out by emplace_back().
#pragma once

#include <bit>
#include <cstddef>
#include <memory>
#include <vector>

namespace sec5g {

template <class T>
class chunked_store {
 public:
  /// `chunk` elements per chunk, rounded up to a power of two (indexing is a shift and a mask).
  explicit chunked_store(std::size_t chunk = 1024)
      : shift_(static_cast<unsigned>(std::countr_zero(std::bit_ceil(chunk == 0 ? 1 : chunk)))),
        chunk_(std::size_t{1} << shift_) {}

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Elements the allocated chunks hold (size() rounded up to whole chunks).
  [[nodiscard]] std::size_t capacity() const noexcept { return chunks_.size() * chunk_; }

  /// Appends a default-constructed element and returns it.
  T& emplace_back() {
    if (size_ == capacity()) chunks_.push_back(std::make_unique<T[]>(chunk_));
    return (*this)[size_++];
  }

  T& operator[](std::size_t i) noexcept { return chunks_[i >> shift_][i & (chunk_ - 1)]; }
  const T& operator[](std::size_t i) const noexcept {
    return chunks_[i >> shift_][i & (chunk_ - 1)];
  }

  /// Calls f(element) for every appended element, in index order.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < size_; ++i) f((*this)[i]);
  }

 private:
  unsigned shift_;
  std::size_t chunk_;
  std::size_t size_ = 0;
  std::vector<std::unique_ptr<T[]>> chunks_;
};

}  // namespace sec5g
