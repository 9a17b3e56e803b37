#include "support/write_probe.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

namespace guestbackup::testing {

pid_t StartWriteProbe(const std::string& dir) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string path = dir + "/.write-probe-" + std::to_string(::getpid());
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ::write(fd, "x", 1) != 1 || ::fsync(fd) != 0) ::_exit(2);
    ::close(fd);
    ::unlink(path.c_str());
    ::_exit(0);
  }
  return pid;
}

std::optional<std::chrono::milliseconds> WaitForWriteProbe(pid_t pid,
                                                           std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the write probe failed";
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    }
    if (std::chrono::steady_clock::now() - start > limit) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace guestbackup::testing
