// Runs the CLI in-process for tests and keeps what it printed.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/run_cli.h"

namespace guestbackup::cli {

struct Output {
  int code;
  std::string out;
  std::string err;
};

inline Output Cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = RunCli(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace guestbackup::cli
