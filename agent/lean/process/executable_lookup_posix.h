// Finds the file the child will exec, in the parent before fork(): the search allocates,
// which the child of a multi-threaded process must not do.
#pragma once

#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::process {

// PATH when the child's environment has none: systemd's default for services, which is where
// the agent runs.
inline constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Returns `name` unchanged when it contains '/' (execve reports problems with it). Otherwise
// returns the first executable regular file `dir/name` for the absolute directories of
// `path_list` (relative and empty entries are skipped: the agent runs as root and must not
// run whatever is in its current directory). Returns kNotFound "<name>: executable not found
// on PATH", or kPermissionDenied when the only matches are not executable.
Result<std::string> FindExecutable(std::string_view name, std::string_view path_list);

}  // namespace guestbackup::process
