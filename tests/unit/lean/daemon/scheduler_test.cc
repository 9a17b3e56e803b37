// The scheduler against a fake clock: runs at the due times and nothing in between, jitter,
// catch-up after a power-off or a suspend, the parallelism cap, one run per job, reload, and
// the shutdown grace.
#include "lean/daemon/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "lean/policy/policy_loader.h"
#include "lean/schedule/next_elapse.h"
#include "scheduler_harness.h"

namespace guestbackup::daemon {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kMachine = "0123456789abcdef0123456789abcdef";

// A directory of the system the tests run on (a policy's paths are absolute there).
#if defined(_WIN32)
constexpr const char* kDataRoot = "C:/srv/";
#else
constexpr const char* kDataRoot = "/srv/";
#endif

std::string Job(const std::string& name, const std::string& schedule,
                const std::string& extra = "") {
  return "  " + name + ":\n    paths: [" + kDataRoot + name + "]\n    schedule: \"" + schedule +
         "\"\n" + extra;
}

std::vector<RecordedRun> RunsOf(const std::vector<RecordedRun>& runs, const std::string& job) {
  std::vector<RecordedRun> out;
  std::copy_if(runs.begin(), runs.end(), std::back_inserter(out),
               [&](const RecordedRun& r) { return r.job == job; });
  return out;
}

// A gate the scripted runs wait at until the test opens it.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until opened or `cancel` is set; returns whether it was cancelled.
  bool Wait(const std::atomic<bool>* cancel) {
    std::unique_lock lock(mu_);
    while (!open_) {
      if (cancel != nullptr && cancel->load()) return true;
      cv_.wait_for(lock, std::chrono::milliseconds(1));
    }
    return false;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST(SchedulerTest, RunsEachJobAtItsDueTimesAndSleepsUntilTheNextOne) {
  const std::int64_t start = Utc(2026, 11, 24, 0, 30);
  SchedulerHarness h({.start_ms = start,
                      .jobs_yaml = Job("etc", "*-*-* 02:00:00 UTC") + Job("db", "*-*-* 0/6:15")});
  h.Start();
  h.RunUntil(start + 2 * kDayMs);
  const auto runs = h.Runs();
  EXPECT_THAT(RunsOf(runs, "etc"), ElementsAre(RecordedRun{"etc", "daemon", Utc(2026, 11, 24, 2)},
                                               RecordedRun{"etc", "daemon", Utc(2026, 11, 25, 2)}));
  std::vector<std::int64_t> db_starts;
  for (const auto& r : RunsOf(runs, "db")) db_starts.push_back(r.start_ms);
  EXPECT_THAT(db_starts, ElementsAre(Utc(2026, 11, 24, 6, 15), Utc(2026, 11, 24, 12, 15),
                                     Utc(2026, 11, 24, 18, 15), Utc(2026, 11, 25, 0, 15),
                                     Utc(2026, 11, 25, 6, 15), Utc(2026, 11, 25, 12, 15),
                                     Utc(2026, 11, 25, 18, 15), Utc(2026, 11, 26, 0, 15)));
  EXPECT_EQ(runs.size(), 10u);
  EXPECT_TRUE(h.Stop().ok());

  // No polling: every timed wait was for a due time (a finished run's wake-up is a wait
  // with the same deadline), never a shorter tick.
  std::set<std::int64_t> due_times;
  for (const auto& r : runs) due_times.insert(r.start_ms);
  due_times.insert(Utc(2026, 11, 26, 2));      // etc's next, pending at the end
  due_times.insert(Utc(2026, 11, 26, 6, 15));  // db's next
  for (std::int64_t deadline : h.clock().Deadlines()) {
    EXPECT_TRUE(due_times.count(deadline) == 1) << deadline;
  }
}

TEST(SchedulerTest, JitterDelaysEachJobByItsOwnStableAmount) {
  const std::int64_t start = Utc(2026, 11, 24, 0, 0);
  const std::string jobs = Job("etc", "*-*-* 02:00:00 UTC", "    randomized_delay: 30m\n") +
                           Job("home", "*-*-* 02:00:00 UTC", "    randomized_delay: 30m\n");
  const auto etc_jitter = schedule::JitterFor(kMachine, "etc", std::chrono::minutes(30)).count();
  const auto home_jitter = schedule::JitterFor(kMachine, "home", std::chrono::minutes(30)).count();
  ASSERT_NE(etc_jitter, home_jitter);
  for (auto jitter : {etc_jitter, home_jitter}) {
    EXPECT_GE(jitter, 0);
    EXPECT_LT(jitter, 30 * kMinuteMs);
  }

  SchedulerHarness h({.start_ms = start, .jobs_yaml = jobs});
  h.Start();
  h.RunUntil(start + 2 * kDayMs);
  EXPECT_THAT(RunsOf(h.Runs(), "etc"),
              ElementsAre(RecordedRun{"etc", "daemon", Utc(2026, 11, 24, 2) + etc_jitter},
                          RecordedRun{"etc", "daemon", Utc(2026, 11, 25, 2) + etc_jitter}));
  EXPECT_THAT(RunsOf(h.Runs(), "home"),
              ElementsAre(RecordedRun{"home", "daemon", Utc(2026, 11, 24, 2) + home_jitter},
                          RecordedRun{"home", "daemon", Utc(2026, 11, 25, 2) + home_jitter}));
  const auto before_restart = h.scheduler().Upcoming();
  EXPECT_TRUE(h.Stop().ok());

  // A restart at the same moment plans the same start times: nothing reshuffles.
  SchedulerHarness again({.start_ms = start + 2 * kDayMs, .jobs_yaml = jobs});
  again.Start();
  again.AwaitIdle();
  const auto after_restart = again.scheduler().Upcoming();
  ASSERT_EQ(after_restart.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(after_restart[i].job, before_restart[i].job);
    EXPECT_EQ(after_restart[i].due_ms, before_restart[i].due_ms);
  }
}

// The machine was off for three days: each job that missed runs and wants catch-up runs
// once at boot, not once per missed slot; catch_up: false waits for its next slot.
TEST(SchedulerTest, ThreeDayPowerOffRunsEachMissedJobOnce) {
  const std::int64_t last = Utc(2026, 11, 20, 2);
  const std::int64_t boot = last + 3 * kDayMs + 5 * kHourMs;  // 11-23 07:00
  SchedulerHarness h(
      {.start_ms = boot,
       .jobs_yaml = Job("etc", "*-*-* 02:00:00 UTC") + Job("logs", "hourly") +
                    Job("tmp", "*-*-* 02:00:00 UTC", "    catch_up: false\n") +
                    Job("fresh", "*-*-* 02:00:00 UTC") + Job("weekly", "Mon *-*-* 03:00 UTC"),
       .max_parallel = 8,
       .last_runs = {{"etc", last}, {"logs", last}, {"tmp", last}, {"weekly", last}}});
  h.Start();
  h.AwaitIdle();
  auto runs = h.Runs();
  std::sort(runs.begin(), runs.end(),
            [](const RecordedRun& a, const RecordedRun& b) { return a.job < b.job; });
  // 11-20 was a Friday; the weekly job's next slot (Mon 11-23 03:00) passed too.
  EXPECT_THAT(
      runs, ElementsAre(RecordedRun{"etc", "catch-up", boot}, RecordedRun{"logs", "catch-up", boot},
                        RecordedRun{"weekly", "catch-up", boot}));
  EXPECT_THAT(h.Log(), HasSubstr("job tmp: missed its run due 2026-11-21 02:00:00; not caught "
                                 "up (catch_up: false)"));
  EXPECT_THAT(h.Log(), HasSubstr("job etc: missed its run due 2026-11-21 02:00:00 (last run "
                                 "2026-11-20 02:00:00); catching up once"));

  // Afterwards the ordinary schedule resumes.
  h.RunUntil(Utc(2026, 11, 24, 2, 30));
  const auto later = h.Runs();
  ASSERT_EQ(later.size(), 3u + 19u + 3u);  // logs 08:00..02:00 hourly; etc, tmp, fresh at 02:00
  EXPECT_EQ(RunsOf(later, "tmp").size(), 1u);
  EXPECT_EQ(RunsOf(later, "tmp")[0], (RecordedRun{"tmp", "daemon", Utc(2026, 11, 24, 2)}));
  EXPECT_EQ(RunsOf(later, "fresh").size(), 1u);  // never ran before: nothing to catch up
}

TEST(SchedulerTest, LongSuspendCatchesUpOnceAndSkipsJobsWithoutCatchUp) {
  const std::int64_t start = Utc(2026, 11, 24, 1, 0);
  SchedulerHarness h({.start_ms = start,
                      .jobs_yaml = Job("etc", "*-*-* 02:00:00 UTC") + Job("logs", "hourly") +
                                   Job("tmp", "*-*-* 02:00:00 UTC", "    catch_up: false\n"),
                      .max_parallel = 8});
  h.Start();
  h.AwaitIdle();
  h.clock().Suspend(3 * kDayMs + 30 * kMinuteMs);  // resumes 11-27 01:30
  h.AwaitIdle();
  const std::int64_t resume = start + 3 * kDayMs + 30 * kMinuteMs;
  auto runs = h.Runs();
  std::sort(runs.begin(), runs.end(),
            [](const RecordedRun& a, const RecordedRun& b) { return a.job < b.job; });
  EXPECT_THAT(runs, ElementsAre(RecordedRun{"etc", "catch-up", resume},
                                RecordedRun{"logs", "catch-up", resume}));
  EXPECT_THAT(h.Log(), HasSubstr("job tmp: missed its run due 2026-11-24 02:00:00 while "
                                 "suspended; not caught up (catch_up: false)"));
  // Then on schedule again: logs at 02:00, all three at 02:00.
  h.RunUntil(Utc(2026, 11, 27, 2, 0));
  const auto after = h.Runs();
  EXPECT_EQ(after.size(), 5u);
  EXPECT_EQ(RunsOf(after, "tmp"),
            (std::vector<RecordedRun>{{"tmp", "daemon", Utc(2026, 11, 27, 2)}}));
}

TEST(SchedulerTest, NeverRunsMoreThanMaxParallelAtOnce) {
  const std::int64_t start = Utc(2026, 11, 24, 1, 0);
  std::string jobs;
  for (const char* name : {"a", "b", "c", "d", "e"}) jobs += Job(name, "*-*-* 02:00:00 UTC");
  SchedulerHarness h({.start_ms = start, .jobs_yaml = jobs, .max_parallel = 2});
  std::mutex mu;
  int running = 0, most = 0;
  Gate gate;
  h.SetRunner([&](const RecordedRun&, const RunRequest& request) {
    {
      std::lock_guard lock(mu);
      most = std::max(most, ++running);
    }
    gate.Wait(request.cancel);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::lock_guard lock(mu);
    --running;
    return contract::RunStatus::kSucceeded;
  });
  h.Start();
  h.clock().SetNow(h.AwaitIdle());
  h.AwaitSleeping();
  h.AwaitRuns(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a third would start by now
  EXPECT_EQ(h.Runs().size(), 2u);
  EXPECT_EQ(h.scheduler().ActiveRuns(), 2);
  gate.Open();
  h.AwaitIdle();
  EXPECT_EQ(h.Runs().size(), 5u);
  EXPECT_EQ(most, 2);
  EXPECT_TRUE(h.Stop().ok());
}

TEST(SchedulerTest, ASlowRunIsNeverJoinedBySecondRunOfTheSameJob) {
  const std::int64_t start = Utc(2026, 11, 24, 1, 0);
  SchedulerHarness h({.start_ms = start, .jobs_yaml = Job("etc", "minutely"), .max_parallel = 4});
  Gate gate;
  std::atomic<int> calls{0};
  h.SetRunner([&](const RecordedRun&, const RunRequest& request) {
    if (calls++ == 0) gate.Wait(request.cancel);
    return contract::RunStatus::kSucceeded;
  });
  h.Start();
  h.clock().SetNow(h.AwaitSleeping());
  h.AwaitRuns(1);
  for (int minute = 2; minute <= 3; ++minute) {
    h.clock().SetNow(h.AwaitSleeping());
  }
  h.AwaitSleeping();
  EXPECT_EQ(h.Runs().size(), 1u);
  EXPECT_EQ(h.Runs()[0], (RecordedRun{"etc", "daemon", start + kMinuteMs}));
  EXPECT_THAT(h.Log(), HasSubstr("job etc: still running; this run (daemon) is skipped"));
  gate.Open();
  h.RunUntil(start + 4 * kMinuteMs);
  EXPECT_EQ(h.Runs().size(), 2u);
  EXPECT_EQ(h.Runs().back(), (RecordedRun{"etc", "daemon", start + 4 * kMinuteMs}));
}

TEST(SchedulerTest, ReloadWithABrokenFileKeepsTheOldScheduleAndLogsEveryDiagnostic) {
  const std::int64_t start = Utc(2026, 11, 24, 1, 0);
  SchedulerHarness h({.start_ms = start, .jobs_yaml = Job("etc", "*-*-* 02:00:00 UTC")});
  h.Start();
  EXPECT_EQ(h.AwaitIdle(), Utc(2026, 11, 24, 2));

  h.WriteJobs(Job("etc", "*-*-* 03:00:00 UTC") + "    keep_dayly: 3\n" +
              "  home:\n    paths: relative\n");
  const policy::LoadResult broken = policy::LoadPolicyFile(h.policy_path());
  ASSERT_GE(broken.diagnostics.size(), 2u);
  h.scheduler().RequestReload();
  EXPECT_EQ(h.AwaitIdle(), Utc(2026, 11, 24, 2));
  const std::string log = h.Log();
  for (const auto& d : broken.diagnostics) {
    std::istringstream lines(policy::FormatDiagnostic(d));
    for (std::string line; std::getline(lines, line);) EXPECT_THAT(log, HasSubstr(line));
  }
  EXPECT_THAT(log, HasSubstr(h.policy_path() + ":"));
  EXPECT_THAT(log, HasSubstr("policy not reloaded; keeping the last good policy (1 scheduled "
                             "job(s))"));
  h.RunUntil(Utc(2026, 11, 24, 2, 30));
  EXPECT_THAT(h.Runs(), ElementsAre(RecordedRun{"etc", "daemon", Utc(2026, 11, 24, 2)}));

  // A good file takes over.
  h.WriteJobs(Job("etc", "*-*-* 03:00:00 UTC") + Job("home", "*-*-* 04:00:00 UTC"));
  h.scheduler().RequestReload();
  EXPECT_EQ(h.AwaitIdle(), Utc(2026, 11, 24, 3));
  EXPECT_THAT(h.Log(), HasSubstr("policy reloaded: 2 scheduled job(s)"));
  const auto messages = h.notifier().Messages();
  EXPECT_NE(std::find_if(messages.begin(), messages.end(),
                         [](const std::string& m) { return m.starts_with("RELOADING=1\n"); }),
            messages.end());
}

TEST(SchedulerTest, StopLetsARunningJobFinishWithinTheGrace) {
  const std::int64_t start = Utc(2026, 11, 24, 1, 59);
  SchedulerHarness h({.start_ms = start,
                      .jobs_yaml = Job("etc", "*-*-* 02:00:00 UTC"),
                      .shutdown_grace = std::chrono::minutes(10)});
  Gate gate;
  std::atomic<bool> was_cancelled{false};
  h.SetRunner([&](const RecordedRun&, const RunRequest& request) {
    was_cancelled = gate.Wait(request.cancel);
    return contract::RunStatus::kSucceeded;
  });
  h.Start();
  h.clock().SetNow(h.AwaitIdle());
  h.AwaitSleeping();
  ASSERT_EQ(h.scheduler().ActiveRuns(), 1);
  h.scheduler().RequestStop();
  // Shutting down: the only deadline now is the end of the grace period.
  EXPECT_EQ(h.AwaitSleeping(), Utc(2026, 11, 24, 2) + 10 * kMinuteMs);
  h.clock().SetNow(Utc(2026, 11, 24, 2, 5));
  gate.Open();
  EXPECT_TRUE(h.Join().ok());
  EXPECT_FALSE(was_cancelled);
  EXPECT_THAT(h.Log(), HasSubstr("stopping: waiting up to 600s for 1 running job(s)"));
  EXPECT_THAT(h.Log(), Not(HasSubstr("interrupting")));
}

TEST(SchedulerTest, StopInterruptsARunStillGoingWhenTheGraceEnds) {
  const std::int64_t start = Utc(2026, 11, 24, 1, 59);
  SchedulerHarness h({.start_ms = start,
                      .jobs_yaml = Job("etc", "*-*-* 02:00:00 UTC"),
                      .shutdown_grace = std::chrono::minutes(10)});
  Gate never;
  std::atomic<bool> was_cancelled{false};
  h.SetRunner([&](const RecordedRun&, const RunRequest& request) {
    was_cancelled = never.Wait(request.cancel);
    return contract::RunStatus::kInterrupted;
  });
  h.Start();
  h.clock().SetNow(h.AwaitIdle());
  h.AwaitSleeping();
  h.scheduler().RequestStop();
  const std::int64_t grace_end = h.AwaitSleeping();
  EXPECT_EQ(grace_end, Utc(2026, 11, 24, 2, 10));
  EXPECT_FALSE(was_cancelled);
  h.clock().SetNow(grace_end);
  EXPECT_TRUE(h.Join().ok());
  EXPECT_TRUE(was_cancelled);
  EXPECT_THAT(h.Log(), HasSubstr("stopping: interrupting 1 running job(s)"));
  const auto messages = h.notifier().Messages();
  EXPECT_EQ(messages.back(), "STOPPING=1");
}

TEST(SchedulerTest, ASecondStopInterruptsAtOnce) {
  const std::int64_t start = Utc(2026, 11, 24, 1, 59);
  SchedulerHarness h({.start_ms = start, .jobs_yaml = Job("etc", "*-*-* 02:00:00 UTC")});
  Gate never;
  std::atomic<bool> was_cancelled{false};
  h.SetRunner([&](const RecordedRun&, const RunRequest& request) {
    was_cancelled = never.Wait(request.cancel);
    return contract::RunStatus::kInterrupted;
  });
  h.Start();
  h.clock().SetNow(h.AwaitIdle());
  h.AwaitSleeping();
  h.scheduler().RequestStop();
  h.AwaitSleeping();
  EXPECT_TRUE(h.Stop().ok());  // the second request
  EXPECT_TRUE(was_cancelled);
}

TEST(SchedulerTest, AFirstLoadThatFailsEndsRunWithTheDiagnostics) {
  SchedulerHarness h({.start_ms = Utc(2026, 11, 24), .jobs_yaml = "  etc: 3\n"});
  h.Start();
  const Status status = h.Stop();
  EXPECT_EQ(status.code(), StatusCode::kPolicyError);
  EXPECT_THAT(status.message(), HasSubstr("policy.yaml:3:"));
  EXPECT_TRUE(h.notifier().Messages().empty());  // never READY
}

}  // namespace
}  // namespace guestbackup::daemon
