// Identifies a process across pid reuse and reboots: pid + boot id + start time.
// The history uses it to tell a live `running` row from one whose process died.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace guestbackup::platform {

struct ProcessIdentity {
  int pid = 0;
  // Linux: /proc/sys/kernel/random/boot_id; Windows: "boot-" and the boot time.
  std::string boot_id;
  // Linux: field 22 of /proc/<pid>/stat; Windows: the creation time (100 ns since 1601).
  std::uint64_t start_ticks = 0;
};

// The calling process's pid (getpid, GetCurrentProcessId).
int CurrentProcessId();

// The identity of the calling process. boot_id is "" and start_ticks 0 when /proc cannot be
// read; such an identity never counts as alive, so a run cannot be mistaken for a live one.
ProcessIdentity CurrentProcessIdentity();

// The identity of process `pid`, or nullopt when it does not exist (or is a zombie).
std::optional<ProcessIdentity> ProcessIdentityOf(int pid);

// The kernel's id of the current boot, trimmed; "" when it cannot be read. Read once: it
// cannot change while the process lives.
std::string CurrentBootId();

// True when that exact process (same boot, pid and start time) still exists and is not a zombie.
bool IsProcessAlive(const ProcessIdentity& identity);

#ifdef __linux__
// The parts of a /proc/<pid>/stat line the liveness check needs. Exposed for tests.
struct ProcStat {
  char state = '?';               // field 3: R, S, D, Z, X, ...
  int ppid = 0;                   // field 4: the parent (after reparenting, the adopter)
  std::uint64_t start_ticks = 0;  // field 22: start time in clock ticks after boot
};

// Parses a /proc/<pid>/stat line; nullopt when it is malformed. The command name (field 2)
// may itself contain spaces and parentheses, so fields are counted after the last ')'.
std::optional<ProcStat> ParseProcStat(std::string_view line);

// /proc/<pid>/stat parsed; nullopt when the process is gone or the line is malformed.
std::optional<ProcStat> ReadProcStat(int pid);
#endif

}  // namespace guestbackup::platform
