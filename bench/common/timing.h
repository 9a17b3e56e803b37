// Wall-clock timing of one child process, and the small statistics the report needs.
#pragma once

#include <cstdint>
#include <vector>

#include "lean/base/status.h"
#include "lean/process/process.h"

namespace guestbackup::bench {

struct TimedRun {
  double wall_ms = 0;              // fork to reaped, measured here with a monotonic clock
  std::int64_t start_unix_ms = 0;  // wall-clock start, to line up with the child's log times
  std::int64_t end_unix_ms = 0;
  process::ProcessResult result;
};

// Runs `spec` to completion. Returns an error when it could not start or did not exit 0
// (the message ends with the tail of its stderr).
Result<TimedRun> RunTimed(const process::ProcessSpec& spec);

// The median of `values`; 0 when empty.
double Median(std::vector<double> values);

std::int64_t UnixNowMs();

}  // namespace guestbackup::bench
