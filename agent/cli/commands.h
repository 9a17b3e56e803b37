// Registration of every subcommand. Each lives in its own cmd_<verb>.cc with an options
// struct and a Run function; registration wires CLI11 flags to them.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_state.h"

namespace guestbackup::cli {

void RegisterRunCommand(CLI::App& app, CliState& state);
void RegisterRestoreCommand(CLI::App& app, CliState& state);
void RegisterVersionsCommand(CLI::App& app, CliState& state);
void RegisterLsCommand(CLI::App& app, CliState& state);
void RegisterSnapshotsCommand(CLI::App& app, CliState& state);
void RegisterHistoryCommand(CLI::App& app, CliState& state);
void RegisterStatusCommand(CLI::App& app, CliState& state);
void RegisterPolicyCommand(CLI::App& app, CliState& state);
// Adds `schedule` with its `next` subcommand.
void RegisterScheduleCommand(CLI::App& app, CliState& state);
void RegisterDemoCommand(CLI::App& app, CliState& state);
void RegisterDaemonCommand(CLI::App& app, CliState& state);
void RegisterDiscoverCommand(CLI::App& app, CliState& state);
// `quiesce freeze|thaw`, for qemu-guest-agent's fsfreeze hook (Linux).
void RegisterQuiesceCommand(CLI::App& app, CliState& state);
// Adds install, remove and list under the `schedule` command, which must exist already.
void RegisterScheduleUnitCommands(CLI::App& app, CliState& state);

}  // namespace guestbackup::cli
