// What wakes the daemon from outside: a replaced policy file or a reload request, or a stop
// request (control_requests.h). One thread blocked with no timeout (poll on Linux,
// WaitForMultipleObjects on Windows), so it costs no wake-ups.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "lean/base/status.h"
#include "lean/daemon/control_requests.h"

namespace guestbackup::daemon {

struct WatchCallbacks {
  std::function<void()> reload;  // called on the watcher's thread
  std::function<void()> stop;
};

class EventWatcher {
 public:
  // Watches the policy file's directory (editors and ConfigMap updates replace the file by a
  // rename, which a watch on the file itself would lose) and the control requests, which stay
  // the caller's. kIo when the watcher's own pipe or event cannot be created; a directory that
  // cannot be watched is only logged (a reload request still reloads).
  static Result<std::unique_ptr<EventWatcher>> Start(const std::string& policy_path,
                                                     ControlRequests control,
                                                     WatchCallbacks callbacks);
  ~EventWatcher();  // stops and joins the thread
  EventWatcher(const EventWatcher&) = delete;
  EventWatcher& operator=(const EventWatcher&) = delete;

 private:
  struct Sources;  // the system's handles: event_watcher_linux.cc, event_watcher_win32.cc
  EventWatcher(std::unique_ptr<Sources> sources, std::string file_name, WatchCallbacks callbacks);
  void Loop();
  std::unique_ptr<Sources> sources_;
  std::string file_name_;  // the policy file's name inside the watched directory
  WatchCallbacks callbacks_;
  std::thread thread_;
};

// Kubernetes updates a mounted ConfigMap by renaming a fresh "..data" link into place; the
// policy file is a symlink through it, so that rename is a change of the policy too.
inline constexpr const char* kConfigMapSwapName = "..data";

}  // namespace guestbackup::daemon
