// See event_watcher.h: inotify on the policy's directory, the signal pipe and a pipe of its own
// to stop the thread, in one poll().
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

// A file written in place is complete at IN_CLOSE_WRITE; one renamed into place arrives whole
// with IN_MOVED_TO. IN_MODIFY is left out: it fires mid-write.
constexpr std::uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO;

// True when an event read from `inotify_fd` concerned `file_name` (or the ConfigMap's swap).
bool DrainInotify(int inotify_fd, const std::string& file_name) {
  alignas(inotify_event) char buffer[4096];
  bool relevant = false;
  while (true) {
    const ssize_t n = read(inotify_fd, buffer, sizeof buffer);
    if (n <= 0) return relevant;
    for (ssize_t offset = 0; offset < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      if (event->len > 0) {
        const std::string name(event->name);
        if (name == file_name || name == kConfigMapSwapName) relevant = true;
      }
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
}

}  // namespace

struct EventWatcher::Sources {
  int inotify_fd = -1;
  int signal_fd = -1;
  int stop_read = -1;
  int stop_write = -1;
  ~Sources() {
    for (int fd : {inotify_fd, stop_read, stop_write}) {
      if (fd >= 0) close(fd);
    }
  }
};

Result<std::unique_ptr<EventWatcher>> EventWatcher::Start(const std::string& policy_path,
                                                          ControlRequests control,
                                                          WatchCallbacks callbacks) {
  const std::filesystem::path path(policy_path);
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  const int inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify_fd < 0) return IoError(std::string("inotify_init1: ") + std::strerror(errno));
  if (inotify_add_watch(inotify_fd, dir.c_str(), kWatchMask) < 0) {
    // Signals must still work, and a missing policy is reported by the load itself.
    spdlog::warn("changes of {} are not watched ({}): send SIGHUP to reload", policy_path,
                 std::strerror(errno));
  }
  auto sources = std::make_unique<Sources>();
  sources->inotify_fd = inotify_fd;
  sources->signal_fd = control.signal_fd;
  int stop[2];
  if (pipe2(stop, O_CLOEXEC | O_NONBLOCK) != 0) {
    return IoError(std::string("pipe2: ") + std::strerror(errno));
  }
  sources->stop_read = stop[0];
  sources->stop_write = stop[1];
  return std::unique_ptr<EventWatcher>(
      new EventWatcher(std::move(sources), path.filename().string(), std::move(callbacks)));
}

EventWatcher::EventWatcher(std::unique_ptr<Sources> sources, std::string file_name,
                           WatchCallbacks callbacks)
    : sources_(std::move(sources)),
      file_name_(std::move(file_name)),
      callbacks_(std::move(callbacks)) {
  thread_ = std::thread([this] { Loop(); });
}

EventWatcher::~EventWatcher() {
  const char byte = 'Q';
  (void)!write(sources_->stop_write, &byte, 1);
  thread_.join();
}

void EventWatcher::Loop() {
  const Sources& in = *sources_;
  pollfd fds[3] = {
      {in.stop_read, POLLIN, 0}, {in.inotify_fd, POLLIN, 0}, {in.signal_fd, POLLIN, 0}};
  const nfds_t count = in.signal_fd >= 0 ? 3 : 2;
  while (true) {
    if (poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if (fds[1].revents != 0 && DrainInotify(in.inotify_fd, file_name_) && callbacks_.reload) {
      callbacks_.reload();
    }
    if (count == 3 && fds[2].revents != 0) {
      char bytes[64];
      const ssize_t n = read(in.signal_fd, bytes, sizeof bytes);
      for (ssize_t i = 0; i < n; ++i) {
        if (bytes[i] == 'H' && callbacks_.reload) callbacks_.reload();
        if (bytes[i] == 'T' && callbacks_.stop) callbacks_.stop();
      }
      if (n == 0) fds[2].fd = -1;  // writer gone: poll ignores negative fds
    }
  }
}

}  // namespace guestbackup::daemon
