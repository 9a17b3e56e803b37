// The daemon's outside wake-ups with real inotify and a real pipe: a policy file replaced by
// a rename or rewritten in place asks for a reload, other files in the directory do not, and
// the signal bytes map to reload and stop.
#include "lean/daemon/event_watcher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "support/temp_dir.h"

namespace guestbackup::daemon {
namespace {

class Counts {
 public:
  WatchCallbacks Callbacks() {
    return {[this] { Bump(reloads_); }, [this] { Bump(stops_); }};
  }
  // Waits up to `patience` for the reload count to reach `n`; returns the count.
  int AwaitReloads(int n, std::chrono::milliseconds patience = std::chrono::seconds(5)) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, patience, [&] { return reloads_ >= n; });
    return reloads_;
  }
  int AwaitStops(int n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [&] { return stops_ >= n; });
    return stops_;
  }

 private:
  void Bump(int& counter) {
    std::lock_guard lock(mu_);
    ++counter;
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  int reloads_ = 0;
  int stops_ = 0;
};

TEST(EventWatcherTest, APolicyFileReplacedOrRewrittenAsksForAReload) {
  testing::TempDir dir;
  const std::string policy = dir.WriteFile("policy.yaml", "version: 1\n");
  Counts counts;
  auto watcher = EventWatcher::Start(policy, ControlRequests{}, counts.Callbacks());
  ASSERT_TRUE(watcher.ok()) << watcher.status().ToString();

  dir.WriteFile("policy.yaml.swp", "editor scratch\n");  // not the policy
  EXPECT_EQ(counts.AwaitReloads(1, std::chrono::milliseconds(200)), 0);

  dir.WriteFile("policy.yaml.new", "version: 1\njobs: {}\n");
  std::filesystem::rename(dir.path() / "policy.yaml.new", policy);  // how editors save
  EXPECT_EQ(counts.AwaitReloads(1), 1);

  { std::ofstream(policy, std::ios::trunc) << "version: 1\n"; }  // rewritten in place
  EXPECT_EQ(counts.AwaitReloads(2), 2);
}

TEST(EventWatcherTest, SignalBytesMeanReloadAndStop) {
  testing::TempDir dir;
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  Counts counts;
  auto watcher = EventWatcher::Start(dir.WriteFile("policy.yaml", "version: 1\n"),
                                     ControlRequests{fds[0]}, counts.Callbacks());
  ASSERT_TRUE(watcher.ok());
  ASSERT_EQ(write(fds[1], "H", 1), 1);
  EXPECT_EQ(counts.AwaitReloads(1), 1);
  ASSERT_EQ(write(fds[1], "T", 1), 1);
  EXPECT_EQ(counts.AwaitStops(1), 1);
  watcher->reset();  // the thread stops and joins
  close(fds[0]);
  close(fds[1]);
}

TEST(EventWatcherTest, AnUnwatchableDirectoryStillLeavesSignalsWorking) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  Counts counts;
  auto watcher = EventWatcher::Start("/nonexistent/dir/policy.yaml", ControlRequests{fds[0]},
                                     counts.Callbacks());
  ASSERT_TRUE(watcher.ok());
  ASSERT_EQ(write(fds[1], "T", 1), 1);
  EXPECT_EQ(counts.AwaitStops(1), 1);
  watcher->reset();
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace guestbackup::daemon
