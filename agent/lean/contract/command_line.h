// The command line guestbackup-daemon and its `guestbackup run` children share: the global
// options every command takes (before or after its subcommand) and `run`'s own arguments.
// Both sides register and build them here, so what the daemon writes is what `run` parses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lean/context/agent_context.h"

// CLI11's header takes seconds to compile: only the files that build a command line include it.
namespace CLI {
class App;
}  // namespace CLI

namespace guestbackup::contract {

inline constexpr const char* kDefaultLogLevel = "warn";

struct GlobalOptions {
  context::AgentOptions agent;  // --policy, --state-dir, --kopia, server flags, --config-disk
  std::string log_level = kDefaultLogLevel;
};

// Adds --policy, --state-dir, --kopia, --log-level and the server and discovery flags to
// `app`, and makes every subcommand added after this call accept them after its own name
// (`guestbackup schedule install --policy p.yaml`). Source paths take their environment
// overrides (discovery::SourcePathsFromEnvironment) now.
void AddGlobalOptions(CLI::App& app, GlobalOptions& options);

// The same options as argv words: --policy always, every other only when set (or, for
// --log-level, when it is not the default).
std::vector<std::string> GlobalArgv(const GlobalOptions& options);

struct RunArguments {
  std::string job;
  std::string trigger = "manual";  // one of RunTriggerNames()
  bool json = false;
};

// Adds the job (positional, required), --trigger and --json to the `run` subcommand.
void AddRunArguments(CLI::App& run, RunArguments& arguments);

// `program`, the global options, then `run [--json] --trigger TRIGGER JOB`: the job is the last
// word (the systemd unit puts its %i there).
std::vector<std::string> RunArgv(std::string_view program, const GlobalOptions& options,
                                 const RunArguments& run);

// `program`, the global options, then `history --json --job JOB --limit 1`: the daemon's
// question for a job's last run (catch-up).
std::vector<std::string> LastRunArgv(std::string_view program, const GlobalOptions& options,
                                     std::string_view job);

}  // namespace guestbackup::contract
