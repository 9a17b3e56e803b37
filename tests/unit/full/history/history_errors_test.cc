// Opening a history that cannot be used must fail with the path and the reason, never crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "full/history/history.h"
#include "support/temp_dir.h"
#include "unit/full/history/history_test_util.h"

namespace guestbackup::history {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

Status OpenError(const std::string& path) {
  Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path);
  EXPECT_FALSE(db.ok()) << path << " opened unexpectedly";
  return db.status();
}

TEST(HistoryErrorsTest, MissingDirectory) {
  TempDir dir;
  const std::string path = (dir.path() / "no-such-dir" / "history.db").string();
  Status status = OpenError(path);
  EXPECT_EQ(status.code(), StatusCode::kIo);
  EXPECT_EQ(status.message(), "cannot open the history: " + path +
                                  ": cannot open: unable to open database file (No such file "
                                  "or directory)");
}

TEST(HistoryErrorsTest, PathIsADirectory) {
  TempDir dir;
  const std::string path = dir.path().string();
  Status status = OpenError(path);
  EXPECT_EQ(status.code(), StatusCode::kIo);
  EXPECT_THAT(status.message(), HasSubstr(path + ": "));
  EXPECT_THAT(status.message(), HasSubstr("unable to open database file"));
}

// Root reads any file, so as root the check runs in a child that drops to the nobody user.
TEST(HistoryErrorsTest, UnreadableFile) {
  TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  const std::string path = dir.WriteFile("history.db", "", 0000);
  auto check = [&path] {
    Status status = OpenError(path);
    EXPECT_EQ(status.code(), StatusCode::kIo);
    EXPECT_THAT(status.message(), HasSubstr(path + ": cannot open: "));
    EXPECT_THAT(status.message(), HasSubstr("(Permission denied)"));
    return status.code() == StatusCode::kIo &&
           status.message().find("Permission denied") != std::string::npos;
  };
  if (geteuid() != 0) {
    check();
    return;
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    constexpr uid_t kNobody = 65534;
    if (setgid(kNobody) != 0 || setuid(kNobody) != 0) _exit(2);
    _exit(check() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "exit 1: wrong error (printed above), 2: cannot drop root";
}

TEST(HistoryErrorsTest, GarbageFileIsNotADatabase) {
  TempDir dir;
  std::mt19937 random(7);
  std::string noise(64 * 1024, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  for (const std::string& garbage :
       {std::string("not a database\n"), std::string(4096, 'x'), noise}) {
    const std::string path = dir.WriteFile("history.db", garbage, 0600);
    Status status = OpenError(path);
    EXPECT_EQ(status.code(), StatusCode::kIo);
    EXPECT_THAT(status.message(), HasSubstr(path));
    EXPECT_THAT(status.message(), HasSubstr("file is not a database"));
    EXPECT_THAT(status.message(), HasSubstr("move it aside to start a new history"));
    // The file is left as it was, for whoever investigates.
    EXPECT_EQ(testing::ReadFile(path), garbage);
  }
}

TEST(HistoryErrorsTest, DamagedPagesAreReportedNotCrashed) {
  TempDir dir;
  const std::string path = (dir.path() / "history.db").string();
  {
    auto db = OpenOrFail(path);
    ASSERT_NE(db, nullptr);
    RunOutcome outcome;
    outcome.status = RunStatus::kSucceeded;
    outcome.message = std::string(1500, 'm');
    for (int i = 0; i < 200; ++i) {
      const std::int64_t id = db->BeginRun("etc", "timer", i).value();
      ASSERT_TRUE(db->FinishRun(id, outcome).ok());
    }
    // Move everything from the log into the main file, so damaging the file damages data.
    auto raw = RawOpenOrFail(path);
    ASSERT_NE(raw, nullptr);
    ExecOrFail(*raw, "PRAGMA wal_checkpoint(TRUNCATE)");
  }
  const auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 16 * 4096u);
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(size / 2));
    const std::string junk(3 * 4096, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  // Either opening or the integrity check notices; listing may fail but must not crash.
  Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, AlwaysAlive());
  if (!db.ok()) {
    EXPECT_THAT(db.status().message(), HasSubstr(path));
    return;
  }
  Result<std::string> check = (*db)->IntegrityCheck();
  if (check.ok()) {
    EXPECT_NE(*check, "ok");
  }
  (void)(*db)->ListRuns({.job = "", .limit = 0});
}

}  // namespace
}  // namespace guestbackup::history
