// OpenForReading, what `history` and `status` use: it writes nothing (not even a missing
// file), shows runs whose process is gone as interrupted without marking them, and still
// brings an older schema up to date or refuses a newer one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "full/history/history.h"
#include "full/history/migrations.h"
#include "support/temp_dir.h"
#include "unit/full/history/history_test_util.h"

namespace guestbackup::history {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

class HistoryReadingTest : public ::testing::Test {
 protected:
  std::unique_ptr<HistoryDb> ReadOrFail(LivenessCheck is_alive = {}, Clock now_ms = {}) {
    Result<std::unique_ptr<HistoryDb>> db =
        HistoryDb::OpenForReading(path_, std::move(is_alive), std::move(now_ms));
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  TempDir dir_;
  std::string path_ = (dir_.path() / "history.db").string();
};

TEST_F(HistoryReadingTest, AMissingHistoryReadsAsEmptyAndIsNotCreated) {
  auto db = ReadOrFail();
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->ListRuns({.job = "", .limit = 0}).value().empty());
  EXPECT_FALSE(db->LastRun("etc").value().has_value());
  EXPECT_FALSE(db->LastFinishedRun("etc").value().has_value());
  EXPECT_TRUE(db->CountRuns().value().empty());
  EXPECT_EQ(db->SchemaVersion(), static_cast<int>(HistoryMigrations().size()));
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
}

TEST_F(HistoryReadingTest, ARunWhoseProcessIsGoneReadsAsInterruptedButStaysUnmarked) {
  std::int64_t running = 0;
  {
    auto db = OpenOrFail(path_, AlwaysAlive());
    ASSERT_NE(db, nullptr);
    const std::int64_t done = db->BeginRun("etc", "timer", 1000).value();
    RunOutcome outcome;
    outcome.status = RunStatus::kSucceeded;
    outcome.end_ms = 1500;
    ASSERT_TRUE(db->FinishRun(done, outcome).ok());
    running = db->BeginRun("etc", "timer", 2000).value();
  }
  const std::string before = guestbackup::testing::ReadFile(path_);
  const std::string wal_before = guestbackup::testing::ReadFile(path_ + "-wal");
  {
    auto db = ReadOrFail(NeverAlive(), [] { return std::int64_t{9000}; });
    ASSERT_NE(db, nullptr);
    const std::vector<RunRecord> runs = db->ListRuns({.job = "etc", .limit = 0}).value();
    ASSERT_EQ(runs.size(), 2U);
    EXPECT_EQ(runs[0].id, running);
    EXPECT_EQ(runs[0].status, RunStatus::kInterrupted);
    EXPECT_EQ(runs[0].end_ms, 9000);
    EXPECT_EQ(runs[0].message, "interrupted: the process (pid " + std::to_string(getpid()) +
                                   ") ended without recording a result");
    const std::optional<RunRecord> finished = db->LastFinishedRun("etc").value();
    ASSERT_TRUE(finished.has_value());
    EXPECT_EQ(finished->id, running);
    EXPECT_EQ(db->RecoverInterrupted().value(), 0);
    const Result<std::int64_t> write = db->BeginRun("etc", "manual", 3000);
    ASSERT_FALSE(write.ok());
    EXPECT_THAT(write.status().message(), HasSubstr("readonly"));
  }
  EXPECT_EQ(guestbackup::testing::ReadFile(path_), before);
  EXPECT_EQ(guestbackup::testing::ReadFile(path_ + "-wal"), wal_before);
  auto db = OpenOrFail(path_, AlwaysAlive());
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->LastRun("etc").value()->status, RunStatus::kRunning);
}

TEST_F(HistoryReadingTest, AnOlderSchemaIsBroughtUpToDateFirst) {
  dir_.WriteFile("history.db", "", 0600);  // SQLite reads an empty file as schema 0
  auto db = ReadOrFail();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->SchemaVersion(), static_cast<int>(HistoryMigrations().size()));
  EXPECT_TRUE(db->ListRuns({.job = "", .limit = 0}).value().empty());
}

TEST_F(HistoryReadingTest, ANewerSchemaIsRefused) {
  {
    auto db = OpenOrFail(path_);
    ASSERT_NE(db, nullptr);
  }
  {
    auto raw = RawOpenOrFail(path_);
    ASSERT_NE(raw, nullptr);
    ExecOrFail(*raw, "PRAGMA user_version = 99");
  }
  Result<std::unique_ptr<HistoryDb>> db = HistoryDb::OpenForReading(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("it was written by a newer guestbackup"));
}

}  // namespace
}  // namespace guestbackup::history
