// Opening a history that cannot be used must fail with the path and the reason, never crash.
// (A damaged one is moved aside instead: history_damaged_test.cc.)
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

}  // namespace
}  // namespace guestbackup::history
