// Rows left `running` by a process that is gone become `interrupted` when the history opens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "full/history/history.h"
#include "support/temp_dir.h"
#include "unit/full/history/history_test_util.h"

namespace guestbackup::history {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

class HistoryRecoveryTest : public ::testing::Test {
 protected:
  RunRecord Run(HistoryDb& db, std::int64_t id) {
    Result<std::vector<RunRecord>> runs = db.ListRuns({.job = "", .limit = 0});
    EXPECT_TRUE(runs.ok()) << runs.status().ToString();
    if (!runs.ok()) return {};
    for (const RunRecord& run : *runs) {
      if (run.id == id) return run;
    }
    ADD_FAILURE() << "no run " << id;
    return {};
  }

  TempDir dir_;
  std::string path_ = (dir_.path() / "history.db").string();
};

TEST_F(HistoryRecoveryTest, RunsWhoseProcessIsGoneBecomeInterrupted) {
  std::int64_t running = 0;
  std::int64_t finished = 0;
  {
    auto db = OpenOrFail(path_, AlwaysAlive());
    ASSERT_NE(db, nullptr);
    running = db->BeginRun("etc", "timer", 1000).value();
    finished = db->BeginRun("home", "timer", 2000).value();
    RunOutcome outcome;
    outcome.status = RunStatus::kSucceeded;
    outcome.end_ms = 2500;
    outcome.message = "done";
    ASSERT_TRUE(db->FinishRun(finished, outcome).ok());
  }
  std::vector<platform::ProcessIdentity> asked;
  auto is_alive = [&](const platform::ProcessIdentity& identity) {
    asked.push_back(identity);
    return false;
  };
  auto db = OpenOrFail(path_, is_alive, [] { return std::int64_t{123'456}; });
  ASSERT_NE(db, nullptr);

  // Only the running row's process is checked, with the identity BeginRun recorded.
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].pid, getpid());
  EXPECT_EQ(asked[0].start_ticks, platform::CurrentProcessIdentity().start_ticks);

  const RunRecord interrupted = Run(*db, running);
  EXPECT_EQ(interrupted.status, RunStatus::kInterrupted);
  EXPECT_EQ(interrupted.end_ms, 123'456);
  EXPECT_EQ(interrupted.message, "interrupted: the process (pid " + std::to_string(getpid()) +
                                     ") ended without recording a result");
  const RunRecord untouched = Run(*db, finished);
  EXPECT_EQ(untouched.status, RunStatus::kSucceeded);
  EXPECT_EQ(untouched.end_ms, 2500);
  EXPECT_EQ(untouched.message, "done");

  // Nothing is left to recover; a later real result still replaces the guess.
  EXPECT_EQ(db->RecoverInterrupted().value(), 0);
  RunOutcome late;
  late.status = RunStatus::kFailed;
  late.end_ms = 130'000;
  ASSERT_TRUE(db->FinishRun(running, late).ok());
  EXPECT_EQ(Run(*db, running).status, RunStatus::kFailed);
}

TEST_F(HistoryRecoveryTest, RecoverInterruptedCountsRows) {
  bool alive = true;
  auto db = OpenOrFail(path_, [&](const platform::ProcessIdentity&) { return alive; });
  ASSERT_NE(db, nullptr);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(db->BeginRun("etc", "timer", i).ok());
  EXPECT_EQ(db->RecoverInterrupted().value(), 0);
  alive = false;
  EXPECT_EQ(db->RecoverInterrupted().value(), 3);
  EXPECT_EQ(db->RecoverInterrupted().value(), 0);
}

TEST_F(HistoryRecoveryTest, ProcessKilledMidRunIsInterrupted) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path_);
    if (!db.ok()) _exit(2);
    if (!(*db)->BeginRun("etc", "timer", 1000).ok()) _exit(3);
    kill(getpid(), SIGKILL);  // dies holding an open connection and a `running` row
    _exit(4);
  }
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wait_status)) << "child exited with " << WEXITSTATUS(wait_status);
  ASSERT_EQ(WTERMSIG(wait_status), SIGKILL);

  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  const std::optional<RunRecord> run = db->LastRun("etc").value();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->status, RunStatus::kInterrupted);
  EXPECT_EQ(run->process.pid, child);
  EXPECT_TRUE(run->end_ms.has_value());
  EXPECT_THAT(run->message, HasSubstr("pid " + std::to_string(child)));
  EXPECT_EQ(db->IntegrityCheck().value(), "ok");
}

TEST_F(HistoryRecoveryTest, RunOfThisLiveProcessStaysRunning) {
  std::int64_t id = 0;
  {
    auto db = OpenOrFail(path_);
    ASSERT_NE(db, nullptr);
    id = db->BeginRun("etc", "manual", 1000).value();
  }
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->RecoverInterrupted().value(), 0);
  EXPECT_EQ(Run(*db, id).status, RunStatus::kRunning);
}

TEST_F(HistoryRecoveryTest, RunOfAnotherLiveProcessStaysRunning) {
  int ready[2];
  int go[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(go), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ready[0]);
    close(go[1]);
    Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path_);
    if (!db.ok()) _exit(2);
    Result<std::int64_t> id = (*db)->BeginRun("etc", "timer", 1000);
    if (!id.ok()) _exit(3);
    if (write(ready[1], "r", 1) != 1) _exit(4);
    char byte = 0;
    (void)read(go[0], &byte, 1);  // returns when the parent closes its end
    RunOutcome outcome;
    outcome.status = RunStatus::kSucceeded;
    _exit((*db)->FinishRun(*id, outcome).ok() ? 0 : 5);
  }
  close(ready[1]);
  close(go[0]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  {
    auto db = OpenOrFail(path_);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->LastRun("etc").value()->status, RunStatus::kRunning);
  }
  close(go[1]);
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  close(ready[0]);

  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->LastRun("etc").value()->status, RunStatus::kSucceeded);
}

TEST_F(HistoryRecoveryTest, RunFromAnotherBootIsInterrupted) {
  std::int64_t id = 0;
  {
    auto db = OpenOrFail(path_);
    ASSERT_NE(db, nullptr);
    id = db->BeginRun("etc", "timer", 1000).value();
  }
  {
    auto raw = RawOpenOrFail(path_);
    ASSERT_NE(raw, nullptr);
    ExecOrFail(*raw, "UPDATE runs SET boot_id = '11111111-2222-3333-4444-555555555555'");
  }
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  const RunRecord run = Run(*db, id);
  EXPECT_EQ(run.status, RunStatus::kInterrupted);
  EXPECT_EQ(run.message, "interrupted: the machine restarted while the run (pid " +
                             std::to_string(getpid()) + ") was in progress");
}

TEST_F(HistoryRecoveryTest, ReusedPidWithAnotherStartTimeIsInterrupted) {
  std::int64_t id = 0;
  {
    auto db = OpenOrFail(path_);
    ASSERT_NE(db, nullptr);
    id = db->BeginRun("etc", "timer", 1000).value();
  }
  {
    auto raw = RawOpenOrFail(path_);
    ASSERT_NE(raw, nullptr);
    ExecOrFail(*raw, "UPDATE runs SET start_ticks = start_ticks + 1");
  }
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Run(*db, id).status, RunStatus::kInterrupted);
}

}  // namespace
}  // namespace guestbackup::history
