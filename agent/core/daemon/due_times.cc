#include "core/daemon/due_times.h"

#include "core/schedule/next_elapse.h"

namespace guestbackup::daemon {

std::optional<std::int64_t> NextDueMs(const schedule::CalendarSpec& spec, std::int64_t jitter_ms,
                                      std::int64_t after_ms) {
  const auto elapse = schedule::NextElapseMs(spec, after_ms - jitter_ms);
  if (!elapse) return std::nullopt;
  return *elapse + jitter_ms;
}

bool MissedARun(const schedule::CalendarSpec& spec, std::int64_t jitter_ms,
                std::int64_t last_run_start_ms, std::int64_t now_ms) {
  const auto due = NextDueMs(spec, jitter_ms, last_run_start_ms);
  return due && *due <= now_ms;
}

}  // namespace guestbackup::daemon
