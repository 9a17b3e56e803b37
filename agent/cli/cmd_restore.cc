// `guestbackup restore PATH [--at TIME | --snapshot ID] [--to DIR] [--overwrite]`.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/commands.h"
#include "cli/progress_display.h"
#include "full/history/history.h"
#include "full/restore/at_time.h"
#include "full/restore/expected_snapshot.h"
#include "full/restore/restorer.h"
#include "full/runner/server_session.h"
#include "lean/base/time_format.h"
#include "lean/contract/exit_codes.h"

namespace guestbackup::cli {
namespace {

// How far back the history is searched for the run whose snapshot a restore most likely reads.
constexpr int kRunsSearchedForTheSnapshot = 50;

struct RestoreOptions {
  std::string path;
  std::string at;
  std::string snapshot;
  std::string to;
  bool overwrite = false;
};

int RunRestore(const RestoreOptions& opts, CliState& state) {
  restore::RestoreRequest request;
  request.path = opts.path;
  request.to_dir = opts.to;
  request.overwrite = opts.overwrite;
  if (!opts.snapshot.empty()) request.snapshot_id = opts.snapshot;
  if (!opts.at.empty()) {
    auto at = restore::ParseAtTime(opts.at, NowUnixMs());
    if (!at.ok()) return ReportError(state, at.status());
    request.at_ms = *at;
  }
  auto context = context::LoadAgentContext(state.options.agent);
  if (!context.ok()) return ReportError(state, context.status());
  request.state_dir = context->state_dir;
  auto session = runner::OpenServerSession(*context, context->policy.bandwidth, state.cancel);
  if (!session.ok()) return ReportError(state, session.status());
  ProgressDisplay progress(*state.err, state.json);
  if (progress.enabled()) {
    request.on_progress = [&](const kopia::RestoreProgress& p) { progress.Update(opts.path, p); };
  }
  // The history's guess at the snapshot, so that kopia's restore starts beside the listing
  // that decides (restore/expected_snapshot.h). A history that cannot be read guesses nothing.
  request.expected_snapshot =
      [&](const restore::CoveredPath& covered) -> std::optional<std::string> {
    const policy::JobSpec* job = context->policy.FindJob(covered.job);
    if (job == nullptr) return std::nullopt;
    auto history = history::HistoryDb::OpenForReading(context->HistoryPath());
    if (!history.ok()) return std::nullopt;
    auto runs = (*history)->ListRuns({covered.job, kRunsSearchedForTheSnapshot});
    if (!runs.ok()) return std::nullopt;
    return restore::ExpectedSnapshot(*runs, *job, covered.source, request.at_ms);
  };
  auto result = restore::RestorePath(*session->client, context->policy, request);
  progress.Finish();
  if (!result.ok()) return ReportError(state, result.status());
  if (state.json) {
    *state.out << nlohmann::json{{"path", result->covered.path},
                                 {"job", result->covered.job},
                                 {"snapshot_id", result->snapshot.id},
                                 {"snapshot_time", FormatRfc3339Utc(result->snapshot.start_ms)},
                                 {"restored_to", result->restored_to},
                                 {"replaced_existing", result->replaced_existing}}
                      .dump(2)
               << "\n";
  } else {
    *state.out << "restored " << result->covered.path << " from snapshot " << result->snapshot.id
               << " (taken " << FormatLocalTime(result->snapshot.start_ms) << ", job "
               << result->covered.job << ") to " << result->restored_to
               << (result->replaced_existing ? " (replaced the existing copy)" : "") << "\n";
  }
  return contract::kExitOk;
}

}  // namespace

void RegisterRestoreCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<RestoreOptions>();
  CLI::App* cmd = app.add_subcommand("restore", "Restore a file or directory by its path");
  cmd->add_option("path", opts->path, "Absolute path as it was backed up")->required();
  auto* at = cmd->add_option("--at", opts->at,
                             "Newest version at or before TIME: RFC 3339, \"YYYY-MM-DD HH:MM\", "
                             "\"yesterday 14:00\", \"2 days ago\"");
  auto* snap = cmd->add_option("--snapshot", opts->snapshot, "Restore from this snapshot id");
  at->excludes(snap);
  cmd->add_option("--to", opts->to, "Restore into DIR/<name> instead of the original place");
  cmd->add_flag("--overwrite", opts->overwrite, "Replace an existing file or directory");
  cmd->add_flag("--json", state.json, "Print the result as JSON");
  cmd->callback(
      [opts, &state] { state.action = [opts, &state] { return RunRestore(*opts, state); }; });
}

}  // namespace guestbackup::cli
