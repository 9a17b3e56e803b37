// See file_identity.h: stat(2)'s inode number.
#include <sys/stat.h>

#include "lean/platform/file_identity.h"

namespace guestbackup::platform {

std::uint64_t FileIdentity(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

}  // namespace guestbackup::platform
