// See executable_lookup.h: the Linux search (execvp's, without the current directory).
#include "lean/process/executable_lookup.h"

#include <sys/stat.h>
#include <unistd.h>

namespace guestbackup::process {

Result<std::string> LocateExecutable(std::string_view name, std::string_view path_list) {
  if (name.find('/') != std::string_view::npos) return std::string(name);
  if (name.empty()) return InvalidArgument("empty executable name");

  std::string not_executable;  // first match lacking the execute permission
  while (!path_list.empty()) {
    std::size_t colon = path_list.find(':');
    std::string_view dir = path_list.substr(0, colon);
    path_list = colon == std::string_view::npos ? "" : path_list.substr(colon + 1);
    if (dir.empty() || dir.front() != '/') continue;

    std::string candidate(dir);
    if (candidate.back() != '/') candidate += '/';
    candidate += name;
    struct stat st {};
    if (stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (not_executable.empty()) not_executable = candidate;
  }
  if (!not_executable.empty()) {
    return PermissionDenied(std::string(name) + ": " + not_executable + " is not executable");
  }
  return NotFound(std::string(name) + ": executable not found on PATH");
}

}  // namespace guestbackup::process
