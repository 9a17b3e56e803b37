// The one table of exit codes: what each means, and how a Status maps onto it. `--help`
// prints the same table.
#pragma once

#include <string>

#include "core/base/status.h"
#include "core/history/history.h"

namespace guestbackup::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,
  kExitUsage = 2,    // bad command line or invalid policy
  kExitPartial = 3,  // snapshot saved, some files could not be read
  kExitAlreadyRunning = 4,
  kExitUnavailable = 5,    // server unreachable, TLS/fingerprint mismatch, authentication
  kExitInterrupted = 130,  // SIGINT/SIGTERM
};

int ExitCodeFor(const Status& status);
int ExitCodeFor(history::RunStatus status, const Status& detail);

// The table as shown at the end of --help.
std::string ExitCodeHelp();

}  // namespace guestbackup::cli
