// What started a run, as `guestbackup run --trigger` takes it and the history records it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guestbackup::contract {

enum class Trigger {
  kManual,   // `guestbackup run` by hand
  kTimer,    // a systemd timer (guestbackup@.service)
  kDaemon,   // guestbackup-daemon at a due time
  kCatchUp,  // guestbackup-daemon after boot or resume, for a missed due time
};

std::string_view TriggerName(Trigger trigger);  // "manual", "timer", "daemon", "catch-up"
std::optional<Trigger> ParseTrigger(std::string_view name);

// Every name, in the order above: what `guestbackup run --trigger` accepts.
std::vector<std::string> RunTriggerNames();

}  // namespace guestbackup::contract
