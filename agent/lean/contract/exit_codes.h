// The one table of exit codes: what each means, how a Status or a run's outcome maps onto
// it, and (for the daemon) how a child's exit code maps back onto a run status. `--help`
// prints the same table.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "lean/base/status.h"
#include "lean/contract/run_status.h"
#include "lean/process/process.h"

namespace guestbackup::contract {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,
  kExitUsage = 2,    // bad command line or invalid policy
  kExitPartial = 3,  // snapshot saved, some files could not be read
  kExitAlreadyRunning = 4,
  kExitUnavailable = 5,    // server unreachable, TLS/fingerprint mismatch, authentication
  kExitRecordLost = 6,     // the run ended, but its result could not be written to the history
  kExitInterrupted = 130,  // SIGINT/SIGTERM
};

struct ExitCodeMeaning {
  ExitCode code;
  std::string_view meaning;  // one line, as --help shows it
};

// Every exit code with its meaning, in ascending order.
std::span<const ExitCodeMeaning> ExitCodeTable();

int ExitCodeFor(const Status& status);
// `guestbackup run`'s exit code for a finished run: the status's own code, or for a failed
// run the detail's (never 0).
int ExitCodeFor(RunStatus status, const Status& detail);

// The inverse, for the daemon: a child `guestbackup run`'s result as a run status. Killed by
// a signal the daemon sent (cancelled) is interrupted; any other unknown code is failed.
RunStatus RunStatusForExit(const process::ProcessResult& result);

// The table as shown at the end of --help.
std::string ExitCodeHelp();

}  // namespace guestbackup::contract
