#include "cli/run_cli.h"

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/signals.h"
#include "core/base/logging.h"
#include "core/base/secret_masker.h"

namespace guestbackup::cli {

int ReportError(CliState& state, const Status& status) {
  // Policy errors are already formatted file:line:col diagnostics, one per line.
  if (status.code() == StatusCode::kPolicyError) {
    *state.err << MaskSecrets(status.message()) << "\n";
  } else {
    *state.err << "guestbackup: " << MaskSecrets(status.message()) << "\n";
  }
  return ExitCodeFor(status);
}

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CliState state;
  state.out = &out;
  state.err = &err;

  CLI::App app{
      "guestbackup: scheduled file-level backups of this machine to a kopia "
      "repository server, and restores by path and time."};
  app.name("guestbackup");
  app.require_subcommand(1);
  app.footer(ExitCodeHelp());
  app.set_version_flag("--version", "guestbackup " GUESTBACKUP_VERSION);
  app.add_option("--policy", state.agent.policy_path, "Policy file")->capture_default_str();
  app.add_option("--state-dir", state.agent.state_dir,
                 "State directory (default: $GUESTBACKUP_STATE_DIR, policy state_dir, "
                 "/var/lib/guestbackup)");
  app.add_option("--kopia", state.agent.kopia_path, "kopia binary (default: policy, PATH)");
  app.add_option("--log-level", state.log_level, "trace, debug, info, warn, error, off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  RegisterDiscoveryOptions(app, state);

  RegisterRunCommand(app, state);
  RegisterRestoreCommand(app, state);
  RegisterVersionsCommand(app, state);
  RegisterLsCommand(app, state);
  RegisterSnapshotsCommand(app, state);
  RegisterHistoryCommand(app, state);
  RegisterStatusCommand(app, state);
  RegisterPolicyCommand(app, state);
  RegisterScheduleCommand(app, state);
  RegisterScheduleUnitCommands(app, state);
  RegisterDemoCommand(app, state);
  RegisterDaemonCommand(app, state);
  RegisterDiscoverCommand(app, state);

  // CLI11 wants argv in reverse order for its vector overload.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (Status s = InitLogging(state.log_level); !s.ok()) return ReportError(state, s);
  state.cancel = InstallInterruptHandlers();
  if (!state.action) return kExitUsage;
  return state.action();
}

}  // namespace guestbackup::cli
