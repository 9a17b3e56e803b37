// The freeze guard: the process that holds a job's file systems frozen for the agent and thaws
// them the moment the agent no longer can, so that no kill -9, OOM kill or service stop leaves
// a guest's writes blocked. It runs as `guestbackup-daemon freeze-guard` (lean: it starts in
// milliseconds and needs no library that could touch a frozen file system), speaks
// freeze_protocol.h, and thaws on "thaw", on the end of its input (the agent died: only the
// agent holds the pipe's other end), on SIGTERM/SIGINT/SIGHUP, and when the freeze outlives its
// timeout, whichever comes first. Linux only (FIFREEZE/FITHAW).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace guestbackup::freeze {

struct GuardOptions {
  std::vector<std::string> mounts;  // frozen in this order, thawed in the reverse one
  std::chrono::milliseconds timeout{0};
};

// Runs the guard over `command_fd` (its input) and `report_fd` (its output) and returns its
// exit code (GuardExit). Blocks SIGTERM, SIGINT and SIGHUP to take them in its loop.
int RunFreezeGuard(const GuardOptions& options, int command_fd, int report_fd);

}  // namespace guestbackup::freeze
