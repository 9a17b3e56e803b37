// The Event Log's side of a run, under wine: each final status has its own event id (the low 16
// bits Event Viewer shows, 1000-1004) and a type that agrees with the message table's severity,
// and the message table compiled into the executable formats each event's text. wine's
// ReportEventW writes to its debug channel rather than a log, so the events themselves are seen
// by scripts/e2e-windows (WINEDEBUG=+eventlog), not here.
#include "full/status/event_log.h"

#include <windows.h>

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "lean/platform/wide_text_win32.h"

namespace guestbackup::status {
namespace {

using contract::RunStatus;

// The event's text as Event Viewer shows it: the message table of this executable, with the
// three insertion strings ReportRunEvent gives.
std::string Formatted(const RunEvent& event, const std::wstring& job, const std::wstring& run,
                      const std::wstring& message) {
  std::array<DWORD_PTR, 3> args = {reinterpret_cast<DWORD_PTR>(job.c_str()),
                                   reinterpret_cast<DWORD_PTR>(run.c_str()),
                                   reinterpret_cast<DWORD_PTR>(message.c_str())};
  wchar_t buffer[1024];
  const DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                                 GetModuleHandleW(nullptr), event.message_id, 0, buffer,
                                 static_cast<DWORD>(std::size(buffer)),
                                 reinterpret_cast<va_list*>(args.data()));
  if (n == 0) return "(FormatMessageW failed: " + std::to_string(GetLastError()) + ")";
  return platform::WideToUtf8(std::wstring_view(buffer, n));
}

int Severity(const RunEvent& event) { return static_cast<int>(event.message_id >> 30); }

TEST(EventLog, EachFinalStatusHasItsOwnEventIdAndType) {
  struct Case {
    RunStatus status;
    unsigned id;
    EventType type;
    int severity;  // the message table's: 1 informational, 2 warning, 3 error
  };
  const Case cases[] = {
      {RunStatus::kSucceeded, 1000, EventType::kInformation, 1},
      {RunStatus::kPartial, 1001, EventType::kWarning, 2},
      {RunStatus::kFailed, 1002, EventType::kError, 3},
      {RunStatus::kInterrupted, 1003, EventType::kWarning, 2},
      {RunStatus::kSkipped, 1004, EventType::kWarning, 2},
  };
  for (const Case& c : cases) {
    const std::optional<RunEvent> event = RunEventFor(c.status);
    ASSERT_TRUE(event.has_value()) << contract::RunStatusName(c.status);
    EXPECT_EQ(event->message_id & 0xFFFF, c.id) << contract::RunStatusName(c.status);
    EXPECT_EQ(event->type, c.type) << contract::RunStatusName(c.status);
    EXPECT_EQ(Severity(*event), c.severity) << contract::RunStatusName(c.status);
  }
  EXPECT_FALSE(RunEventFor(RunStatus::kRunning).has_value());
}

TEST(EventLog, TheMessageTableInTheExecutableFormatsEachEvent) {
  EXPECT_EQ(
      Formatted(*RunEventFor(RunStatus::kSucceeded), L"users", L"42", L"1 snapshot, 3 files, 30 B"),
      "The backup job users succeeded (run 42): 1 snapshot, 3 files, 30 B\r\n");
  EXPECT_EQ(Formatted(*RunEventFor(RunStatus::kPartial), L"users", L"43",
                      L"1 file failed: C:\\Users\\a\\NTUSER.DAT (in use)"),
            "The backup job users saved its snapshots, but some files could not be read (run 43): "
            "1 file failed: C:\\Users\\a\\NTUSER.DAT (in use)\r\n");
  EXPECT_EQ(Formatted(*RunEventFor(RunStatus::kFailed), L"users", L"44", L"100% down"),
            "The backup job users failed (run 44): 100% down\r\n");
  EXPECT_EQ(Formatted(*RunEventFor(RunStatus::kInterrupted), L"users", L"45",
                      L"interrupted by a stop request"),
            "The backup job users was interrupted before it finished (run 45): interrupted by a "
            "stop request\r\n");
  EXPECT_EQ(Formatted(*RunEventFor(RunStatus::kSkipped), L"users", L"46",
                      L"the previous run is still going"),
            "The backup job users was skipped (run 46): the previous run is still going\r\n");
}

}  // namespace
}  // namespace guestbackup::status
