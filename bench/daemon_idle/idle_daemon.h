// A `guestbackup daemon` started for the benchmark: its own work directory with a policy of
// daily jobs none of which falls due soon, its log in a file, and a NOTIFY_SOCKET the bench
// binds to learn when it is ready.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "lean/base/status.h"
#include "options.h"

namespace guestbackup::bench {

class IdleDaemon {
 public:
  // Writes the policy under `work_dir` and starts the daemon; returns once it sent READY=1
  // (kFailed with its log when it did not within 30 s).
  static Result<std::unique_ptr<IdleDaemon>> Start(const IdleOptions& options,
                                                   const std::string& work_dir);
  ~IdleDaemon();  // SIGKILLs the daemon if Stop() was not called
  IdleDaemon(const IdleDaemon&) = delete;
  IdleDaemon& operator=(const IdleDaemon&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& status() const { return status_; }  // its first STATUS= line
  // sd_notify messages that arrived since READY/STATUS (none are expected while idle).
  int PendingNotifications();
  // SIGTERM, then waits; returns the exit code (-1 if it had to be killed after 30 s) and
  // how long the stop took.
  int Stop(std::chrono::milliseconds& took);
  std::string Log() const;

 private:
  IdleDaemon() = default;
  std::string work_dir_;
  int notify_fd_ = -1;
  pid_t pid_ = -1;
  std::string status_;
};

}  // namespace guestbackup::bench
