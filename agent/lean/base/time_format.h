// Timestamps as the agent shows and stores them: unix epoch milliseconds internally,
// RFC 3339 on the wire (kopia JSON, --json output), local time for people.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup {

// Parses RFC 3339 ("2026-11-24T08:25:09.322641851Z", "2026-11-24T10:00:00+02:00"); fractional
// seconds beyond milliseconds are truncated. kInvalidArgument names the text on failure.
Result<std::int64_t> ParseRfc3339(std::string_view text);

// "2026-11-24T08:25:09.322Z" (UTC, milliseconds).
std::string FormatRfc3339Utc(std::int64_t unix_ms);

// "2026-11-24 09:25:09" in the local time zone (seconds).
std::string FormatLocalTime(std::int64_t unix_ms);

// "20261130T005320Z": UTC to the second, for file names.
std::string FormatCompactUtc(std::int64_t unix_ms);

// Current time in unix epoch milliseconds.
std::int64_t NowUnixMs();

}  // namespace guestbackup
