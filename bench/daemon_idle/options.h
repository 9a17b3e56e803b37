// Command-line options of the idle-daemon benchmark.
#pragma once

#include <optional>
#include <string>

namespace guestbackup::bench {

struct IdleOptions {
  int jobs = 20;
  int seconds = 60;  // measurement window
  int settle = 2;    // seconds between READY=1 and the first sample
  std::string dir = "/var/tmp";
  bool keep = false;
  std::string guestbackup;  // the agent binary to measure
};

// Parses argv. On --help or a usage error prints to stdout/stderr and returns nullopt with
// `exit_code` set.
std::optional<IdleOptions> ParseIdleOptions(int argc, char** argv, int& exit_code);

}  // namespace guestbackup::bench
