// Retries of kopia commands: which failures are retried, how long each pause is, that the
// attempts are bounded and a stop request ends them.
#include "full/runner/retry.h"

#include <gtest/gtest.h>

#include "full/kopia/kopia_errors.h"

namespace guestbackup::runner {
namespace {

using namespace std::chrono_literals;

const Status kUnreachable = kopia::ClassifyKopiaFailure(
    "connect to https://h:51515",
    "kopia: error: dial tcp 10.0.0.1:51515: connect: connection refused");

constexpr RetryPolicy kQuick{4, 1ms, 4ms};

TEST(RetryDelay, DoublesUpToTheLimitTimesTheJitter) {
  const RetryPolicy policy;  // 2 s, at most 30 s
  EXPECT_EQ(RetryDelay(policy, 1, 1.0), 2s);
  EXPECT_EQ(RetryDelay(policy, 2, 1.0), 4s);
  EXPECT_EQ(RetryDelay(policy, 3, 1.0), 8s);
  EXPECT_EQ(RetryDelay(policy, 5, 1.0), 30s);
  EXPECT_EQ(RetryDelay(policy, 40, 1.0), 30s);
  EXPECT_EQ(RetryDelay(policy, 1, 0.5), 1s);
  EXPECT_EQ(RetryDelay(policy, 2, 1.5), 6s);
}

TEST(Retrier, RetriesAnUnreachableServerAtMostUntilTheAttemptsAreUsed) {
  ASSERT_TRUE(kopia::IsServerUnreachable(kUnreachable)) << kUnreachable.ToString();
  Retrier retrier("connect", nullptr, kQuick);
  EXPECT_TRUE(retrier.Again(kUnreachable));
  EXPECT_TRUE(retrier.Again(kUnreachable));
  EXPECT_TRUE(retrier.Again(kUnreachable));
  EXPECT_FALSE(retrier.Again(kUnreachable));  // 4 attempts in all
  EXPECT_EQ(retrier.retries(), 3);
}

TEST(Retrier, LeavesFailuresThatWaitingDoesNotFix) {
  Retrier retrier("connect", nullptr, kQuick);
  EXPECT_FALSE(retrier.Again(kopia::ClassifyKopiaFailure(
      "connect", "rpc error: code = Unauthenticated desc = access denied")));
  EXPECT_FALSE(retrier.Again(kopia::ClassifyKopiaFailure(
      "connect", "can't find certificate matching SHA256 fingerprint \"ab\" (server had [cd])")));
  EXPECT_FALSE(retrier.Again(Failed("snapshot of /srv: unexpected")));
  EXPECT_EQ(retrier.retries(), 0);
}

TEST(Retrier, AStopRequestEndsThePause) {
  std::atomic<bool> cancel{true};
  Retrier retrier("connect", &cancel, RetryPolicy{4, 1h, 1h});
  EXPECT_FALSE(retrier.Again(kUnreachable));
}

TEST(Retrier, TheTimeLimitOfAConnectionCountsAsUnreachable) {
  EXPECT_TRUE(kopia::IsServerUnreachable(
      Unavailable("connect to https://h:1: server unreachable: no answer within 2 minutes")));
}

}  // namespace
}  // namespace guestbackup::runner
