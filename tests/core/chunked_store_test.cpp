// chunked_store: elements keep their address as the store grows; indexing across chunks.
#include "sec5g/core/chunked_store.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using sec5g::chunked_store;

TEST(ChunkedStore, ElementsStayInPlaceAndKeepTheirValuesAcrossChunks) {
  chunked_store<std::string> s(3);  // rounded up to 4 per chunk
  std::vector<const std::string*> where;
  for (int i = 0; i < 37; ++i) {
    std::string& e = s.emplace_back();
    e = "element " + std::to_string(i) + " with a heap-allocated text";
    where.push_back(&e);
  }
  ASSERT_EQ(s.size(), 37u);
  EXPECT_EQ(s.capacity(), 40u);  // 10 chunks of 4
  for (int i = 0; i < 37; ++i) {
    EXPECT_EQ(&s[static_cast<std::size_t>(i)], where[static_cast<std::size_t>(i)]);
    EXPECT_EQ(s[static_cast<std::size_t>(i)],
              "element " + std::to_string(i) + " with a heap-allocated text");
  }
  std::size_t n = 0;
  s.for_each([&](const std::string& e) {
    EXPECT_EQ(e, "element " + std::to_string(n) + " with a heap-allocated text");
    ++n;
  });
  EXPECT_EQ(n, 37u);
}

TEST(ChunkedStore, NewElementsAreDefaultConstructed) {
  chunked_store<int> s(0);  // at least one element per chunk
  EXPECT_EQ(s.capacity(), 0u);
  EXPECT_EQ(s.emplace_back(), 0);
  s[0] = 7;
  EXPECT_EQ(s.emplace_back(), 0);
  EXPECT_EQ(s[0], 7);
  EXPECT_EQ(s.capacity(), 2u);
}

}  // namespace
