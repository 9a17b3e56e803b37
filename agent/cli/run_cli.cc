#include "cli/run_cli.h"

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "lean/base/logging.h"
#include "lean/base/secret_masker.h"
#include "lean/contract/exit_codes.h"
#include "lean/contract/signals.h"

namespace guestbackup::cli {

int ReportError(CliState& state, const Status& status) {
  // Policy errors are already formatted file:line:col diagnostics, one per line.
  if (status.code() == StatusCode::kPolicyError) {
    *state.err << MaskSecrets(status.message()) << "\n";
  } else {
    *state.err << "guestbackup: " << MaskSecrets(status.message()) << "\n";
  }
  return contract::ExitCodeFor(status);
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
  app.footer(contract::ExitCodeHelp());
  app.set_version_flag("--version", "guestbackup " GUESTBACKUP_VERSION);
  contract::AddGlobalOptions(app, state.options);

  RegisterRunCommand(app, state);
  RegisterRestoreCommand(app, state);
  RegisterVersionsCommand(app, state);
  RegisterLsCommand(app, state);
  RegisterSnapshotsCommand(app, state);
  RegisterHistoryCommand(app, state);
  RegisterStatusCommand(app, state);
  RegisterPolicyCommand(app, state);
  RegisterScheduleCommand(app, state);
#if !defined(_WIN32)  // systemd units (the Windows service is the msi's), qemu-ga's hook
  RegisterScheduleUnitCommands(app, state);
  RegisterQuiesceCommand(app, state);
#endif
  RegisterDemoCommand(app, state);
  RegisterDaemonCommand(app, state);
  RegisterDiscoverCommand(app, state);

  // CLI11 wants argv in reverse order for its vector overload.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? contract::kExitOk : contract::kExitUsage;
  }
  if (Status s = InitLogging(state.options.log_level); !s.ok()) return ReportError(state, s);
  state.cancel = contract::InstallInterruptHandlers();
  if (!state.action) return contract::kExitUsage;
  return state.action();
}

}  // namespace guestbackup::cli
