// See file_identity.h: GetFileInformationByHandle's file index, mixed with the volume's serial
// number (the index is unique per volume only). Opened for no access at all, so no sharing mode
// of another process's handle can refuse it.
#include <windows.h>

#include "lean/platform/file_identity.h"
#include "lean/platform/unique_handle_win32.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {

std::uint64_t FileIdentity(const std::string& path) {
  UniqueHandle file(CreateFileW(Utf8ToWide(path).c_str(), 0,
                                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr));
  BY_HANDLE_FILE_INFORMATION info{};
  if (file.get() == INVALID_HANDLE_VALUE || !GetFileInformationByHandle(file.get(), &info)) {
    return 0;
  }
  const std::uint64_t index =
      (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow;
  const std::uint64_t identity =
      index ^ (static_cast<std::uint64_t>(info.dwVolumeSerialNumber) << 32);
  return identity == 0 ? 1 : identity;
}

}  // namespace guestbackup::platform
