// One run per job at a time: an flock on <state>/locks/<job>.lock. The kernel drops the lock
// when its holder dies, so a stale lock cannot exist.
#pragma once

#include <memory>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::runner {

class JobLock {
 public:
  // Takes the lock without waiting. kAlreadyRunning (naming the holder's pid) when held.
  static Result<std::unique_ptr<JobLock>> TryAcquire(const std::string& state_dir,
                                                     const std::string& job);
  ~JobLock();
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;

 private:
  explicit JobLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace guestbackup::runner
