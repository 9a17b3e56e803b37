#include "lean/freeze/freeze_guard.h"

#include <fcntl.h>
#include <linux/fs.h>  // FIFREEZE, FITHAW
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

#include "lean/freeze/freeze_protocol.h"

namespace guestbackup::freeze {
namespace {

using Clock = std::chrono::steady_clock;

struct FrozenMount {
  std::string mount;
  int fd = -1;  // kept open: FITHAW needs a descriptor of the same file system
};

// One protocol line. An agent that is gone (EPIPE, with SIGPIPE ignored) is not an error here:
// the thaw matters, not the report.
void Report(int fd, std::string_view word, std::string_view detail = "") {
  std::string line(word);
  if (!detail.empty()) line.append(" ").append(detail);
  line += '\n';
  std::string_view left = line;
  while (!left.empty()) {
    const ssize_t n = ::write(fd, left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    left.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string FreezeFailure(int error) {
  switch (error) {
    case EBUSY:
      return "is frozen already, by someone else (KubeVirt's guest agent, an fsfreeze?): "
             "left as it is";
    case EOPNOTSUPP:
      return "cannot be frozen: its file system does not support freezing";
    case EPERM:
      return "cannot be frozen: freezing needs CAP_SYS_ADMIN";
    default:
      return std::string("cannot be frozen: ") + std::strerror(error);
  }
}

// Thaws in the reverse order of freezing and closes each descriptor. EINVAL means the file
// system is not frozen any more (someone thawed it), which is the goal.
bool ThawAll(std::vector<FrozenMount>& frozen, int report_fd) {
  bool all = true;
  for (const FrozenMount& mount : std::views::reverse(frozen)) {
    int rc = 0;
    do {
      rc = ::ioctl(mount.fd, FITHAW, 0);
    } while (rc != 0 && errno == EINTR);
    if (rc == 0 || errno == EINVAL) {
      Report(report_fd, kThawed, mount.mount);
    } else {
      all = false;
      Report(report_fd, kError, mount.mount + " cannot be thawed: " + std::strerror(errno));
    }
    ::close(mount.fd);
  }
  frozen.clear();
  return all;
}

bool SignalPending(int signal_fd) {
  signalfd_siginfo info{};
  return ::read(signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info);
}

int MillisecondsLeft(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

}  // namespace

int RunFreezeGuard(const GuardOptions& options, int command_fd, int report_fd) {
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t stops;
  sigemptyset(&stops);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&stops, s);
  ::sigprocmask(SIG_BLOCK, &stops, nullptr);
  const int signal_fd = ::signalfd(-1, &stops, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd < 0) {
    Report(report_fd, kError, std::string("signalfd: ") + std::strerror(errno));
    return kCouldNotFreeze;
  }
  if (options.mounts.empty() || options.timeout.count() <= 0) {
    Report(report_fd, kError, "nothing to freeze, or no timeout");
    return kCouldNotFreeze;
  }
  // Best effort: the kernel's OOM killer should pick anything but the process that thaws.
  if (const int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC); fd >= 0) {
    (void)!::write(fd, "-1000", 5);
    ::close(fd);
  }
  // Best effort too: ahead of everything else the machine runs, so that a busy guest (a backup
  // is busy) does not make the thaw late while every writer waits on it. Root may raise it.
  (void)::setpriority(PRIO_PROCESS, 0, -20);

  const Clock::time_point deadline = Clock::now() + options.timeout;
  std::vector<FrozenMount> frozen;
  for (const std::string& mount : options.mounts) {
    if (SignalPending(signal_fd)) {
      ThawAll(frozen, report_fd);
      return kSignalled;
    }
    const int fd = ::open(mount.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      const std::string why = std::strerror(errno);
      ThawAll(frozen, report_fd);
      Report(report_fd, kError, mount + " cannot be opened: " + why);
      return kCouldNotFreeze;
    }
    int rc = 0;
    do {
      rc = ::ioctl(fd, FIFREEZE, 0);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const std::string why = FreezeFailure(errno);
      ::close(fd);
      ThawAll(frozen, report_fd);
      Report(report_fd, kError, mount + " " + why);
      return kCouldNotFreeze;
    }
    frozen.push_back({mount, fd});
    Report(report_fd, kFrozen, mount);
  }
  Report(report_fd, kReady);

  std::string input;
  for (;;) {
    const int wait_ms = MillisecondsLeft(deadline);
    if (wait_ms == 0) {
      ThawAll(frozen, report_fd);
      Report(report_fd, kTimedOut);
      return kTimedOutExit;
    }
    pollfd fds[2] = {{command_fd, POLLIN, 0}, {signal_fd, POLLIN, 0}};
    const int ready = ::poll(fds, 2, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || fds[1].revents != 0) {
      ThawAll(frozen, report_fd);
      return kSignalled;
    }
    if (fds[0].revents == 0) continue;
    char buffer[256];
    const ssize_t n = ::read(command_fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      ThawAll(frozen, report_fd);
      return kAgentGone;
    }
    input.append(buffer, static_cast<std::size_t>(n));
    if (input.find(std::string(kThaw) + "\n") != std::string::npos) {
      return ThawAll(frozen, report_fd) ? kThawedOnRequest : kThawFailed;
    }
  }
}

}  // namespace guestbackup::freeze
