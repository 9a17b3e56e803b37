#include "full/history/damaged_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "lean/base/time_format.h"

namespace guestbackup::history {
namespace {

bool Exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

Status Errno(const std::string& what) { return IoError(what + ": " + std::strerror(errno)); }

}  // namespace

ino_t FileIdentity(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

Result<std::string> MoveDamagedAside(const std::string& path, ino_t damaged, std::int64_t now_ms) {
  const std::string lock_path = path + ".lock";
  const int lock = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return Errno("cannot create " + lock_path);
  while (flock(lock, LOCK_EX) != 0 && errno == EINTR) {
  }
  Result<std::string> moved = std::string();
  if (damaged != 0 && FileIdentity(path) == damaged) {
    const std::string base = path + ".damaged-" + FormatCompactUtc(now_ms);
    std::string aside = base;
    for (int n = 2; Exists(aside) || Exists(aside + "-wal"); ++n) {
      aside = base + "-" + std::to_string(n);
    }
    if (rename(path.c_str(), aside.c_str()) != 0) {
      moved = Errno("cannot move " + path + " aside to " + aside);
    } else {
      // The log belongs to the damaged file; the shared-memory index is rebuilt from a log.
      if (Exists(path + "-wal")) (void)rename((path + "-wal").c_str(), (aside + "-wal").c_str());
      (void)unlink((path + "-shm").c_str());
      moved = aside;
    }
  }
  close(lock);  // releases the lock
  return moved;
}

}  // namespace guestbackup::history
