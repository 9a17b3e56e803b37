// The processes a child started that left its process group — through setsid(), a daemon's
// double fork, or a parent that died and let them be reparented — so a timeout or cancel can
// end all of them, not just the group. Every child carries a marker in its environment (kept
// across fork, exec and setsid); a descendant that cleared its environment is still found
// through its parent while that one lives.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace guestbackup::process {

// The variable every child gets; a child's own children append their marker to it, so a
// process is found by any Run() above it.
inline constexpr std::string_view kTreeMarkerVariable = "GUESTBACKUP_PROCESS_TREE";

// A new marker, unique to this process and call ("<pid>.<count>.<random hex>").
std::string NewTreeMarker();

// The value `kTreeMarkerVariable` should have in the child: `inherited` (the value in our own
// environment, "" when unset) followed by `marker`.
std::string TreeMarkerValue(std::string_view inherited, std::string_view marker);

struct TreeMember {
  pid_t pid = 0;
  std::uint64_t start_ticks = 0;  // to tell it from a later process with the same pid
};

// Every live process (not zombies) whose environment holds `marker`, whose ancestor is `root`,
// or whose ancestor is one of those; `root` itself included while it lives. Reads /proc.
std::vector<TreeMember> FindTree(pid_t root, std::string_view marker);

// Sends `signal` to each member that is still the same process (through a pidfd, so a pid
// reused since FindTree is never signalled).
void SignalTree(const std::vector<TreeMember>& members, int signal);

}  // namespace guestbackup::process
