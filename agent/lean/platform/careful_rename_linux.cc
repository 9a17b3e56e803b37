// See careful_rename.h: renameat2(2), which glibc 2.28 does not wrap, called directly.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "lean/platform/careful_rename.h"

namespace guestbackup::platform {
namespace {

RenameResult FromErrno(int error) {
  RenameResult result{RenameError::kOther, std::strerror(error)};
  if (error == EEXIST) result.error = RenameError::kTargetExists;
  if (error == ENOENT) result.error = RenameError::kMissing;
  if (error == EINVAL) result.error = RenameError::kUnsupported;
  return result;
}

RenameResult Renameat2(const std::string& from, const std::string& to, unsigned flags) {
  if (syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags) == 0) return {};
  return FromErrno(errno);
}

}  // namespace

RenameResult MoveNoReplace(const std::string& from, const std::string& to) {
  return Renameat2(from, to, RENAME_NOREPLACE);
}

RenameResult Exchange(const std::string& a, const std::string& b) {
  return Renameat2(a, b, RENAME_EXCHANGE);
}

RenameResult MoveReplacing(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) == 0) return {};
  return {RenameError::kOther, std::strerror(errno)};
}

}  // namespace guestbackup::platform
