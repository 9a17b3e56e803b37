#include "lean/process/tail_buffer.h"

#include <gtest/gtest.h>

#include <string>

namespace guestbackup::process {
namespace {

TEST(TailBufferTest, KeepsEverythingUnderTheLimit) {
  TailBuffer tail(10);
  tail.Append("abc");
  tail.Append("defghij");
  EXPECT_FALSE(tail.truncated());
  EXPECT_EQ(tail.Take(), "abcdefghij");
}

TEST(TailBufferTest, KeepsTheLastBytesAcrossChunks) {
  TailBuffer tail(4);
  tail.Append("abc");
  tail.Append("def");
  EXPECT_TRUE(tail.truncated());
  EXPECT_EQ(tail.Take(), "cdef");
}

TEST(TailBufferTest, OneChunkLargerThanTheLimit) {
  TailBuffer tail(3);
  tail.Append("abcdefg");
  EXPECT_TRUE(tail.truncated());
  EXPECT_EQ(tail.Take(), "efg");
}

TEST(TailBufferTest, ChunkOfExactlyTheLimitIsNotTruncation) {
  TailBuffer tail(3);
  tail.Append("abc");
  EXPECT_FALSE(tail.truncated());
  EXPECT_EQ(tail.Take(), "abc");
}

TEST(TailBufferTest, ManySmallAppends) {
  TailBuffer tail(5);
  std::string all;
  for (int i = 0; i < 1000; ++i) {
    std::string chunk(1, static_cast<char>('a' + i % 26));
    tail.Append(chunk);
    all += chunk;
  }
  EXPECT_TRUE(tail.truncated());
  EXPECT_EQ(tail.Take(), all.substr(all.size() - 5));
}

TEST(TailBufferTest, ZeroLimitKeepsNothing) {
  TailBuffer tail(0);
  tail.Append("");
  EXPECT_FALSE(tail.truncated());
  tail.Append("x");
  EXPECT_TRUE(tail.truncated());
  EXPECT_EQ(tail.Take(), "");
}

}  // namespace
}  // namespace guestbackup::process
