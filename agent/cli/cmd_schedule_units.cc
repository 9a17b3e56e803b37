// `guestbackup schedule install|remove|list`: the policy's schedules as systemd timers.
// Rendering and planning live in full/systemd; this file resolves paths and prints.
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/table.h"
#include "full/systemd/line_diff.h"
#include "full/systemd/unit_installer.h"
#include "full/systemd/unit_verification.h"
#include "lean/contract/exit_codes.h"
#include "lean/process/executable_lookup.h"
#include "lean/process/process.h"

namespace guestbackup::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultUnitDir = "/etc/systemd/system";

struct UnitOptions {
  std::string unit_dir = kDefaultUnitDir;
  std::string binary;  // "" = this executable
  bool dry_run = false;
};

std::string Absolute(const std::string& path) {
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

std::string ThisExecutable() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "/usr/local/bin/guestbackup" : self.string();
}

// What the service must be told because it would not find it on its own: the state directory
// always (ReadWritePaths= must name the same one), kopia when it came from --kopia or the
// environment rather than the policy.
systemd::UnitSettings SettingsFor(const UnitOptions& opts, const CliState& state,
                                  const policy::Policy& policy) {
  systemd::UnitSettings settings;
  settings.binary_path = Absolute(opts.binary.empty() ? ThisExecutable() : opts.binary);
  settings.policy_path = Absolute(state.options.agent.policy_path);
  settings.state_dir = Absolute(context::ResolveStateDir(state.options.agent, policy));
  std::string kopia = state.options.agent.kopia_path;
  if (kopia.empty() && policy.kopia_path.empty()) {
    const char* env = std::getenv("GUESTBACKUP_KOPIA");
    if (env != nullptr) kopia = env;
  }
  if (!kopia.empty())
    settings.kopia_path = kopia.find('/') == std::string::npos ? kopia : Absolute(kopia);
  return settings;
}

// PrivateTmp= gives the service its own /tmp and /var/tmp: a binary or file that lives there
// (or a symlink into there) does not exist for it.
void WarnAboutPrivateTmp(const systemd::UnitSettings& settings, const policy::Policy& policy,
                         std::ostream& err) {
  std::string kopia = settings.kopia_path.empty() ? policy.kopia_path : settings.kopia_path;
  if (kopia.empty()) kopia = "kopia";
  if (auto found = process::LocateExecutable(kopia, process::kDefaultPath); found.ok()) {
    kopia = *found;
  } else {
    err << "warning: " << found.status().message() << " (the service's PATH is "
        << process::kDefaultPath << ")\n";
  }
  const std::pair<const char*, std::string> paths[] = {{"guestbackup", settings.binary_path},
                                                       {"kopia", kopia},
                                                       {"the policy", settings.policy_path},
                                                       {"the state directory", settings.state_dir}};
  for (const auto& [what, path] : paths) {
    std::error_code ec;
    const std::string real = fs::weakly_canonical(path, ec).string();
    if (ec || !(real.starts_with("/tmp/") || real.starts_with("/var/tmp/"))) continue;
    err << "warning: " << what << " is " << path << (real == path ? "" : " (" + real + ")")
        << ", which the service cannot see: PrivateTmp= gives it its own /tmp and /var/tmp\n";
  }
}

std::string Joined(const std::vector<std::string>& words) {
  return process::FormatCommandLine(words);
}

void PrintIndented(std::ostream& out, const std::vector<std::string>& lines) {
  for (const auto& line : lines) out << "    " << line << "\n";
}

void PrintDryRun(const systemd::UnitPlan& plan, const systemd::Activation& activation,
                 std::ostream& out) {
  for (const auto& argv : activation.before_files) out << "would run: " << Joined(argv) << "\n";
  for (const auto& unit : plan.units) {
    switch (unit.action) {
      case systemd::UnitAction::kKeep:
        out << "unchanged " << unit.path << "\n";
        break;
      case systemd::UnitAction::kCreate:
        out << "would create " << unit.path << "\n";
        PrintIndented(out, systemd::DiffLines("", unit.new_content));
        break;
      case systemd::UnitAction::kUpdate:
        out << "would update " << unit.path << "\n";
        PrintIndented(out, systemd::DiffLines(unit.old_content, unit.new_content));
        break;
      case systemd::UnitAction::kRemove:
        out << "would remove " << unit.path << "\n";
        break;
    }
  }
  for (const auto& argv : activation.after_files) out << "would run: " << Joined(argv) << "\n";
}

void PrintForeign(const systemd::UnitPlan& plan, std::ostream& out) {
  for (const auto& path : plan.foreign) {
    out << "left alone (not written by guestbackup): " << path << "\n";
  }
}

// The summary after applying: one line per changed file, then what systemd was told.
void PrintApplied(const systemd::UnitPlan& plan, const systemd::Activation& activation,
                  bool removing, std::ostream& out) {
  int kept = 0;
  for (const auto& unit : plan.units) {
    switch (unit.action) {
      case systemd::UnitAction::kKeep:
        ++kept;
        break;
      case systemd::UnitAction::kCreate:
        out << "created " << unit.path << "\n";
        break;
      case systemd::UnitAction::kUpdate:
        out << "updated " << unit.path << "\n";
        break;
      case systemd::UnitAction::kRemove:
        out << "removed " << unit.path << (removing ? "" : " (job no longer in the policy)")
            << "\n";
        break;
    }
  }
  if (!plan.ChangesFiles()) {
    out << (removing ? "nothing to remove in " + plan.unit_dir
                     : "nothing to change: " + std::to_string(kept) + " unit files in " +
                           plan.unit_dir + " are current")
        << "\n";
  } else if (kept > 0) {
    out << kept << " unchanged\n";
  }
  for (const auto* list : {&activation.before_files, &activation.after_files}) {
    for (const auto& argv : *list) out << "ran: " << Joined(argv) << "\n";
  }
  if (!activation.enabled) {
    out << activation.reason << ": no timer " << (removing ? "disabled" : "enabled");
    if (!removing && !plan.enable_timers.empty()) {
      out << " (once it loads them: systemctl daemon-reload && systemctl enable --now "
          << Joined(plan.enable_timers) << ")";
    }
    out << "\n";
  }
}

int Finish(CliState& state, const Result<systemd::UnitPlan>& plan, bool removing, bool dry_run) {
  if (!plan.ok()) return ReportError(state, plan.status());
  auto host = systemd::NewLocalSystemdHost();
  auto activation = systemd::PlanActivation(*plan, *host);
  if (!activation.ok()) return ReportError(state, activation.status());
  PrintForeign(*plan, *state.out);
  if (dry_run) {
    PrintDryRun(*plan, *activation, *state.out);
    if (!activation->enabled) *state.out << activation->reason << ": systemctl would not run\n";
    return contract::kExitOk;
  }
  // Units about to be enabled here must load here; units written for another place (a
  // directory systemd does not load, a binary not yet installed) are not this machine's to judge.
  if (!removing && activation->enabled) {
    const Status verified = systemd::VerifyPlannedUnits(*plan, *host);
    if (!verified.ok()) return ReportError(state, verified);
  }
  const Status applied = systemd::ApplyPlan(*plan, *activation, *host);
  if (!applied.ok()) return ReportError(state, applied);
  PrintApplied(*plan, *activation, removing, *state.out);
  return contract::kExitOk;
}

int RunInstall(const UnitOptions& opts, CliState& state) {
  // A real install makes sure the state directory exists: ReadWritePaths= of a missing
  // directory would keep the service from starting. A dry run creates nothing.
  Result<policy::Policy> policy = context::LoadPolicy(state.options.agent.policy_path);
  if (!opts.dry_run) {
    auto context = context::LoadAgentContext(state.options.agent);
    policy = context.ok() ? Result<policy::Policy>(std::move(context->policy)) : context.status();
  }
  if (!policy.ok()) return ReportError(state, policy.status());
  const systemd::UnitSettings settings = SettingsFor(opts, state, *policy);
  WarnAboutPrivateTmp(settings, *policy, *state.err);
  return Finish(
      state, systemd::PlanInstall(Absolute(opts.unit_dir), systemd::RenderUnits(*policy, settings)),
      false, opts.dry_run);
}

int RunRemove(const UnitOptions& opts, CliState& state) {
  // Needs no policy: everything of ours goes, whatever the policy says now.
  return Finish(state, systemd::PlanRemove(Absolute(opts.unit_dir)), true, opts.dry_run);
}

int RunList(UnitOptions opts, CliState& state) {
  opts.unit_dir = Absolute(opts.unit_dir);
  auto policy = context::LoadPolicy(state.options.agent.policy_path);
  if (!policy.ok()) return ReportError(state, policy.status());
  const systemd::UnitSettings settings = SettingsFor(opts, state, *policy);
  const std::vector<systemd::UnitFile> wanted = systemd::RenderUnits(*policy, settings);

  auto host = systemd::NewLocalSystemdHost();
  bool ask_systemd = false;
  if (host->Running()) {
    auto paths = systemd::UnitSearchPaths(*host);
    ask_systemd = paths.ok() && systemd::IsSearchPath(opts.unit_dir, *paths);
  }
  auto timer_columns = [&](const std::string& timer) -> std::vector<std::string> {
    if (!ask_systemd) return {"-", "-", "-"};
    auto shown = host->Run(systemd::ShowTimerArgv(timer));
    if (!shown.ok()) return {"?", "-", "-"};
    const systemd::TimerState ts = systemd::TimerStateFromShow(*shown);
    auto or_dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
    return {or_dash(ts.unit_file_state) + "/" + or_dash(ts.active_state), or_dash(ts.next_elapse),
            or_dash(ts.last_trigger)};
  };

  Table table({"JOB", "SCHEDULE", "TIMER FILE", "SYSTEMD", "NEXT", "LAST"});
  for (const auto& job : policy->jobs) {
    const std::string name = systemd::TimerUnitName(job.name);
    const std::string path = (fs::path(opts.unit_dir) / name).string();
    if (job.schedule.empty()) {
      table.AddRow({job.name, "manual", "-", "-", "-", "-"});
      continue;
    }
    const auto status = systemd::InspectUnitFile(path, systemd::RenderTimer(job));
    std::vector<std::string> row = {job.name, job.schedule, systemd::UnitFileStatusName(status)};
    for (auto& column : timer_columns(name)) row.push_back(std::move(column));
    table.AddRow(std::move(row));
  }
  // Timers of ours whose job left the policy: install removes them.
  if (auto ours = systemd::PlanInstall(opts.unit_dir, wanted); ours.ok()) {
    for (const auto& unit : ours->units) {
      if (unit.action != systemd::UnitAction::kRemove || unit.name == systemd::kServiceTemplateName)
        continue;
      const std::string job = unit.name.substr(
          systemd::kTimerPrefix.size(),
          unit.name.size() - systemd::kTimerPrefix.size() - systemd::kTimerSuffix.size());
      std::vector<std::string> row = {job, "-", "not in policy"};
      for (auto& column : timer_columns(unit.name)) row.push_back(std::move(column));
      table.AddRow(std::move(row));
    }
  }
  const std::string service = (fs::path(opts.unit_dir) / systemd::kServiceTemplateName).string();
  *state.out << "service: " << service << " ("
             << systemd::UnitFileStatusName(
                    systemd::InspectUnitFile(service, wanted.front().content))
             << ")\n\n";
  table.Print(*state.out);
  if (!ask_systemd) {
    *state.out << "\n"
               << (host->Running() ? opts.unit_dir + " is not in systemd's unit search path"
                                   : std::string("systemd is not running on this machine"))
               << ": no timer state to show\n";
  }
  return contract::kExitOk;
}

CLI::App* AddUnitCommand(CLI::App& schedule, const char* name, const char* help,
                         const std::shared_ptr<UnitOptions>& opts, bool dry_run) {
  CLI::App* cmd = schedule.add_subcommand(name, help);
  cmd->add_option("--unit-dir", opts->unit_dir, "Directory of the unit files")
      ->capture_default_str();
  if (dry_run) {
    cmd->add_flag("--dry-run", opts->dry_run, "Show what would change; change nothing");
  }
  return cmd;
}

}  // namespace

void RegisterScheduleUnitCommands(CLI::App& app, CliState& state) {
  CLI::App* schedule = app.get_subcommand("schedule");

  auto install = std::make_shared<UnitOptions>();
  CLI::App* cmd = AddUnitCommand(*schedule, "install",
                                 "Write a systemd timer per scheduled job and the service they "
                                 "start; enable them when systemd runs",
                                 install, true);
  cmd->add_option("--binary", install->binary,
                  "guestbackup executable the service runs (default: this one)");
  cmd->callback([install, &state] {
    state.action = [install, &state] { return RunInstall(*install, state); };
  });

  auto remove = std::make_shared<UnitOptions>();
  cmd = AddUnitCommand(*schedule, "remove", "Disable and delete every unit install wrote", remove,
                       true);
  cmd->callback(
      [remove, &state] { state.action = [remove, &state] { return RunRemove(*remove, state); }; });

  auto list = std::make_shared<UnitOptions>();
  cmd = AddUnitCommand(*schedule, "list",
                       "Each job's schedule, its timer file and (when systemd runs) next and "
                       "last elapse",
                       list, false);
  cmd->add_option("--binary", list->binary, "As for install, to compare the service file");
  cmd->callback(
      [list, &state] { state.action = [list, &state] { return RunList(*list, state); }; });
}

}  // namespace guestbackup::cli
