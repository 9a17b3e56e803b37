// The outcome of one backup run, as the history stores it, `guestbackup run` exits with it
// (exit_codes.h) and the daemon reads it back from a child's exit code.
#pragma once

#include <optional>
#include <string_view>

namespace guestbackup::contract {

enum class RunStatus { kRunning, kSucceeded, kPartial, kFailed, kSkipped, kInterrupted };

std::string_view RunStatusName(RunStatus status);  // "running", "succeeded", ...
std::optional<RunStatus> ParseRunStatus(std::string_view name);

}  // namespace guestbackup::contract
