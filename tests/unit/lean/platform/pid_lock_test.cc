// One holder at a time, on Linux (flock) and on Windows (LockFileEx): a second taker, even in
// the same process, is refused with the holder's pid; the lock ends with its holder.
#include "lean/platform/pid_lock.h"

#include <gtest/gtest.h>

#include <string>

#include "lean/platform/process_identity.h"
#include "support/temp_dir.h"

namespace guestbackup::platform {
namespace {

using guestbackup::testing::TempDir;

TEST(PidLock, ASecondTakerIsRefusedNamingTheHoldersPid) {
  TempDir dir;
  const std::string path = (dir.path() / "locks" / "nightly.lock").string();
  Result<std::unique_ptr<PidLock>> first = PidLock::TryAcquire(path, "job nightly is running");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(testing::ReadFile(path), std::to_string(CurrentProcessId()) + "\n");
  const Result<std::unique_ptr<PidLock>> second =
      PidLock::TryAcquire(path, "job nightly is running");
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyRunning);
  EXPECT_EQ(second.status().message(),
            "job nightly is running (pid " + std::to_string(CurrentProcessId()) + ")");
}

TEST(PidLock, TheLockEndsWithItsHolder) {
  TempDir dir;
  const std::string path = (dir.path() / "daemon.lock").string();
  {
    Result<std::unique_ptr<PidLock>> held = PidLock::TryAcquire(path, "a daemon runs");
    ASSERT_TRUE(held.ok()) << held.status().ToString();
  }
  EXPECT_TRUE(PidLock::TryAcquire(path, "a daemon runs").ok());
}

}  // namespace
}  // namespace guestbackup::platform
