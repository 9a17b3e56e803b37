// sd_notify spoken directly: the protocol is one datagram of "KEY=value" lines to the AF_UNIX
// socket $NOTIFY_SOCKET names — a path, or with a leading '@' an abstract name — and the
// watchdog is $WATCHDOG_USEC for the pid in $WATCHDOG_PID (sd_notify(3), sd_watchdog_enabled(3)).
// Linking libsystemd instead would tie the shipped binary to one distribution's libsystemd and
// glibc for these twenty lines; systemd's other notify transports (vsock) are for VMs' own
// service managers talking to a hypervisor, not for a service inside the guest.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>

#include "lean/daemon/notifier.h"
#include "lean/process/unique_fd_posix.h"

namespace guestbackup::daemon {
namespace {

std::string_view Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string_view() : std::string_view(value);
}

// A whole decimal number, or nullopt.
std::optional<std::uint64_t> ParseDecimal(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

void SdNotifier::Notify(std::string_view state) {
  const std::string_view name = Env("NOTIFY_SOCKET");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (name.size() < 2 || name.size() >= sizeof address.sun_path ||
      (name.front() != '/' && name.front() != '@')) {
    return;  // unset, or a transport this daemon does not speak
  }
  name.copy(address.sun_path, name.size());
  socklen_t length = offsetof(sockaddr_un, sun_path) + name.size();
  if (name.front() == '@') {
    address.sun_path[0] = '\0';  // an abstract name is exactly its bytes, no terminator
  } else {
    ++length;
  }
  const process::UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return;
  // A missing or full manager is not the daemon's failure: the message is dropped.
  (void)sendto(fd.get(), state.data(), state.size(), MSG_NOSIGNAL,
               reinterpret_cast<const sockaddr*>(&address), length);
}

std::chrono::milliseconds SystemdWatchdogPeriod() {
  // WATCHDOG_PID names the process the watchdog is for; a child that inherited the variables
  // from its parent must not ping for it.
  if (const std::string_view pid = Env("WATCHDOG_PID"); !pid.empty()) {
    const std::optional<std::uint64_t> owner = ParseDecimal(pid);
    if (!owner || *owner != static_cast<std::uint64_t>(getpid())) {
      return std::chrono::milliseconds(0);
    }
  }
  const std::optional<std::uint64_t> usec = ParseDecimal(Env("WATCHDOG_USEC"));
  if (!usec || *usec == 0 ||
      *usec > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::microseconds(static_cast<std::int64_t>(*usec)));
}

}  // namespace guestbackup::daemon
