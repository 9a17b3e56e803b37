// Replacing a file so readers see the old content or the new, never a mix: a temporary file in
// the same directory, fsync, rename over the target, fsync of the directory.
#pragma once

#include <sys/types.h>
#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::platform {

// Writes `content` to `path` with `mode` (not subject to the umask). The temporary file is
// ".<name>.XXXXXX" beside it, so collectors that read "*.prom" or "*.timer" never see it; it is
// removed on failure. kIo with the path and errno's text on failure; the directory must exist.
Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode);

}  // namespace guestbackup::platform
