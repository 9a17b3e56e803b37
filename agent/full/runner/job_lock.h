// One run per job at a time: a platform::PidLock on <state>/locks/<job>.lock.
#pragma once

#include <memory>
#include <string>

#include "lean/base/status.h"
#include "lean/platform/pid_lock.h"

namespace guestbackup::runner {

class JobLock {
 public:
  // Takes the lock without waiting. kAlreadyRunning (naming the holder's pid) when held.
  static Result<std::unique_ptr<JobLock>> TryAcquire(const std::string& state_dir,
                                                     const std::string& job);

 private:
  explicit JobLock(std::unique_ptr<platform::PidLock> lock) : lock_(std::move(lock)) {}
  std::unique_ptr<platform::PidLock> lock_;
};

}  // namespace guestbackup::runner
