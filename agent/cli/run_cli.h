// The CLI as a function: main() calls it, and tests call it in-process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace guestbackup::cli {

// Parses `args` (without the program name), runs the subcommand, writes to `out` / `err`,
// and returns the process exit code (see exit_codes.h).
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace guestbackup::cli
