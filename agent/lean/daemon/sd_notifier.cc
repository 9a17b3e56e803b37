#include <systemd/sd-daemon.h>

#include <cstdint>
#include <string>

#include "lean/daemon/notifier.h"

namespace guestbackup::daemon {

void SdNotifier::Notify(std::string_view state) {
  const std::string text(state);
  (void)sd_notify(0, text.c_str());
}

std::chrono::milliseconds SystemdWatchdogPeriod() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(usec));
}

}  // namespace guestbackup::daemon
