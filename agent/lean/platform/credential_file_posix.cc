// Ownership and mode checks for secret files, done on the file itself (lstat / fstat of an
// O_NOFOLLOW descriptor) so a symbolic link cannot point the agent at another file.
#include "lean/platform/credential_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "lean/platform/bounded_read.h"
#include "lean/platform/credential_content.h"

namespace guestbackup::platform {
namespace {

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Status ErrnoStatus(const std::string& path, int error) {
  const std::string message =
      "credential file " + path + " cannot be read: " + std::strerror(error);
  if (error == ENOENT || error == ENOTDIR) return NotFound(message);
  if (error == EACCES || error == EPERM) return PermissionDenied(message);
  return IoError(message);
}

Status CheckStat(const std::string& path, const struct stat& st) {
  const std::string name = "credential file " + path;
  if (S_ISLNK(st.st_mode)) {
    return PermissionDenied(name + " is a symbolic link; it must be a regular file");
  }
  if (!S_ISREG(st.st_mode)) return PermissionDenied(name + " is not a regular file");
  const uid_t euid = geteuid();
  if (st.st_uid != 0 && st.st_uid != euid) {
    return PermissionDenied(name + " is owned by uid " + std::to_string(st.st_uid) +
                            "; it must be owned by root or by uid " + std::to_string(euid) +
                            " (the user running guestbackup)");
  }
  if ((st.st_mode & 077) != 0) {
    return PermissionDenied(name + " has mode " + Octal(st.st_mode) +
                            "; it must be 0600 or stricter (chmod 600 " + path + ")");
  }
  return Status::Ok();
}

}  // namespace

Status CheckCredentialFile(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return ErrnoStatus(path, errno);
  return CheckStat(path, st);
}

Result<std::string> ReadCredentialFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ELOOP) {
      // O_NOFOLLOW reports a symbolic link as ELOOP; say which rule it breaks instead.
      Status rule = CheckCredentialFile(path);
      if (!rule.ok()) return rule;
    }
    return ErrnoStatus(path, error);
  }
  struct stat st {};
  Status status = fstat(fd, &st) == 0 ? CheckStat(path, st) : ErrnoStatus(path, errno);
  if (status.ok() && static_cast<std::size_t>(st.st_size) > kMaxCredentialBytes) {
    status = InvalidArgument("credential file " + path + " is larger than " +
                             ByteLimitText(kMaxCredentialBytes));
  }
  if (!status.ok()) {
    close(fd);
    return status;
  }
  Result<std::string> content = ReadCredentialContent(path, fd);
  close(fd);
  return content;
}

}  // namespace guestbackup::platform
