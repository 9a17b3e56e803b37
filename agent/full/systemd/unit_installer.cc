#include "full/systemd/unit_installer.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "lean/platform/atomic_file.h"

namespace guestbackup::systemd {
namespace {

namespace fs = std::filesystem;

struct ExistingUnit {
  std::string path;
  std::string content;
  bool ours = false;
  bool masked = false;  // a symlink to /dev/null (systemctl mask)
};

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Our names in `dir`, by name. A missing directory has none.
Result<std::map<std::string, ExistingUnit>> ScanUnitDir(const std::string& dir) {
  std::map<std::string, ExistingUnit> found;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return found;
  fs::directory_iterator it(dir, ec);
  if (ec) return IoError("cannot list " + dir + ": " + ec.message());
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (!IsGuestbackupUnitName(name)) continue;
    ExistingUnit unit;
    unit.path = entry.path().string();
    if (entry.is_symlink(ec) && fs::read_symlink(entry.path(), ec) == "/dev/null") {
      unit.masked = true;
    } else if (entry.is_regular_file(ec)) {
      auto content = ReadWholeFile(unit.path);
      if (!content.ok()) return content.status();
      unit.content = std::move(content).value();
      unit.ours = HasUnitMarker(unit.content);
    }
    found.emplace(name, std::move(unit));
  }
  return found;
}

std::string Describe(const std::string& path, const ExistingUnit& unit) {
  return path + (unit.masked ? " (masked)" : "");
}

bool IsTimer(const std::string& name) { return name != kServiceTemplateName; }

Status RunAll(const std::vector<Argv>& commands, SystemdHost& host) {
  for (const auto& argv : commands) {
    auto result = host.Run(argv);
    if (!result.ok()) return result.status();
  }
  return Status::Ok();
}

}  // namespace

const char* UnitActionName(UnitAction action) {
  switch (action) {
    case UnitAction::kKeep:
      return "keep";
    case UnitAction::kCreate:
      return "create";
    case UnitAction::kUpdate:
      return "update";
    case UnitAction::kRemove:
      return "remove";
  }
  return "?";
}

bool UnitPlan::ChangesFiles() const {
  return std::any_of(units.begin(), units.end(),
                     [](const UnitChange& u) { return u.action != UnitAction::kKeep; });
}

Result<UnitPlan> PlanInstall(const std::string& unit_dir, const std::vector<UnitFile>& wanted) {
  auto existing = ScanUnitDir(unit_dir);
  if (!existing.ok()) return existing.status();
  UnitPlan plan;
  plan.unit_dir = unit_dir;
  std::vector<std::string> blocked;
  for (const auto& unit : wanted) {
    UnitChange change;
    change.name = unit.name;
    change.path = (fs::path(unit_dir) / unit.name).string();
    change.new_content = unit.content;
    const auto found = existing->find(unit.name);
    if (found == existing->end()) {
      change.action = UnitAction::kCreate;
    } else if (!found->second.ours) {
      blocked.push_back(Describe(change.path, found->second));
      continue;
    } else {
      change.old_content = found->second.content;
      change.action = change.old_content == unit.content ? UnitAction::kKeep : UnitAction::kUpdate;
    }
    if (IsTimer(unit.name)) plan.enable_timers.push_back(unit.name);
    plan.units.push_back(std::move(change));
  }
  if (!blocked.empty()) {
    std::string list;
    for (const auto& b : blocked) list += "\n  " + b;
    return PermissionDenied(
        "refusing to replace unit files that guestbackup did not write (their first line is "
        "not \"" +
        std::string(kUnitMarker) + "\"); move them away or rename the job:" + list);
  }
  for (const auto& entry : *existing) {  // std::map: sorted by name
    const auto& [name, unit] = entry;
    const bool is_wanted =
        std::ranges::any_of(wanted, [&entry](const UnitFile& w) { return w.name == entry.first; });
    if (is_wanted) continue;
    if (!unit.ours) {
      plan.foreign.push_back(Describe(unit.path, unit));
      continue;
    }
    plan.units.push_back({UnitAction::kRemove, name, unit.path, unit.content, ""});
    if (IsTimer(name)) plan.disable_timers.push_back(name);
  }
  return plan;
}

Result<UnitPlan> PlanRemove(const std::string& unit_dir) { return PlanInstall(unit_dir, {}); }

const char* UnitFileStatusName(UnitFileStatus status) {
  switch (status) {
    case UnitFileStatus::kMissing:
      return "missing";
    case UnitFileStatus::kCurrent:
      return "current";
    case UnitFileStatus::kOutdated:
      return "outdated";
    case UnitFileStatus::kForeign:
      return "not ours";
  }
  return "?";
}

UnitFileStatus InspectUnitFile(const std::string& path, const std::string& wanted_content) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return UnitFileStatus::kMissing;
  auto content = ReadWholeFile(path);
  if (!content.ok() || !HasUnitMarker(*content)) return UnitFileStatus::kForeign;
  return *content == wanted_content ? UnitFileStatus::kCurrent : UnitFileStatus::kOutdated;
}

Result<Activation> PlanActivation(const UnitPlan& plan, SystemdHost& host) {
  Activation activation;
  if (!host.Running()) {
    activation.reason = "systemd is not running on this machine";
    return activation;
  }
  auto paths = UnitSearchPaths(host);
  if (!paths.ok()) return paths.status();
  if (!IsSearchPath(plan.unit_dir, *paths)) {
    activation.reason = plan.unit_dir + " is not in systemd's unit search path";
    return activation;
  }
  activation.enabled = true;
  if (!plan.disable_timers.empty()) {
    Argv disable = {"systemctl", "disable", "--now"};
    disable.insert(disable.end(), plan.disable_timers.begin(), plan.disable_timers.end());
    activation.before_files.push_back(std::move(disable));
  }
  if (plan.ChangesFiles()) activation.after_files.push_back({"systemctl", "daemon-reload"});
  if (!plan.enable_timers.empty()) {
    // Also for unchanged timers: install means "these timers run", even after a manual
    // disable. Enabling an enabled, active timer changes nothing.
    Argv enable = {"systemctl", "enable", "--now"};
    enable.insert(enable.end(), plan.enable_timers.begin(), plan.enable_timers.end());
    activation.after_files.push_back(std::move(enable));
  }
  return activation;
}

Status ApplyPlan(const UnitPlan& plan, const Activation& activation, SystemdHost& host) {
  GB_RETURN_IF_ERROR(RunAll(activation.before_files, host));
  if (plan.ChangesFiles()) {
    std::error_code ec;
    fs::create_directories(plan.unit_dir, ec);
    if (ec) return IoError("cannot create " + plan.unit_dir + ": " + ec.message());
  }
  for (const auto& unit : plan.units) {
    switch (unit.action) {
      case UnitAction::kKeep:
        break;
      case UnitAction::kCreate:
      case UnitAction::kUpdate:
        // The temporary is ".<name>.XXXXXX", a name systemd never loads as a unit; units are
        // world-readable like systemd's own, whatever the umask.
        GB_RETURN_IF_ERROR(platform::WriteFileAtomically(unit.path, unit.new_content, 0644));
        break;
      case UnitAction::kRemove:
        if (::unlink(unit.path.c_str()) != 0 && errno != ENOENT) {
          return IoError("cannot remove " + unit.path + ": " + std::strerror(errno));
        }
        break;
    }
  }
  return RunAll(activation.after_files, host);
}

}  // namespace guestbackup::systemd
