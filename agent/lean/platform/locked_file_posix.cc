// See locked_file.h: flock(2) on Linux.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "lean/platform/bounded_read.h"
#include "lean/platform/locked_file.h"
#include "lean/process/unique_fd_posix.h"

namespace guestbackup::platform {

struct LockedFile::Handle {
  process::UniqueFd fd;
};

LockedFile::LockedFile(std::unique_ptr<Handle> handle, std::string path)
    : handle_(std::move(handle)), path_(std::move(path)) {}
LockedFile::~LockedFile() = default;

Result<std::unique_ptr<LockedFile>> LockedFile::Open(const std::string& path, Create create,
                                                     Wait wait) {
  const int flags = O_RDWR | O_CLOEXEC | (create == Create::kIfMissing ? O_CREAT : 0);
  process::UniqueFd fd(open(path.c_str(), flags, 0600));
  if (!fd.valid()) {
    if (errno == ENOENT && create == Create::kNever) return NotFound(path + " does not exist");
    return IoError("cannot open " + path + ": " + std::strerror(errno));
  }
  const int operation = LOCK_EX | (wait == Wait::kNo ? LOCK_NB : 0);
  int locked;
  while ((locked = flock(fd.get(), operation)) != 0 && errno == EINTR) {
  }
  if (locked != 0) {
    if (errno == EWOULDBLOCK) return std::unique_ptr<LockedFile>();
    return IoError("cannot lock " + path + ": " + std::strerror(errno));
  }
  auto handle = std::make_unique<Handle>();
  handle->fd = std::move(fd);
  return std::unique_ptr<LockedFile>(new LockedFile(std::move(handle), path));
}

Status LockedFile::Replace(std::string_view text) {
  const int fd = handle_->fd.get();
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return IoError("cannot write " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> LockedFile::Read(std::size_t limit) {
  if (lseek(handle_->fd.get(), 0, SEEK_SET) != 0) {
    return IoError("cannot read " + path_ + ": " + std::strerror(errno));
  }
  Result<std::string> text = ReadAtMost(handle_->fd.get(), limit);
  if (!text.ok()) return text.status().WithContext(path_);
  return text;
}

void LockedFile::Remove() { unlink(path_.c_str()); }

std::string ReadLockedFileNote(const std::string& path, std::size_t limit) {
  process::UniqueFd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return "";
  Result<std::string> text = ReadAtMost(fd.get(), limit);
  return text.ok() ? *text : "";
}

}  // namespace guestbackup::platform
