// Volume shadow copies through kopia's own policy (`policy set --enable-volume-shadow-copy`):
// kopia makes a copy of the path's volume before its snapshot, reads the files from it and
// removes it after. Whether it did is said only in kopia's log lines on stderr, so that is where
// the agent learns it (strings of kopia v0.23.1's snapshot/upload).
#pragma once

#include <string>
#include <string_view>

#include "lean/policy/policy.h"

namespace guestbackup::kopia {

// kopia's mode for a job's `snapshot:`: "always", "when-available", "never"; "" leaves the
// source inheriting, where no shadow copies exist (kopia ignores the setting there anyway, and
// an unset policy costs no `policy set`).
std::string ShadowCopyModeFor(policy::SnapshotMode mode);

// What one `snapshot create` did about a shadow copy.
struct ShadowCopyReport {
  bool tried = false;     // kopia set out to make one
  bool used = false;      // the files were read from one
  std::string copy_id;    // kopia's id of the copy, when used
  std::string fell_back;  // why none was made, when kopia read the live files instead

  // Reads one line kopia wrote to stderr (markers count only at a line's start).
  void Observe(std::string_view line);
};

}  // namespace guestbackup::kopia
