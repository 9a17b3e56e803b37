// See unique_directory.h: mkdtemp(3), mode 0700.
#include <cstdlib>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "lean/platform/unique_directory.h"

namespace guestbackup::platform {

Result<std::string> CreateUniqueDirectory(const std::string& prefix) {
  std::string path = prefix + "XXXXXX";
  if (mkdtemp(path.data()) == nullptr) {
    return IoError("cannot create a directory in " +
                   std::filesystem::path(prefix).parent_path().string() + ": " +
                   std::strerror(errno));
  }
  return path;
}

}  // namespace guestbackup::platform
