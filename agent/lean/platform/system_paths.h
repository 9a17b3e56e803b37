// Where the agent keeps its files unless told otherwise: the policy file and the state
// directory (history, locks, kopia's configuration and cache). On Linux the FHS places,
// /etc/guestbackup/policy.yaml and /var/lib/guestbackup; on Windows under the machine's
// ProgramData folder (C:\ProgramData unless moved), guestbackup\policy.yaml and
// guestbackup\state.
#pragma once

#include <string>

namespace guestbackup::platform {

std::string DefaultPolicyPath();
std::string DefaultStateDir();

}  // namespace guestbackup::platform
