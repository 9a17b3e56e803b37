// See unique_directory.h: CreateDirectoryW fails when the name exists, so a random name is
// tried until one is new. The random characters come from the system's generator (rand_s).
#include <windows.h>

#include <filesystem>
#include <random>

#include "lean/platform/unique_directory.h"
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::platform {

Result<std::string> CreateUniqueDirectory(const std::string& prefix) {
  static constexpr char kLetters[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device random;
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kLetters - 2);
  DWORD error = ERROR_ALREADY_EXISTS;
  for (int attempt = 0; attempt < 100 && error == ERROR_ALREADY_EXISTS; ++attempt) {
    std::string path = prefix;
    for (int i = 0; i < 6; ++i) path += kLetters[pick(random)];
    if (CreateDirectoryW(Utf8ToWide(path).c_str(), nullptr)) return path;
    error = GetLastError();
  }
  return IoError("cannot create a directory in " +
                 std::filesystem::path(prefix).parent_path().string() + ": " +
                 WindowsErrorText(error));
}

}  // namespace guestbackup::platform
