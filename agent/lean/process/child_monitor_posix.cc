#include "lean/process/child_monitor_posix.h"

#include "lean/process/process_tree_linux.h"

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <system_error>
#include <utility>

namespace guestbackup::process {
namespace {

constexpr std::size_t kReadChunk = std::size_t{64} * 1024;

// A pidfd turns the child's exit into a poll() event, so an idle wait needs no timer and no
// SIGCHLD handler (which would be process-wide and could break other code).
UniqueFd OpenPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return UniqueFd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
#else
  (void)pid;
  return UniqueFd();
#endif
}

// write() that turns a reader's early exit into EPIPE only: SIGPIPE is blocked on this thread
// for the call and a SIGPIPE it raised is consumed, leaving the process's dispositions alone.
ssize_t WriteWithoutSigpipe(int fd, const char* data, std::size_t size) {
  sigset_t sigpipe;
  sigset_t saved;
  sigset_t pending;
  sigemptyset(&sigpipe);
  sigaddset(&sigpipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &sigpipe, &saved);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  ssize_t n;
  do {
    n = write(fd, data, size);
  } while (n < 0 && errno == EINTR);
  const int write_error = errno;
  if (n < 0 && write_error == EPIPE && !was_pending) {
    struct timespec no_wait {};
    while (sigtimedwait(&sigpipe, nullptr, &no_wait) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  errno = write_error;
  return n;
}

std::string ErrnoText(int error) { return std::generic_category().message(error); }

}  // namespace

ChildMonitor::ChildMonitor(const ProcessSpec& spec, SpawnedChild child, Clock::time_point start,
                           std::string tree_marker)
    : spec_(spec),
      pid_(child.pid),
      start_(start),
      tree_marker_(std::move(tree_marker)),
      last_output_(start),
      pidfd_(OpenPidfd(child.pid)),
      stdin_fd_(std::move(child.stdin_fd)),
      stdout_{std::move(child.stdout_fd), TailBuffer(spec.stdout_limit), &spec.on_stdout},
      stderr_{std::move(child.stderr_fd), TailBuffer(spec.stderr_limit), &spec.on_stderr},
      buffer_(kReadChunk) {
  result_.pid = pid_;
  result_.timeout = spec.timeout;
  result_.idle_timeout = spec.idle_timeout;
}

ChildMonitor::~ChildMonitor() {
  if (reaped_) return;
  SignalAll(SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

Result<ProcessResult> ChildMonitor::Wait() {
  while (true) {
    Clock::time_point now = Clock::now();
    CheckTermination(now);
    if (reaped_ && Finished(now)) break;

    // Slots: stdout, stderr, stdin, pidfd; a closed descriptor (-1) is skipped by poll().
    pollfd fds[4] = {{stdout_.fd.get(), POLLIN, 0},
                     {stderr_.fd.get(), POLLIN, 0},
                     {stdin_fd_.get(), POLLOUT, 0},
                     {reaped_ ? -1 : pidfd_.get(), POLLIN, 0}};
    if (poll(fds, 4, PollTimeoutMs(now)) < 0) {
      if (errno == EINTR) continue;
      return Internal("poll: " + ErrnoText(errno));
    }
    if (fds[0].revents != 0) ReadFrom(&stdout_);
    if (fds[1].revents != 0) ReadFrom(&stderr_);
    if (fds[2].revents != 0) WriteStdin();
    if (!reaped_ && (!pidfd_.valid() || fds[3].revents != 0)) {
      GB_RETURN_IF_ERROR(TryReap(Clock::now()));
    }
  }
  result_.stdout_truncated = stdout_.tail.truncated();
  result_.stdout_data = stdout_.tail.Take();
  result_.stderr_truncated = stderr_.tail.truncated();
  result_.stderr_data = stderr_.tail.Take();
  return std::move(result_);
}

void ChildMonitor::CheckTermination(Clock::time_point now) {
  if (!reaped_ && !terminating_) {
    if (spec_.CancelRequested()) {
      result_.cancelled = true;
      StartTermination(now);
    } else if (spec_.timeout.count() > 0 && now - start_ >= spec_.timeout) {
      result_.timed_out = true;
      StartTermination(now);
    } else if (spec_.idle_timeout.count() > 0 && now - last_output_ >= spec_.idle_timeout) {
      result_.stalled = true;
      StartTermination(now);
    }
  }
  if (terminating_ && !sigkill_sent_ && !group_gone_ && now >= kill_deadline_) {
    SignalAll(SIGKILL);
    sigkill_sent_ = true;
  }
}

void ChildMonitor::SignalAll(int signal) {
  // The tree first: killing the group first would orphan descendants that cleared their
  // environment before their parent link is read.
  SignalTree(FindTree(pid_, tree_marker_), signal);
  kill(-pid_, signal);
}

bool ChildMonitor::AllGone() {
  if (kill(-pid_, 0) == 0 || errno != ESRCH) return false;
  return FindTree(pid_, tree_marker_).empty();
}

void ChildMonitor::StartTermination(Clock::time_point now) {
  SignalAll(SIGTERM);
  terminating_ = true;
  kill_deadline_ = now + spec_.kill_grace;
}

Status ChildMonitor::TryReap(Clock::time_point now) {
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return Status::Ok();
  if (r < 0) {
    reaped_ = true;  // nothing left to reap or kill by pid
    return Internal("child " + std::to_string(pid_) +
                    " was reaped elsewhere (is SIGCHLD ignored?): " + ErrnoText(errno));
  }
  reaped_ = true;
  result_.duration = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_);
  if (WIFEXITED(status)) {
    result_.exited = true;
    result_.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result_.term_signal = WTERMSIG(status);
  }
  stdin_fd_.Reset();  // nobody will read it any more
  pidfd_.Reset();
  return Status::Ok();
}

// After a timeout or cancel the child may be gone while the rest of its group, or a
// descendant that left it, still runs (ignoring SIGTERM, say); they get their grace and then
// SIGKILL before we return.
bool ChildMonitor::TerminationSettled() {
  if (!terminating_ || sigkill_sent_ || group_gone_) return true;
  group_gone_ = AllGone();
  return group_gone_;
}

bool ChildMonitor::Finished(Clock::time_point now) {
  if (!TerminationSettled()) return false;
  if (!stdout_.fd.valid() && !stderr_.fd.valid()) return true;
  // Descendants may hold the pipes open indefinitely (a daemon a hook started).
  if (!drain_deadline_) drain_deadline_ = now + kDrainAfterExit;
  return now >= *drain_deadline_;
}

int ChildMonitor::PollTimeoutMs(Clock::time_point now) const {
  std::optional<Clock::time_point> wake;
  auto consider = [&wake](Clock::time_point t) {
    if (!wake || t < *wake) wake = t;
  };
  if (!reaped_) {
    if (!terminating_ && spec_.timeout.count() > 0) consider(start_ + spec_.timeout);
    if (!terminating_ && spec_.idle_timeout.count() > 0) {
      consider(last_output_ + spec_.idle_timeout);
    }
    if (!terminating_ && spec_.Cancellable()) consider(now + kCheckInterval);
    if (!pidfd_.valid()) consider(now + kCheckInterval);
  }
  if (terminating_ && !sigkill_sent_) {
    consider(kill_deadline_);
    if (reaped_) consider(now + kCheckInterval);  // to notice the group is gone
  }
  if (drain_deadline_) consider(*drain_deadline_);
  if (!wake) return -1;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wake - now).count();
  return static_cast<int>(std::clamp<decltype(ms)>(ms, 0, INT_MAX));
}

void ChildMonitor::ReadFrom(Output* output) {
  ssize_t n;
  do {
    n = read(output->fd.get(), buffer_.data(), buffer_.size());
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    last_output_ = Clock::now();
    std::string_view chunk(buffer_.data(), static_cast<std::size_t>(n));
    if (*output->on_chunk) (*output->on_chunk)(chunk);
    output->tail.Append(chunk);
  } else if (n == 0 || errno != EAGAIN) {
    output->fd.Reset();
  }
}

void ChildMonitor::WriteStdin() {
  const std::string& data = spec_.stdin_data;
  ssize_t n = WriteWithoutSigpipe(stdin_fd_.get(), data.data() + stdin_written_,
                                  data.size() - stdin_written_);
  if (n > 0) {
    stdin_written_ += static_cast<std::size_t>(n);
    if (stdin_written_ == data.size()) stdin_fd_.Reset();  // EOF for the child
  } else if (errno != EAGAIN) {
    stdin_fd_.Reset();  // EPIPE: the child stopped reading, which is its business
  }
}

}  // namespace guestbackup::process
