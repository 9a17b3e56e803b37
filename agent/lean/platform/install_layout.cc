// See install_layout.h. On Windows the executables end in ".exe" and the running one is
// found with GetModuleFileNameW instead of /proc/self/exe.
#include "lean/platform/install_layout.h"

#include <unistd.h>

#include <climits>
#include <filesystem>
#include <system_error>

#ifdef _WIN32
#include <windows.h>

#include "lean/platform/wide_text_win32.h"
#endif

namespace guestbackup::platform {

// Set by CMake from its install directories (see CMakeLists.txt beside this file).
const char* const kDaemonDirFromAgentDir = GUESTBACKUP_DAEMON_DIR_FROM_AGENT_DIR;
const char* const kAgentDirFromDaemonDir = GUESTBACKUP_AGENT_DIR_FROM_DAEMON_DIR;

#ifdef _WIN32
std::string ExecutableDirectory() {
  std::wstring path(32768, L'\0');
  const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
  if (n == 0 || n >= path.size()) return ".";
  path.resize(n);
  return WideToUtf8(std::filesystem::path(path).parent_path().native());
}
#else
std::string ExecutableDirectory() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  const std::string self(path, static_cast<std::size_t>(n));
  const auto slash = self.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : self.substr(0, slash);
}
#endif

std::string FindCompanion(const std::string& self_dir, const std::string& name,
                          const std::string& installed_dir) {
  namespace fs = std::filesystem;
  const fs::path beside = fs::path(self_dir) / name;
  std::error_code ec;
  if (fs::is_regular_file(beside, ec)) return beside.string();
  return (fs::path(self_dir) / installed_dir / name).lexically_normal().string();
}

std::string DaemonExecutable() {
  return FindCompanion(ExecutableDirectory(), std::string("guestbackup-daemon") + kExecutableSuffix,
                       kDaemonDirFromAgentDir);
}

std::string AgentExecutable() {
  return FindCompanion(ExecutableDirectory(), std::string("guestbackup") + kExecutableSuffix,
                       kAgentDirFromDaemonDir);
}

std::string BundledKopia(const std::string& agent_dir) {
  namespace fs = std::filesystem;
  const fs::path kopia =
      (fs::path(agent_dir) / kDaemonDirFromAgentDir / (std::string("kopia") + kExecutableSuffix))
          .lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(kopia, ec)) return {};
#ifndef _WIN32
  if (access(kopia.c_str(), X_OK) != 0) return {};
#endif
  return kopia.string();
}

}  // namespace guestbackup::platform
