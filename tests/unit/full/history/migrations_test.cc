#include "full/history/migrations.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
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

class MigrationsTest : public ::testing::Test {
 protected:
  // A raw connection to a new, empty database file.
  std::unique_ptr<SqliteDb> NewRawDb() {
    const int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    EXPECT_GE(fd, 0);
    close(fd);
    return RawOpenOrFail(path_);
  }

  std::vector<std::string> Columns(SqliteDb& db) {
    std::vector<std::string> names;
    Result<Statement> columns = db.Prepare("SELECT name FROM pragma_table_info('runs')");
    EXPECT_TRUE(columns.ok());
    while (columns.ok() && columns->Step().value()) names.push_back(columns->ColumnText(0));
    return names;
  }

  TempDir dir_;
  std::string path_ = (dir_.path() / "history.db").string();
};

TEST_F(MigrationsTest, HistoryStepsAreNumberedInOrder) {
  int expected = 1;
  for (const Migration& step : HistoryMigrations()) EXPECT_EQ(step.version, expected++);
  EXPECT_EQ(HistoryMigrations().size(), 4u);
}

TEST_F(MigrationsTest, OpeningAVersion1DatabaseUpgradesIt) {
  {
    auto raw = NewRawDb();
    ASSERT_NE(raw, nullptr);
    ASSERT_EQ(Migrate(*raw, HistoryMigrations().first(1)).value(), 1);
    ExecOrFail(*raw,
               R"(INSERT INTO runs (job, "trigger", start_ms, end_ms, status, files, message)
                  VALUES ('etc', 'timer', 100, 200, 'succeeded', 7, 'from v1'),
                         ('etc', 'timer', 300, NULL, 'running', 0, ''))");
  }
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->SchemaVersion(), 4);
  // Step 3 counted the rows that were there (the running one is interrupted by now).
  const std::vector<RunCount> counts = db->CountRuns().value();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].status, RunStatus::kInterrupted);  // ordered by status name
  EXPECT_EQ(counts[0].count, 1);
  EXPECT_EQ(counts[1].status, RunStatus::kSucceeded);
  EXPECT_EQ(counts[1].count, 1);

  const std::vector<RunRecord> runs = db->ListRuns({.job = "etc", .limit = 0}).value();
  ASSERT_EQ(runs.size(), 2u);
  // A v1 row has no process identity, so a `running` one cannot be alive.
  EXPECT_EQ(runs[0].status, RunStatus::kInterrupted);
  EXPECT_EQ(runs[0].process.pid, 0);
  EXPECT_EQ(runs[1].status, RunStatus::kSucceeded);
  EXPECT_EQ(runs[1].files, 7);
  EXPECT_EQ(runs[1].message, "from v1");
  EXPECT_EQ(runs[1].shadow_copy, "");  // step 4's column, empty for rows before it

  // New runs record their process in the added columns.
  const std::int64_t id = db->BeginRun("etc", "manual", 400).value();
  EXPECT_EQ(db->LastRun("etc").value()->id, id);
  EXPECT_EQ(db->LastRun("etc").value()->process.pid, getpid());
  db.reset();

  auto raw = RawOpenOrFail(path_);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(SchemaVersionOf(*raw).value(), 4);
}

TEST_F(MigrationsTest, ANewerDatabaseIsRefusedAndLeftAlone) {
  {
    auto db = OpenOrFail(path_);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->BeginRun("etc", "timer", 1).ok());
  }
  {
    auto raw = RawOpenOrFail(path_);
    ASSERT_NE(raw, nullptr);
    ExecOrFail(*raw, "PRAGMA user_version = 5");
  }
  Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kFailed);
  EXPECT_EQ(db.status().message(),
            "cannot open the history: " + path_ +
                ": the database has schema version 5 but this guestbackup knows only up to "
                "version 4; it was written by a newer guestbackup, which is needed to read it");

  auto raw = RawOpenOrFail(path_);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(SchemaVersionOf(*raw).value(), 5);
  EXPECT_EQ(raw->QueryInt("SELECT count(*) FROM runs WHERE status = 'running'").value(), 1);
}

TEST_F(MigrationsTest, ALaterStepCanAddColumnsKeepingRows) {
  auto raw = NewRawDb();
  ASSERT_NE(raw, nullptr);
  ASSERT_EQ(Migrate(*raw, HistoryMigrations()).value(), 4);
  ExecOrFail(*raw, R"(INSERT INTO runs (job, "trigger", start_ms, status)
                      VALUES ('etc', 'timer', 1, 'succeeded'))");

  std::vector<Migration> steps(HistoryMigrations().begin(), HistoryMigrations().end());
  steps.push_back({5, "record the kopia version", "ALTER TABLE runs ADD COLUMN kopia TEXT;"});
  ASSERT_EQ(Migrate(*raw, steps).value(), 5);
  EXPECT_EQ(SchemaVersionOf(*raw).value(), 5);
  EXPECT_EQ(Columns(*raw).back(), "kopia");
  EXPECT_EQ(raw->QueryInt("SELECT count(*) FROM runs WHERE kopia IS NULL").value(), 1);
  // Running again is a no-op.
  EXPECT_EQ(Migrate(*raw, steps).value(), 5);
}

TEST_F(MigrationsTest, AFailedStepIsRolledBack) {
  auto raw = NewRawDb();
  ASSERT_NE(raw, nullptr);
  std::vector<Migration> steps(HistoryMigrations().begin(), HistoryMigrations().end());
  steps.push_back({5, "a broken step", "ALTER TABLE runs ADD COLUMN half TEXT; NOT SQL;"});
  Result<int> version = Migrate(*raw, steps);
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), StatusCode::kIo);
  EXPECT_THAT(version.status().message(), HasSubstr("schema migration 5 (a broken step)"));
  EXPECT_THAT(version.status().message(), HasSubstr("syntax error"));
  // The earlier steps stay, the failed one left nothing behind.
  EXPECT_EQ(SchemaVersionOf(*raw).value(), 4);
  EXPECT_EQ(Columns(*raw).back(), "shadow_copy");
}

TEST_F(MigrationsTest, StepsOutOfOrderAreABug) {
  auto raw = NewRawDb();
  ASSERT_NE(raw, nullptr);
  const std::vector<Migration> steps = {{1, "one", "CREATE TABLE a (x);"},
                                        {3, "three", "CREATE TABLE b (x);"}};
  Result<int> version = Migrate(*raw, steps);
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), StatusCode::kInternal);
  EXPECT_EQ(SchemaVersionOf(*raw).value(), 0);  // checked before anything is applied
}

TEST_F(MigrationsTest, ANegativeVersionIsRefused) {
  auto raw = NewRawDb();
  ASSERT_NE(raw, nullptr);
  ExecOrFail(*raw, "PRAGMA user_version = -1");
  Result<int> version = Migrate(*raw, HistoryMigrations());
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), HasSubstr("invalid schema version -1"));
}

}  // namespace
}  // namespace guestbackup::history
