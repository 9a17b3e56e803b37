#include "full/freeze/freeze_session.h"

#include <poll.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <utility>

#include "full/freeze/mount_checks.h"
#include "lean/freeze/freeze_protocol.h"
#include "lean/policy/duration.h"
#include "lean/process/spawn_posix.h"

namespace guestbackup::freeze {
namespace {

using Clock = std::chrono::steady_clock;

// FIFREEZE writes out each file system's dirty data first: on a busy one that takes a while,
// beyond the freeze's own limit, which starts counting at the first freeze.
constexpr std::chrono::seconds kFreezeStartGrace{30};
// After "thaw" the guard needs only its FITHAW calls.
constexpr std::chrono::seconds kThawLimit{30};

// The guard's output, line by line.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  // The next line without its newline; nullopt at the end of the output or at `deadline`.
  std::optional<std::string> Next(Clock::time_point deadline) {
    for (;;) {
      if (const std::size_t end = buffer_.find('\n'); end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        timed_out_ = true;
        return std::nullopt;
      }
      pollfd pfd{fd_, POLLIN, 0};
      const int ready = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, INT_MAX)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      char chunk[512];
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  bool timed_out() const { return timed_out_; }

 private:
  int fd_;
  std::string buffer_;
  bool timed_out_ = false;
};

// "error <message>" -> "<message>"; nullopt for other lines.
std::optional<std::string> ErrorOf(const std::string& line) {
  const std::string prefix = std::string(kError) + " ";
  if (!line.starts_with(prefix)) return std::nullopt;
  return line.substr(prefix.size());
}

// write() to a guard that is gone (it thawed on its own timeout) without the SIGPIPE that
// would end this process: the signal is blocked for the call, and one it raised is consumed.
void WriteWithoutSigpipe(int fd, const std::string& data) {
  sigset_t pipe_only;
  sigset_t old_mask;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
  sigset_t pending_before;
  sigpending(&pending_before);
  const ssize_t n = ::write(fd, data.data(), data.size());
  if (n < 0 && errno == EPIPE && !sigismember(&pending_before, SIGPIPE)) {
    const timespec no_wait{0, 0};
    ::sigtimedwait(&pipe_only, nullptr, &no_wait);
  }
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
}

int WaitForExit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

std::string Joined(const std::vector<std::string>& mounts) {
  std::string out;
  for (const auto& m : mounts) out += (out.empty() ? "" : ", ") + m;
  return out;
}

}  // namespace

Result<FreezeSession> FreezeSession::Start(const std::vector<std::string>& mounts,
                                           std::chrono::milliseconds timeout,
                                           const std::string& state_dir,
                                           const std::string& guard_executable) {
  GB_RETURN_IF_ERROR(CheckFreezable(mounts, state_dir));
  process::ProcessSpec spec;
  spec.argv = {guard_executable, std::string(kGuardSubcommand), "--timeout-ms",
               std::to_string(timeout.count()), "--"};
  spec.argv.insert(spec.argv.end(), mounts.begin(), mounts.end());
  spec.stdin_pipe = true;  // ours until the thaw: its end is how the guard knows we are gone
  spec.die_with_parent = false;
  Result<process::SpawnedChild> child = process::Spawn(spec, {});
  if (!child.ok()) return child.status().WithContext("cannot start the freeze guard");

  FreezeSession session;
  session.pid_ = child->pid;
  session.to_guard_ = std::move(child->stdin_fd);
  session.from_guard_ = std::move(child->stdout_fd);
  session.guard_stderr_ = std::move(child->stderr_fd);
  session.mounts_ = mounts;
  session.timeout_ = timeout;

  LineReader reader(session.from_guard_.get());
  const Clock::time_point deadline = Clock::now() + timeout + kFreezeStartGrace;
  std::string problem;
  while (std::optional<std::string> line = reader.Next(deadline)) {
    if (*line == kReady) return session;
    if (std::optional<std::string> error = ErrorOf(*line)) problem = *error;
  }
  if (reader.timed_out()) {
    // Still in FIFREEZE: SIGTERM makes it thaw what it froze as soon as the call returns. It is
    // reaped when this process ends; waiting here could be as long as the kernel takes.
    ::kill(session.pid_, SIGTERM);
    session.pid_ = -1;
    return Failed("freeze: " + Joined(mounts) + " not frozen within " +
                  policy::FormatDuration(timeout + kFreezeStartGrace) +
                  "; the guard thaws what it froze");
  }
  session.EndGuard();
  if (problem.empty()) problem = "the freeze guard ended without a word";
  return Failed("freeze: " + problem);
}

FreezeSession::FreezeSession(FreezeSession&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      to_guard_(std::move(other.to_guard_)),
      from_guard_(std::move(other.from_guard_)),
      guard_stderr_(std::move(other.guard_stderr_)),
      mounts_(std::move(other.mounts_)),
      timeout_(other.timeout_) {}

FreezeSession& FreezeSession::operator=(FreezeSession&& other) noexcept {
  if (this != &other) {
    EndGuard();
    pid_ = std::exchange(other.pid_, -1);
    to_guard_ = std::move(other.to_guard_);
    from_guard_ = std::move(other.from_guard_);
    guard_stderr_ = std::move(other.guard_stderr_);
    mounts_ = std::move(other.mounts_);
    timeout_ = other.timeout_;
  }
  return *this;
}

FreezeSession::~FreezeSession() { EndGuard(); }

// Ends the guard's input (it thaws at once) and reaps it.
void FreezeSession::EndGuard() {
  to_guard_.Reset();
  if (pid_ > 0) WaitForExit(pid_);
  pid_ = -1;
}

Status FreezeSession::Thaw() {
  if (pid_ <= 0) return Internal("freeze: thawed twice");
  // A failed write means the guard is gone already; its exit code says why.
  WriteWithoutSigpipe(to_guard_.get(), std::string(kThaw) + "\n");
  to_guard_.Reset();
  LineReader reader(from_guard_.get());
  std::vector<std::string> errors;
  const Clock::time_point deadline = Clock::now() + kThawLimit;
  while (std::optional<std::string> line = reader.Next(deadline)) {
    if (std::optional<std::string> error = ErrorOf(*line)) errors.push_back(*error);
  }
  const int exit_code = WaitForExit(pid_);
  pid_ = -1;
  switch (exit_code) {
    case kThawedOnRequest:
      return Status::Ok();
    case kTimedOutExit:
      return Failed("freeze: " + Joined(mounts_) + " stayed frozen longer than freeze_timeout (" +
                    policy::FormatDuration(timeout_) +
                    "): the guard thawed it while the snapshot went on, so the copy is not of "
                    "one instant");
    case kThawFailed:
      return Failed("freeze: " + (errors.empty() ? "cannot thaw" : errors.front()));
    case kSignalled:
      return Interrupted("freeze: the guard was stopped by a signal and thawed " + Joined(mounts_) +
                         " before the snapshot ended");
    default:
      return Internal("freeze: the guard ended with exit code " + std::to_string(exit_code) +
                      (errors.empty() ? "" : ": " + errors.front()));
  }
}

}  // namespace guestbackup::freeze
