// See signals.h: on Windows a console control handler stands in for the signals. Ctrl+C and
// Ctrl+Break (and a console closing) set the flag, so a run started from a console stops kopia,
// runs its after hooks and records `interrupted` as on Linux. A service has no console: the
// service's own stop reaches its children through their Job Object (lean/process).
#include <windows.h>

#include "lean/contract/signals.h"

namespace guestbackup::contract {
namespace {

std::atomic<bool> g_interrupted{false};

BOOL WINAPI OnConsoleControl(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
      g_interrupted.store(true);
      return TRUE;  // handled: the process goes on to stop by itself
    default:
      return FALSE;
  }
}

}  // namespace

const std::atomic<bool>* InstallInterruptHandlers() {
  static const bool installed = SetConsoleCtrlHandler(OnConsoleControl, TRUE) != 0;
  (void)installed;
  return &g_interrupted;
}

}  // namespace guestbackup::contract
