// Running child processes: argv vectors only, secrets through added environment variables,
// a new process group per child, timeouts that kill the whole group and every descendant that
// left it (setsid, a double fork), bounded output capture.
// Run() may be called from several threads at once; it installs no signal handlers.
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

#include "lean/base/status.h"

namespace guestbackup::process {

struct ProcessSpec {
  // argv[0] is looked up on the child's PATH when it has no '/'. Never a shell string: a
  // caller that wants a shell passes ShellArgv(script) itself.
  std::vector<std::string> argv;
  // Added to (or replacing in) the inherited environment. Secrets travel here, never in
  // argv; register them with RegisterSecret() (base/secret_masker.h) so logs mask them.
  std::vector<std::pair<std::string, std::string>> extra_env;
  std::vector<std::string> unset_env;    // removed from the inherited environment
  std::string working_dir;               // "" = inherit
  std::chrono::milliseconds timeout{0};  // 0 = none
  // No byte on stdout or stderr for this long ends the child as a timeout does (0 = none):
  // for children that report progress, a silence means they are stuck.
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds kill_grace{std::chrono::seconds(5)};  // SIGTERM -> SIGKILL
  std::size_t stdout_limit = std::size_t{64} * 1024;              // bytes kept (the tail) of stdout
  std::size_t stderr_limit = std::size_t{64} * 1024;              // bytes kept (the tail) of stderr
  // Called on the Run() thread with each chunk as it arrives (e.g. to parse progress); may
  // be empty. A chunk may end in the middle of a line.
  std::function<void(std::string_view)> on_stdout;
  std::function<void(std::string_view)> on_stderr;
  // Checked at least every 100 ms; when it becomes true the child's group gets SIGTERM, then
  // SIGKILL after kill_grace. Must outlive Run().
  const std::atomic<bool>* cancel = nullptr;
  // A second flag that does the same, for a caller that ends this one child without ending
  // everything `cancel` stands for (e.g. a speculative restore that turned out not needed).
  const std::atomic<bool>* also_cancel = nullptr;
  // The child gets SIGTERM when the thread that called Run() dies (PR_SET_PDEATHSIG; the
  // kernel ties it to the thread, which lives at least as long as Run()).
  bool die_with_parent = true;
  std::string stdin_data;  // written to the child's stdin, then closed ("" = /dev/null)
  // A stdin pipe even when stdin_data is empty, for a caller of Spawn() (spawn_posix.h) that
  // keeps its write end to talk to the child (Run() closes it after stdin_data).
  bool stdin_pipe = false;

  // Whether the child can be cancelled at all: a flag to watch.
  bool Cancellable() const { return cancel != nullptr || also_cancel != nullptr; }
  // Whether `cancel` or `also_cancel` is set.
  bool CancelRequested() const {
    return (cancel != nullptr && cancel->load()) || (also_cancel != nullptr && also_cancel->load());
  }
};

struct ProcessResult {
  pid_t pid = -1;       // also the child's process group id
  bool exited = false;  // normal exit: exit_code is valid
  int exit_code = -1;
  int term_signal = 0;  // the signal that ended it, when !exited
  bool timed_out = false;
  bool stalled = false;  // ended by idle_timeout
  bool cancelled = false;
  std::chrono::milliseconds timeout{0};       // the spec's timeout, for Describe()
  std::chrono::milliseconds idle_timeout{0};  // the spec's idle_timeout, for Describe()
  std::string stdout_data;                    // tail, at most stdout_limit bytes
  std::string stderr_data;                    // tail, at most stderr_limit bytes
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  std::chrono::milliseconds duration{0};

  bool Succeeded() const { return exited && exit_code == 0; }
  // "exit code 3", "killed by signal 9", "timed out after 30s (killed)", "no output for 600s
  // (killed)", "cancelled".
  std::string Describe() const;
};

// Runs the child to completion. Returns an error Status only when it could not be started:
// kInvalidArgument (empty argv, '=' in a variable name, NUL in a string), kNotFound (no such
// executable or working_dir), kPermissionDenied (not executable), kFailed/kInternal otherwise.
// A child that fails, times out or is cancelled is a ProcessResult.
//
// After a timeout, an idle timeout or cancel the whole process group is signalled, and so is
// every descendant that left it (found by the GUESTBACKUP_PROCESS_TREE marker each child gets in
// its environment, or by its parent); Run() returns once they are gone or have been sent SIGKILL.
// After a normal exit of the child, descendants that keep stdout/stderr open (a daemon started by a
// hook) are left alone: output is read for about 200 ms more, then Run() returns without waiting
// for them.
Result<ProcessResult> Run(const ProcessSpec& spec);

#if defined(_WIN32)
// Windows has no SIGTERM a child without a console could catch: Run() makes a named
// manual-reset event for each child, gives its name in this variable, and sets it where Linux
// sends SIGTERM; kill_grace later it terminates the child's Job Object.
// guestbackup waits on the event (contract/signals_win32.cc) and stops as on SIGTERM.
inline constexpr const char* kStopEventVariable = "GUESTBACKUP_STOP_EVENT";
#endif

// Renders argv for logs: secrets masked, then each argument shell-quoted when needed.
std::string FormatCommandLine(const std::vector<std::string>& argv);

// The argv that runs `script` with the system's shell (a hook's `shell:`): {"/bin/sh", "-c",
// script} on Linux; on Windows {"cmd.exe", "/d", "/s", "/c", script}, whose script Run() passes
// as cmd.exe reads it — verbatim between one pair of quotes — instead of in the quoting that
// other programs undo with CommandLineToArgvW.
std::vector<std::string> ShellArgv(std::string_view script);

// Whether `argv` is what ShellArgv made.
bool IsShellArgv(const std::vector<std::string>& argv);

}  // namespace guestbackup::process
