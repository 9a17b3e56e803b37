// See system_paths.h: the ProgramData known folder, asked of the shell (an administrator may
// have moved it; %ProgramData% can be changed by whoever starts the process).
#include <windows.h>
// After windows.h, which they need.
#include <knownfolders.h>
#include <shlobj.h>

#include "lean/platform/system_paths.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {
namespace {

std::string GuestbackupDataDir() {
  PWSTR folder = nullptr;
  std::string dir = "C:\\ProgramData";
  if (SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &folder) == S_OK) {
    dir = WideToUtf8(folder);
  }
  CoTaskMemFree(folder);
  return dir + "\\guestbackup";
}

}  // namespace

std::string DefaultPolicyPath() { return GuestbackupDataDir() + "\\policy.yaml"; }
std::string DefaultStateDir() { return GuestbackupDataDir() + "\\state"; }

}  // namespace guestbackup::platform
