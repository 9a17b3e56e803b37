#include "full/restore/expected_snapshot.h"

#include <gtest/gtest.h>

namespace guestbackup::restore {
namespace {

using history::RunRecord;
using history::RunStatus;

RunRecord MakeRun(std::int64_t start_ms, RunStatus status, std::vector<std::string> ids) {
  RunRecord r;
  r.job = "docs";
  r.start_ms = start_ms;
  r.status = status;
  r.snapshot_ids = std::move(ids);
  return r;
}

policy::JobSpec Job() {
  policy::JobSpec job;
  job.name = "docs";
  job.paths = {"/srv/a", "/srv/b"};
  return job;
}

TEST(ExpectedSnapshotTest, TheNewestRunsSnapshotOfTheSource) {
  const std::vector<RunRecord> runs = {MakeRun(3000, RunStatus::kSucceeded, {"a3", "b3"}),
                                       MakeRun(2000, RunStatus::kSucceeded, {"a2", "b2"})};
  EXPECT_EQ(ExpectedSnapshot(runs, Job(), "/srv/a", std::nullopt), "a3");
  EXPECT_EQ(ExpectedSnapshot(runs, Job(), "/srv/b", std::nullopt), "b3");
}

TEST(ExpectedSnapshotTest, TheNewestRunThatBeganByTheTimeAsked) {
  const std::vector<RunRecord> runs = {MakeRun(3000, RunStatus::kSucceeded, {"a3", "b3"}),
                                       MakeRun(2000, RunStatus::kPartial, {"a2", "b2"}),
                                       MakeRun(1000, RunStatus::kSucceeded, {"a1", "b1"})};
  EXPECT_EQ(ExpectedSnapshot(runs, Job(), "/srv/b", 2999), "b2");
  EXPECT_EQ(ExpectedSnapshot(runs, Job(), "/srv/b", 2000), "b2");
  EXPECT_EQ(ExpectedSnapshot(runs, Job(), "/srv/b", 1999), "b1");
  EXPECT_EQ(ExpectedSnapshot(runs, Job(), "/srv/b", 999), std::nullopt);
}

TEST(ExpectedSnapshotTest, RunsWithoutTheirSnapshotsArePassedOver) {
  const std::vector<RunRecord> runs = {
      MakeRun(5000, RunStatus::kRunning, {}), MakeRun(4000, RunStatus::kFailed, {}),
      MakeRun(3000, RunStatus::kInterrupted, {"a3"}), MakeRun(2500, RunStatus::kSkipped, {}),
      MakeRun(2000, RunStatus::kSucceeded, {"a2", "b2"})};
  EXPECT_EQ(ExpectedSnapshot(runs, Job(), "/srv/a", std::nullopt), "a2");
}

TEST(ExpectedSnapshotTest, NoGuessWhenTheRunsSnapshotsDoNotMatchTheJobsPaths) {
  // A partial run that saved one of two paths: which one cannot be told.
  const std::vector<RunRecord> partial = {MakeRun(3000, RunStatus::kPartial, {"x"}),
                                          MakeRun(2000, RunStatus::kSucceeded, {"a2", "b2"})};
  EXPECT_EQ(ExpectedSnapshot(partial, Job(), "/srv/a", std::nullopt), std::nullopt);
  // The source is not (any more) one of the job's paths.
  const std::vector<RunRecord> runs = {MakeRun(2000, RunStatus::kSucceeded, {"a2", "b2"})};
  EXPECT_EQ(ExpectedSnapshot(runs, Job(), "/srv/c", std::nullopt), std::nullopt);
  EXPECT_EQ(ExpectedSnapshot({}, Job(), "/srv/a", std::nullopt), std::nullopt);
}

}  // namespace
}  // namespace guestbackup::restore
