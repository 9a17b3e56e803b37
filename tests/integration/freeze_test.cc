// A job's `freeze` around a real run, on a real file system (a loop-mounted ext4 image as the
// job's data directory): the snapshot is taken while it is frozen, with the before hooks
// before and the after hooks after the freeze; a freeze of what is not a mount point fails the
// run and still runs the after hooks; and the real agent killed with SIGKILL during its freeze
// leaves the file system thawed within a second. Needs root (mount, FIFREEZE).
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "agent_harness.h"
#include "support/loop_mount.h"
#include "support/write_probe.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// The pid of a child of `parent` whose name starts with `name` (comm is cut at 15), or -1.
pid_t ChildNamed(pid_t parent, const std::string& name) {
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return -1;
  pid_t found = -1;
  while (const dirent* entry = ::readdir(proc)) {
    std::ifstream stat(std::string("/proc/") + entry->d_name + "/stat");
    std::string pid, comm, state;
    pid_t ppid = 0;
    if (!(stat >> pid >> comm >> state >> ppid)) continue;
    if (ppid == parent && comm.rfind("(" + name.substr(0, 15), 0) == 0) found = std::stoi(pid);
  }
  ::closedir(proc);
  return found;
}

class FreezeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "freezing file systems needs root";
  }
};

TEST_F(FreezeTest, TheSnapshotIsTakenFrozenBetweenTheHooks) {
  Agent agent("alice", "vm1");
  LoopMount data((agent.root() / "data.img").string(), agent.data().string());
  ASSERT_EQ(data.error(), "");
  agent.WriteData("db/table", "rows\n");
  const std::string dir = agent.data().string();
  // Each hook writes into the frozen file system's directory: they run unfrozen, or hang.
  agent.WritePolicy("  docs:\n    paths: [" + dir + "]\n    freeze: [" + dir +
                    "]\n    hooks:\n      before: [ { shell: \"echo before > " + dir +
                    "/before\" } ]\n      after: [ { shell: \"echo after > " + dir +
                    "/after\" } ]\n");
  auto r = agent.Run({"--log-level", "info", "run", "docs", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["status"], "succeeded");
  EXPECT_NE(r.err.find("job docs: froze 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("job docs: thawed"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(dir + "/after"), "after\n");
  // The before hook's file is in the snapshot, the after hook's is not.
  auto ls = agent.Run({"ls", dir, "--json"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_NE(ls.out.find("\"before\""), std::string::npos) << ls.out;
  EXPECT_EQ(ls.out.find("\"after\""), std::string::npos) << ls.out;
}

TEST_F(FreezeTest, AFreezeOfWhatIsNotAMountPointFailsTheRunAndTheAfterHooksRun) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "x\n");
  const std::string dir = agent.data().string();
  const std::string log = (agent.root() / "after.log").string();
  agent.WritePolicy("  docs:\n    paths: [" + dir + "]\n    freeze: [" + dir +
                    "]\n    hooks:\n      after: [ { shell: \"echo $GUESTBACKUP_STATUS > " + log +
                    "\" } ]\n");
  auto r = agent.Run({"run", "docs", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string message = json::parse(r.out)["message"];
  EXPECT_NE(message.find("freeze: " + dir + " is not a mount point"), std::string::npos) << message;
  EXPECT_EQ(ReadFile(log), "failed\n");
}

TEST_F(FreezeTest, TheRealAgentKilledDuringItsFreezeLeavesItThawed) {
  Agent agent("alice", "vm1");
  LoopMount data((agent.root() / "data.img").string(), agent.data().string());
  ASSERT_EQ(data.error(), "");
  // Enough incompressible data that the snapshot, and so the freeze, lasts a while.
  std::mt19937_64 rng(7);
  std::string block(1 << 20, '\0');
  for (int f = 0; f < 24; ++f) {
    for (auto& c : block) c = static_cast<char>(rng());
    agent.WriteData("big/" + std::to_string(f) + ".bin", block);
  }
  const std::string dir = agent.data().string();
  agent.WritePolicy("  docs:\n    paths: [" + dir + "]\n    freeze: [" + dir + "]\n");
  constexpr int kTrials = 10;
  int killed_while_frozen = 0;
  int thawed = 0;
  milliseconds slowest{0};
  for (int trial = 0; trial < kTrials; ++trial) {
    const pid_t pid = agent.Start({"run", "docs"});
    // The guard is the agent's child while the freeze lasts.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (ChildNamed(pid, "guestbackup-daemon") < 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(1));
    }
    std::this_thread::sleep_for(milliseconds(rng() % 100));
    if (ChildNamed(pid, "guestbackup-daemon") > 0) ++killed_while_frozen;
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const pid_t probe = StartWriteProbe(dir);
    const std::optional<milliseconds> took = WaitForWriteProbe(probe, milliseconds(1000));
    if (took) {
      ++thawed;
      slowest = std::max(slowest, *took);
    } else {
      (void)RunTool({"fsfreeze", "-u", dir});
      WaitForWriteProbe(probe, milliseconds(60000));
    }
  }
  std::cout << "the real agent killed with SIGKILL during its freeze " << killed_while_frozen
            << " times out of " << kTrials << ": thawed within 1 s after " << thawed << " of "
            << kTrials << " kills (slowest write " << slowest.count() << " ms)\n";
  EXPECT_EQ(thawed, kTrials);
  EXPECT_GE(killed_while_frozen, kTrials / 2) << "too few kills landed during the freeze";
}

}  // namespace
}  // namespace guestbackup::testing
