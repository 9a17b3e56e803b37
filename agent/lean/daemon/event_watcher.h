// What wakes the daemon from outside: a replaced policy file or SIGHUP (reload), SIGINT or
// SIGTERM (stop). One thread blocked in poll() with no timeout, so it costs no wake-ups.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "lean/base/status.h"

namespace guestbackup::daemon {

struct WatchCallbacks {
  std::function<void()> reload;  // called on the watcher's thread
  std::function<void()> stop;
};

class EventWatcher {
 public:
  // Watches the policy file's directory (editors and ConfigMap updates replace the file by a
  // rename, which a watch on the file itself would lose) and, when signal_fd >= 0, a pipe the
  // signal handlers write 'H' (reload) or 'T' (stop) to. Takes ownership of neither fd's
  // peer; signal_fd stays the caller's. kIo when inotify or a pipe cannot be created; a
  // directory that cannot be watched is only logged (SIGHUP still reloads).
  static Result<std::unique_ptr<EventWatcher>> Start(const std::string& policy_path, int signal_fd,
                                                     WatchCallbacks callbacks);
  ~EventWatcher();  // stops and joins the thread
  EventWatcher(const EventWatcher&) = delete;
  EventWatcher& operator=(const EventWatcher&) = delete;

 private:
  EventWatcher(int inotify_fd, int signal_fd, int stop_read, int stop_write, std::string name,
               WatchCallbacks callbacks);
  void Loop();
  bool DrainInotify();  // true when an event concerned the policy file

  int inotify_fd_;
  int signal_fd_;
  int stop_read_;
  int stop_write_;
  std::string file_name_;  // the policy file's name inside the watched directory
  WatchCallbacks callbacks_;
  std::thread thread_;
};

}  // namespace guestbackup::daemon
