// WriteFileAtomically on Windows: a temporary file beside the target, written through to the
// disk, then MoveFileExW(REPLACE_EXISTING | WRITE_THROUGH), which returns only once the rename
// is on disk. `mode` has no meaning here: the file inherits its directory's ACL, which is how
// %ProgramData%\guestbackup keeps its state readable by SYSTEM and Administrators only.
#include <windows.h>

#include <random>
#include <string>

#include "lean/platform/atomic_file.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {
namespace {

Status LastError(const std::string& what, const std::string& path) {
  return IoError("cannot " + what + " " + path + ": " + WindowsErrorText(GetLastError()));
}

// ".<name>.<8 hex digits>" beside the target, created only if it does not exist yet.
HANDLE CreateTemporary(const std::string& dir, const std::string& name, std::string* temp_path) {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
    *temp_path = dir + "." + name + "." + suffix;
    HANDLE handle =
        CreateFileW(Utf8ToWide(*temp_path).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_WRITE_THROUGH, nullptr);
    if (handle != INVALID_HANDLE_VALUE || GetLastError() != ERROR_FILE_EXISTS) return handle;
  }
  return INVALID_HANDLE_VALUE;
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t) {
  const std::size_t slash = path.find_last_of("/\\");
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string temp_path;
  HANDLE handle = CreateTemporary(dir, name, &temp_path);
  if (handle == INVALID_HANDLE_VALUE) return LastError("create a temporary file for", path);
  bool written = true;
  while (written && !content.empty()) {
    DWORD n = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(content.size(), 1 << 20));
    written = WriteFile(handle, content.data(), chunk, &n, nullptr) && n > 0;
    content.remove_prefix(n);
  }
  written = written && FlushFileBuffers(handle);
  const Status write_status = written ? Status::Ok() : LastError("write", temp_path);
  CloseHandle(handle);
  const std::wstring wide_temp = Utf8ToWide(temp_path);
  if (!write_status.ok()) {
    DeleteFileW(wide_temp.c_str());
    return write_status;
  }
  if (!MoveFileExW(wide_temp.c_str(), Utf8ToWide(path).c_str(),
                   MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    Status status = LastError("rename " + temp_path + " to", path);
    DeleteFileW(wide_temp.c_str());
    return status;
  }
  return Status::Ok();
}

}  // namespace guestbackup::platform
