#include "lean/schedule/due_times.h"

#include "lean/schedule/next_elapse.h"

namespace guestbackup::schedule {

std::optional<std::int64_t> NextDueMs(const CalendarSpec& spec, std::int64_t jitter_ms,
                                      std::int64_t after_ms) {
  const auto elapse = NextElapseMs(spec, after_ms - jitter_ms);
  if (!elapse) return std::nullopt;
  return *elapse + jitter_ms;
}

bool MissedARun(const CalendarSpec& spec, std::int64_t jitter_ms, std::int64_t last_run_start_ms,
                std::int64_t now_ms) {
  const auto due = NextDueMs(spec, jitter_ms, last_run_start_ms);
  return due && *due <= now_ms;
}

}  // namespace guestbackup::schedule
