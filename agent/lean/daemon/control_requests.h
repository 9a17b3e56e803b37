// How stop and reload requests reach the daemon from outside: on Linux the pipe the signal
// handlers write 'H' (reload, SIGHUP) or 'T' (stop, SIGTERM/SIGINT) to (contract/signals.h);
// on Windows two events that the service's control handler, or a console's Ctrl+C handler,
// sets (the daemon resets them once it has seen them).
#pragma once

namespace guestbackup::daemon {

struct ControlRequests {
#if defined(_WIN32)
  void* stop_event = nullptr;  // HANDLEs; null when nothing sends that request
  void* reload_event = nullptr;
#else
  int signal_fd = -1;  // the pipe's read end; -1 when there is none
#endif
};

}  // namespace guestbackup::daemon
