// Each finished run as an event in the Windows Event Log, source `guestbackup` (registered by the
// msi): one event id per outcome, so monitoring tools can key on it, with the texts of the
// message table compiled into guestbackup.exe (event_messages.mc). Windows only; on Linux the
// same line reaches the journal through the log (lean/base/logging.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lean/contract/run_status.h"

namespace guestbackup::status {

// The event source's name: the registry key the msi creates under EventLog\Application.
inline constexpr wchar_t kEventSource[] = L"guestbackup";

enum class EventType { kInformation, kWarning, kError };

struct RunEvent {
  std::uint32_t message_id = 0;  // as the message table numbers it (severity in the top bits)
  EventType type = EventType::kInformation;
};

// The event for a run's final status; nullopt for `running`, which is never final.
std::optional<RunEvent> RunEventFor(contract::RunStatus status);

// Writes the run's event. A failure is logged, never returned: nothing here fails a run.
void ReportRunEvent(const std::string& job, std::int64_t run_id, contract::RunStatus status,
                    const std::string& message);

}  // namespace guestbackup::status
