// The agent's side of a job's `freeze`: checks the mount points, starts the guard
// (`guestbackup-daemon freeze-guard`, lean/freeze/freeze_guard.h) and waits until every file
// system is frozen; Thaw() asks the guard to thaw them and says whether the freeze held for
// the whole snapshot. The guard, not this object, is what thaws them if the agent dies.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "lean/base/status.h"
#include "lean/process/unique_fd_posix.h"

namespace guestbackup::freeze {

class FreezeSession {
 public:
  // Freezes `mounts` (in order) through the guard at `guard_executable`, which thaws them
  // after `timeout` at the latest. On any failure nothing is left frozen and the error says
  // which file system and why (a policy error for a mount point that may not be frozen).
  static Result<FreezeSession> Start(const std::vector<std::string>& mounts,
                                     std::chrono::milliseconds timeout,
                                     const std::string& state_dir,
                                     const std::string& guard_executable);

  FreezeSession(FreezeSession&& other) noexcept;
  FreezeSession& operator=(FreezeSession&& other) noexcept;
  FreezeSession(const FreezeSession&) = delete;
  FreezeSession& operator=(const FreezeSession&) = delete;
  // Thaws (by ending the guard's input) when Thaw() was not called.
  ~FreezeSession();

  // Has the guard thaw every file system and waits for it. Failed when the freeze did not hold
  // until now (the guard thawed on its timeout: the snapshot is not of one instant) or a file
  // system could not be thawed.
  Status Thaw();

  pid_t guard_pid() const { return pid_; }

 private:
  FreezeSession() = default;
  void EndGuard();

  pid_t pid_ = -1;
  process::UniqueFd to_guard_;
  process::UniqueFd from_guard_;
  process::UniqueFd guard_stderr_;
  std::vector<std::string> mounts_;
  [[maybe_unused]] std::chrono::milliseconds timeout_{0};  // unused by the Windows stand-in
};

}  // namespace guestbackup::freeze
