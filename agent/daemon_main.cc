// guestbackup-daemon: the resident scheduler behind `guestbackup daemon`, linked with only
// guestbackup_scheduling so that it stays small while it sleeps. Each due job runs as a child
// `guestbackup run` (the full binary: see core/platform/install_layout.h), which exits when
// the run is done.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "cli/signals.h"
#include "core/base/logging.h"
#include "core/base/secret_masker.h"
#include "core/daemon/daemon.h"
#include "core/platform/install_layout.h"

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;  // as cli/exit_codes.h: bad command line or invalid policy

constexpr const char* kUsage =
    "usage: guestbackup-daemon [--policy FILE] [--state-dir DIR] [--kopia PATH] "
    "[--log-level LEVEL] [daemon]\n"
    "Runs the policy's schedules in the foreground; `guestbackup daemon` starts this.\n";

// Accepts the same global options as guestbackup, as `--name value` or `--name=value`.
bool ParseArgs(int argc, char** argv, guestbackup::daemon::DaemonOptions& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "daemon") continue;
    std::string_view name = arg;
    std::string value;
    bool has_value = false;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    }
    std::string* target = nullptr;
    if (name == "--policy") target = &options.agent.policy_path;
    if (name == "--state-dir") target = &options.agent.state_dir;
    if (name == "--kopia") target = &options.agent.kopia_path;
    if (name == "--log-level") target = &options.log_level;
    if (target == nullptr) {
      std::fprintf(stderr, "guestbackup-daemon: unknown argument %s\n%s", argv[i], kUsage);
      return false;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "guestbackup-daemon: %s needs a value\n%s", argv[i], kUsage);
        return false;
      }
      value = argv[++i];
    }
    *target = value;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace guestbackup;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  daemon::DaemonOptions options;
  if (!ParseArgs(argc, argv, options)) return kExitUsage;
  options.guestbackup_path = platform::AgentExecutable();
  if (Status s = InitLogging(options.log_level.empty() ? "warn" : options.log_level); !s.ok()) {
    std::fprintf(stderr, "guestbackup: %s\n", s.message().c_str());
    return kExitUsage;
  }
  cli::InstallInterruptHandlers();
  options.signal_fd = cli::RouteSignalsToPipe();
  const Status status = daemon::RunDaemon(options);
  if (status.ok()) return 0;
  // As the full CLI reports errors: policy diagnostics as they are, others prefixed.
  const std::string message = MaskSecrets(status.message());
  if (status.code() == StatusCode::kPolicyError) {
    std::fprintf(stderr, "%s\n", message.c_str());
    return kExitUsage;
  }
  std::fprintf(stderr, "guestbackup: %s\n", message.c_str());
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
}
