// Options every subcommand shares, and the streams it writes to.
#pragma once

#include <atomic>
#include <functional>
#include <ostream>
#include <string>

#include "lean/base/status.h"
#include "lean/contract/command_line.h"

namespace guestbackup::cli {

struct CliState {
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  contract::GlobalOptions options;  // --policy, --state-dir, --kopia, --log-level, server flags
  bool json = false;                // --json where supported
  const std::atomic<bool>* cancel = nullptr;  // set by SIGINT/SIGTERM
  std::function<int()> action;                // the chosen subcommand
};

// Prints "guestbackup: <status message>" to err and returns the exit code for it.
int ReportError(CliState& state, const Status& status);

}  // namespace guestbackup::cli
