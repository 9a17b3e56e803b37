// The queries behind the metrics and `status`: runs per job and status, the newest finished
// run, and the start of a job's first run.
#include <gtest/gtest.h>

#include "history_test_util.h"
#include "support/temp_dir.h"

namespace guestbackup::history {
namespace {

void AddRun(HistoryDb& db, const std::string& job, std::int64_t start, RunStatus status) {
  auto id = db.BeginRun(job, "timer", start);
  ASSERT_TRUE(id.ok());
  if (status == RunStatus::kRunning) return;
  RunOutcome outcome;
  outcome.status = status;
  outcome.end_ms = start + 10;
  ASSERT_TRUE(db.FinishRun(*id, outcome).ok());
}

TEST(HistoryCounts, CountsLastFinishedAndFirstStart) {
  guestbackup::testing::TempDir dir;
  auto db = OpenOrFail((dir.path() / "history.db").string(), AlwaysAlive());
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->CountRuns()->empty());
  EXPECT_EQ(*db->FirstStartMs("etc"), std::nullopt);
  EXPECT_EQ(*db->LastFinishedRun("etc"), std::nullopt);

  AddRun(*db, "etc", 300, RunStatus::kSucceeded);
  AddRun(*db, "etc", 100, RunStatus::kFailed);
  AddRun(*db, "etc", 200, RunStatus::kSucceeded);
  AddRun(*db, "etc", 400, RunStatus::kRunning);
  AddRun(*db, "db", 50, RunStatus::kPartial);

  const Result<std::vector<RunCount>> counts = db->CountRuns();
  ASSERT_TRUE(counts.ok());
  std::vector<std::string> text;
  for (const RunCount& c : *counts) {
    text.push_back(c.job + " " + std::string(RunStatusName(c.status)) + " " +
                   std::to_string(c.count));
  }
  EXPECT_EQ(text, (std::vector<std::string>{"db partial 1", "etc failed 1", "etc running 1",
                                            "etc succeeded 2"}));
  EXPECT_EQ(*db->FirstStartMs("etc"), 100);
  EXPECT_EQ(*db->FirstStartMs("db"), 50);
  const Result<std::optional<RunRecord>> last = db->LastFinishedRun("etc");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->start_ms, 300);  // the running row at 400 is not finished
  EXPECT_EQ((*last)->status, RunStatus::kSucceeded);
}

std::int64_t Count(const std::vector<RunCount>& counts, const std::string& job, RunStatus status) {
  for (const RunCount& c : counts) {
    if (c.job == job && c.status == status) return c.count;
  }
  return 0;
}

// Retention deletes old finished rows a batch at a time; the run counters keep counting them
// (a Prometheus counter never goes down), and a running row is never deleted.
TEST(HistoryPrune, KeepsTheNewestRunsAndRecentDaysAndNeverARunningRow) {
  guestbackup::testing::TempDir dir;
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  constexpr std::int64_t kNow = 1000 * kDay;
  auto db = OpenOrFail((dir.path() / "history.db").string(), AlwaysAlive(), [] { return kNow; });
  ASSERT_NE(db, nullptr);
  AddRun(*db, "etc", 1, RunStatus::kRunning);  // ancient, but still running
  for (int i = 0; i < 50; ++i) AddRun(*db, "etc", kNow - (50 - i) * kDay, RunStatus::kSucceeded);
  for (int i = 0; i < 5; ++i) AddRun(*db, "home", kNow - (100 - i) * kDay, RunStatus::kFailed);

  // keep_runs for etc, 10 rows per call.
  EXPECT_EQ(db->Prune("etc", {.keep_days = 0, .keep_runs = 20}, 10).value(), 10);
  EXPECT_EQ(db->Prune("etc", {.keep_days = 0, .keep_runs = 20}, 10).value(), 10);
  EXPECT_EQ(db->Prune("etc", {.keep_days = 0, .keep_runs = 20}, 10).value(), 10);
  EXPECT_EQ(db->Prune("etc", {.keep_days = 0, .keep_runs = 20}, 10).value(), 0);
  std::vector<RunRecord> etc = db->ListRuns({.job = "etc", .limit = 0}).value();
  ASSERT_EQ(etc.size(), 21u);  // the newest 20, and the running one
  EXPECT_EQ(etc.front().start_ms, kNow - kDay);
  EXPECT_EQ(etc[19].start_ms, kNow - 20 * kDay);
  EXPECT_EQ(etc.back().status, RunStatus::kRunning);

  // keep_days for every job: home's rows are 96-100 days old, etc's newest 20 within 20 days.
  EXPECT_EQ(db->Prune("etc", {.keep_days = 30, .keep_runs = 0}).value(), 5);
  EXPECT_TRUE(db->ListRuns({.job = "home", .limit = 0}).value().empty());
  EXPECT_EQ(db->ListRuns({.job = "etc", .limit = 0}).value().size(), 21u);

  const std::vector<RunCount> counts = db->CountRuns().value();
  EXPECT_EQ(Count(counts, "etc", RunStatus::kSucceeded), 50);
  EXPECT_EQ(Count(counts, "etc", RunStatus::kRunning), 1);
  EXPECT_EQ(Count(counts, "home", RunStatus::kFailed), 5);
}

}  // namespace
}  // namespace guestbackup::history
