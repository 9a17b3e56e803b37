#include "full/runner/job_lock.h"

#include <string>

namespace guestbackup::runner {

Result<std::unique_ptr<JobLock>> JobLock::TryAcquire(const std::string& state_dir,
                                                     const std::string& job) {
  auto lock = platform::PidLock::TryAcquire(state_dir + "/locks/" + job + ".lock",
                                            "job \"" + job + "\" is already running");
  if (!lock.ok()) return lock.status();
  return std::unique_ptr<JobLock>(new JobLock(std::move(lock).value()));
}

}  // namespace guestbackup::runner
