// A job's freeze on real file systems — an ext4 and an xfs image, loop-mounted — through the
// real guard (guestbackup-daemon freeze-guard): writes wait while frozen and go on after the
// thaw; an agent killed with SIGKILL while frozen (100 times, at random moments) leaves
// nothing frozen for more than a second; the guard's timeout and a SIGTERM thaw too, and say
// so; a file system someone else froze is left to them. Needs root, mkfs.ext4 and mkfs.xfs.
#include "full/freeze/freeze_session.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lean/process/executable_lookup.h"
#include "support/loop_mount.h"
#include "support/temp_dir.h"
#include "support/write_probe.h"

namespace guestbackup::freeze {
namespace {

using std::chrono::milliseconds;
using testing::StartWriteProbe;
using testing::WaitForWriteProbe;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kThawLimit{1000};  // the bound: thawed within a second

class FreezeSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::geteuid() != 0) {
      skip_reason_ = "freezing file systems needs root";
      return;
    }
    const std::string path = "/usr/sbin:/sbin:/usr/bin:/bin";
    for (const char* tool : {"mkfs.ext4", "mkfs.xfs", "mount", "umount", "fsfreeze"}) {
      if (!process::LocateExecutable(tool, path).ok()) {
        skip_reason_ = std::string(tool) + " is not installed (scripts/setup installs it)";
        return;
      }
    }
    temp_ = new testing::TempDir();
    state_dir_ = (temp_->path() / "state").string();
    std::filesystem::create_directories(state_dir_);
    // xfs wants 300 MiB at least; both images are sparse.
    for (const auto& [type, size] : {std::pair{"ext4", "64M"}, std::pair{"xfs", "320M"}}) {
      const std::string mount = (temp_->path() / type).string();
      loops_.push_back(std::make_unique<testing::LoopMount>(
          (temp_->path() / (std::string(type) + ".img")).string(), mount, type, size));
      if (!loops_.back()->error().empty()) {
        setup_error_ =
            "cannot make the " + std::string(type) + " file system: " + loops_.back()->error();
        return;
      }
      mounts_.push_back(mount);
    }
  }

  static void TearDownTestSuite() {
    loops_.clear();  // thawed and unmounted
    mounts_.clear();
    delete temp_;
    temp_ = nullptr;
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_EQ(setup_error_, "");
  }

  static Result<FreezeSession> Freeze(milliseconds timeout) {
    return FreezeSession::Start(mounts_, timeout, state_dir_, GUESTBACKUP_DAEMON_BINARY);
  }

  // Every mount refuses writes for a while (frozen), or takes one at once (not frozen).
  static void ExpectFrozen(bool frozen) {
    for (const std::string& mount : mounts_) {
      const pid_t writer = StartWriteProbe(mount);
      const std::optional<milliseconds> took =
          WaitForWriteProbe(writer, milliseconds(frozen ? 300 : 5000));
      EXPECT_EQ(took.has_value(), !frozen) << mount;
      if (!took) {
        (void)testing::RunTool({"fsfreeze", "-u", mount});
        WaitForWriteProbe(writer, milliseconds(60000));
      }
    }
  }

  static inline testing::TempDir* temp_ = nullptr;
  static inline std::string state_dir_;
  static inline std::vector<std::unique_ptr<testing::LoopMount>> loops_;
  static inline std::vector<std::string> mounts_;
  static inline std::string skip_reason_;
  static inline std::string setup_error_;
};

TEST_F(FreezeSessionTest, WritesWaitWhileFrozenAndGoOnAfterTheThaw) {
  auto session = Freeze(std::chrono::seconds(30));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  std::vector<pid_t> writers;
  for (const std::string& mount : mounts_) writers.push_back(StartWriteProbe(mount));
  for (const pid_t writer : writers) EXPECT_FALSE(WaitForWriteProbe(writer, milliseconds(300)));
  ASSERT_TRUE(session->Thaw().ok());
  for (const pid_t writer : writers) {
    const std::optional<milliseconds> took = WaitForWriteProbe(writer, kThawLimit);
    EXPECT_TRUE(took.has_value()) << "a write still waits a second after the thaw";
  }
}

TEST_F(FreezeSessionTest, AnAgentKilledWhileFrozenLeavesNothingFrozen) {
  constexpr int kTrials = 100;
  std::uint64_t random = 20261207;
  milliseconds slowest{0};
  int thawed = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    int ready[2];
    ASSERT_EQ(::pipe2(ready, O_CLOEXEC), 0);
    const pid_t agent = ::fork();
    ASSERT_GE(agent, 0);
    if (agent == 0) {
      ::close(ready[0]);
      auto session = Freeze(std::chrono::seconds(60));
      if (!session.ok()) ::_exit(1);
      if (::write(ready[1], "r", 1) != 1) ::_exit(1);
      for (;;) ::pause();
    }
    ::close(ready[1]);
    char byte = 0;
    const bool frozen = ::read(ready[0], &byte, 1) == 1;
    ::close(ready[0]);
    // A random moment of the freeze: 0 to 20 ms after every file system is frozen.
    random = random * 6364136223846793005ULL + 1442695040888963407ULL;
    std::this_thread::sleep_for(std::chrono::microseconds((random >> 33) % 20000));
    ::kill(agent, SIGKILL);
    int status = 0;
    ::waitpid(agent, &status, 0);
    ASSERT_TRUE(frozen) << "trial " << trial << ": the agent did not freeze";
    const Clock::time_point killed = Clock::now();
    std::vector<pid_t> writers;
    for (const std::string& mount : mounts_) writers.push_back(StartWriteProbe(mount));
    bool all = true;
    for (const pid_t writer : writers) {
      if (!WaitForWriteProbe(writer, kThawLimit)) {
        all = false;
        (void)testing::RunTool({"fsfreeze", "-u", mounts_[0]});
        (void)testing::RunTool({"fsfreeze", "-u", mounts_[1]});
        WaitForWriteProbe(writer, milliseconds(60000));
      }
    }
    slowest = std::max(slowest, std::chrono::duration_cast<milliseconds>(Clock::now() - killed));
    if (all) ++thawed;
  }
  std::cout << "kill -9 of the agent while frozen (ext4 + xfs): " << thawed << "/" << kTrials
            << " thawed within " << kThawLimit.count() << " ms; slowest " << slowest.count()
            << " ms from the kill to both writes done\n";
  EXPECT_EQ(thawed, kTrials);
}

TEST_F(FreezeSessionTest, TheGuardThawsWhenTheFreezeOutlivesItsTimeout) {
  auto session = Freeze(milliseconds(300));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  std::this_thread::sleep_for(milliseconds(700));
  ExpectFrozen(false);
  const Status thawed = session->Thaw();
  EXPECT_EQ(thawed.code(), StatusCode::kFailed);
  EXPECT_EQ(thawed.message(), "freeze: " + mounts_[0] + ", " + mounts_[1] +
                                  " stayed frozen longer than freeze_timeout (300ms): the guard "
                                  "thawed it while the snapshot went on, so the copy is not of "
                                  "one instant");
}

TEST_F(FreezeSessionTest, ASignalToTheGuardThawsAtOnce) {
  auto session = Freeze(std::chrono::seconds(30));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  ::kill(session->guard_pid(), SIGTERM);
  std::this_thread::sleep_for(milliseconds(100));
  ExpectFrozen(false);
  EXPECT_EQ(session->Thaw().code(), StatusCode::kInterrupted);
}

TEST_F(FreezeSessionTest, AFileSystemSomeoneElseFrozeIsLeftToThem) {
  ASSERT_EQ(testing::RunTool({"fsfreeze", "-f", mounts_[1]}), "");
  auto session = Freeze(std::chrono::seconds(30));
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().message(),
            "freeze: " + mounts_[1] +
                " is frozen already, by someone else (KubeVirt's guest agent, an fsfreeze?): "
                "left as it is");
  // The first one, which the guard froze, is thawed again; the other one is still frozen.
  const pid_t first = StartWriteProbe(mounts_[0]);
  EXPECT_TRUE(WaitForWriteProbe(first, kThawLimit).has_value());
  const pid_t second = StartWriteProbe(mounts_[1]);
  EXPECT_FALSE(WaitForWriteProbe(second, milliseconds(300)).has_value());
  ASSERT_EQ(testing::RunTool({"fsfreeze", "-u", mounts_[1]}), "");
  EXPECT_TRUE(WaitForWriteProbe(second, kThawLimit).has_value());
}

TEST_F(FreezeSessionTest, DroppingTheSessionThaws) {
  {
    auto session = Freeze(std::chrono::seconds(30));
    ASSERT_TRUE(session.ok()) << session.status().ToString();
  }
  ExpectFrozen(false);
}

}  // namespace
}  // namespace guestbackup::freeze
