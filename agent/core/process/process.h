// Running child processes: argv vectors only, secrets through added environment variables,
// a new process group per child, timeouts that kill the whole group, bounded output capture.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/status.h"

namespace guestbackup::process {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
  // Added to (or replacing in) the inherited environment. Secrets travel here, never in
  // argv; register them with RegisterSecret() (base/secret_masker.h) so logs mask them.
  std::vector<std::pair<std::string, std::string>> extra_env;
  std::vector<std::string> unset_env;  // removed from the inherited environment
  std::string working_dir;             // "" = inherit
  std::chrono::milliseconds timeout{0};           // 0 = none
  std::chrono::milliseconds kill_grace{std::chrono::seconds(5)};  // SIGTERM -> SIGKILL
  std::size_t stdout_limit = 64 * 1024;  // bytes kept (the tail) of stdout
  std::size_t stderr_limit = 64 * 1024;  // bytes kept (the tail) of stderr
  // Called with each chunk as it arrives (e.g. to parse progress); may be empty.
  std::function<void(std::string_view)> on_stdout;
  std::function<void(std::string_view)> on_stderr;
  // When it becomes true the child's group gets SIGTERM, then SIGKILL after kill_grace.
  const std::atomic<bool>* cancel = nullptr;
  bool die_with_parent = true;  // PR_SET_PDEATHSIG(SIGTERM) in the child
  std::string stdin_data;       // written to the child's stdin, then closed ("" = /dev/null)
};

struct ProcessResult {
  pid_t pid = -1;
  bool exited = false;  // normal exit: exit_code is valid
  int exit_code = -1;
  int term_signal = 0;  // the signal that ended it, when !exited
  bool timed_out = false;
  bool cancelled = false;
  std::string stdout_data;  // tail, at most stdout_limit bytes
  std::string stderr_data;  // tail, at most stderr_limit bytes
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  std::chrono::milliseconds duration{0};

  bool Succeeded() const { return exited && exit_code == 0; }
  // "exit code 3", "killed by signal 9 (timed out after 30s)", ...
  std::string Describe() const;
};

// Runs the child to completion. Returns an error Status only when it could not be started
// (e.g. executable not found: kNotFound); a child that fails is a ProcessResult.
Result<ProcessResult> Run(const ProcessSpec& spec);

// Renders argv for logs: each argument shell-quoted when needed, secrets masked.
std::string FormatCommandLine(const std::vector<std::string>& argv);

}  // namespace guestbackup::process
