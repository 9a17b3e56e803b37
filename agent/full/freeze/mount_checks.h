// What may be frozen on this machine: a job's `freeze` entries must be mount points (freezing
// works on whole file systems), and none may be the file system of the state directory, where
// the history and kopia's cache are written during the snapshot. The policy file cannot say
// which is which; the machine can, when the job runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lean/base/status.h"

namespace guestbackup::freeze {

// The mount points listed in a /proc/self/mountinfo text (its fifth field, octal escapes such
// as "\040" for a space decoded).
std::vector<std::string> MountPointsOf(std::string_view mountinfo);

// OK when every one of `mounts` is in `mount_points` and lies on another file system than
// `state_dir`; otherwise a policy error naming the first that is not, and why.
Status CheckFreezable(const std::vector<std::string>& mounts,
                      const std::vector<std::string>& mount_points, const std::string& state_dir);

// The same against this machine's /proc/self/mountinfo.
Status CheckFreezable(const std::vector<std::string>& mounts, const std::string& state_dir);

}  // namespace guestbackup::freeze
