// Durations in the policy file: a number and a unit, repeated ("30s", "1h30m", "500ms").
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::policy {

// Units: ms, s, m, h, d. A bare "0" is accepted too. On failure returns kInvalidArgument with
// a message meant to follow the key path, e.g. "invalid duration \"5 min\": ...".
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The shortest spelling ParseDuration accepts: 90000ms -> "1m30s", 0 -> "0".
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace guestbackup::policy
