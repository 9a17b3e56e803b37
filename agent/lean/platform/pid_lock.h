// An exclusive lock on a file (a LockedFile) that also records its holder's pid, for the
// message a second taker prints. The system drops the lock when its holder dies, so a stale
// lock cannot exist.
// One job run at a time (<state>/locks/<job>.lock), one daemon per state directory
// (<state>/daemon.lock).
#pragma once

#include <memory>
#include <string>

#include "lean/base/status.h"
#include "lean/platform/locked_file.h"

namespace guestbackup::platform {

class PidLock {
 public:
  // Takes the lock without waiting, creating `path` (0600) and its directory. When another
  // process holds it: kAlreadyRunning "<what> (pid N)".
  static Result<std::unique_ptr<PidLock>> TryAcquire(const std::string& path,
                                                     const std::string& what);
  ~PidLock();
  PidLock(const PidLock&) = delete;
  PidLock& operator=(const PidLock&) = delete;

  const std::string& path() const { return file_->path(); }

 private:
  explicit PidLock(std::unique_ptr<LockedFile> file) : file_(std::move(file)) {}
  std::unique_ptr<LockedFile> file_;
};

}  // namespace guestbackup::platform
