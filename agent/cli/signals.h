// SIGINT/SIGTERM/SIGHUP set a flag instead of killing the agent, so a run can stop kopia,
// still run its after hooks, and record `interrupted`.
#pragma once

#include <atomic>

namespace guestbackup::cli {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>* InstallInterruptHandlers();

}  // namespace guestbackup::cli
