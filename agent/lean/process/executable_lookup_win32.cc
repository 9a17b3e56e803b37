// See executable_lookup.h: the Windows search, as CreateProcessW would do it but without the
// current directory and the system directories it also tries (PATH names those).
#include <windows.h>

#include <vector>

#include "lean/platform/wide_text_win32.h"
#include "lean/process/executable_lookup.h"

namespace guestbackup::process {
namespace {

bool IsRegularFile(const std::wstring& path) {
  const DWORD attributes = GetFileAttributesW(path.c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) == 0;
}

// "C:\..." or a UNC "\\server\share\...": the only directories searched.
bool IsAbsoluteDirectory(const std::string& dir) {
  return dir.size() >= 3 && (dir[1] == ':' || dir.rfind("\\\\", 0) == 0);
}

}  // namespace

Result<std::string> LocateExecutable(std::string_view name, std::string_view path_list) {
  const std::string given(name);
  if (given.find_first_of("\\/:") != std::string::npos) return given;
  const bool has_extension = given.find('.') != std::string::npos;
  const std::vector<std::string> extensions =
      has_extension ? std::vector<std::string>{""}
                    : std::vector<std::string>{".exe", ".com", ".bat", ".cmd"};
  std::size_t start = 0;
  while (start <= path_list.size()) {
    std::size_t end = path_list.find(';', start);
    if (end == std::string_view::npos) end = path_list.size();
    const std::string dir(path_list.substr(start, end - start));
    start = end + 1;
    if (!IsAbsoluteDirectory(dir)) continue;
    for (const std::string& extension : extensions) {
      std::string candidate = dir;
      if (candidate.back() != '\\' && candidate.back() != '/') candidate += '\\';
      candidate += given + extension;
      if (IsRegularFile(platform::Utf8ToWide(candidate))) return candidate;
    }
  }
  return NotFound(given + ": executable not found on PATH");
}

}  // namespace guestbackup::process
