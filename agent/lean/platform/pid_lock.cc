// The parts of pid_lock.h that are the same on Linux (pid_lock_posix.cc) and Windows
// (pid_lock_win32.cc).
#include <filesystem>
#include <system_error>

#include "lean/platform/pid_lock.h"
#include "lean/platform/process_identity.h"

namespace guestbackup::platform {

Status PidLock::CreateDirectoryOf(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create " + dir.string() + ": " + ec.message());
  return Status::Ok();
}

std::string PidLock::HolderText() { return std::to_string(CurrentProcessId()) + "\n"; }

Status PidLock::HeldBy(const std::string& what, std::string holder_text) {
  while (!holder_text.empty() && (holder_text.back() == '\n' || holder_text.back() == ' ')) {
    holder_text.pop_back();
  }
  return AlreadyRunning(what + (holder_text.empty() ? "" : " (pid " + holder_text + ")"));
}

}  // namespace guestbackup::platform
