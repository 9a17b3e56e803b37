// When a calendar expression next fires — the one engine behind the timer units, the
// built-in daemon, `guestbackup schedule next` and `status` — and the per-machine jitter.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lean/schedule/calendar_spec.h"

namespace guestbackup::schedule {

// The first time strictly after `after_us` (unix epoch microseconds) that `spec` matches,
// as systemd 252 (Debian 12's systemd-analyze calendar) computes it: in local time for
// kLocal specs (DST-correct: a wall-clock time skipped by a spring-forward does not fire
// that day; one repeated by a fall-back fires once, in the earlier offset), in UTC for kUtc.
// nullopt when it never fires again (no match up to kMaxCalendarYear, "*-02-30"; also, as in
// systemd, "12:00 CET" once the search starts in summer time). Where systemd gives up (it
// cycles next to a few DST changes, e.g. Pacific/Chatham's) the search goes on from the next
// hour instead. Reads the zone from TZ or /etc/localtime; callers that change TZ need not
// call tzset(). Thread-safe.
std::optional<std::int64_t> NextElapseUs(const CalendarSpec& spec, std::int64_t after_us);

// NextElapseUs at millisecond precision: the first elapse after the whole millisecond
// `after_ms`, rounded up to a millisecond (so a timer armed for it never fires early).
std::optional<std::int64_t> NextElapseMs(const CalendarSpec& spec, std::int64_t after_ms);

// A delay in [0, max_delay) that is the same for the same machine and job every time (so a
// restart does not reshuffle start times) and differs between machines. `machine_id` is
// /etc/machine-id (see MachineId()).
std::chrono::milliseconds JitterFor(std::string_view machine_id, std::string_view job,
                                    std::chrono::seconds max_delay);

// The contents of /etc/machine-id (trimmed), or the hostname when that file is absent or
// empty (containers often have none).
std::string MachineId();

// MachineId() reading `path` instead of /etc/machine-id.
std::string MachineIdFrom(const std::string& path);

}  // namespace guestbackup::schedule
