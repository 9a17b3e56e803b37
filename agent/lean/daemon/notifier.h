// What the daemon tells its service manager (sd_notify: READY, STATUS, WATCHDOG, RELOADING,
// STOPPING), behind an interface so the scheduler does not depend on systemd being there.
#pragma once

#include <chrono>
#include <string_view>

namespace guestbackup::daemon {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // `state` is one or more "KEY=value" lines. Never fails: a missing manager is not an error.
  virtual void Notify(std::string_view state) = 0;
};

// Sends one datagram to $NOTIFY_SOCKET (the sd_notify protocol, spoken without libsystemd);
// does nothing when it is unset.
class SdNotifier final : public Notifier {
 public:
  void Notify(std::string_view state) override;
};

// The watchdog period systemd asked for (WatchdogSec=, via $WATCHDOG_USEC for this pid), or
// zero when there is none. The daemon pings at half of it — the only time it wakes up with
// nothing to run.
std::chrono::milliseconds SystemdWatchdogPeriod();

}  // namespace guestbackup::daemon
