// The daemon's jobs run as children: `guestbackup … run --trigger T JOB`, and the last run's
// start for catch-up from `guestbackup … history --json --job J --limit 1` (both command lines
// are built by lean/contract/command_line.h). The resident process then holds no kopia,
// history database, Poco or OpenSSL code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lean/base/status.h"
#include "lean/contract/command_line.h"

namespace guestbackup::daemon {

struct ChildCommand {
  std::string program;              // the full guestbackup binary
  contract::GlobalOptions options;  // passed on to every child (contract/command_line.h)
};

// The "start" of the first row of `history --json` output; nullopt for an empty list.
Result<std::optional<std::int64_t>> LastRunStartFromJson(std::string_view json);

// Re-logs one line of a child's stderr through our logger: "<time> <level> <message>" lines
// keep their level and lose their time (ours is added, or journald's); other lines are
// logged as warnings.
void RelogChildLine(std::string_view line);

}  // namespace guestbackup::daemon
