#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "lean/daemon/event_watcher.h"

namespace guestbackup::daemon {
namespace {

// Kubernetes updates a mounted ConfigMap by renaming a fresh "..data" link into place; the
// policy file is a symlink through it, so that rename is a change of the policy too.
constexpr const char* kConfigMapSwapName = "..data";

// A file written in place is complete at IN_CLOSE_WRITE; one renamed into place arrives whole
// with IN_MOVED_TO. IN_MODIFY is left out: it fires mid-write.
constexpr std::uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO;

}  // namespace

Result<std::unique_ptr<EventWatcher>> EventWatcher::Start(const std::string& policy_path,
                                                          int signal_fd, WatchCallbacks callbacks) {
  const std::filesystem::path path(policy_path);
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  const int inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify_fd < 0) return IoError(std::string("inotify_init1: ") + std::strerror(errno));
  if (inotify_add_watch(inotify_fd, dir.c_str(), kWatchMask) < 0) {
    // Signals must still work, and a missing policy is reported by the load itself.
    spdlog::warn("changes of {} are not watched ({}): send SIGHUP to reload", policy_path,
                 std::strerror(errno));
  }
  int stop[2];
  if (pipe2(stop, O_CLOEXEC | O_NONBLOCK) != 0) {
    const int err = errno;
    close(inotify_fd);
    return IoError(std::string("pipe2: ") + std::strerror(err));
  }
  return std::unique_ptr<EventWatcher>(new EventWatcher(
      inotify_fd, signal_fd, stop[0], stop[1], path.filename().string(), std::move(callbacks)));
}

EventWatcher::EventWatcher(int inotify_fd, int signal_fd, int stop_read, int stop_write,
                           std::string name, WatchCallbacks callbacks)
    : inotify_fd_(inotify_fd),
      signal_fd_(signal_fd),
      stop_read_(stop_read),
      stop_write_(stop_write),
      file_name_(std::move(name)),
      callbacks_(std::move(callbacks)) {
  thread_ = std::thread([this] { Loop(); });
}

EventWatcher::~EventWatcher() {
  const char byte = 'Q';
  (void)!write(stop_write_, &byte, 1);
  thread_.join();
  close(inotify_fd_);
  close(stop_read_);
  close(stop_write_);
}

void EventWatcher::Loop() {
  pollfd fds[3] = {{stop_read_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}, {signal_fd_, POLLIN, 0}};
  const nfds_t count = signal_fd_ >= 0 ? 3 : 2;
  while (true) {
    if (poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if (fds[1].revents != 0 && DrainInotify() && callbacks_.reload) callbacks_.reload();
    if (count == 3 && fds[2].revents != 0) {
      char bytes[64];
      const ssize_t n = read(signal_fd_, bytes, sizeof bytes);
      for (ssize_t i = 0; i < n; ++i) {
        if (bytes[i] == 'H' && callbacks_.reload) callbacks_.reload();
        if (bytes[i] == 'T' && callbacks_.stop) callbacks_.stop();
      }
      if (n == 0) fds[2].fd = -1;  // writer gone: poll ignores negative fds
    }
  }
}

bool EventWatcher::DrainInotify() {
  alignas(inotify_event) char buffer[4096];
  bool relevant = false;
  while (true) {
    const ssize_t n = read(inotify_fd_, buffer, sizeof buffer);
    if (n <= 0) return relevant;
    for (ssize_t offset = 0; offset < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      if (event->len > 0) {
        const std::string name(event->name);
        if (name == file_name_ || name == kConfigMapSwapName) relevant = true;
      }
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
}

}  // namespace guestbackup::daemon
