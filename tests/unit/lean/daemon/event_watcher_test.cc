// The daemon's outside wake-ups for real: inotify and a pipe on Linux, ReadDirectoryChangesW
// and events on Windows. A policy file replaced by a rename or rewritten in place asks for a
// reload, other files in the directory do not, and the control requests (signal bytes on
// Linux, the service's events on Windows) map to reload and stop.
#include "lean/daemon/event_watcher.h"

#include <gtest/gtest.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

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

// What sends the daemon its stop and reload requests: the signal handlers' pipe on Linux, the
// service's control handler's events on Windows.
class ControlSender {
 public:
  ControlSender() {
#if defined(_WIN32)
    control_.stop_event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    control_.reload_event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
#else
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
      control_.signal_fd = fds[0];
      write_fd_ = fds[1];
    }
#endif
  }
  ~ControlSender() {
#if defined(_WIN32)
    CloseHandle(control_.stop_event);
    CloseHandle(control_.reload_event);
#else
    close(control_.signal_fd);
    close(write_fd_);
#endif
  }
  ControlSender(const ControlSender&) = delete;
  ControlSender& operator=(const ControlSender&) = delete;

  const ControlRequests& requests() const { return control_; }
#if defined(_WIN32)
  bool Reload() { return SetEvent(control_.reload_event) != 0; }
  bool Stop() { return SetEvent(control_.stop_event) != 0; }
#else
  bool Reload() { return write(write_fd_, "H", 1) == 1; }
  bool Stop() { return write(write_fd_, "T", 1) == 1; }
#endif

 private:
  ControlRequests control_;
#if !defined(_WIN32)
  int write_fd_ = -1;
#endif
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

TEST(EventWatcherTest, ControlRequestsMeanReloadAndStop) {
  testing::TempDir dir;
  ControlSender control;
  Counts counts;
  auto watcher = EventWatcher::Start(dir.WriteFile("policy.yaml", "version: 1\n"),
                                     control.requests(), counts.Callbacks());
  ASSERT_TRUE(watcher.ok());
  ASSERT_TRUE(control.Reload());
  EXPECT_EQ(counts.AwaitReloads(1), 1);
  ASSERT_TRUE(control.Stop());
  EXPECT_EQ(counts.AwaitStops(1), 1);
  // A second request is heard too (Windows' events are reset once seen).
  ASSERT_TRUE(control.Reload());
  EXPECT_EQ(counts.AwaitReloads(2), 2);
  watcher->reset();  // the thread stops and joins
}

TEST(EventWatcherTest, AnUnwatchableDirectoryStillLeavesControlRequestsWorking) {
  ControlSender control;
  Counts counts;
  auto watcher =
      EventWatcher::Start("/nonexistent/dir/policy.yaml", control.requests(), counts.Callbacks());
  ASSERT_TRUE(watcher.ok());
  ASSERT_TRUE(control.Stop());
  EXPECT_EQ(counts.AwaitStops(1), 1);
  watcher->reset();
}

}  // namespace
}  // namespace guestbackup::daemon
