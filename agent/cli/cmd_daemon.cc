// `guestbackup daemon`: runs the policy's schedules itself, for guests without systemd timers.
// A stop by SIGTERM or SIGINT exits 0: it is the normal way to end a daemon, and systemd
// counts exit 0 after its SIGTERM as a clean stop (130 would need SuccessExitStatus=).
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/signals.h"
#include "core/daemon/daemon.h"

namespace guestbackup::cli {
namespace {

int RunDaemonCommand(CliState& state) {
  daemon::DaemonOptions options;
  options.agent = state.agent;
  options.signal_fd = RouteSignalsToPipe();
  const Status status = daemon::RunDaemon(options);
  if (!status.ok()) return ReportError(state, status);
  return kExitOk;
}

}  // namespace

void RegisterDaemonCommand(CLI::App& app, CliState& state) {
  CLI::App* cmd = app.add_subcommand(
      "daemon",
      "Run the policy's schedules in the foreground (for guests without systemd timers): "
      "catch-up after boot or suspend, SIGHUP or an edit of the policy file reloads, "
      "SIGTERM lets running jobs finish within daemon.shutdown_grace, then exits 0");
  cmd->callback([&state] { state.action = [&state] { return RunDaemonCommand(state); }; });
}

}  // namespace guestbackup::cli
