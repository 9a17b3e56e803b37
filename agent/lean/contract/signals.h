// SIGINT/SIGTERM/SIGHUP set a flag instead of killing the agent, so a run can stop kopia,
// still run its after hooks, and record `interrupted`. The daemon routes them to a pipe
// instead, where SIGHUP means "reload the policy". On Windows, Ctrl+C and Ctrl+Break of a
// console, or the stop event a parent's process::Run() gives, set the flag (signals_win32.cc).
#pragma once

#include <atomic>

namespace guestbackup::contract {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>* InstallInterruptHandlers();

#if !defined(_WIN32)
// For `guestbackup daemon`: installs the handlers if needed, and from then on each SIGINT or
// SIGTERM also writes 'T' and each SIGHUP writes 'H' (instead of setting the flag) to a pipe,
// whose read end (non-blocking, close-on-exec) is returned, so a thread blocked in poll()
// wakes. The same fd on every call; -1 when no pipe could be made.
int RouteSignalsToPipe();
#else
// For the daemon in a console: installs the handlers if needed, and from then on Ctrl+C,
// Ctrl+Break, a closing console and the parent's stop request set the returned manual-reset
// event (a HANDLE) instead of the flag. The same event on every call; null when none could be
// made.
void* RouteInterruptsToEvent();
#endif

}  // namespace guestbackup::contract
