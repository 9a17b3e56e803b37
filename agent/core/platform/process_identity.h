// Identifies a process across pid reuse and reboots: pid + boot id + start time.
// The history uses it to tell a live `running` row from one whose process died.
#pragma once

#include <cstdint>
#include <string>

namespace guestbackup::platform {

struct ProcessIdentity {
  int pid = 0;
  std::string boot_id;          // /proc/sys/kernel/random/boot_id
  std::uint64_t start_ticks = 0;  // field 22 of /proc/<pid>/stat
};

ProcessIdentity CurrentProcessIdentity();

// True when that exact process (same boot, pid and start time) still exists.
bool IsProcessAlive(const ProcessIdentity& identity);

}  // namespace guestbackup::platform
