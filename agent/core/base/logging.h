// Logging setup: spdlog to stderr (journald keeps it under systemd), every message masked by
// the secret masker. Logging never throws into our code.
#pragma once

#include <string>
#include <string_view>

#include "core/base/status.h"

namespace guestbackup {

// Level names: trace, debug, info, warn, error, off. Returns kInvalidArgument on an unknown name.
Status InitLogging(std::string_view level);

}  // namespace guestbackup
