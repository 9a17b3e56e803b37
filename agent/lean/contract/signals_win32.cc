// See signals.h: on Windows a console control handler stands in for the signals. Ctrl+C and
// Ctrl+Break (and a console closing) set the flag, so a run started from a console stops kopia,
// runs its after hooks and records `interrupted` as on Linux. A guestbackup started by another
// (the service's children, a hook) has no console to hear: its parent's stop request is the
// named event process::Run() gives in kStopEventVariable, which a thread here waits on.
#include <windows.h>

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "lean/contract/signals.h"
#include "lean/platform/wide_text_win32.h"
#include "lean/process/process.h"

namespace guestbackup::contract {
namespace {

std::atomic<bool> g_interrupted{false};
// Set by RouteInterruptsToEvent(): the requests go there instead of to the flag.
std::atomic<HANDLE> g_route{nullptr};

void Interrupt() {
  if (HANDLE route = g_route.load(); route != nullptr) {
    SetEvent(route);
  } else {
    g_interrupted.store(true);
  }
}

BOOL WINAPI OnConsoleControl(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
      Interrupt();
      return TRUE;  // handled: the process goes on to stop by itself
    default:
      return FALSE;
  }
}

// The parent's stop event, when a parent named one. The variable is removed at once: a
// guestbackup this one starts gets an event of its own.
HANDLE TakeStopEventFromParent() {
  const char* value = std::getenv(process::kStopEventVariable);
  if (value == nullptr) return nullptr;
  const std::wstring name = platform::Utf8ToWide(value);
  SetEnvironmentVariableA(process::kStopEventVariable, nullptr);
  _putenv_s(process::kStopEventVariable, "");
  HANDLE event = OpenEventW(SYNCHRONIZE, FALSE, name.c_str());
  if (event == nullptr) {
    spdlog::warn("stop requests from the parent are not heard: {}: {}", platform::WideToUtf8(name),
                 platform::WindowsErrorText(GetLastError()));
  }
  return event;
}

bool Install() {
  SetConsoleCtrlHandler(OnConsoleControl, TRUE);
  if (HANDLE parent_stop = TakeStopEventFromParent(); parent_stop != nullptr) {
    // Detached: it lives as long as the process, blocked with no timeout.
    std::thread([parent_stop] {
      if (WaitForSingleObject(parent_stop, INFINITE) == WAIT_OBJECT_0) Interrupt();
    }).detach();
  }
  return true;
}

}  // namespace

const std::atomic<bool>* InstallInterruptHandlers() {
  static const bool installed = Install();
  (void)installed;
  return &g_interrupted;
}

void* RouteInterruptsToEvent() {
  static HANDLE const event = [] {
    HANDLE made = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    g_route.store(made);
    return made;
  }();
  InstallInterruptHandlers();
  return event;
}

}  // namespace guestbackup::contract
