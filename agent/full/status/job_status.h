// When a job runs next and whether it is overdue: a pure computation over the job's schedule,
// its history and an injected "now", so `guestbackup status` stays a thin printer.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "lean/policy/policy.h"

namespace guestbackup::status {

struct JobTimingInput {
  // Start of the newest succeeded or partial run; nullopt when there is none.
  std::optional<std::int64_t> last_success_ms;
  // Since when the job has been expected to run, for a job that never succeeded: its first
  // history row, else when the policy file last changed. nullopt: unknown (never overdue).
  std::optional<std::int64_t> known_since_ms;
  std::string_view machine_id;  // for the job's jitter (schedule::JitterFor)
  std::int64_t now_ms = 0;
};

struct JobTiming {
  bool manual = false;                      // no schedule: runs only when asked
  std::optional<std::int64_t> next_run_ms;  // next elapse + the job's jitter; nullopt: never
  std::optional<std::int64_t> last_due_ms;  // the newest elapse at or before now
  std::optional<std::int64_t> period_ms;    // from the elapse before last_due to last_due
  // The newest success (or known_since) is older than last_due - period: a whole period has
  // passed since a scheduled run that never succeeded.
  bool overdue = false;
};

// All times are unix epoch milliseconds. A schedule that does not parse counts as manual (the
// policy loader refuses those, so only a hand-built JobSpec can have one).
JobTiming ComputeJobTiming(const policy::JobSpec& job, const JobTimingInput& input);

}  // namespace guestbackup::status
