// See locked_file.h: on Windows a LockFileEx lock of one byte at 2^62, far past any content,
// so others can still read the file (a locked range cannot be read through another handle).
// Every handle shares delete access, so Remove() works while the lock is held; none asks for
// it, so a reader that does not share it (the C runtime's fopen) can still open the file.
#include <windows.h>

#include <string>

#include "lean/platform/bounded_read.h"
#include "lean/platform/locked_file.h"
#include "lean/platform/unique_handle_win32.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {
namespace {

constexpr DWORD kLockOffsetHigh = 0x40000000;  // byte 2^62
constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

Status Failed(const std::string& what, const std::string& path) {
  return IoError("cannot " + what + " " + path + ": " + WindowsErrorText(GetLastError()));
}

// Reads from the start of `handle` to its end, at most `limit` bytes.
Result<std::string> ReadFromStart(HANDLE handle, std::size_t limit) {
  LARGE_INTEGER start{};
  if (!SetFilePointerEx(handle, start, nullptr, FILE_BEGIN)) {
    return IoError(WindowsErrorText(GetLastError()));
  }
  std::string text;
  char buffer[16384];
  DWORD n = 0;
  while (ReadFile(handle, buffer, sizeof buffer, &n, nullptr) && n > 0) {
    text.append(buffer, n);
    if (text.size() > limit) return InvalidArgument("larger than " + ByteLimitText(limit));
  }
  return text;
}

}  // namespace

struct LockedFile::Handle {
  UniqueHandle file;
};

LockedFile::LockedFile(std::unique_ptr<Handle> handle, std::string path)
    : handle_(std::move(handle)), path_(std::move(path)) {}
LockedFile::~LockedFile() = default;

Result<std::unique_ptr<LockedFile>> LockedFile::Open(const std::string& path, Create create,
                                                     Wait wait) {
  UniqueHandle file(CreateFileW(Utf8ToWide(path).c_str(), GENERIC_READ | GENERIC_WRITE, kShareAll,
                                nullptr, create == Create::kIfMissing ? OPEN_ALWAYS : OPEN_EXISTING,
                                FILE_ATTRIBUTE_NORMAL, nullptr));
  if (file.get() == INVALID_HANDLE_VALUE) {
    const DWORD error = GetLastError();
    if (create == Create::kNever &&
        (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND)) {
      return NotFound(path + " does not exist");
    }
    SetLastError(error);
    return Failed("open", path);
  }
  OVERLAPPED where{};
  where.OffsetHigh = kLockOffsetHigh;
  const DWORD flags = LOCKFILE_EXCLUSIVE_LOCK | (wait == Wait::kNo ? LOCKFILE_FAIL_IMMEDIATELY : 0);
  if (!LockFileEx(file.get(), flags, 0, 1, 0, &where)) {
    const DWORD error = GetLastError();
    if (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING) {
      return std::unique_ptr<LockedFile>();
    }
    SetLastError(error);
    return Failed("lock", path);
  }
  auto handle = std::make_unique<Handle>();
  handle->file = std::move(file);
  return std::unique_ptr<LockedFile>(new LockedFile(std::move(handle), path));
}

Status LockedFile::Replace(std::string_view text) {
  HANDLE file = handle_->file.get();
  LARGE_INTEGER start{};
  DWORD written = 0;
  if (!SetFilePointerEx(file, start, nullptr, FILE_BEGIN) || !SetEndOfFile(file) ||
      !WriteFile(file, text.data(), static_cast<DWORD>(text.size()), &written, nullptr) ||
      written != text.size()) {
    return Failed("write", path_);
  }
  return Status::Ok();
}

Result<std::string> LockedFile::Read(std::size_t limit) {
  Result<std::string> text = ReadFromStart(handle_->file.get(), limit);
  if (!text.ok()) return text.status().WithContext(path_);
  return text;
}

void LockedFile::Remove() {
  // Deleted while open: the name goes when the last handle to the file closes.
  DeleteFileW(Utf8ToWide(path_).c_str());
}

std::string ReadLockedFileNote(const std::string& path, std::size_t limit) {
  UniqueHandle file(CreateFileW(Utf8ToWide(path).c_str(), GENERIC_READ, kShareAll, nullptr,
                                OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (file.get() == INVALID_HANDLE_VALUE) return "";
  Result<std::string> text = ReadFromStart(file.get(), limit);
  return text.ok() ? *text : "";
}

}  // namespace guestbackup::platform
