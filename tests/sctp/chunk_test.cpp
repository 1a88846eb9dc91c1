#include "sec5g/sctp/chunk.hpp"

#include <gtest/gtest.h>

#include "sec5g/sctp/build.hpp"

namespace sec5g::sctp {
namespace {

byte_buffer header() {
  return byte_buffer{0x25, 0x0f, 0x96, 0x0c, 0, 0, 0, 1, 0, 0, 0, 0};
}

TEST(Chunks, CommonHeaderNeedsTwelveOctets) {
  const byte_buffer h = header();
  auto ch = decode_common_header(h);
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->src_port, 9487);
  EXPECT_EQ(ch->dst_port, 38412);
  EXPECT_EQ(ch->verification_tag, 1u);
  EXPECT_EQ(decode_common_header(bytes_view(h).first(11)).error().code, decode_errc::truncated);
}

TEST(Chunks, WalkHonoursPaddingAndAcceptsAMissingFinalPad) {
  byte_buffer p = header();
  const std::uint8_t five[5] = {1, 2, 3, 4, 5};
  append_data_chunk(p, {1, 0, 0, 60, false, true, true, five}); // 21 octets + 3 padding
  append_sack_chunk(p, 1, 1000);
  append_cookie_echo_chunk(p, bytes_view(five).first(3)); // 7 octets + 1 padding
  p.pop_back();                                           // last chunk without its pad
  chunk_walker w(p);
  auto c1 = w.next();
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->type, 0);
  EXPECT_EQ(c1->length, 21);
  EXPECT_EQ(c1->value.size(), 17u);
  EXPECT_EQ(c1->offset, 12u);
  auto c2 = w.next();
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->type, 3);
  EXPECT_EQ(c2->offset, 12u + 24);
  auto c3 = w.next();
  ASSERT_TRUE(c3);
  EXPECT_EQ(c3->type, 10);
  EXPECT_EQ(c3->value.size(), 3u);
  EXPECT_FALSE(w.next());
  EXPECT_FALSE(w.failed());
}

TEST(Chunks, BadChunkLengthsStopTheWalk) {
  byte_buffer p = header();
  const std::uint8_t short_len[] = {3, 0, 0, 3};
  p.insert(p.end(), short_len, short_len + 4);
  chunk_walker w(p);
  EXPECT_FALSE(w.next());
  EXPECT_TRUE(w.failed());
  EXPECT_EQ(w.error().code, decode_errc::bad_value);

  byte_buffer q = header();
  const std::uint8_t long_len[] = {0, 3, 0, 40, 1, 2, 3, 4};
  q.insert(q.end(), long_len, long_len + 8);
  chunk_walker w2(q);
  EXPECT_FALSE(w2.next());
  EXPECT_TRUE(w2.failed());
  EXPECT_EQ(w2.error().code, decode_errc::truncated);

  byte_buffer r = header();
  r.push_back(0);
  r.push_back(0);
  chunk_walker w3(r);
  EXPECT_FALSE(w3.next());
  EXPECT_TRUE(w3.failed());
}

TEST(Chunks, DataChunkFieldsAndFlags) {
  byte_buffer p = header();
  const std::uint8_t pl[3] = {9, 8, 7};
  append_data_chunk(p, {0x01020304, 5, 6, 60, true, true, false, pl});
  chunk_walker w(p);
  auto c = w.next();
  ASSERT_TRUE(c);
  auto d = decode_data_chunk(*c);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->i_data);
  EXPECT_EQ(d->tsn, 0x01020304u);
  EXPECT_EQ(d->stream_id, 5);
  EXPECT_EQ(d->ssn, 6);
  EXPECT_EQ(d->ppid, 60u);
  EXPECT_TRUE(d->unordered);
  EXPECT_TRUE(d->begin);
  EXPECT_FALSE(d->end);
  EXPECT_EQ(d->payload.size(), 3u);
  // A DATA chunk with no user data (length 16) is malformed.
  chunk empty = *c;
  empty.value = c->value.first(12);
  EXPECT_EQ(decode_data_chunk(empty).error().code, decode_errc::bad_value);
  empty.value = c->value.first(11);
  EXPECT_EQ(decode_data_chunk(empty).error().code, decode_errc::truncated);
  empty.type = 3;
  EXPECT_EQ(decode_data_chunk(empty).error().code, decode_errc::unsupported);
}

TEST(Chunks, IDataCarriesPpidOnTheFirstFragmentAndFsnOnTheOthers) {
  byte_buffer p = header();
  const std::uint8_t pl[4] = {1, 2, 3, 4};
  append_i_data_chunk(p, {10, 1, 77, 0, 60, false, true, false, pl});
  append_i_data_chunk(p, {11, 1, 77, 1, 60, false, false, true, pl});
  chunk_walker w(p);
  auto d1 = decode_data_chunk(*w.next());
  auto d2 = decode_data_chunk(*w.next());
  ASSERT_TRUE(d1 && d2);
  EXPECT_TRUE(d1->i_data);
  EXPECT_EQ(d1->mid, 77u);
  EXPECT_EQ(d1->ppid, 60u);
  EXPECT_EQ(d1->fsn, 0u);
  EXPECT_EQ(d2->fsn, 1u);
  EXPECT_EQ(d2->ppid, 0u);
}

TEST(Chunks, InitAndInitAckWithCookie) {
  byte_buffer p = header();
  const std::uint8_t cookie[6] = {0xc0, 0x0c, 0x1e, 1, 2, 3};
  append_init_ack_chunk(p, {0xdeadbeef, 5000, 3, 4, 77}, cookie);
  chunk_walker w(p);
  auto c = w.next();
  ASSERT_TRUE(c);
  auto i = decode_init_chunk(*c);
  ASSERT_TRUE(i);
  EXPECT_EQ(i->initiate_tag, 0xdeadbeefu);
  EXPECT_EQ(i->a_rwnd, 5000u);
  EXPECT_EQ(i->outbound_streams, 3);
  EXPECT_EQ(i->inbound_streams, 4);
  EXPECT_EQ(i->initial_tsn, 77u);
  const bytes_view found = find_state_cookie(i->parameters);
  EXPECT_TRUE(std::equal(found.begin(), found.end(), cookie, cookie + 6));
  byte_buffer q = header();
  append_init_chunk(q, {0, 1, 1, 1, 1});
  chunk_walker w2(q);
  EXPECT_EQ(decode_init_chunk(*w2.next()).error().code, decode_errc::bad_value);
}

} // namespace
} // namespace sec5g::sctp
