// The daemon's jobs run as children: `guestbackup … run --trigger T JOB`, and the last run's
// start for catch-up from `guestbackup … history --json --job J --limit 1`. The resident
// process then holds no kopia, history database, Poco or OpenSSL code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/history/history.h"
#include "core/process/process.h"
#include "core/runner/agent_context.h"

namespace guestbackup::daemon {

struct ChildCommand {
  std::string program;  // the full guestbackup binary
  runner::AgentOptions agent;
  std::string log_level;  // "" = the child's default
};

// The global options, then `run --trigger TRIGGER JOB`.
std::vector<std::string> RunArgv(const ChildCommand& command, std::string_view job,
                                 std::string_view trigger);
// The global options, then `history --json --job JOB --limit 1`.
std::vector<std::string> LastRunArgv(const ChildCommand& command, std::string_view job);

// `guestbackup run`'s exit code as a run status (cli/exit_codes.h): 0 succeeded, 3 partial,
// 4 skipped (already running), 130 interrupted, anything else failed.
history::RunStatus StatusForExit(const process::ProcessResult& result);

// The "start" of the first row of `history --json` output; nullopt for an empty list.
Result<std::optional<std::int64_t>> LastRunStartFromJson(std::string_view json);

// Re-logs one line of a child's stderr through our logger: "<time> <level> <message>" lines
// keep their level and lose their time (ours is added, or journald's); other lines are
// logged as warnings.
void RelogChildLine(std::string_view line);

}  // namespace guestbackup::daemon
