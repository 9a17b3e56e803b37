// Due times as elapse + jitter, and when a run counts as missed.
#include "lean/schedule/due_times.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "lean/schedule/calendar_spec.h"
#include "support/utc_time.h"

namespace guestbackup::schedule {
namespace {

using testing::kMinuteMs;
using testing::Utc;

schedule::CalendarSpec Spec(const char* text) {
  auto spec = schedule::ParseCalendar(text);
  EXPECT_TRUE(spec.ok()) << text;
  return spec.ok() ? spec.value() : schedule::CalendarSpec{};
}

TEST(DueTimesTest, NextDueIsTheElapsePlusJitterStrictlyAfterTheGivenTime) {
  const auto daily = Spec("*-*-* 02:00:00 UTC");
  const std::int64_t jitter = 17 * kMinuteMs;
  struct Case {
    std::int64_t after;
    std::int64_t due;
  } cases[] = {
      {Utc(2026, 11, 24, 1, 0), Utc(2026, 11, 24, 2, 17)},
      {Utc(2026, 11, 24, 2, 5), Utc(2026, 11, 24, 2, 17)},  // elapsed, but not yet due
      {Utc(2026, 11, 24, 2, 17) - 1, Utc(2026, 11, 24, 2, 17)},
      {Utc(2026, 11, 24, 2, 17), Utc(2026, 11, 25, 2, 17)},  // strictly after
      {Utc(2026, 11, 24, 23, 0), Utc(2026, 11, 25, 2, 17)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(NextDueMs(daily, jitter, c.after), c.due) << c.after;
  }
  EXPECT_EQ(NextDueMs(Spec("2020-01-01 00:00:00 UTC"), 0, Utc(2026, 1, 1)), std::nullopt);
}

TEST(DueTimesTest, MissedMeansADueTimeFellBetweenTheLastRunAndNow) {
  const auto daily = Spec("*-*-* 02:00:00 UTC");
  const std::int64_t last = Utc(2026, 11, 20, 2, 1);
  EXPECT_FALSE(MissedARun(daily, 0, last, Utc(2026, 11, 21, 1, 59)));
  EXPECT_TRUE(MissedARun(daily, 0, last, Utc(2026, 11, 21, 2, 0)));
  EXPECT_TRUE(MissedARun(daily, 0, last, Utc(2026, 11, 24, 9, 0)));  // three missed: one answer
  // With jitter the slot is only missed once its delayed start has passed ...
  const std::int64_t jitter = 30 * kMinuteMs;
  const std::int64_t last_jittered = Utc(2026, 11, 20, 2, 31);
  EXPECT_FALSE(MissedARun(daily, jitter, last_jittered, Utc(2026, 11, 21, 2, 29)));
  EXPECT_TRUE(MissedARun(daily, jitter, last_jittered, Utc(2026, 11, 21, 2, 30)));
  // ... and a run that began between the elapse and the delayed start did not cover it.
  EXPECT_TRUE(MissedARun(daily, jitter, last, Utc(2026, 11, 20, 2, 30)));
  // A manual run after the due time covers it.
  EXPECT_FALSE(MissedARun(daily, 0, Utc(2026, 11, 21, 3, 0), Utc(2026, 11, 21, 9, 0)));
}

}  // namespace
}  // namespace guestbackup::schedule
