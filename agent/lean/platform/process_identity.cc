// The parts of process_identity.h that are the same on Linux and Windows; each system's file
// (process_identity_linux.cc, process_identity_win32.cc) reads the boot id and a pid's start.
#include "lean/platform/process_identity.h"

#ifdef _WIN32
#include <process.h>
#else
#include <unistd.h>
#endif

namespace guestbackup::platform {

int CurrentProcessId() {
#ifdef _WIN32
  return _getpid();
#else
  return static_cast<int>(getpid());
#endif
}

ProcessIdentity CurrentProcessIdentity() {
  const int pid = CurrentProcessId();
  std::optional<ProcessIdentity> identity = ProcessIdentityOf(pid);
  if (!identity) return ProcessIdentity{pid, "", 0};
  return *identity;
}

bool IsProcessAlive(const ProcessIdentity& identity) {
  // Without a boot id the identity cannot be told apart from a process of an earlier boot.
  if (identity.boot_id.empty() || identity.boot_id != CurrentBootId()) return false;
  std::optional<ProcessIdentity> now = ProcessIdentityOf(identity.pid);
  return now && now->start_ticks == identity.start_ticks;
}

}  // namespace guestbackup::platform
