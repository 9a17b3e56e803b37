// An exclusive flock on a file that also records its holder's pid, for the message a second
// taker prints. The kernel drops the lock when its holder dies, so a stale lock cannot exist.
// One job run at a time (<state>/locks/<job>.lock), one daemon per state directory
// (<state>/daemon.lock).
#pragma once

#include <memory>
#include <string>

#include "lean/base/status.h"

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

  const std::string& path() const { return path_; }

 private:
  PidLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  // What both systems' TryAcquire share (pid_lock.cc): the lock file's directory, the text a
  // holder writes into it, and the refusal a second taker gets from that text.
  static Status CreateDirectoryOf(const std::string& path);
  static std::string HolderText();
  static Status HeldBy(const std::string& what, std::string holder_text);
  int fd_;
  std::string path_;
};

}  // namespace guestbackup::platform
