// `guestbackup daemon`: runs the policy's schedules itself, for guests without systemd timers.
// It execs guestbackup-daemon (lean/platform/install_layout.h says where it is): the same
// process id (systemd's Type=notify main process stays), but a resident image without kopia,
// SQLite, Poco or OpenSSL; each due job comes back here as a child `guestbackup run`.
// A stop by SIGTERM or SIGINT exits 0: it is the normal way to end a daemon, and systemd
// counts exit 0 after its SIGTERM as a clean stop (130 would need SuccessExitStatus=).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "lean/contract/exit_codes.h"
#include "lean/platform/install_layout.h"

namespace guestbackup::cli {
namespace {

int RunDaemonCommand(CliState& state) {
  const std::string binary = platform::DaemonExecutable();
  std::vector<std::string> args = {binary};
  const std::vector<std::string> globals = contract::GlobalArgv(state.options);
  args.insert(args.end(), globals.begin(), globals.end());
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  state.out->flush();
  state.err->flush();
  execv(binary.c_str(), argv.data());
  return ReportError(state, Failed("cannot start " + binary + ": " + std::strerror(errno)));
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
