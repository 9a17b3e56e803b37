// `guestbackup daemon` assembled from its parts: the real clock, sd_notify (or the Windows
// service's status), each run as a child `guestbackup run`, and the watcher for stop and reload
// requests and policy-file changes.
#pragma once

#include <string>

#include "lean/base/status.h"
#include "lean/contract/command_line.h"
#include "lean/daemon/control_requests.h"
#include "lean/daemon/notifier.h"

namespace guestbackup::daemon {

struct DaemonOptions {
  contract::GlobalOptions options;  // the daemon's own, and passed on to each child
  std::string guestbackup_path;     // the full guestbackup binary the jobs run with
  ControlRequests control;          // stop and reload from outside
  // Told READY, RELOADING, STOPPING and STATUS (notifier.h): the Windows service's status
  // reporter; when null, sd_notify on Linux (which does nothing outside systemd) and nothing
  // on Windows.
  Notifier* notifier = nullptr;
};

// Runs until a stop is requested. Returns ok after a clean stop (running jobs finished or
// interrupted and recorded); the first policy load's error (kPolicyError, every diagnostic)
// or a setup error otherwise.
Status RunDaemon(const DaemonOptions& options);

}  // namespace guestbackup::daemon
