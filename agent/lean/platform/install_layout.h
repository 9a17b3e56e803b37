// Where guestbackup and guestbackup-daemon find each other: side by side in a build tree, or
// as installed, guestbackup in <prefix>/bin and the daemon, which users never start by hand,
// in <prefix>/libexec/guestbackup. Both lookups are relative to the running executable, so
// any installation prefix works.
#pragma once

#include <string>

namespace guestbackup::platform {

// The installed daemon's directory relative to the installed guestbackup's, and back again
// ("../libexec/guestbackup" and "../../bin" for the GNU layout), from CMake's install dirs.
extern const char* const kDaemonDirFromAgentDir;
extern const char* const kAgentDirFromDaemonDir;

// What an executable's file name ends in: ".exe" on Windows, nothing on Linux.
#ifdef _WIN32
inline constexpr const char* kExecutableSuffix = ".exe";
#else
inline constexpr const char* kExecutableSuffix = "";
#endif

// The directory of the running executable ("." when /proc/self/exe cannot be read).
std::string ExecutableDirectory();

// `self_dir`/`name` when that file exists (a build tree), else
// `self_dir`/`installed_dir`/`name`, lexically normalised. The second path is returned even
// when it does not exist either, so that the caller's error names where it looked last.
std::string FindCompanion(const std::string& self_dir, const std::string& name,
                          const std::string& installed_dir);

// guestbackup-daemon, as `guestbackup daemon` execs it.
std::string DaemonExecutable();

// guestbackup, as the daemon starts each due run.
std::string AgentExecutable();

// The kopia a package bundled for air-gapped guests (`scripts/package --with-kopia`):
// `agent_dir`/kDaemonDirFromAgentDir/kopia when that is an executable regular file, else "".
// Never the kopia beside guestbackup: in /usr/bin that one is kopia's own package's.
std::string BundledKopia(const std::string& agent_dir);

}  // namespace guestbackup::platform
