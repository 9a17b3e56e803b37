#include "full/runner/job_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/temp_dir.h"

namespace guestbackup::runner {
namespace {

TEST(JobLockTest, SecondHolderIsRefusedWithThePidUntilReleased) {
  testing::TempDir dir;
  auto first = JobLock::TryAcquire(dir.path().string(), "docs");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // flock is per open file description, so a second open in this process conflicts too.
  auto second = JobLock::TryAcquire(dir.path().string(), "docs");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyRunning);
  EXPECT_EQ(second.status().message(),
            "job \"docs\" is already running (pid " + std::to_string(getpid()) + ")");
  // Other jobs are independent.
  EXPECT_TRUE(JobLock::TryAcquire(dir.path().string(), "etc").ok());
  first->reset();
  EXPECT_TRUE(JobLock::TryAcquire(dir.path().string(), "docs").ok());
}

TEST(JobLockTest, LockOfADeadProcessIsFree) {
  testing::TempDir dir;
  const pid_t child = fork();
  if (child == 0) {
    auto lock = JobLock::TryAcquire(dir.path().string(), "docs");
    _exit(lock.ok() ? 0 : 1);  // dies holding it
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(JobLock::TryAcquire(dir.path().string(), "docs").ok());
}

}  // namespace
}  // namespace guestbackup::runner
