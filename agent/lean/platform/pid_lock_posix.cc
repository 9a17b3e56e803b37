// See pid_lock.h: flock(2) on Linux.
#include "lean/platform/pid_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace guestbackup::platform {

Result<std::unique_ptr<PidLock>> PidLock::TryAcquire(const std::string& path,
                                                     const std::string& what) {
  if (Status created = CreateDirectoryOf(path); !created.ok()) return created;
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot open " + path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    if (err == EWOULDBLOCK) {
      return HeldBy(what, n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "");
    }
    return IoError("cannot lock " + path + ": " + std::strerror(err));
  }
  // Record the holder for the message another taker prints; the lock, not this text, is what
  // counts.
  const std::string pid = HolderText();
  if (ftruncate(fd, 0) == 0) {
    [[maybe_unused]] const ssize_t w = pwrite(fd, pid.data(), pid.size(), 0);
  }
  return std::unique_ptr<PidLock>(new PidLock(fd, path));
}

PidLock::~PidLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

}  // namespace guestbackup::platform
