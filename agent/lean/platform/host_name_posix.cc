// See host_name.h: gethostname(2).
#include <unistd.h>

#include <array>

#include "lean/platform/host_name.h"

namespace guestbackup::platform {

std::string HostName() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "";
  return name.data();
}

}  // namespace guestbackup::platform
