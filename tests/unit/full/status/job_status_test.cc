// Next run and OVERDUE, table-driven with an injected "now" (schedules in UTC, so the machine's
// zone does not matter).
#include "full/status/job_status.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "lean/base/civil_time.h"
#include "lean/schedule/next_elapse.h"

namespace guestbackup::status {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

// "2026-11-24 10:00" (UTC) in unix epoch milliseconds.
std::int64_t At(const std::string& text) {
  std::tm tm{};
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                        &tm.tm_hour, &tm.tm_min),
            5)
      << text;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(TimeFromUtcTm(&tm)) * 1000;
}

policy::JobSpec Job(std::string schedule, std::chrono::seconds delay = std::chrono::seconds(0)) {
  policy::JobSpec job;
  job.name = "etc";
  job.schedule = std::move(schedule);
  job.randomized_delay = delay;
  return job;
}

struct Case {
  std::string name;
  std::string schedule;
  std::string now;
  std::optional<std::string> last_success;
  std::optional<std::string> known_since;
  std::optional<std::string> next_run;  // nullopt: none
  std::optional<std::string> last_due;
  std::int64_t period_ms;
  bool overdue;
};

// 2026-11-24 is a Tuesday.
const Case kCases[] = {
    {"ran today",
     "*-*-* 02:00:00 UTC",
     "2026-11-24 10:00",
     "2026-11-24 02:05",
     {},
     "2026-11-25 02:00",
     "2026-11-24 02:00",
     kDay,
     false},
    {"today's run not done yet",
     "*-*-* 02:00:00 UTC",
     "2026-11-24 10:00",
     "2026-11-23 02:05",
     {},
     "2026-11-25 02:00",
     "2026-11-24 02:00",
     kDay,
     false},
    {"a whole day past a missed run",
     "*-*-* 02:00:00 UTC",
     "2026-11-24 10:00",
     "2026-11-22 02:05",
     {},
     "2026-11-25 02:00",
     "2026-11-24 02:00",
     kDay,
     true},
    {"success exactly at the previous due time",
     "*-*-* 02:00:00 UTC",
     "2026-11-24 10:00",
     "2026-11-23 02:00",
     {},
     "2026-11-25 02:00",
     "2026-11-24 02:00",
     kDay,
     false},
    {"never ran, expected for days",
     "*-*-* 02:00:00 UTC",
     "2026-11-24 10:00",
     {},
     "2026-11-20 12:00",
     "2026-11-25 02:00",
     "2026-11-24 02:00",
     kDay,
     true},
    {"never ran, added this morning",
     "*-*-* 02:00:00 UTC",
     "2026-11-24 10:00",
     {},
     "2026-11-24 08:00",
     "2026-11-25 02:00",
     "2026-11-24 02:00",
     kDay,
     false},
    {"never ran, nothing known",
     "*-*-* 02:00:00 UTC",
     "2026-11-24 10:00",
     {},
     {},
     "2026-11-25 02:00",
     "2026-11-24 02:00",
     kDay,
     false},
    {"weekdays: Friday's run covers the weekend",
     "Mon..Fri *-*-* 02:00:00 UTC",
     "2026-11-23 10:00",
     "2026-11-20 02:10",
     {},
     "2026-11-24 02:00",
     "2026-11-23 02:00",
     3 * kDay,
     false},
    {"weekdays: Friday missed",
     "Mon..Fri *-*-* 02:00:00 UTC",
     "2026-11-23 10:00",
     "2026-11-19 02:10",
     {},
     "2026-11-24 02:00",
     "2026-11-23 02:00",
     3 * kDay,
     true},
    {"hourly, one hour late",
     "hourly UTC",
     "2026-11-24 10:30",
     "2026-11-24 09:00",
     {},
     "2026-11-24 11:00",
     "2026-11-24 10:00",
     kHour,
     false},
    {"hourly, two hours late",
     "hourly UTC",
     "2026-11-24 10:30",
     "2026-11-24 08:59",
     {},
     "2026-11-24 11:00",
     "2026-11-24 10:00",
     kHour,
     true},
    {"yearly",
     "yearly UTC",
     "2026-11-24 10:00",
     "2025-01-01 00:01",
     {},
     "2027-01-01 00:00",
     "2026-01-01 00:00",
     365 * kDay,
     false},
    {"a date that has passed",
     "2020-03-01 00:00:00 UTC",
     "2026-11-24 10:00",
     {},
     "2019-01-01 00:00",
     {},
     {},
     0,
     false},
};

TEST(JobTiming, Table) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    JobTimingInput input;
    if (c.last_success) input.last_success_ms = At(*c.last_success);
    if (c.known_since) input.known_since_ms = At(*c.known_since);
    input.machine_id = "0123456789abcdef0123456789abcdef";
    input.now_ms = At(c.now);
    const JobTiming t = ComputeJobTiming(Job(c.schedule), input);
    EXPECT_FALSE(t.manual);
    EXPECT_EQ(t.next_run_ms, c.next_run ? std::optional(At(*c.next_run)) : std::nullopt);
    EXPECT_EQ(t.last_due_ms, c.last_due ? std::optional(At(*c.last_due)) : std::nullopt);
    if (c.last_due) {
      EXPECT_EQ(t.period_ms, c.period_ms);
    }
    EXPECT_EQ(t.overdue, c.overdue);
  }
}

TEST(JobTiming, ManualJobHasNoNextRunAndIsNeverOverdue) {
  JobTimingInput input;
  input.now_ms = At("2026-11-24 10:00");
  input.known_since_ms = At("2020-01-01 00:00");
  const JobTiming t = ComputeJobTiming(Job(""), input);
  EXPECT_TRUE(t.manual);
  EXPECT_EQ(t.next_run_ms, std::nullopt);
  EXPECT_FALSE(t.overdue);
}

TEST(JobTiming, NextRunAddsTheJobsJitterAndKeepsADueRunThatIsStillWaiting) {
  const std::string machine = "0123456789abcdef0123456789abcdef";
  const std::int64_t jitter = schedule::JitterFor(machine, "etc", std::chrono::hours(1)).count();
  ASSERT_GE(jitter, 0);
  ASSERT_LT(jitter, kHour);
  JobTimingInput input;
  input.machine_id = machine;
  // Just after today's elapse, the run due at 02:00 is still waiting for its jitter...
  input.now_ms = At("2026-11-24 02:00") + jitter - 1;
  EXPECT_EQ(ComputeJobTiming(Job("*-*-* 02:00:00 UTC", std::chrono::hours(1)), input).next_run_ms,
            At("2026-11-24 02:00") + jitter);
  // ...and once it has started, the next is tomorrow's.
  input.now_ms = At("2026-11-24 02:00") + jitter;
  EXPECT_EQ(ComputeJobTiming(Job("*-*-* 02:00:00 UTC", std::chrono::hours(1)), input).next_run_ms,
            At("2026-11-25 02:00") + jitter);
}

}  // namespace
}  // namespace guestbackup::status
