// What `guestbackup schedule next` prints: an expression's normalized form and its next
// elapses, laid out as `systemd-analyze calendar` lays them out so the two can be compared.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lean/schedule/calendar_spec.h"

namespace guestbackup::schedule {

// "Mon 2024-04-01 02:30:00 CEST" (local zone) or "Mon 2024-04-01 00:30:00 UTC"; seconds,
// as systemd shows them.
std::string FormatElapseTime(std::int64_t unix_us, bool utc);

// `unix_us` relative to `now_us` as systemd words it: "5min left", "1 day 3h left",
// "2 years 7 months ago", "now".
std::string FormatRelativeTime(std::int64_t unix_us, std::int64_t now_us);

// True when the local zone is UTC all year (systemd then leaves out the "(in UTC)" lines).
bool LocalZoneIsUtc();

// Up to `count` elapses of `spec` after `from_us`, each strictly after the one before;
// fewer when the expression stops firing.
std::vector<std::int64_t> NextElapses(const CalendarSpec& spec, std::int64_t from_us, int count);

// The report for `original` (as the user wrote it) and its parsed `spec`: "Original form"
// (when it differs from the normalized one), "Normalized form", then "Next elapse" (or "never") and
// "Iter. #N" with their "(in UTC)" and "From now" lines, "now" being `from_us`.
std::string FormatElapseReport(std::string_view original, const CalendarSpec& spec,
                               std::int64_t from_us, int count);

}  // namespace guestbackup::schedule
