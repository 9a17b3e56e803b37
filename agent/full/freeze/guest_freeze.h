// Another tool's freeze of the whole guest — KubeVirt's, for a VM snapshot or an OADP/Velero
// backup, through qemu-guest-agent — as the agent sees it. qemu-ga marks
// <its state directory>/qga.state.isfrozen while the guest is frozen; its fsfreeze hook
// (packaging/qemu-ga, `guestbackup quiesce freeze|thaw`) marks our state directory from just
// before its freeze until just after its thaw, and runs the policy's `application_quiesce`
// hooks. A job's own `freeze` waits while either mark is there, and is skipped when they
// outlast its freeze_timeout: it never freezes over someone else's freeze.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "lean/base/status.h"

namespace guestbackup::freeze {

// The hook's mark, in the state directory: "hooks_started=N" (the quiesce before hooks that
// ran, whose after hooks the thaw owes).
inline constexpr std::string_view kGuestFrozenMark = "guest-frozen";
// qemu-ga's own mark, in its state directory (--statedir).
inline constexpr std::string_view kQgaFrozenMark = "qga.state.isfrozen";

// qemu-ga's state directory: $GUESTBACKUP_QGA_STATEDIR when set (a qemu-ga started with
// another --statedir), else its default, /var/run.
std::string QgaStateDir();

// Who holds the guest frozen now ("KubeVirt's guest agent (qemu-ga)", or its hook's mark), or
// nullopt.
std::optional<std::string> GuestFrozenBy(const std::string& state_dir,
                                         const std::string& qga_state_dir);

// Returns once neither mark is there, checking every 200 ms for at most `limit`; then a
// "not now" status (kAlreadyRunning: the run is recorded as skipped) that says who froze the
// guest and for how long it waited.
Status WaitForGuestThaw(const std::string& state_dir, const std::string& qga_state_dir,
                        std::chrono::milliseconds limit);

// The hook's mark: written (atomically, 0600) by `quiesce freeze`, and again with the count of
// before hooks that started; read and removed by `quiesce thaw`, which returns that count
// (0 when there was no mark).
Status MarkGuestFrozen(const std::string& state_dir, std::size_t hooks_started);
Result<std::size_t> ClearGuestFrozen(const std::string& state_dir);

}  // namespace guestbackup::freeze
