// The scheduler's sd_notify messages as systemd receives them: datagrams on an AF_UNIX socket
// the test binds (by path, or by abstract name as systemd's own socket is) and exports as
// NOTIFY_SOCKET.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <string>

#include "lean/daemon/notifier.h"
#include "scheduler_harness.h"

namespace guestbackup::daemon {
namespace {

class NotifySocket {
 public:
  // `path` absolute, or "@name" for an abstract socket.
  explicit NotifySocket(const std::string& path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    socklen_t length = sizeof addr;
    if (path.starts_with("@")) {
      addr.sun_path[0] = '\0';
      length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
    }
    EXPECT_EQ(bind(fd_, reinterpret_cast<const sockaddr*>(&addr), length), 0);
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setenv("NOTIFY_SOCKET", path.c_str(), 1);
  }
  ~NotifySocket() {
    unsetenv("NOTIFY_SOCKET");
    close(fd_);
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // The next datagram, or "<timeout>" after 5 s.
  std::string Receive() {
    char buffer[4096];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    return n < 0 ? "<timeout>" : std::string(buffer, static_cast<std::size_t>(n));
  }

 private:
  int fd_ = -1;
};

std::string Job(const std::string& name, const std::string& schedule) {
  return "  " + name + ":\n    paths: [/srv/" + name + "]\n    schedule: \"" + schedule + "\"\n";
}

TEST(SdNotifyTest, ReadyStatusReloadingAndStoppingArriveOnTheNotifySocket) {
  testing::TempDir dir;
  NotifySocket socket((dir.path() / "notify").string());
  SdNotifier notifier;
  const std::int64_t start = Utc(2026, 11, 24, 1, 0);
  SchedulerHarness h({.start_ms = start,
                      .jobs_yaml = Job("etc", "*-*-* 02:00:13 UTC") + Job("home", "hourly"),
                      .notifier = &notifier});
  std::atomic<bool> release{false};
  h.SetRunner([&](const RecordedRun&, const RunRequest&) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return contract::RunStatus::kSucceeded;
  });
  h.Start();
  EXPECT_EQ(socket.Receive(), "READY=1");
  EXPECT_EQ(socket.Receive(), "STATUS=next: home at 2026-11-24 02:00:00; 0 running");

  h.clock().SetNow(h.AwaitIdle());  // home starts and keeps running
  EXPECT_EQ(socket.Receive(), "STATUS=next: etc at 2026-11-24 02:00:13; 1 running");
  release = true;
  EXPECT_EQ(socket.Receive(), "STATUS=next: etc at 2026-11-24 02:00:13; 0 running");

  h.scheduler().RequestReload();
  const std::string reloading = socket.Receive();
  EXPECT_TRUE(reloading.starts_with("RELOADING=1\nMONOTONIC_USEC=")) << reloading;
  EXPECT_EQ(socket.Receive(), "READY=1");
  EXPECT_EQ(socket.Receive(), "STATUS=next: etc at 2026-11-24 02:00:13; 0 running");

  EXPECT_TRUE(h.Stop().ok());
  EXPECT_EQ(socket.Receive(), "STOPPING=1");
}

TEST(SdNotifyTest, WatchdogPingsAtHalfThePeriodOnlyWhenAsked) {
  testing::TempDir dir;
  NotifySocket socket((dir.path() / "notify").string());
  SdNotifier notifier;
  const std::int64_t start = Utc(2026, 11, 24, 1, 0);
  SchedulerHarness h({.start_ms = start,
                      .jobs_yaml = Job("etc", "*-*-* 02:00:00 UTC"),
                      .notifier = &notifier,
                      .watchdog = std::chrono::seconds(20)});
  h.Start();
  EXPECT_EQ(socket.Receive(), "READY=1");
  EXPECT_EQ(socket.Receive(), "STATUS=next: etc at 2026-11-24 02:00:00; 0 running");
  EXPECT_EQ(h.AwaitIdle(), start + 10'000);
  h.clock().SetNow(start + 10'000);
  EXPECT_EQ(socket.Receive(), "WATCHDOG=1");
  EXPECT_EQ(h.AwaitIdle(), start + 20'000);
  EXPECT_TRUE(h.Stop().ok());
  EXPECT_EQ(socket.Receive(), "STOPPING=1");
}

TEST(SdNotifyTest, WatchdogPeriodComesFromWatchdogUsecForThisProcess) {
  setenv("WATCHDOG_USEC", "30000000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  EXPECT_EQ(SystemdWatchdogPeriod(), std::chrono::seconds(30));
  setenv("WATCHDOG_PID", std::to_string(getpid() + 1).c_str(), 1);
  EXPECT_EQ(SystemdWatchdogPeriod(), std::chrono::milliseconds(0));  // meant for another pid
  unsetenv("WATCHDOG_PID");
  EXPECT_EQ(SystemdWatchdogPeriod(), std::chrono::seconds(30));  // no pid named: for us
  for (const char* bad : {"", "0", "abc", "30s", "-5", "99999999999999999999"}) {
    setenv("WATCHDOG_USEC", bad, 1);
    EXPECT_EQ(SystemdWatchdogPeriod(), std::chrono::milliseconds(0)) << bad;
  }
  unsetenv("WATCHDOG_USEC");
  EXPECT_EQ(SystemdWatchdogPeriod(), std::chrono::milliseconds(0));
}

TEST(SdNotifyTest, AnAbstractSocketNameGetsTheDatagramAndAnUnknownTransportNothing) {
  const std::string name = "@guestbackup-test-notify-" + std::to_string(getpid());
  NotifySocket socket(name);
  SdNotifier notifier;
  notifier.Notify("READY=1\nSTATUS=up");
  EXPECT_EQ(socket.Receive(), "READY=1\nSTATUS=up");

  // Not a path or an abstract name (systemd's vsock form): nothing is sent, nothing fails.
  setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
  notifier.Notify("READY=1");
  setenv("NOTIFY_SOCKET", name.c_str(), 1);
  notifier.Notify("STOPPING=1");
  EXPECT_EQ(socket.Receive(), "STOPPING=1");
}

}  // namespace
}  // namespace guestbackup::daemon
