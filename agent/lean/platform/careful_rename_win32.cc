// See careful_rename.h: MoveFileExW, written through to the disk before it returns.
#include <windows.h>

#include "lean/platform/careful_rename.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {
namespace {

RenameResult LastError() {
  const DWORD error = GetLastError();
  RenameResult result{RenameError::kOther, WindowsErrorText(error)};
  if (error == ERROR_ALREADY_EXISTS || error == ERROR_FILE_EXISTS) {
    result.error = RenameError::kTargetExists;
  }
  if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
    result.error = RenameError::kMissing;
  }
  return result;
}

bool Move(const std::string& from, const std::string& to, DWORD flags) {
  return MoveFileExW(Utf8ToWide(from).c_str(), Utf8ToWide(to).c_str(),
                     flags | MOVEFILE_WRITE_THROUGH) != 0;
}

}  // namespace

RenameResult MoveNoReplace(const std::string& from, const std::string& to) {
  return Move(from, to, 0) ? RenameResult{} : LastError();
}

RenameResult Exchange(const std::string& a, const std::string& b) {
  const std::string parked = a + ".exchanging";
  if (!Move(b, parked, 0)) return LastError();
  if (!Move(a, b, 0)) {
    RenameResult failed = LastError();
    Move(parked, b, 0);
    return failed;
  }
  if (!Move(parked, a, 0)) return LastError();
  return {};
}

RenameResult MoveReplacing(const std::string& from, const std::string& to) {
  if (Move(from, to, MOVEFILE_REPLACE_EXISTING)) return {};
  RenameResult result = LastError();
  result.error = RenameError::kOther;
  return result;
}

}  // namespace guestbackup::platform
