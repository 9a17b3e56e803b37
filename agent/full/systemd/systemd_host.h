// The running systemd, as far as installing timers needs it: is it this machine's init, and
// run systemctl / systemd-analyze. An interface so tests can record the calls in order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lean/base/status.h"

namespace guestbackup::systemd {

class SystemdHost {
 public:
  virtual ~SystemdHost() = default;
  // True when systemd is the running init (its runtime directory exists).
  virtual bool Running() const = 0;
  // Runs argv (e.g. {"systemctl", "daemon-reload"}) to completion. Returns its stdout on exit
  // 0; kFailed naming the command and quoting stderr's tail otherwise; kNotFound when the
  // program is missing.
  virtual Result<std::string> Run(const std::vector<std::string>& argv) = 0;
};

// This machine's systemd. `runtime_dir` is checked for Running().
std::unique_ptr<SystemdHost> NewLocalSystemdHost(std::string runtime_dir = "/run/systemd/system");

// The unit directories systemd loads from (`systemd-analyze unit-paths`).
Result<std::vector<std::string>> UnitSearchPaths(SystemdHost& host);

// True when `dir` (after resolving symlinks) is one of `search_paths`.
bool IsSearchPath(const std::string& dir, const std::vector<std::string>& search_paths);

// What `systemctl show` says about a timer, as systemd formats it ("" when unknown).
struct TimerState {
  std::string next_elapse;      // NextElapseUSecRealtime, e.g. "Tue 2026-09-01 02:14:37 UTC"
  std::string last_trigger;     // LastTriggerUSec
  std::string active_state;     // ActiveState: active, inactive, failed ...
  std::string unit_file_state;  // UnitFileState: enabled, disabled ...
};

// The systemctl argv that TimerStateFromShow() parses the output of.
std::vector<std::string> ShowTimerArgv(const std::string& timer_unit);

// Parses `systemctl show -p ...` output (Key=Value lines). "n/a" counts as unknown.
TimerState TimerStateFromShow(const std::string& output);

}  // namespace guestbackup::systemd
