// guestbackup-daemon: the resident scheduler behind `guestbackup daemon`, linked with only
// guestbackup_lean so that it stays small while it sleeps. Each due job runs as a child
// `guestbackup run` (the full binary: see lean/platform/install_layout.h), which exits when
// the run is done. Its command line is guestbackup's global options (the same CLI11
// registration, lean/contract/command_line.h), then optionally the word `daemon`; on Windows
// the word `service` runs it as the Windows service (lean/daemon/windows_service.h). On Linux
// the hidden word `freeze-guard` runs the guard `guestbackup run` starts around a job's
// `freeze` (lean/freeze/freeze_guard.h) instead of the scheduler.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lean/base/logging.h"
#include "lean/base/secret_masker.h"
#include "lean/contract/exit_codes.h"
#include "lean/contract/signals.h"
#include "lean/daemon/daemon.h"
#include "lean/platform/install_layout.h"
#if !defined(_WIN32)
#include <unistd.h>

#include <chrono>

#include "lean/freeze/freeze_guard.h"
#include "lean/freeze/freeze_protocol.h"
#endif
#if defined(_WIN32)
#include "lean/daemon/log_file.h"
#include "lean/daemon/windows_service.h"
#include "lean/platform/system_paths.h"
#include "lean/platform/wide_text_win32.h"
#endif

int main(int argc, char** argv) {
  using namespace guestbackup;
  daemon::DaemonOptions options;
  CLI::App app{"Runs the policy's schedules in the foreground; `guestbackup daemon` starts this."};
  app.name("guestbackup-daemon");
  app.footer(contract::ExitCodeHelp());
  contract::AddGlobalOptions(app, options.options);
  app.add_subcommand("daemon", "The same as no subcommand (as `guestbackup daemon` is called)");
#if defined(_WIN32)
  CLI::App* service = app.add_subcommand(
      "service",
      "Run as the Windows service `guestbackup` (the service control manager starts "
      "it so; its log is service.log in the default state directory)");
#endif
#if !defined(_WIN32)
  freeze::GuardOptions guard;
  std::int64_t guard_timeout_ms = 0;
  CLI::App* freeze_guard = app.add_subcommand(std::string(freeze::kGuardSubcommand),
                                              "Hold file systems frozen for `guestbackup run`");
  freeze_guard->group("");  // started by the agent, never by hand
  freeze_guard->add_option("--timeout-ms", guard_timeout_ms, "Thaw after this long")->required();
  freeze_guard->add_option("mounts", guard.mounts, "Mount points, frozen in this order")
      ->required();
#endif
  // As RunCli parses: argv as strings, reversed for CLI11's vector overload.
  std::vector<std::string> reversed(argv + 1, argv + argc);
  std::reverse(reversed.begin(), reversed.end());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? contract::kExitOk : contract::kExitUsage;
  }
#if !defined(_WIN32)
  if (freeze_guard->parsed()) {
    guard.timeout = std::chrono::milliseconds(guard_timeout_ms);
    return freeze::RunFreezeGuard(guard, STDIN_FILENO, STDOUT_FILENO);
  }
#endif
  options.guestbackup_path = platform::AgentExecutable();
#if defined(_WIN32)
  std::unique_ptr<daemon::RotatingLogFile> log_file;
  Status status;
  if (service->parsed()) {
    // A service's stderr goes nowhere: its log is a file (10 MiB, and the one before).
    log_file = std::make_unique<daemon::RotatingLogFile>(
        std::filesystem::path(platform::Utf8ToWide(platform::DefaultStateDir())) / L"service.log",
        10u << 20);
    LoggingOptions logging;
    logging.write = [file = log_file.get()](std::string_view line) { file->Write(line); };
    if (Status s = InitLogging(options.options.log_level, logging); !s.ok()) {
      return contract::kExitUsage;
    }
    status = daemon::RunAsWindowsService(options);
  } else {
    if (Status s = InitLogging(options.options.log_level); !s.ok()) {
      std::fprintf(stderr, "guestbackup: %s\n", s.message().c_str());
      return contract::kExitUsage;
    }
    options.control.stop_event = contract::RouteInterruptsToEvent();
    status = daemon::RunDaemon(options);
  }
#else
  if (Status s = InitLogging(options.options.log_level); !s.ok()) {
    std::fprintf(stderr, "guestbackup: %s\n", s.message().c_str());
    return contract::kExitUsage;
  }
  contract::InstallInterruptHandlers();
  options.control.signal_fd = contract::RouteSignalsToPipe();
  const Status status = daemon::RunDaemon(options);
#endif
  if (status.ok()) return contract::kExitOk;
  // As the full CLI reports errors: policy diagnostics as they are, others prefixed.
  const std::string message = MaskSecrets(status.message());
  if (status.code() == StatusCode::kPolicyError) {
    std::fprintf(stderr, "%s\n", message.c_str());
  } else {
    std::fprintf(stderr, "guestbackup: %s\n", message.c_str());
  }
  // A stop by signal is ok (see cli/cmd_daemon.cc); every other error has its documented code.
  return contract::ExitCodeFor(status);
}
