// See system_paths.h: the FHS places.
#include "lean/platform/system_paths.h"

namespace guestbackup::platform {

std::string DefaultPolicyPath() { return "/etc/guestbackup/policy.yaml"; }
std::string DefaultStateDir() { return "/var/lib/guestbackup"; }

}  // namespace guestbackup::platform
