// See pid_lock.h: on Windows a LockFileEx lock of one byte far beyond the file's end, so the
// pid written at its start stays readable for the second taker's message (Windows locks are
// mandatory: a locked range cannot be read by another handle). The system drops the lock
// when its holder's handle closes, also when the holder dies.
#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include <string>

#include "lean/platform/pid_lock.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {
namespace {

constexpr DWORD kLockOffsetHigh = 0x40000000;  // byte 2^62: far past any pid text

}  // namespace

Result<std::unique_ptr<PidLock>> PidLock::TryAcquire(const std::string& path,
                                                     const std::string& what) {
  if (Status created = CreateDirectoryOf(path); !created.ok()) return created;
  HANDLE handle = CreateFileW(Utf8ToWide(path).c_str(), GENERIC_READ | GENERIC_WRITE,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (handle == INVALID_HANDLE_VALUE) {
    return IoError("cannot open " + path + ": " + WindowsErrorText(GetLastError()));
  }
  OVERLAPPED where{};
  where.OffsetHigh = kLockOffsetHigh;
  if (!LockFileEx(handle, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &where)) {
    const DWORD error = GetLastError();
    char buf[32] = {};
    DWORD n = 0;
    if (!ReadFile(handle, buf, sizeof buf - 1, &n, nullptr)) n = 0;
    CloseHandle(handle);
    if (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING) {
      return HeldBy(what, std::string(buf, n));
    }
    return IoError("cannot lock " + path + ": " + WindowsErrorText(error));
  }
  // Record the holder for the message another taker prints; the lock, not this text, is what
  // counts.
  const std::string pid = HolderText();
  DWORD written = 0;
  if (SetEndOfFile(handle)) {
    WriteFile(handle, pid.data(), static_cast<DWORD>(pid.size()), &written, nullptr);
  }
  // Held as a C runtime descriptor, which the destructor closes like the POSIX one.
  const int fd = _open_osfhandle(reinterpret_cast<intptr_t>(handle), _O_RDWR);
  if (fd < 0) {
    CloseHandle(handle);
    return IoError("cannot keep the lock on " + path);
  }
  return std::unique_ptr<PidLock>(new PidLock(fd, path));
}

PidLock::~PidLock() {
  if (fd_ >= 0) _close(fd_);  // closes the handle, which releases the lock
}

}  // namespace guestbackup::platform
