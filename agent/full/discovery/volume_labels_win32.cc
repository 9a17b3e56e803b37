#include "full/discovery/volume_labels_win32.h"

#include <windows.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "lean/platform/wide_text_win32.h"

namespace guestbackup::discovery {
namespace {

std::string Lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The volume label of drive `letter` ("" when it has no medium or no label).
std::string VolumeLabel(char letter) {
  const std::wstring root = {static_cast<wchar_t>(letter), L':', L'\\'};
  wchar_t label[MAX_PATH + 1] = {};
  if (!GetVolumeInformationW(root.c_str(), label, MAX_PATH + 1, nullptr, nullptr, nullptr, nullptr,
                             0)) {
    return "";
  }
  return platform::WideToUtf8(label);
}

// Network drives are left out (asking one for its label can wait on the network), and so are
// letters with no volume; an empty drive must fail quietly, not ask the user to insert a disk.
bool MayHoldTheDisk(char letter) {
  const std::wstring root = {static_cast<wchar_t>(letter), L':', L'\\'};
  switch (GetDriveTypeW(root.c_str())) {
    case DRIVE_CDROM:
    case DRIVE_FIXED:
    case DRIVE_REMOVABLE:
    case DRIVE_RAMDISK:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::vector<char> DrivesLabelled(std::string_view label) {
  const std::string wanted = Lowered(std::string(label));
  std::vector<char> letters;
  DWORD previous_mode = 0;
  SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX, &previous_mode);
  const DWORD drives = GetLogicalDrives();
  for (int i = 0; i < 26; ++i) {
    if ((drives & (1u << i)) == 0) continue;
    const char letter = static_cast<char>('A' + i);
    if (MayHoldTheDisk(letter) && Lowered(VolumeLabel(letter)) == wanted) {
      letters.push_back(letter);
    }
  }
  SetThreadErrorMode(previous_mode, nullptr);
  return letters;
}

}  // namespace guestbackup::discovery
