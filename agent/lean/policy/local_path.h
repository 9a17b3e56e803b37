// The agent's local paths, as the policy and the command line give them: absolute, without
// ".." and in one spelling, so that the same directory always compares equal. On Linux
// "/srv//data/./x/" -> "/srv/data/x". On Windows a drive-letter path, "c:/Users\\me\\" ->
// "C:\Users\me"; UNC paths (\\server\share) and device paths (\\?\, \\.\) are refused, since
// a network share is not this machine's to back up, and names compare case-insensitively, as
// NTFS does.
#pragma once

#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::policy {

// What ".." does: refused (the policy's paths), or taken as the parent by name (a path given to
// `restore`, which names where a file goes; never above the root).
enum class DotDot { kRefused, kResolved };

// The normal spelling of `path`; InvalidArgument for a relative path, a refused "..", a NUL
// byte or (on Windows) a UNC or device path, naming the path.
Result<std::string> NormalizePath(std::string_view path, DotDot dot_dot = DotDot::kRefused);

// Whether `path` is `dir` or lies inside it (both normal).
bool PathIsWithin(std::string_view path, std::string_view dir);

// Whether the system compares file names without regard to case (Windows, as NTFS does).
#if defined(_WIN32)
inline constexpr bool kNamesIgnoreCase = true;
#else
inline constexpr bool kNamesIgnoreCase = false;
#endif

// Whether two names (of files, or of whole paths) are the same to the system: exactly on
// Linux; on Windows regardless of the case of ASCII letters (NTFS also folds other letters'
// case, which this does not).
bool SameEntryName(std::string_view a, std::string_view b);

// For a `path` inside `dir` (both normal): the rest of it, its parts joined by '/', as kopia
// names the entries of a snapshot; "" when `path` is `dir`.
std::string RelativeEntryPath(std::string_view path, std::string_view dir);

}  // namespace guestbackup::policy
