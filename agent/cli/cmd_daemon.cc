// `guestbackup daemon`: runs the policy's schedules itself, for guests without systemd timers.
// It execs guestbackup-daemon (lean/platform/install_layout.h says where it is): the same
// process id (systemd's Type=notify main process stays), but a resident image without kopia,
// SQLite, Poco or OpenSSL; each due job comes back here as a child `guestbackup run`.
// A stop by SIGTERM or SIGINT exits 0: it is the normal way to end a daemon, and systemd
// counts exit 0 after its SIGTERM as a clean stop (130 would need SuccessExitStatus=).
// Windows has no exec: there guestbackup-daemon.exe runs as a child whose output is relayed
// and whose exit code is this one's; Ctrl+C here becomes its stop request (process::Run's stop
// event). The Windows service runs guestbackup-daemon.exe itself.
#if defined(_WIN32)
#include <cstdio>
#else
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

#include <string>
#include <vector>

#include "cli/commands.h"
#include "lean/contract/exit_codes.h"
#include "lean/contract/signals.h"
#include "lean/platform/install_layout.h"
#include "lean/process/process.h"

namespace guestbackup::cli {
namespace {

int RunDaemonCommand(CliState& state) {
  const std::string binary = platform::DaemonExecutable();
  std::vector<std::string> args = {binary};
  const std::vector<std::string> globals = contract::GlobalArgv(state.options);
  args.insert(args.end(), globals.begin(), globals.end());
  state.out->flush();
  state.err->flush();
#if defined(_WIN32)
  process::ProcessSpec spec;
  spec.argv = args;
  spec.cancel = contract::InstallInterruptHandlers();
  // The daemon bounds its own stop (daemon.shutdown_grace, then its children's grace).
  spec.kill_grace = std::chrono::hours(1);
  spec.stdout_limit = 0;
  spec.stderr_limit = 0;
  spec.on_stdout = [](std::string_view chunk) {
    std::fwrite(chunk.data(), 1, chunk.size(), stdout);
  };
  spec.on_stderr = [](std::string_view chunk) {
    std::fwrite(chunk.data(), 1, chunk.size(), stderr);
  };
  auto result = process::Run(spec);
  if (!result.ok()) return ReportError(state, result.status());
  return result->exited ? result->exit_code : contract::kExitFailed;
#else
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  return ReportError(state, Failed("cannot start " + binary + ": " + std::strerror(errno)));
#endif
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
