#include "full/history/history.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.h"
#include "unit/full/history/history_test_util.h"

namespace guestbackup::history {
namespace {

using testing::TempDir;

class HistoryTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = (dir_.path() / "history.db").string();
};

int ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return static_cast<int>(st.st_mode & 07777);
}

RunOutcome FullOutcome() {
  RunOutcome outcome;
  outcome.status = RunStatus::kPartial;
  outcome.end_ms = 1'700'000'123'456;
  outcome.snapshot_ids = {"k1a2b3", "k4d5e6"};
  outcome.files = 1234;
  outcome.bytes = 9'876'543'210;
  outcome.errors = 2;
  outcome.file_errors = {{"/etc/shadow-", "permission denied"}, {"/srv/a b.txt", "vanished"}};
  outcome.message = "2 files could not be read";
  outcome.shadow_copy = kShadowCopyPartly;
  return outcome;
}

TEST_F(HistoryTest, CreatesPrivateFileInWalModeWhateverTheUmask) {
  const mode_t old_umask = umask(0);
  {
    auto db = OpenOrFail(path_);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->BeginRun("etc", "manual", 1).ok());
  }
  umask(old_umask);
  EXPECT_EQ(ModeOf(path_), 0600);

  auto raw = RawOpenOrFail(path_);
  ASSERT_NE(raw, nullptr);
  Result<std::string> mode = raw->QueryText("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok()) << mode.status().ToString();
  EXPECT_EQ(*mode, "wal");
  ASSERT_TRUE(std::filesystem::exists(path_ + "-wal"));
  EXPECT_EQ(ModeOf(path_ + "-wal"), 0600);
}

TEST_F(HistoryTest, SchemaHasTheDocumentedColumnsAndIndex) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->SchemaVersion(), 4);

  auto raw = RawOpenOrFail(path_);
  ASSERT_NE(raw, nullptr);
  Result<Statement> columns = raw->Prepare("SELECT name FROM pragma_table_info('runs')");
  ASSERT_TRUE(columns.ok());
  std::vector<std::string> names;
  while (columns->Step().value()) names.push_back(columns->ColumnText(0));
  EXPECT_EQ(names,
            (std::vector<std::string>{"id", "job", "trigger", "start_ms", "end_ms", "status",
                                      "snapshot_ids", "files", "bytes", "errors", "file_errors",
                                      "message", "pid", "boot_id", "start_ticks", "shadow_copy"}));
  Result<std::string> index =
      raw->QueryText("SELECT group_concat(name) FROM pragma_index_info('runs_job_start')");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ(*index, "job,start_ms");
  EXPECT_EQ(raw->QueryInt("PRAGMA user_version").value(), 4);

  // The CHECK constraint keeps statuses to the documented set.
  EXPECT_FALSE(raw->Exec("INSERT INTO runs (job, \"trigger\", start_ms, status) "
                         "VALUES ('etc', 'manual', 1, 'exploded')")
                   .ok());
}

TEST_F(HistoryTest, RoundTripsEveryField) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  Result<std::int64_t> id = db->BeginRun("etc", "timer", 1'700'000'000'000);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  const RunOutcome outcome = FullOutcome();
  ASSERT_TRUE(db->FinishRun(*id, outcome).ok());

  Result<std::optional<RunRecord>> last = db->LastRun("etc");
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  ASSERT_TRUE(last->has_value());
  const RunRecord& run = **last;
  const platform::ProcessIdentity self = platform::CurrentProcessIdentity();
  EXPECT_EQ(run.id, *id);
  EXPECT_EQ(run.job, "etc");
  EXPECT_EQ(run.trigger, "timer");
  EXPECT_EQ(run.start_ms, 1'700'000'000'000);
  EXPECT_EQ(run.end_ms, outcome.end_ms);
  EXPECT_EQ(run.status, RunStatus::kPartial);
  EXPECT_EQ(run.snapshot_ids, outcome.snapshot_ids);
  EXPECT_EQ(run.files, 1234);
  EXPECT_EQ(run.bytes, 9'876'543'210);
  EXPECT_EQ(run.errors, 2);
  ASSERT_EQ(run.file_errors.size(), 2u);
  EXPECT_EQ(run.file_errors[0].path, "/etc/shadow-");
  EXPECT_EQ(run.file_errors[0].error, "permission denied");
  EXPECT_EQ(run.file_errors[1].path, "/srv/a b.txt");
  EXPECT_EQ(run.file_errors[1].error, "vanished");
  EXPECT_EQ(run.message, "2 files could not be read");
  EXPECT_EQ(run.shadow_copy, "partly");
  EXPECT_EQ(run.process.pid, self.pid);
  EXPECT_EQ(run.process.boot_id, self.boot_id);
  EXPECT_EQ(run.process.start_ticks, self.start_ticks);
}

TEST_F(HistoryTest, RunningRowHasNoEndAndEmptyDefaults) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  Result<std::int64_t> id = db->BeginRun("home", "manual", 42);
  ASSERT_TRUE(id.ok());
  Result<std::optional<RunRecord>> last = db->LastRun("home");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->status, RunStatus::kRunning);
  EXPECT_FALSE((*last)->end_ms.has_value());
  EXPECT_TRUE((*last)->snapshot_ids.empty());
  EXPECT_TRUE((*last)->file_errors.empty());
  EXPECT_EQ((*last)->files, 0);
  EXPECT_EQ((*last)->message, "");
  EXPECT_EQ((*last)->shadow_copy, kShadowCopyNotAsked);
}

TEST_F(HistoryTest, ListRunsIsNewestFirstWithJobFilterAndLimit) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  struct Begun {
    std::string job;
    std::int64_t start_ms;
  };
  // Out of order on purpose, with two runs of "etc" starting in the same millisecond.
  const std::vector<Begun> begun = {{"etc", 300}, {"home", 100}, {"etc", 100},
                                    {"etc", 300}, {"home", 500}, {"etc", 200}};
  std::vector<std::int64_t> ids;
  for (const Begun& b : begun) ids.push_back(db->BeginRun(b.job, "timer", b.start_ms).value());

  auto ids_of = [](const std::vector<RunRecord>& runs) {
    std::vector<std::int64_t> out;
    for (const RunRecord& run : runs) out.push_back(run.id);
    return out;
  };
  Result<std::vector<RunRecord>> all = db->ListRuns({.job = "", .limit = 0});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(ids_of(*all),
            (std::vector<std::int64_t>{ids[4], ids[3], ids[0], ids[5], ids[2], ids[1]}));
  Result<std::vector<RunRecord>> etc = db->ListRuns({.job = "etc", .limit = 0});
  ASSERT_TRUE(etc.ok());
  EXPECT_EQ(ids_of(*etc), (std::vector<std::int64_t>{ids[3], ids[0], ids[5], ids[2]}));
  Result<std::vector<RunRecord>> two = db->ListRuns({.job = "etc", .limit = 2});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(ids_of(*two), (std::vector<std::int64_t>{ids[3], ids[0]}));
  Result<std::vector<RunRecord>> none = db->ListRuns({.job = "nope", .limit = 5});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  Result<std::vector<RunRecord>> defaults = db->ListRuns({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->size(), 6u);
}

TEST_F(HistoryTest, LastRunAndLastSuccess) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  auto run = [&](const std::string& job, std::int64_t start, RunStatus status) {
    const std::int64_t id = db->BeginRun(job, "timer", start).value();
    RunOutcome outcome;
    outcome.status = status;
    outcome.end_ms = start + 10;
    EXPECT_TRUE(db->FinishRun(id, outcome).ok());
    return id;
  };
  const std::int64_t succeeded = run("etc", 100, RunStatus::kSucceeded);
  const std::int64_t partial = run("etc", 200, RunStatus::kPartial);
  const std::int64_t failed = run("etc", 300, RunStatus::kFailed);
  run("etc", 400, RunStatus::kSkipped);
  const std::int64_t home = run("home", 50, RunStatus::kSucceeded);

  EXPECT_EQ(db->LastRun("etc").value()->status, RunStatus::kSkipped);
  EXPECT_EQ(db->LastSuccess("etc").value()->id, partial);
  EXPECT_EQ(db->LastSuccess("home").value()->id, home);
  EXPECT_EQ(db->LastSuccess("").value()->id, partial);
  EXPECT_FALSE(db->LastRun("nope").value().has_value());
  EXPECT_FALSE(db->LastSuccess("nope").value().has_value());
  (void)succeeded;
  (void)failed;
}

TEST_F(HistoryTest, MessageIsStoredAsOneCappedLine) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  const std::int64_t id = db->BeginRun("etc", "manual", 1).value();
  RunOutcome outcome;
  outcome.status = RunStatus::kFailed;
  outcome.message = "kopia failed:\nline two\r\nline three" + std::string(5000, 'x');
  ASSERT_TRUE(db->FinishRun(id, outcome).ok());
  const std::string message = db->LastRun("etc").value()->message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(message.find('\r'), std::string::npos);
  EXPECT_EQ(message.size(), 2000u);
  EXPECT_EQ(message.substr(0, 35), "kopia failed: line two line threexx");
  EXPECT_EQ(message.substr(message.size() - 3), "...");
}

TEST_F(HistoryTest, KeepsAtMostHundredFileErrors) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  const std::int64_t id = db->BeginRun("etc", "manual", 1).value();
  RunOutcome outcome;
  outcome.status = RunStatus::kPartial;
  outcome.errors = 150;
  for (int i = 0; i < 150; ++i) {
    outcome.file_errors.push_back(
        {"/srv/f" + std::to_string(i), "error\nnumber " + std::to_string(i)});
  }
  ASSERT_TRUE(db->FinishRun(id, outcome).ok());
  const RunRecord run = *db->LastRun("etc").value();
  EXPECT_EQ(run.errors, 150);  // the count stays exact; only the list is capped
  ASSERT_EQ(run.file_errors.size(), 100u);
  EXPECT_EQ(run.file_errors.front().path, "/srv/f0");
  EXPECT_EQ(run.file_errors.back().path, "/srv/f99");
  EXPECT_EQ(run.file_errors.back().error, "error number 99");
}

TEST_F(HistoryTest, FileNamesThatAreNotUtf8AreKept) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  const std::int64_t id = db->BeginRun("etc", "manual", 1).value();
  RunOutcome outcome;
  outcome.status = RunStatus::kPartial;
  outcome.file_errors = {{"/srv/caf\xe9.txt", "permission denied"}};  // Latin-1 name
  ASSERT_TRUE(db->FinishRun(id, outcome).ok());
  const RunRecord run = *db->LastRun("etc").value();
  ASSERT_EQ(run.file_errors.size(), 1u);
  EXPECT_EQ(run.file_errors[0].path, "/srv/caf\xef\xbf\xbd.txt");  // U+FFFD replaces the byte
}

TEST_F(HistoryTest, RejectsBadRequests) {
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->BeginRun("", "manual", 1).status().code(), StatusCode::kInvalidArgument);

  const std::int64_t id = db->BeginRun("etc", "manual", 1).value();
  RunOutcome still_running;
  still_running.status = RunStatus::kRunning;
  EXPECT_EQ(db->FinishRun(id, still_running).code(), StatusCode::kInvalidArgument);

  RunOutcome done;
  done.status = RunStatus::kSucceeded;
  Status missing = db->FinishRun(id + 1000, done);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find(std::to_string(id + 1000)), std::string::npos);
  EXPECT_EQ(db->LastRun("etc").value()->status, RunStatus::kRunning);
}

TEST_F(HistoryTest, ReopenSeesEarlierRuns) {
  std::int64_t id = 0;
  {
    auto db = OpenOrFail(path_);
    ASSERT_NE(db, nullptr);
    id = db->BeginRun("etc", "manual", 1).value();
    ASSERT_TRUE(db->FinishRun(id, FullOutcome()).ok());
  }
  auto db = OpenOrFail(path_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->LastRun("etc").value()->id, id);
  EXPECT_EQ(db->IntegrityCheck().value(), "ok");
}

}  // namespace
}  // namespace guestbackup::history
