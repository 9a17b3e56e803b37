// Secret files (the kopia password): refused unless only their owner can read them, so a
// secret left readable by other users is noticed instead of silently used.
#pragma once

#include <string>

#include "lean/base/status.h"

namespace guestbackup::platform {

// Ok when `path` is a regular file (not a symbolic link), owned by root or by the effective
// user, with no group or other permission bits (0600 or stricter). Otherwise kPermissionDenied
// naming the file and what is wrong, e.g. "credential file /etc/x has mode 0644; it must be
// 0600 or stricter (chmod 600 /etc/x)"; kNotFound when it does not exist; kIo when it cannot
// be examined.
Status CheckCredentialFile(const std::string& path);

// Checks the file as above (on the opened file, so it cannot be swapped in between), reads it
// and strips one trailing newline. An empty secret is refused with kInvalidArgument.
Result<std::string> ReadCredentialFile(const std::string& path);

}  // namespace guestbackup::platform
