// Asking systemd itself whether it would load the units an install is about to write: the
// policy check agrees with systemd's calendar syntax, but only systemd's own loader is the last
// word (its version on this machine may be older or newer than the rules we follow).
#pragma once

#include "full/systemd/systemd_host.h"
#include "full/systemd/unit_installer.h"
#include "lean/base/status.h"

namespace guestbackup::systemd {

// Runs `systemd-analyze verify` over the units `plan` leaves in place (the service template,
// each timer and the instance it starts), staged in a private directory before any is written,
// so a unit systemd would refuse is never installed, let alone enabled; schedule install asks
// when it is about to enable them on this machine. A policy error quoting systemd when it
// refuses; OK, and nothing run, when the plan writes nothing or only removes, and when
// systemd-analyze is not installed (no systemd to load them either).
Status VerifyPlannedUnits(const UnitPlan& plan, SystemdHost& host);

}  // namespace guestbackup::systemd
