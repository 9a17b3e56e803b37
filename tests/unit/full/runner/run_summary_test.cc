#include "full/runner/run_summary.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace guestbackup::runner {
namespace {

using contract::RunStatus;

kopia::SnapshotOutcome FromFixture(const std::string& name, int exit_code) {
  return kopia::ClassifySnapshot("snapshot", exit_code,
                                 testing::ReadFile(testing::FixturePath("kopia/" + name + ".json")),
                                 "");
}

policy::JobSpec Job() {
  policy::JobSpec j;
  j.name = "docs";
  return j;
}

TEST(RunSummaryTest, CleanSnapshotSucceeds) {
  RunSummary s(Job());
  s.AddSnapshot("/srv/data", FromFixture("snapshot-create-ok", 0));
  EXPECT_EQ(s.CurrentStatus(), RunStatus::kSucceeded);
  EXPECT_TRUE(s.FinalStatus().ok());
  const auto o = s.Finish(RunStatus::kSucceeded, "");
  EXPECT_EQ(o.files, 3);
  EXPECT_EQ(o.snapshot_ids.size(), 1u);
  EXPECT_EQ(o.message, "1 snapshot, 3 files, 30 B");
}

TEST(RunSummaryTest, RetriesAreCountedInTheMessage) {
  RunSummary s(Job());
  s.Retried(1);
  s.AddSnapshot("/srv/data", FromFixture("snapshot-create-ok", 0));
  s.Retried(2);
  s.Retried(0);
  EXPECT_EQ(s.CurrentStatus(), RunStatus::kSucceeded);
  EXPECT_EQ(s.Finish(RunStatus::kSucceeded, "").message,
            "1 snapshot, 3 files, 30 B; retried 3 times while the server was unreachable");
}

TEST(RunSummaryTest, FailedFileMakesItPartialAndNamesTheFullPath) {
  RunSummary s(Job());
  s.AddSnapshot("/srv/data", FromFixture("snapshot-create-partial", 1));
  EXPECT_EQ(s.CurrentStatus(), RunStatus::kPartial);
  EXPECT_EQ(s.FinalStatus().code(), StatusCode::kPartial);
  const auto o = s.Finish(s.CurrentStatus(), "");
  ASSERT_EQ(o.file_errors.size(), 1u);
  EXPECT_EQ(o.file_errors[0].path, "/srv/data/locked/unreadable");
  EXPECT_EQ(o.errors, 1);
  EXPECT_EQ(
      o.message.rfind("1 snapshot, 3 files, 30 B; 1 file failed: /srv/data/locked/unreadable (", 0),
      0u)
      << o.message;
}

TEST(RunSummaryTest, UnavailableBeatsGenericFailureForTheExitCode) {
  RunSummary s(Job());
  s.Fail(Failed("after hook \"x\" failed: exit code 1"));
  s.Fail(Unavailable("connect: authentication failed"));
  EXPECT_EQ(s.CurrentStatus(), RunStatus::kFailed);
  EXPECT_EQ(s.FinalStatus().code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.FinalStatus().message(),
            "after hook \"x\" failed: exit code 1; connect: authentication failed");
}

TEST(RunSummaryTest, InterruptionWinsOverEverything) {
  RunSummary s(Job());
  s.AddSnapshot("/srv/data", FromFixture("snapshot-create-partial", 1));
  s.Fail(Failed("boom"));
  s.Fail(Interrupted("interrupted by a signal"));
  EXPECT_EQ(s.CurrentStatus(), RunStatus::kInterrupted);
  EXPECT_EQ(s.FinalStatus().code(), StatusCode::kInterrupted);
}

TEST(RunSummaryTest, PartialWithFailedPathIsFailed) {
  RunSummary s(Job());
  s.AddSnapshot("/a", FromFixture("snapshot-create-partial", 1));
  s.AddSnapshot("/b", kopia::ClassifySnapshot("snapshot of /b", 1, "", "kopia: error: disk full"));
  EXPECT_EQ(s.CurrentStatus(), RunStatus::kFailed);
  EXPECT_EQ(s.snapshot_ids().size(), 1u);
}

policy::JobSpec ShadowCopyJob() {
  policy::JobSpec j = Job();
  j.snapshot = policy::SnapshotMode::kWhenAvailable;
  return j;
}

kopia::SnapshotOutcome WithShadowCopy(bool used, const std::string& fell_back = "") {
  kopia::SnapshotOutcome outcome = FromFixture("snapshot-create-ok", 0);
  outcome.shadow_copy.tried = true;
  outcome.shadow_copy.used = used;
  outcome.shadow_copy.fell_back = fell_back;
  return outcome;
}

TEST(RunSummaryTest, ShadowCopiesOfEveryPathAreUsed) {
  RunSummary s(ShadowCopyJob());
  s.AddSnapshot("C:\\data", WithShadowCopy(true));
  s.AddSnapshot("D:\\db", WithShadowCopy(true));
  const auto o = s.Finish(s.CurrentStatus(), "");
  EXPECT_EQ(o.status, RunStatus::kSucceeded);
  EXPECT_EQ(o.shadow_copy, history::kShadowCopyUsed);
  EXPECT_EQ(o.message, "2 snapshots, 6 files, 60 B");
}

TEST(RunSummaryTest, AFallBackToLiveFilesIsNamedAndStillSucceeds) {
  RunSummary s(ShadowCopyJob());
  s.AddSnapshot("C:\\data", WithShadowCopy(true));
  s.AddSnapshot("D:\\db", WithShadowCopy(false, "vss: access denied"));
  const auto o = s.Finish(s.CurrentStatus(), "");
  EXPECT_EQ(o.status, RunStatus::kSucceeded);
  EXPECT_EQ(o.shadow_copy, history::kShadowCopyPartly);
  EXPECT_EQ(o.message,
            "2 snapshots, 6 files, 60 B; D:\\db was read live, without a shadow copy: vss: "
            "access denied");

  RunSummary none(ShadowCopyJob());
  none.AddSnapshot("D:\\db", WithShadowCopy(false, "vss: access denied"));
  EXPECT_EQ(none.Finish(none.CurrentStatus(), "").shadow_copy, history::kShadowCopyUnavailable);
}

// Asked for, and kopia never got to say anything about a copy (the server was unreachable).
TEST(RunSummaryTest, ARunThatFailedBeforeAnySnapshotHadNoShadowCopy) {
  RunSummary s(ShadowCopyJob());
  s.Fail(Unavailable("connect: no answer"));
  EXPECT_EQ(s.Finish(s.CurrentStatus(), "").shadow_copy, history::kShadowCopyUnavailable);
}

TEST(RunSummaryTest, NoShadowCopyAskedForLeavesTheFieldEmpty) {
  policy::JobSpec none = Job();
  none.snapshot = policy::SnapshotMode::kNone;  // Windows' default is when-available
  RunSummary s(none);
  s.AddSnapshot("/srv/data", FromFixture("snapshot-create-ok", 0));
  EXPECT_EQ(s.Finish(s.CurrentStatus(), "").shadow_copy, history::kShadowCopyNotAsked);
}

TEST(HumanBytesTest, Formats) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(999), "999 B");
  EXPECT_EQ(HumanBytes(4096), "4.1 KB");
  EXPECT_EQ(HumanBytes(1'500'000'000), "1.5 GB");
}

}  // namespace
}  // namespace guestbackup::runner
