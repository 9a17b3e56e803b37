// Run() ending children early: timeouts and cancel kill the whole process group, a SIGTERM
// that is ignored is followed by SIGKILL, and descendants holding the pipes do not hang us.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lean/process/process.h"
#include "support/temp_dir.h"

namespace guestbackup::process {
namespace {

using guestbackup::testing::ReadFile;
using guestbackup::testing::TempDir;
using std::chrono::milliseconds;

ProcessResult RunOk(const ProcessSpec& spec) {
  Result<ProcessResult> result = process::Run(spec);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : ProcessResult{};
}

// Pids the test scripts append to `file`, one per line.
std::vector<pid_t> ReadPids(const std::filesystem::path& file) {
  std::vector<pid_t> pids;
  std::istringstream in(ReadFile(file));
  for (pid_t pid; in >> pid;) pids.push_back(pid);
  return pids;
}

// True when `pid` is gone or a zombie (dead, waiting for whoever inherited it to reap it).
bool IsDead(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return true;
  std::size_t after_name = stat.rfind(')');
  return after_name != std::string::npos && stat.compare(after_name, 3, ") Z") == 0;
}

// Death of a process is immediate after SIGKILL, but its state may take a moment to show.
void ExpectDeadSoon(pid_t pid) {
  for (int i = 0; i < 100 && !IsDead(pid); ++i) std::this_thread::sleep_for(milliseconds(10));
  EXPECT_TRUE(IsDead(pid)) << "pid " << pid << " still runs";
}

ProcessSpec ShellSpec(const TempDir& dir, const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.working_dir = dir.path().string();
  spec.timeout = milliseconds(200);
  spec.kill_grace = milliseconds(200);
  return spec;
}

TEST(RunTerminationTest, TimeoutKillsTheWholeGroup) {
  TempDir dir;
  ProcessSpec spec =
      ShellSpec(dir, "sleep 100 & echo $! >> pids; sleep 100 & echo $! >> pids; wait");
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.term_signal, SIGTERM);
  EXPECT_EQ(r.Describe(), "timed out after 200ms (killed)");
  EXPECT_GE(r.duration, milliseconds(200));
  EXPECT_LT(r.duration, milliseconds(2000));

  std::vector<pid_t> pids = ReadPids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 2U);
  for (pid_t pid : pids) ExpectDeadSoon(pid);
}

TEST(RunTerminationTest, IgnoredSigtermIsFollowedBySigkill) {
  TempDir dir;
  // Ignored signals survive exec, so the sleep ignores SIGTERM too.
  ProcessSpec spec = ShellSpec(dir, "trap '' TERM; sleep 100 & echo $! > pids; wait");
  spec.kill_grace = milliseconds(300);
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_GE(r.duration, milliseconds(500));
  EXPECT_LT(r.duration, milliseconds(3000));
  std::vector<pid_t> pids = ReadPids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 1U);
  ExpectDeadSoon(pids[0]);
}

TEST(RunTerminationTest, GroupMemberIgnoringSigtermIsKilledAfterTheChildDies) {
  TempDir dir;
  ProcessSpec spec = ShellSpec(dir, "(trap '' TERM; sleep 100; :) & echo $! > pids; sleep 100");
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = RunOk(spec);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.term_signal, SIGTERM);      // the shell itself died at once
  EXPECT_GE(elapsed, milliseconds(400));  // but Run() waited out the grace for the subshell
  std::vector<pid_t> pids = ReadPids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 1U);
  ExpectDeadSoon(pids[0]);
}

// The group is not the whole tree: setsid() takes a process out of it, and a parent that exits
// leaves its children to be adopted elsewhere. A timeout ends them all the same.
TEST(RunTerminationTest, TimeoutKillsADescendantThatCalledSetsid) {
  TempDir dir;
  ProcessSpec spec =
      ShellSpec(dir, "setsid sh -c 'echo $$ >> pids; exec sleep 100' </dev/null >/dev/null & wait");
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.timed_out);
  std::vector<pid_t> pids = ReadPids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 1U);
  ExpectDeadSoon(pids[0]);
}

TEST(RunTerminationTest, TimeoutKillsAnOrphanOfADoubleFork) {
  TempDir dir;
  // The subshell exits at once, so the sleeper's parent is no longer in our tree at all.
  ProcessSpec spec = ShellSpec(
      dir, "(setsid sh -c 'echo $$ >> pids; exec sleep 100' </dev/null >/dev/null &); sleep 100");
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.timed_out);
  std::vector<pid_t> pids = ReadPids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 1U);
  ExpectDeadSoon(pids[0]);
}

TEST(RunTerminationTest, TimeoutKillsADescendantThatClearedItsEnvironment) {
  TempDir dir;
  // No marker in its environment: found through its parent, which still lives.
  ProcessSpec spec = ShellSpec(
      dir,
      "setsid env -i /bin/sh -c 'echo $$ >> pids; exec sleep 100' </dev/null >/dev/null & wait");
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.timed_out);
  std::vector<pid_t> pids = ReadPids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 1U);
  ExpectDeadSoon(pids[0]);
}

TEST(RunTerminationTest, AnEscapedDescendantIgnoringSigtermIsKilledAfterTheGrace) {
  TempDir dir;
  ProcessSpec spec = ShellSpec(
      dir,
      "setsid sh -c 'trap \"\" TERM; echo $$ >> pids; sleep 100; :' </dev/null >/dev/null &"
      " sleep 100");
  spec.kill_grace = milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = RunOk(spec);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_GE(elapsed, milliseconds(500));  // Run() waited out the grace for it
  std::vector<pid_t> pids = ReadPids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 1U);
  ExpectDeadSoon(pids[0]);
}

// A daemon a child starts on purpose (and then exits normally) is not ours to end.
TEST(RunTerminationTest, ADaemonOfAChildThatExitedNormallyIsLeftAlone) {
  TempDir dir;
  ProcessSpec spec = ShellSpec(
      dir, "setsid sh -c 'echo $$ >> pids; exec sleep 100' </dev/null >/dev/null & sleep 0.2");
  spec.timeout = milliseconds(5000);
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.Succeeded()) << r.Describe();
  std::vector<pid_t> pids = ReadPids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 1U);
  EXPECT_FALSE(IsDead(pids[0]));
  kill(pids[0], SIGKILL);
}

TEST(RunTerminationTest, CancelFlagStopsTheChild) {
  std::atomic<bool> cancel{false};
  ProcessSpec spec;
  spec.argv = {"sleep", "100"};
  spec.cancel = &cancel;
  spec.kill_grace = milliseconds(200);
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(milliseconds(50));
    cancel = true;
  });
  ProcessResult r = RunOk(spec);
  canceller.join();
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.term_signal, SIGTERM);
  EXPECT_EQ(r.Describe(), "cancelled");
  EXPECT_LT(r.duration, milliseconds(1000));
}

TEST(RunTerminationTest, TheSecondCancelFlagStopsTheChildToo) {
  std::atomic<bool> cancel{false};
  std::atomic<bool> also_cancel{false};
  ProcessSpec spec;
  spec.argv = {"sleep", "100"};
  spec.cancel = &cancel;
  spec.also_cancel = &also_cancel;
  spec.kill_grace = milliseconds(200);
  std::thread canceller([&also_cancel] {
    std::this_thread::sleep_for(milliseconds(50));
    also_cancel = true;
  });
  ProcessResult r = RunOk(spec);
  canceller.join();
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(r.term_signal, SIGTERM);
  EXPECT_FALSE(cancel.load());

  // Alone, without `cancel`, and set before the start: nothing starts.
  ProcessSpec never;
  never.argv = {"/nonexistent/never-started"};
  never.also_cancel = &also_cancel;
  ProcessResult not_started = RunOk(never);
  EXPECT_TRUE(not_started.cancelled);
  EXPECT_EQ(not_started.pid, -1);
}

TEST(RunTerminationTest, AlreadyCancelledDoesNotStart) {
  std::atomic<bool> cancel{true};
  ProcessSpec spec;
  spec.argv = {"/nonexistent/never-started"};
  spec.cancel = &cancel;
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(r.pid, -1);
}

TEST(RunTerminationTest, DescendantHoldingThePipesDoesNotHangUs) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "sleep 5 & echo started"};
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = RunOk(spec);
  auto elapsed = std::chrono::steady_clock::now() - start;
  kill(-r.pid, SIGKILL);  // the sleep, left alone by Run() after a normal exit
  EXPECT_TRUE(r.Succeeded());
  EXPECT_EQ(r.stdout_data, "started\n");
  EXPECT_LT(elapsed, milliseconds(1500));
}

// A child that reports as it goes may run as long as it keeps reporting; a silence longer than
// idle_timeout ends it (a stalled kopia), and the result says so.
TEST(RunTerminationTest, IdleTimeoutEndsASilentChildOnly) {
  TempDir dir;
  ProcessSpec talking = ShellSpec(dir, "for i in 1 2 3 4 5 6; do echo $i >&2; sleep 0.1; done");
  talking.timeout = milliseconds(0);
  talking.idle_timeout = milliseconds(400);
  ProcessResult r = RunOk(talking);  // 0.6 s in all, never 0.4 s quiet
  EXPECT_TRUE(r.Succeeded()) << r.Describe();
  EXPECT_FALSE(r.stalled);

  ProcessSpec silent = ShellSpec(dir, "echo started; sleep 100 & echo $! >> pids; wait");
  silent.timeout = milliseconds(0);
  silent.idle_timeout = milliseconds(300);
  r = RunOk(silent);
  EXPECT_TRUE(r.stalled);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.Describe(), "no output for 300ms (killed)");
  EXPECT_EQ(r.stdout_data, "started\n");
  for (pid_t pid : ReadPids(dir.path() / "pids")) ExpectDeadSoon(pid);
}

TEST(RunTerminationTest, ChildFinishingBeforeTheTimeoutIsNotTimedOut) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo quick"};
  spec.timeout = milliseconds(5000);
  ProcessResult r = RunOk(spec);
  EXPECT_TRUE(r.Succeeded());
  EXPECT_FALSE(r.timed_out);
  EXPECT_LT(r.duration, milliseconds(1000));
}

}  // namespace
}  // namespace guestbackup::process
