#include "lean/platform/install_layout.h"

#include <unistd.h>

#include <climits>
#include <filesystem>
#include <system_error>

namespace guestbackup::platform {

// Set by CMake from its install directories (see CMakeLists.txt beside this file).
const char* const kDaemonDirFromAgentDir = GUESTBACKUP_DAEMON_DIR_FROM_AGENT_DIR;
const char* const kAgentDirFromDaemonDir = GUESTBACKUP_AGENT_DIR_FROM_DAEMON_DIR;

std::string ExecutableDirectory() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  const std::string self(path, static_cast<std::size_t>(n));
  const auto slash = self.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : self.substr(0, slash);
}

std::string FindCompanion(const std::string& self_dir, const std::string& name,
                          const std::string& installed_dir) {
  namespace fs = std::filesystem;
  const fs::path beside = fs::path(self_dir) / name;
  std::error_code ec;
  if (fs::is_regular_file(beside, ec)) return beside.string();
  return (fs::path(self_dir) / installed_dir / name).lexically_normal().string();
}

std::string DaemonExecutable() {
  return FindCompanion(ExecutableDirectory(), "guestbackup-daemon", kDaemonDirFromAgentDir);
}

std::string AgentExecutable() {
  return FindCompanion(ExecutableDirectory(), "guestbackup", kAgentDirFromDaemonDir);
}

std::string BundledKopia(const std::string& agent_dir) {
  namespace fs = std::filesystem;
  const fs::path kopia =
      (fs::path(agent_dir) / kDaemonDirFromAgentDir / "kopia").lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(kopia, ec) || access(kopia.c_str(), X_OK) != 0) return {};
  return kopia.string();
}

}  // namespace guestbackup::platform
