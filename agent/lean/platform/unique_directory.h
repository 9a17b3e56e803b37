// A new directory with a name no one else has: "<prefix>" followed by six random characters,
// created by this call (never one that existed), readable by its owner only on Linux, with its
// parent's ACL on Windows.
#pragma once

#include <string>

#include "lean/base/status.h"

namespace guestbackup::platform {

// `prefix` is a path whose last part begins the name, e.g. "/srv/.guestbackup-restore-".
// Returns the new directory's path; kIo naming the parent and the reason on failure.
Result<std::string> CreateUniqueDirectory(const std::string& prefix);

}  // namespace guestbackup::platform
