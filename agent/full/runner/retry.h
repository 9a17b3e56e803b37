// Bounded retries of kopia commands that failed because the server could not be reached or
// did not answer in time: a fleet of VMs whose timers fire together, or that all boot at once,
// meets a server that checks each login's password in turn (kopia hashes it with scrypt under
// a lock). Each retry waits twice as long as the one before, times a random factor, so the
// fleet spreads out instead of coming back in step; every retry is logged and counted (the run's
// history message says "retried N"). Authentication, pinning and other failures are not
// retried: waiting does not fix them.
#pragma once

#include <atomic>
#include <chrono>
#include <random>
#include <string>

#include "lean/base/status.h"

namespace guestbackup::runner {

struct RetryPolicy {
  int attempts = 4;  // in all, the first one included
  std::chrono::milliseconds first_delay{std::chrono::seconds(2)};
  std::chrono::milliseconds max_delay{std::chrono::seconds(30)};
};

// The pause before retry number `retry` (1, 2, ...): first_delay doubled each time, at most
// max_delay, times `jitter` (drawn from [0.5, 1.5)).
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int retry, double jitter);

class Retrier {
 public:
  // `what` names the work in log lines ("snapshot of /srv"). `cancel` ends a pause early.
  Retrier(std::string what, const std::atomic<bool>* cancel, RetryPolicy policy = {});

  // After a failed attempt: true when `failure` is worth another one and attempts are left,
  // after logging it and pausing (false when a stop request came during the pause).
  bool Again(const Status& failure);

  int retries() const { return retries_; }

 private:
  std::string what_;
  const std::atomic<bool>* cancel_;
  RetryPolicy policy_;
  int retries_ = 0;
  std::mt19937 random_;
};

}  // namespace guestbackup::runner
