// When a job is due: the calendar's elapse plus the job's fixed jitter. Pure functions, so the
// scheduler's decisions (run now, catch up, skip) can be tested with tables.
#pragma once

#include <cstdint>
#include <optional>

#include "lean/schedule/calendar_spec.h"

namespace guestbackup::schedule {

// The first due time strictly after `after_ms`: the first elapse E with E + jitter_ms >
// after_ms, plus jitter_ms. nullopt when the calendar never fires again.
std::optional<std::int64_t> NextDueMs(const CalendarSpec& spec, std::int64_t jitter_ms,
                                      std::int64_t after_ms);

// Whether a due time fell after the job's last run began and at or before `now_ms`, i.e. the
// job missed at least one run. However many were missed, the answer is one catch-up run.
bool MissedARun(const CalendarSpec& spec, std::int64_t jitter_ms, std::int64_t last_run_start_ms,
                std::int64_t now_ms);

}  // namespace guestbackup::schedule
