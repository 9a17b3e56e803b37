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

}  // namespace
}  // namespace guestbackup::history
