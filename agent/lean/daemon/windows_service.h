// The daemon as the Windows service `guestbackup` (the msi installs it: packaging/msi): the
// service control manager starts `guestbackup-daemon.exe service`; a stop, a preshutdown or a
// shutdown becomes the daemon's stop request (running jobs get daemon.shutdown_grace, then
// are interrupted and recorded, as on Linux), a parameter change (`sc control guestbackup
// paramchange`) a reload; the daemon's READY and STOPPING become the service's running and
// stop-pending states. Its log goes to service.log in the default state directory, as no
// service manager keeps a Windows service's output.
#pragma once

#include "lean/base/status.h"
#include "lean/daemon/daemon.h"

namespace guestbackup::daemon {

// The service's name, as the msi registers it.
inline constexpr const wchar_t* kWindowsServiceName = L"guestbackup";

// Connects to the service control manager and runs the daemon until the service is stopped.
// The Status is the daemon's; kFailed at once when this process was not started by the service
// control manager.
Status RunAsWindowsService(DaemonOptions options);

}  // namespace guestbackup::daemon
