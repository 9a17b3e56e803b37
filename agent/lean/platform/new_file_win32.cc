// See new_file.h: CreateFileW with CREATE_NEW.
#include <windows.h>

#include "lean/platform/new_file.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {

bool CreateNewPrivateFile(const std::string& path) {
  HANDLE file = CreateFileW(Utf8ToWide(path).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return false;
  CloseHandle(file);
  return true;
}

}  // namespace guestbackup::platform
