// Logging setup: spdlog to stderr (journald keeps it under systemd), every message masked by
// the secret masker. Logging never throws into our code.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup {

struct LoggingOptions {
  // Lines become "<6>message": an sd-daemon priority prefix that journald turns into the
  // entry's priority, and no timestamp since journald adds its own. Otherwise lines are
  // "2024-05-01T12:00:00.123Z info message" (UTC).
  bool journald = false;
  // Receives each finished, masked line including its '\n'; empty = stderr. Called under the
  // logger's lock, so it needs no locking of its own; it must not log.
  std::function<void(std::string_view line)> write;
};

// Makes spdlog's default logger write masked lines to stderr, at `level`. Picks the journald
// format when JOURNAL_STREAM names our stderr, as systemd sets it for a service.
// Level names: trace, debug, info, warn (or warning), error, critical, off. Returns
// kInvalidArgument on an unknown name and leaves the current logger in place.
Status InitLogging(std::string_view level);

// Like InitLogging(level) with the format and destination given explicitly (tests use it to
// capture output).
Status InitLogging(std::string_view level, LoggingOptions options);

}  // namespace guestbackup
