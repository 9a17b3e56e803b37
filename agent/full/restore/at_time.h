// Parses the `--at` of restore/ls: RFC 3339, "now", "today 09:30", "yesterday 14:00",
// "2 days ago", "3 hours ago", "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" (local time).
#pragma once

#include <cstdint>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::restore {

// `now_ms` is the reference for relative forms. kInvalidArgument lists the accepted forms.
Result<std::int64_t> ParseAtTime(std::string_view text, std::int64_t now_ms);

}  // namespace guestbackup::restore
