// The token bucket's arithmetic on a clock the test moves: the average is the rate, a pause
// saves up at most a twentieth of a second, and rate changes take effect at once.
#include "full/bandwidth/token_bucket.h"

#include <gtest/gtest.h>

namespace guestbackup::bandwidth {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;

constexpr policy::ByteRate kRate = 1024 * 1024;  // 1 MiB/s

double Seconds(std::chrono::nanoseconds wait) {
  return std::chrono::duration<double>(wait).count();
}

TEST(TokenBucket, UnlimitedNeverWaits) {
  TokenBucket bucket;
  EXPECT_EQ(bucket.Take(1 << 30, Clock::time_point(1s)), 0ns);
  EXPECT_EQ(TokenBucket::ChunkFor(policy::kUnlimited), 256u * 1024);
}

TEST(TokenBucket, ASteadyStreamWaitsAsLongAsTheRateSays) {
  TokenBucket bucket(kRate);
  Clock::time_point now(10s);
  std::chrono::nanoseconds waited{0};
  // 64 chunks of 64 KiB = 4 MiB, each sent when the previous wait is over: 4 s in all.
  for (int i = 0; i < 64; ++i) {
    const auto wait = bucket.Take(64 * 1024, now);
    waited += wait;
    now += wait;
  }
  EXPECT_NEAR(std::chrono::duration<double>(waited).count(), 4.0, 0.001);
}

TEST(TokenBucket, APauseSavesUpAtMostATwentiethOfASecond) {
  TokenBucket bucket(kRate);
  Clock::time_point now(10s);
  (void)bucket.Take(1, now);
  now += 1h;
  EXPECT_EQ(bucket.Take(kRate / 20, now), 0ns);              // the saved-up burst
  EXPECT_NEAR(Seconds(bucket.Take(kRate, now)), 1.0, 1e-6);  // the rest at the rate
}

TEST(TokenBucket, ANewRateAppliesToWhatIsTakenNext) {
  TokenBucket bucket(kRate);
  Clock::time_point now(10s);
  // A new bucket has no burst saved up: the first take waits.
  EXPECT_NEAR(Seconds(bucket.Take(kRate / 2, now)), 0.5, 1e-6);
  now += 500ms;
  bucket.SetRate(2 * kRate, now);
  EXPECT_NEAR(Seconds(bucket.Take(kRate, now)), 0.5, 1e-6);
  bucket.SetRate(policy::kUnlimited, now);
  EXPECT_EQ(bucket.Take(kRate, now), 0ns);
  // From unlimited back to a rate: no burst saved up while unlimited.
  bucket.SetRate(kRate, now + 1h);
  EXPECT_NEAR(Seconds(bucket.Take(kRate / 2, now + 1h)), 0.5, 1e-6);
}

TEST(TokenBucket, ChunksAreAFiftiethOfASecondWithinBounds) {
  EXPECT_EQ(TokenBucket::ChunkFor(kRate), kRate / 50);
  EXPECT_EQ(TokenBucket::ChunkFor(10 * 1024), 1024u);
  EXPECT_EQ(TokenBucket::ChunkFor(1024ull * 1024 * 1024), 256u * 1024);
}

}  // namespace
}  // namespace guestbackup::bandwidth
