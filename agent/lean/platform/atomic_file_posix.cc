// WriteFileAtomically on Linux: mkstemp beside the target, fchmod, fsync, rename, and an fsync
// of the directory so that the rename itself survives a crash.
#include "lean/platform/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace guestbackup::platform {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return IoError("cannot " + what + " " + path + ": " + std::strerror(errno));
}

bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string pattern = dir + (slash == std::string::npos ? "/." : ".") + name + ".XXXXXX";
  std::vector<char> temp(pattern.begin(), pattern.end());
  temp.push_back('\0');
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return Errno("create a temporary file for", path);
  const std::string temp_path(temp.data());
  const bool written = ::fchmod(fd, mode) == 0 && WriteAll(fd, content) && ::fsync(fd) == 0;
  const int write_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    if (!written) errno = write_errno;
    Status status = Errno("write", temp_path);
    ::unlink(temp_path.c_str());
    return status;
  }
  if (::rename(temp_path.c_str(), path.c_str()) != 0) {
    Status status = Errno("rename " + temp_path + " to", path);
    ::unlink(temp_path.c_str());
    return status;
  }
  // The rename is durable only once the directory entry is on disk.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    (void)::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

}  // namespace guestbackup::platform
