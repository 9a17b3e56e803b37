// See bounded_read.h: the one place untrusted files are read. On Windows through the C
// runtime's descriptors (_wopen, _wstat64: the path converted from UTF-8), where there are no
// FIFOs or devices to open by a file name, so the type checks concern directories only.
#include "lean/platform/bounded_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#ifdef _WIN32
#include "lean/platform/wide_text_win32.h"
#endif

namespace guestbackup::platform {
namespace {

Status ErrnoStatus(int error) {
  std::string message = std::string("cannot read: ") + std::strerror(error);
  if (error == ENOENT || error == ENOTDIR || error == ENXIO) return NotFound(std::move(message));
  if (error == EACCES || error == EPERM) return PermissionDenied(std::move(message));
  return IoError(std::move(message));
}

bool Accepted(unsigned mode, Accept accept) {
#ifdef _WIN32
  (void)accept;
  return S_ISREG(mode);
#else
  return S_ISREG(mode) || (accept == Accept::kImage && S_ISBLK(mode));
#endif
}

#ifdef _WIN32
using FileStat = struct _stat64;
int StatPath(const std::string& path, FileStat* st) {
  return _wstat64(Utf8ToWide(path).c_str(), st);
}
int StatFd(int fd, FileStat* st) { return _fstat64(fd, st); }
int OpenReadOnly(const std::string& path) {
  return _wopen(Utf8ToWide(path).c_str(), _O_RDONLY | _O_BINARY | _O_NOINHERIT);
}
#else
using FileStat = struct stat;
int StatPath(const std::string& path, FileStat* st) { return stat(path.c_str(), st); }
int StatFd(int fd, FileStat* st) { return fstat(fd, st); }
int OpenReadOnly(const std::string& path) {
  return open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}
#endif

Status Refused(unsigned mode, Accept accept) {
  const char* wanted =
      accept == Accept::kImage ? "an image file or a block device" : "a regular file";
  return InvalidArgument(std::string("not ") + wanted + " (" + FileTypeText(mode) + ")");
}

}  // namespace

std::string ByteLimitText(std::size_t bytes) {
  constexpr std::size_t kKiB = 1024;
  if (bytes % (kKiB * kKiB) == 0) return std::to_string(bytes / (kKiB * kKiB)) + " MiB";
  if (bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  return std::to_string(bytes) + " bytes";
}

std::string FileTypeText(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "a regular file";
    case S_IFDIR:
      return "a directory";
    case S_IFIFO:
      return "a FIFO";
    case S_IFCHR:
      return "a character device";
#ifndef _WIN32
    case S_IFBLK:
      return "a block device";
    case S_IFSOCK:
      return "a socket";
    case S_IFLNK:
      return "a symbolic link";
#endif
    default:
      return "of an unknown type";
  }
}

Result<std::string> ReadAtMost(int fd, std::size_t limit) {
  std::string content;
  char buffer[16384];
  while (content.size() <= limit) {
    // Whole buffers: some files (/proc/self/pagemap) refuse reads that are not a multiple of
    // their record size.
    const auto n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno);
    if (n == 0) return content;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  return InvalidArgument("larger than " + ByteLimitText(limit));
}

Result<process::UniqueFd> OpenUntrusted(const std::string& path, Accept accept) {
  FileStat st{};
  if (StatPath(path, &st) != 0) return ErrnoStatus(errno);
  if (!Accepted(st.st_mode, accept)) return Refused(st.st_mode, accept);
  process::UniqueFd fd(OpenReadOnly(path));
  if (!fd.valid()) return ErrnoStatus(errno);
  if (StatFd(fd.get(), &st) != 0) return ErrnoStatus(errno);
  if (!Accepted(st.st_mode, accept)) return Refused(st.st_mode, accept);
  return fd;
}

Result<std::string> ReadRegularFile(const std::string& path, std::size_t limit) {
  Result<process::UniqueFd> fd = OpenUntrusted(path);
  if (!fd.ok()) return fd.status();
  FileStat st{};
  if (StatFd(fd->get(), &st) == 0 && static_cast<std::size_t>(st.st_size) > limit) {
    return InvalidArgument("larger than " + ByteLimitText(limit));
  }
  return ReadAtMost(fd->get(), limit);
}

}  // namespace guestbackup::platform
