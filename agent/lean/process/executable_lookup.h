// Finds the program a child runs, in the parent: on Linux before fork() (the search allocates,
// which the child of a multi-threaded process must not do); on Windows for CreateProcessW,
// which would otherwise search the current directory first.
#pragma once

#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::process {

#if defined(_WIN32)
// No fallback: Windows gives every process a PATH (a service, the system's).
inline constexpr std::string_view kDefaultPath = "";
#else
// PATH when the child's environment has none: systemd's default for services, which is where
// the agent runs.
inline constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
#endif

// (Not "FindExecutable": windows.h has a macro of that name.) Returns `name` unchanged when it
// names a directory ('/' on Linux; '\', '/' or a drive's ':' on Windows). Otherwise returns the
// first match for the absolute directories of `path_list`
// (':'-separated on Linux, ';' on Windows; relative and empty entries are skipped: the agent
// runs as root or SYSTEM and must not run whatever is in its current directory). On Linux a
// match is an executable regular file `dir/name`; on Windows a file `dir\name`, or, when
// `name` has no extension, `dir\name` with .exe, .com, .bat or .cmd, as Windows runs them.
// Returns kNotFound "<name>: executable not found on PATH", or on Linux kPermissionDenied
// when the only matches are not executable.
Result<std::string> LocateExecutable(std::string_view name, std::string_view path_list);

}  // namespace guestbackup::process
