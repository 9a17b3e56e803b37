#include "lean/process/spawn_posix.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <cerrno>
#include <climits>
#include <system_error>

#include "lean/process/environment.h"
#include "lean/process/executable_lookup.h"

namespace guestbackup::process {
namespace {

// What the child writes to the error pipe when it cannot reach execve() or execve() fails.
struct ChildError {
  enum Stage : int { kSetup, kChdir, kExec };
  int stage;
  int error;  // errno
};

// Everything the child needs, prepared before fork(): between fork() and exec() a child of a
// multi-threaded process may only make async-signal-safe calls (no allocation, no locks).
struct ChildPlan {
  int stdin_fd;
  int stdout_fd;
  int stderr_fd;
  int error_fd;
  unsigned int max_fd;  // for closing descriptors without close_range()
  const char* path;
  char* const* argv;
  char* const* envp;
  const char* working_dir;  // nullptr = inherit
  bool die_with_parent;
  pid_t parent_pid;
};

std::string ErrnoText(int error) { return std::generic_category().message(error); }

[[noreturn]] void ReportAndExit(const ChildPlan& plan, ChildError::Stage stage, int error) {
  ChildError report{stage, error};
  // The pipe is empty and the report far below PIPE_BUF, so the write is atomic.
  ssize_t ignored = write(plan.error_fd, &report, sizeof(report));
  (void)ignored;
  _exit(127);
}

// Closes every descriptor >= 3 except `keep`.
void CloseOtherDescriptors(int keep, unsigned int max_fd) {
  auto close_from_to = [max_fd](unsigned int first, unsigned int last) {
    if (first > last) return;
    if (syscall(SYS_close_range, first, last, 0) == 0) return;
    // Kernels before 5.9 have no close_range().
    for (unsigned int fd = first; fd <= last && fd < max_fd; ++fd) close(static_cast<int>(fd));
  };
  close_from_to(3, static_cast<unsigned int>(keep) - 1);
  close_from_to(static_cast<unsigned int>(keep) + 1, UINT_MAX);
}

[[noreturn]] void RunChild(const ChildPlan& plan) {
  // Own process group, so a group kill on timeout reaches the child's descendants but never us.
  if (setpgid(0, 0) != 0) ReportAndExit(plan, ChildError::kSetup, errno);
  if (plan.die_with_parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) ReportAndExit(plan, ChildError::kSetup, errno);
    // The parent may have died before prctl(); then no signal will ever come.
    if (getppid() != plan.parent_pid) _exit(128 + SIGTERM);
  }
  // Handlers and ignored signals are inherited through exec; the program gets the defaults.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigaction(sig, &action, nullptr);  // fails harmlessly for numbers glibc reserves
  }
  if (dup2(plan.stdin_fd, STDIN_FILENO) < 0 || dup2(plan.stdout_fd, STDOUT_FILENO) < 0 ||
      dup2(plan.stderr_fd, STDERR_FILENO) < 0) {
    ReportAndExit(plan, ChildError::kSetup, errno);
  }
  CloseOtherDescriptors(plan.error_fd, plan.max_fd);
  if (plan.working_dir != nullptr && chdir(plan.working_dir) != 0) {
    ReportAndExit(plan, ChildError::kChdir, errno);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(plan.path, plan.argv, plan.envp);
  ReportAndExit(plan, ChildError::kExec, errno);
}

// Moves `fd` to a number above 2, so that dup2() onto 0/1/2 in the child cannot overwrite
// another of the child's sources (possible when our own stdin or stdout is closed).
Status MoveAboveStdio(UniqueFd* fd) {
  if (fd->get() > STDERR_FILENO) return Status::Ok();
  int moved = fcntl(fd->get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved < 0) return Internal("fcntl(F_DUPFD_CLOEXEC): " + ErrnoText(errno));
  fd->Reset(moved);
  return Status::Ok();
}

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

// A close-on-exec pipe; `nonblocking_read`/`nonblocking_write` mark our end for poll().
Result<Pipe> MakePipe(bool nonblocking_read, bool nonblocking_write) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Internal("pipe2: " + ErrnoText(errno));
  Pipe pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
  GB_RETURN_IF_ERROR(MoveAboveStdio(&pipe.read));
  GB_RETURN_IF_ERROR(MoveAboveStdio(&pipe.write));
  if ((nonblocking_read && fcntl(pipe.read.get(), F_SETFL, O_NONBLOCK) != 0) ||
      (nonblocking_write && fcntl(pipe.write.get(), F_SETFL, O_NONBLOCK) != 0)) {
    return Internal("fcntl(O_NONBLOCK): " + ErrnoText(errno));
  }
  return pipe;
}

Result<UniqueFd> OpenDevNull() {
  UniqueFd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Internal("cannot open /dev/null: " + ErrnoText(errno));
  GB_RETURN_IF_ERROR(MoveAboveStdio(&fd));
  return fd;
}

unsigned int MaxDescriptor() {
  struct rlimit limit {};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
      limit.rlim_cur > UINT_MAX) {
    return 1U << 20;  // Linux's default ceiling (fs.nr_open)
  }
  return static_cast<unsigned int>(limit.rlim_cur);
}

// Pointers into `strings` plus the terminating nullptr; valid while `strings` lives.
std::vector<char*> CStringArray(const std::vector<std::string>& strings) {
  std::vector<char*> array;
  array.reserve(strings.size() + 1);
  for (const std::string& s : strings) array.push_back(const_cast<char*>(s.c_str()));
  array.push_back(nullptr);
  return array;
}

Status DescribeChildError(const ChildError& report, const ProcessSpec& spec,
                          const std::string& path) {
  std::string reason = ErrnoText(report.error);
  switch (report.stage) {
    case ChildError::kChdir: {
      std::string what = "working directory " + spec.working_dir + ": " + reason;
      if (report.error == ENOENT || report.error == ENOTDIR) return NotFound(what);
      if (report.error == EACCES) return PermissionDenied(what);
      return Failed(what);
    }
    case ChildError::kExec:
      if (report.error == ENOENT) {
        // execve() also says ENOENT when the file exists but its "#!" interpreter does not.
        if (access(path.c_str(), F_OK) == 0) {
          return NotFound(path + ": its interpreter (the #! line) was not found");
        }
        return NotFound(path + ": no such file");
      }
      if (report.error == EACCES || report.error == EPERM) {
        return PermissionDenied(path + ": cannot execute: " + reason);
      }
      return Failed(path + ": cannot execute: " + reason);
    case ChildError::kSetup:
      break;
  }
  return Internal("cannot set up the child process: " + reason);
}

void ReapBlocking(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

// Waits until the child has exec'd (the close-on-exec error pipe reaches EOF) or reported
// why it could not; in the latter case the child is reaped.
Status AwaitExec(pid_t pid, const UniqueFd& error_read, const ProcessSpec& spec,
                 const std::string& path) {
  ChildError report{};
  ssize_t n;
  do {
    n = read(error_read.get(), &report, sizeof(report));
  } while (n < 0 && errno == EINTR);
  if (n == 0) return Status::Ok();
  ReapBlocking(pid);
  if (n != static_cast<ssize_t>(sizeof(report))) {
    return Internal("lost the start report of child " + std::to_string(pid));
  }
  return DescribeChildError(report, spec, path);
}

}  // namespace

Result<SpawnedChild> Spawn(const ProcessSpec& spec, const std::vector<std::string>& env) {
  if (spec.argv.empty()) return InvalidArgument("empty command line");
  for (const std::string& arg : spec.argv) {
    if (arg.find('\0') != std::string::npos) {
      return InvalidArgument("command line argument contains a NUL byte");
    }
  }
  Result<std::string> path =
      LocateExecutable(spec.argv[0], FindVariable(env, "PATH").value_or(kDefaultPath));
  if (!path.ok()) return path.status();

  std::vector<char*> argv = CStringArray(spec.argv);
  std::vector<char*> envp = CStringArray(env);
  Result<Pipe> out = MakePipe(/*nonblocking_read=*/true, /*nonblocking_write=*/false);
  if (!out.ok()) return out.status();
  Result<Pipe> err = MakePipe(true, false);
  if (!err.ok()) return err.status();
  Result<Pipe> error_pipe = MakePipe(false, false);
  if (!error_pipe.ok()) return error_pipe.status();
  Pipe in;
  if (spec.stdin_data.empty() && !spec.stdin_pipe) {
    Result<UniqueFd> dev_null = OpenDevNull();
    if (!dev_null.ok()) return dev_null.status();
    in.read = std::move(*dev_null);
  } else {
    Result<Pipe> in_pipe = MakePipe(false, /*nonblocking_write=*/true);
    if (!in_pipe.ok()) return in_pipe.status();
    in = std::move(*in_pipe);
  }

  ChildPlan plan{in.read.get(),
                 out->write.get(),
                 err->write.get(),
                 error_pipe->write.get(),
                 MaxDescriptor(),
                 path->c_str(),
                 argv.data(),
                 envp.data(),
                 spec.working_dir.empty() ? nullptr : spec.working_dir.c_str(),
                 spec.die_with_parent,
                 getpid()};

  // With every signal blocked across fork(), none of our handlers can run in the child
  // before it has reset them.
  sigset_t all;
  sigset_t saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid_t pid = fork();
  if (pid == 0) RunChild(plan);
  int fork_error = errno;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  if (pid < 0) return Failed("fork: " + ErrnoText(fork_error));

  // Our copies of the child's ends must go, or we would never see EOF.
  in.read.Reset();
  out->write.Reset();
  err->write.Reset();
  error_pipe->write.Reset();
  GB_RETURN_IF_ERROR(AwaitExec(pid, error_pipe->read, spec, *path));

  SpawnedChild child;
  child.pid = pid;
  child.stdin_fd = std::move(in.write);
  child.stdout_fd = std::move(out->read);
  child.stderr_fd = std::move(err->read);
  return child;
}

}  // namespace guestbackup::process
