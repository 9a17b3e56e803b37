// See new_file.h: open(2) with O_EXCL.
#include <fcntl.h>
#include <unistd.h>

#include "lean/platform/new_file.h"

namespace guestbackup::platform {

bool CreateNewPrivateFile(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  close(fd);
  return true;
}

}  // namespace guestbackup::platform
