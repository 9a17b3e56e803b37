#include "full/systemd/unit_files.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "lean/contract/command_line.h"
#include "lean/contract/exit_codes.h"
#include "lean/contract/triggers.h"

namespace guestbackup::systemd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Time a stopped run needs besides its after hooks: kopia gets SIGTERM and 5 s before
// SIGKILL (process.h's kill_grace), then the history row and status files are written.
constexpr seconds kStopMargin{30};

bool IsPlainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("/._+,:@=-").find(c) != std::string_view::npos;
}

// One word of a unit-file setting. systemd splits on whitespace, unquotes "...", undoes C
// escapes and expands %-specifiers (in ExecStart= also $VARIABLES), so anything unusual is
// quoted and escaped rather than trusted to be a plain path.
std::string Word(std::string_view text, bool exec_line) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), IsPlainChar))
    return {text.begin(), text.end()};
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '%') {
      out += "%%";
    } else if (c == '$' && exec_line) {
      out += "$$";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
      out += hex;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Hooks (fsfreeze among them) and `freeze` (the FIFREEZE/FITHAW ioctls) need CAP_SYS_ADMIN.
bool PolicyFreezesOrHasHooks(const policy::Policy& policy) {
  return std::any_of(policy.jobs.begin(), policy.jobs.end(), [](const policy::JobSpec& job) {
    return !job.hooks.before.empty() || !job.hooks.after.empty() || !job.freeze.empty();
  });
}

// Long enough for the slowest job to be interrupted cleanly: its after hooks (a thaw among
// them) all run after SIGTERM, each up to its own timeout; and a `freeze` guard thaws on its
// own within freeze_timeout, so the SIGKILL that ends a stop, which reaches the guard too,
// never comes while a file system is frozen.
seconds StopTimeout(const policy::Policy& policy) {
  milliseconds longest{0};
  for (const auto& job : policy.jobs) {
    milliseconds sum{0};
    for (const auto& hook : job.hooks.after) sum += hook.timeout;
    if (!job.freeze.empty()) sum += job.freeze_timeout;
    longest = std::max(longest, sum);
  }
  return kStopMargin + std::chrono::ceil<seconds>(longest);
}

// The metrics textfile may live outside the state directory (node_exporter's collector
// directory); the run writes it atomically, so its directory must be writable.
std::string MetricsDirOutsideState(const policy::Policy& policy, const std::string& state_dir) {
  if (policy.metrics.textfile.empty()) return {};
  std::string dir = std::filesystem::path(policy.metrics.textfile).parent_path().string();
  if (dir == state_dir || dir.starts_with(state_dir + "/")) return {};
  return dir;
}

}  // namespace

std::string TimerUnitName(std::string_view job) {
  return std::string(kTimerPrefix) + std::string(job) + std::string(kTimerSuffix);
}

std::string ServiceInstanceName(std::string_view job) {
  return "guestbackup@" + std::string(job) + ".service";
}

std::string JobOfTimer(std::string_view timer_name) {
  if (!timer_name.starts_with(kTimerPrefix) || !timer_name.ends_with(kTimerSuffix) ||
      timer_name.size() <= kTimerPrefix.size() + kTimerSuffix.size()) {
    return "";
  }
  return std::string(timer_name.substr(
      kTimerPrefix.size(), timer_name.size() - kTimerPrefix.size() - kTimerSuffix.size()));
}

bool IsGuestbackupUnitName(std::string_view file_name) {
  if (file_name == kServiceTemplateName) return true;
  return file_name.size() > kTimerPrefix.size() + kTimerSuffix.size() &&
         file_name.starts_with(kTimerPrefix) && file_name.ends_with(kTimerSuffix);
}

bool HasUnitMarker(std::string_view content) {
  return content.starts_with(kUnitMarker) &&
         (content.size() == kUnitMarker.size() || content[kUnitMarker.size()] == '\n');
}

std::string FormatTimespan(seconds span) {
  if (span.count() <= 0) return "0";
  std::string out;
  auto part = [&](long long value, const char* unit) {
    if (value == 0) return;
    if (!out.empty()) out += ' ';
    out += std::to_string(value) + unit;
  };
  const long long total = span.count();
  part(total / 86400, "d");
  part(total % 86400 / 3600, "h");
  part(total % 3600 / 60, "min");
  part(total % 60, "s");
  return out;
}

std::string RenderTimer(const policy::JobSpec& job) {
  std::string t;
  t += std::string(kUnitMarker) + "\n";
  t += "# Rewritten by every `guestbackup schedule install`: change the policy, not this file.\n";
  t += "[Unit]\n";
  t += "Description=guestbackup schedule of job " + job.name + "\n";
  t += "\n[Timer]\n";
  // As written in the policy: the policy checker parsed it with the engine that agrees with
  // systemd-analyze calendar, and the user recognises their own spelling in `systemctl cat`.
  t += "OnCalendar=" + job.schedule + "\n";
  if (job.randomized_delay.count() > 0) {
    t += "RandomizedDelaySec=" + FormatTimespan(job.randomized_delay) + "\n";
    // The same delay every time for this machine and timer, like the daemon's jitter, so a
    // reboot does not draw a new one. With Persistent=yes a missed run still waits out this
    // delay after boot; a VM that never stays up that long needs a shorter randomized_delay.
    t += "FixedRandomDelay=yes\n";
  }
  // catch_up: after a boot or suspend that spanned a due time, run once at once.
  t += std::string("Persistent=") + (job.catch_up ? "yes" : "no") + "\n";
  t += "# On the second: the same times as `guestbackup schedule next` and the daemon.\n";
  // systemd's default of 1min coalesces wake-ups; a backup timer fires a few times a day at
  // most, so there is nothing to save, and firing on the second keeps the unit in step with
  // `guestbackup schedule next`, `status` and the daemon. Spreading load is
  // RandomizedDelaySec='s job, not the accuracy window's.
  t += "AccuracySec=1s\n";
  t += "Unit=" + ServiceInstanceName(job.name) + "\n";
  t += "\n[Install]\n";
  t += "WantedBy=timers.target\n";
  return t;
}

namespace {

// `guestbackup … run --trigger timer %i`, as the contract builds it for the daemon, each word
// quoted for systemd but the job's specifier. %i, not %I: job names are [a-z0-9_-], and
// unescaping would turn "-" into "/".
std::string ExecStartRun(const UnitSettings& settings) {
  contract::GlobalOptions options;
  options.agent.policy_path = settings.policy_path;
  options.agent.state_dir = settings.state_dir;
  options.agent.kopia_path = settings.kopia_path;
  contract::RunArguments run;
  run.job = "%i";
  run.trigger = contract::TriggerName(contract::Trigger::kTimer);
  const std::vector<std::string> argv = contract::RunArgv(settings.binary_path, options, run);
  std::string line;
  for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
    line += (i == 0 ? "" : " ") + Word(argv[i], true);
  }
  return line + " " + argv.back();
}

}  // namespace

std::string RenderService(const policy::Policy& policy, const UnitSettings& settings) {
  const bool hooks = PolicyFreezesOrHasHooks(policy);
  std::string s;
  s += std::string(kUnitMarker) + "\n";
  s += "# Rewritten by every `guestbackup schedule install`. Local additions (a hook that writes\n";
  s += "# outside the state directory needs ReadWritePaths=, one that switches users needs\n";
  s += "# CAP_SETUID CAP_SETGID, device-level snapshots need PrivateDevices=no) belong in a\n";
  s += "# drop-in: systemctl edit guestbackup@.service. Drop-ins survive reinstalls.\n";
  s += "[Unit]\n";
  s += "Description=guestbackup backup run of job %i\n";
  s += "Wants=network-online.target\n";
  s += "After=network-online.target\n";

  s += "\n[Service]\n";
  s += "Type=oneshot\n";
  s += "ExecStart=" + ExecStartRun(settings) + "\n";
  // A run started by hand held the job's lock; the history records this one as skipped.
  s += "SuccessExitStatus=" + std::to_string(contract::kExitAlreadyRunning) + "\n";
  s += "SyslogIdentifier=guestbackup\n";
  // SIGTERM goes to the agent alone: it stops kopia, runs the after hooks (a thaw must not be
  // killed half-way) and records the run as interrupted. Only then does SIGKILL hit the rest.
  s += "# Stopping: SIGTERM to the agent alone, which stops kopia, runs the after hooks and\n";
  s += "# records the run as interrupted, all within TimeoutStopSec (the longest chain of\n";
  s += "# after hooks plus 30s).\n";
  s += "KillMode=mixed\n";
  s += "TimeoutStopSec=" + FormatTimespan(StopTimeout(policy)) + "\n";
  // Lowest best-effort I/O class rather than "idle", which a busy guest can starve forever.
  s += "Nice=10\n";
  s += "IOSchedulingClass=best-effort\n";
  s += "IOSchedulingPriority=7\n";
  s += "UMask=0077\n";

  s += "\n# Reads every file, writes only its state directory.\n";
  s += "ProtectSystem=strict\n";
  s += "ReadWritePaths=" + Word(settings.state_dir, false);
  if (const std::string metrics = MetricsDirOutsideState(policy, settings.state_dir);
      !metrics.empty()) {
    // "-": a missing collector directory must not stop the backup.
    s += " " + Word("-" + metrics, false);
  }
  s += "\n";
  s += "ProtectHome=read-only\n";
  s += "PrivateTmp=yes\n";
  s += "PrivateDevices=yes\n";
  s += "PrivateMounts=yes\n";
  // CAP_DAC_READ_SEARCH: read any file and list any directory, whatever its mode. No
  // CAP_DAC_OVERRIDE (nothing is written outside the root-owned state directory), no
  // CAP_FOWNER (kopia does not open with O_NOATIME), no CAP_CHOWN (restores do not run here).
  if (hooks) {
    // CAP_SYS_ADMIN: the FIFREEZE/FITHAW ioctls, of `freeze` or of fsfreeze in a hook.
    s += "# CAP_DAC_READ_SEARCH reads every file; CAP_SYS_ADMIN freezes file systems\n";
    s += "# (`freeze`, or fsfreeze in a hook).\n";
    s += "CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_ADMIN\n";
  } else {
    s += "# CAP_DAC_READ_SEARCH reads every file. (No hooks, no freeze: nothing else.)\n";
    s += "CapabilityBoundingSet=CAP_DAC_READ_SEARCH\n";
  }
  s += "NoNewPrivileges=yes\n";
  s += "ProtectKernelTunables=yes\n";
  s += "ProtectKernelModules=yes\n";
  s += "ProtectKernelLogs=yes\n";
  s += "ProtectControlGroups=yes\n";
  s += "ProtectClock=yes\n";
  s += "ProtectHostname=yes\n";
  // Not ProtectProc=invisible: the history's crash recovery must see a run started by hand
  // (full capabilities) to know it is still alive. Not ProcSubset=pid: the boot id lives in
  // /proc/sys. Not MemoryDenyWriteExecute=: hooks may run JIT-compiled tools.
  s += "RestrictSUIDSGID=yes\n";
  s += "RestrictRealtime=yes\n";
  s += "RestrictNamespaces=yes\n";
  s += "LockPersonality=yes\n";
  // AF_NETLINK: glibc's getaddrinfo(AI_ADDRCONFIG) asks the kernel which address families
  // are configured before resolving the server and webhook hosts.
  s += "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK\n";
  s += "SystemCallArchitectures=native\n";
  s += "SystemCallFilter=@system-service\n";
  s += "SystemCallErrorNumber=EPERM\n";
  return s;
}

std::vector<UnitFile> RenderUnits(const policy::Policy& policy, const UnitSettings& settings) {
  std::vector<UnitFile> units;
  units.push_back({std::string(kServiceTemplateName), RenderService(policy, settings)});
  for (const auto& job : policy.jobs) {
    if (!job.schedule.empty()) units.push_back({TimerUnitName(job.name), RenderTimer(job)});
  }
  return units;
}

}  // namespace guestbackup::systemd
