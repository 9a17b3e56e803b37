// See signals.h: sigaction(2) handlers that set the flag or write to the pipe.
#include "lean/contract/signals.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace guestbackup::contract {
namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_pipe_write{-1};  // set once by RouteSignalsToPipe

// Async-signal-safe: an atomic store and write(2), errno preserved.
extern "C" void OnSignal(int signal) {
  const int fd = g_pipe_write.load();
  if (signal != SIGHUP || fd < 0) g_interrupted.store(true);
  if (fd >= 0) {
    const int saved_errno = errno;
    const char byte = signal == SIGHUP ? 'H' : 'T';
    (void)!write(fd, &byte, 1);  // a full pipe already holds a wake-up
    errno = saved_errno;
  }
}

}  // namespace

const std::atomic<bool>* InstallInterruptHandlers() {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    return true;
  }();
  (void)installed;
  return &g_interrupted;
}

int RouteSignalsToPipe() {
  static const int read_fd = [] {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
    g_pipe_write.store(fds[1]);
    return fds[0];
  }();
  InstallInterruptHandlers();
  return read_fd;
}

}  // namespace guestbackup::contract
