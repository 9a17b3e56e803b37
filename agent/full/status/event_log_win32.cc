#include "full/status/event_log.h"

#include <windows.h>

#include <spdlog/spdlog.h>

#include <array>

#include "event_messages.h"  // windmc's, generated from event_messages.mc
#include "lean/platform/wide_text_win32.h"

namespace guestbackup::status {

std::optional<RunEvent> RunEventFor(contract::RunStatus status) {
  using contract::RunStatus;
  switch (status) {
    case RunStatus::kSucceeded:
      return RunEvent{MSG_RUN_SUCCEEDED, EventType::kInformation};
    case RunStatus::kPartial:
      return RunEvent{MSG_RUN_PARTIAL, EventType::kWarning};
    case RunStatus::kFailed:
      return RunEvent{MSG_RUN_FAILED, EventType::kError};
    case RunStatus::kInterrupted:
      return RunEvent{MSG_RUN_INTERRUPTED, EventType::kWarning};
    case RunStatus::kSkipped:
      return RunEvent{MSG_RUN_SKIPPED, EventType::kWarning};
    case RunStatus::kRunning:
      break;
  }
  return std::nullopt;
}

namespace {

WORD ReportEventType(EventType type) {
  switch (type) {
    case EventType::kWarning:
      return EVENTLOG_WARNING_TYPE;
    case EventType::kError:
      return EVENTLOG_ERROR_TYPE;
    case EventType::kInformation:
      break;
  }
  return EVENTLOG_INFORMATION_TYPE;
}

}  // namespace

void ReportRunEvent(const std::string& job, std::int64_t run_id, contract::RunStatus status,
                    const std::string& message) {
  const std::optional<RunEvent> event = RunEventFor(status);
  if (!event) return;
  HANDLE source = RegisterEventSourceW(nullptr, kEventSource);
  if (source == nullptr) {
    spdlog::warn("job {}: no Event Log event: cannot open the event source: {}", job,
                 platform::WindowsErrorText(GetLastError()));
    return;
  }
  const std::wstring wide_job = platform::Utf8ToWide(job);
  const std::wstring wide_run = std::to_wstring(run_id);
  // An insertion string may hold at most 31,839 characters; a summary listing many failures
  // is cut well before that rather than lose the event.
  constexpr std::size_t kMaxMessageChars = 8000;
  std::wstring wide_message = platform::Utf8ToWide(message);
  if (wide_message.size() > kMaxMessageChars) {
    wide_message.resize(kMaxMessageChars);
    if (IS_HIGH_SURROGATE(wide_message.back())) wide_message.pop_back();  // half a character
    wide_message += L"…";
  }
  std::array<LPCWSTR, 3> strings = {wide_job.c_str(), wide_run.c_str(), wide_message.c_str()};
  if (!ReportEventW(source, ReportEventType(event->type), 0, event->message_id, nullptr,
                    static_cast<WORD>(strings.size()), 0, strings.data(), nullptr)) {
    spdlog::warn("job {}: no Event Log event: {}", job, platform::WindowsErrorText(GetLastError()));
  }
  DeregisterEventSource(source);
}

}  // namespace guestbackup::status
