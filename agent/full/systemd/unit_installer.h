// Bringing a unit directory in line with the policy: plan (what to create, update, remove,
// leave alone), then apply — files first-hand, timers through systemctl when systemd runs
// and loads that directory. Planning reads only; a dry run prints the plan and stops.
#pragma once

#include <string>
#include <vector>

#include "full/systemd/systemd_host.h"
#include "full/systemd/unit_files.h"
#include "lean/base/status.h"

namespace guestbackup::systemd {

enum class UnitAction {
  kKeep,    // present with exactly the wanted content
  kCreate,  // missing
  kUpdate,  // ours, with other content
  kRemove,  // ours, and no longer wanted
};

// "create", "update", "remove", "keep".
const char* UnitActionName(UnitAction action);

struct UnitChange {
  UnitAction action = UnitAction::kKeep;
  std::string name;         // "guestbackup-etc.timer"
  std::string path;         // unit_dir + "/" + name
  std::string old_content;  // kUpdate, kRemove, kKeep
  std::string new_content;  // kCreate, kUpdate, kKeep
};

using Argv = std::vector<std::string>;

struct UnitPlan {
  std::string unit_dir;
  std::vector<UnitChange> units;  // wanted units in render order, then removals by name
  // Files with one of our names but without our marker: never touched, only reported.
  std::vector<std::string> foreign;
  std::vector<std::string> enable_timers;   // after the files: enable --now
  std::vector<std::string> disable_timers;  // before the files go: disable --now

  bool ChangesFiles() const;
};

// Compares `unit_dir` with `wanted`. A wanted name already taken by a file without our
// marker is kPermissionDenied (naming every such file): nothing may be planned around it.
// A missing unit_dir plans every unit as created.
Result<UnitPlan> PlanInstall(const std::string& unit_dir, const std::vector<UnitFile>& wanted);

// Plans removing every unit of ours from `unit_dir` (marked files only).
Result<UnitPlan> PlanRemove(const std::string& unit_dir);

enum class UnitFileStatus {
  kMissing,
  kCurrent,   // ours, with exactly the wanted content
  kOutdated,  // ours, with other content: install would update it
  kForeign,   // not written by guestbackup (or masked)
};

// "missing", "current", "outdated", "not ours".
const char* UnitFileStatusName(UnitFileStatus status);

// How the file at `path` compares with `wanted_content`. Unreadable files count as foreign.
UnitFileStatus InspectUnitFile(const std::string& path, const std::string& wanted_content);

// What systemctl is asked to do around the file changes, and why or why not.
struct Activation {
  bool enabled = false;            // systemd runs and loads unit_dir
  std::string reason;              // when not: "systemd is not running" / "<dir> is not ..."
  std::vector<Argv> before_files;  // disable --now of timers whose files go away
  std::vector<Argv> after_files;   // daemon-reload (when files changed), enable --now
};

// Decides the systemctl calls for `plan`: none unless `host` runs systemd and its unit search
// path contains plan.unit_dir. Fails only when systemd runs but cannot be asked its paths.
Result<Activation> PlanActivation(const UnitPlan& plan, SystemdHost& host);

// Runs activation.before_files, writes and removes the planned files (each write to a temp
// name, then rename; mode 0644), then activation.after_files. Stops at the first failure,
// naming the file or command.
Status ApplyPlan(const UnitPlan& plan, const Activation& activation, SystemdHost& host);

}  // namespace guestbackup::systemd
