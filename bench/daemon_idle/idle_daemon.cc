#include "idle_daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace guestbackup::bench {
namespace {

// Daily at distinct hours, the first two hours from now: nothing falls due while measuring.
std::string PolicyText(int jobs, const std::string& work_dir) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::ostringstream p;
  p << "version: 1\nstate_dir: " << work_dir << "/state\njobs:\n";
  for (int i = 0; i < jobs; ++i) {
    char schedule[32];
    std::snprintf(schedule, sizeof schedule, "*-*-* %02d:17:00", (local.tm_hour + 2 + i) % 24);
    p << "  job" << i << ":\n    paths: [" << work_dir << "/data]\n    schedule: \"" << schedule
      << "\"\n    randomized_delay: 10m\n";
  }
  return p.str();
}

std::string Receive(int fd) {
  char buffer[4096];
  const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
  return n <= 0 ? "" : std::string(buffer, static_cast<std::size_t>(n));
}

}  // namespace

Result<std::unique_ptr<IdleDaemon>> IdleDaemon::Start(const IdleOptions& options,
                                                      const std::string& work_dir) {
  std::unique_ptr<IdleDaemon> d(new IdleDaemon());
  d->work_dir_ = work_dir;
  std::filesystem::create_directories(work_dir + "/data");
  const std::string policy = work_dir + "/policy.yaml";
  std::ofstream(policy) << PolicyText(options.jobs, work_dir);

  const std::string socket_path = work_dir + "/notify";
  d->notify_fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  socket_path.copy(addr.sun_path, sizeof addr.sun_path - 1);
  if (bind(d->notify_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return Failed("cannot bind " + socket_path);
  }
  timeval timeout{30, 0};
  setsockopt(d->notify_fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  const std::string log = work_dir + "/daemon.log";
  d->pid_ = fork();
  if (d->pid_ < 0) return Failed("fork failed");
  if (d->pid_ == 0) {
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(out, 2);
    setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
    execl(options.guestbackup.c_str(), options.guestbackup.c_str(), "--policy", policy.c_str(),
          "--log-level", "info", "daemon", static_cast<char*>(nullptr));
    _exit(127);
  }
  if (Receive(d->notify_fd_) != "READY=1") {
    return Failed("the daemon did not report READY=1 within 30 s; its log:\n" + d->Log());
  }
  d->status_ = Receive(d->notify_fd_);
  return d;
}

IdleDaemon::~IdleDaemon() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (notify_fd_ >= 0) close(notify_fd_);
}

int IdleDaemon::PendingNotifications() {
  int count = 0;
  char buffer[4096];
  while (recv(notify_fd_, buffer, sizeof buffer, MSG_DONTWAIT) > 0) ++count;
  return count;
}

int IdleDaemon::Stop(std::chrono::milliseconds& took) {
  const auto start = std::chrono::steady_clock::now();
  kill(pid_, SIGTERM);
  int status = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(30)) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return -1;
}

std::string IdleDaemon::Log() const {
  std::ifstream in(work_dir_ + "/daemon.log");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace guestbackup::bench
