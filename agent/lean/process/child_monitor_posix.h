// Drives a started child to its end: feeds stdin, collects stdout/stderr, enforces the
// timeout, idle timeout and cancel flag with SIGTERM then SIGKILL to its group and to every
// descendant that left the group (process_tree_linux.h), and reaps it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lean/base/status.h"
#include "lean/process/process.h"
#include "lean/process/spawn_posix.h"
#include "lean/process/tail_buffer.h"
#include "lean/process/unique_fd_posix.h"

namespace guestbackup::process {

// How long output is still read after the child was reaped, for descendants that keep its
// pipes open; long enough for buffered output, short enough not to stall the caller.
inline constexpr std::chrono::milliseconds kDrainAfterExit{200};
// How often the cancel flag (and, without a pidfd, the child) is checked.
inline constexpr std::chrono::milliseconds kCheckInterval{100};

// Single use, on one thread. `spec` must outlive the monitor. If Wait() does not finish (an
// error, or an exception from an output callback), the destructor SIGKILLs the group and
// reaps the child, so no child outlives its monitor unreaped.
class ChildMonitor {
 public:
  using Clock = std::chrono::steady_clock;

  // `tree_marker` is the marker the child's environment holds (see process_tree_linux.h).
  ChildMonitor(const ProcessSpec& spec, SpawnedChild child, Clock::time_point start,
               std::string tree_marker);
  ~ChildMonitor();
  ChildMonitor(const ChildMonitor&) = delete;
  ChildMonitor& operator=(const ChildMonitor&) = delete;

  // Returns when the child is reaped and its output drained; kInternal when poll() fails or
  // the child was reaped by someone else (SIGCHLD ignored).
  Result<ProcessResult> Wait();

 private:
  struct Output {
    UniqueFd fd;
    TailBuffer tail;
    const std::function<void(std::string_view)>* on_chunk;
  };

  // The group and every escaped descendant get `signal`.
  void SignalAll(int signal);
  // True once neither the group nor any descendant that left it is alive.
  bool AllGone();
  void CheckTermination(Clock::time_point now);
  void StartTermination(Clock::time_point now);
  Status TryReap(Clock::time_point now);
  bool TerminationSettled();
  bool Finished(Clock::time_point now);
  int PollTimeoutMs(Clock::time_point now) const;
  void ReadFrom(Output* output);
  void WriteStdin();

  const ProcessSpec& spec_;
  const pid_t pid_;
  const Clock::time_point start_;
  const std::string tree_marker_;
  Clock::time_point last_output_;  // for idle_timeout
  UniqueFd pidfd_;                 // readable when the child exits; invalid before Linux 5.3
  UniqueFd stdin_fd_;
  std::size_t stdin_written_ = 0;
  Output stdout_;
  Output stderr_;
  std::vector<char> buffer_;

  ProcessResult result_;
  bool reaped_ = false;
  bool terminating_ = false;  // SIGTERM sent to the group
  bool sigkill_sent_ = false;
  bool group_gone_ = false;  // and every descendant that left it
  Clock::time_point kill_deadline_;
  std::optional<Clock::time_point> drain_deadline_;
};

}  // namespace guestbackup::process
