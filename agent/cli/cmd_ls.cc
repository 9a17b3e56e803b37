// `guestbackup ls PATH [--at TIME | --snapshot ID]`: a directory as it was in a snapshot,
// to find what to restore.
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/table.h"
#include "full/restore/at_time.h"
#include "full/restore/covered_path.h"
#include "full/runner/run_summary.h"
#include "full/runner/server_session.h"
#include "lean/base/time_format.h"
#include "lean/context/agent_context.h"
#include "lean/contract/exit_codes.h"

namespace guestbackup::cli {
namespace {

struct LsOptions {
  std::string path;
  std::string at;
  std::string snapshot;
};

int RunLs(const LsOptions& opts, CliState& state) {
  std::optional<std::int64_t> at_ms;
  if (!opts.at.empty()) {
    auto at = restore::ParseAtTime(opts.at, NowUnixMs());
    if (!at.ok()) return ReportError(state, at.status());
    at_ms = *at;
  }
  auto context = context::LoadAgentContext(state.options.agent);
  if (!context.ok()) return ReportError(state, context.status());
  auto covered = restore::ResolveCoveredPath(context->policy, opts.path);
  if (!covered.ok()) return ReportError(state, covered.status());
  auto session = runner::OpenServerSession(*context, context->policy.bandwidth, state.cancel);
  if (!session.ok()) return ReportError(state, session.status());
  auto snapshots = session->client->ListSnapshots(covered->source);
  if (!snapshots.ok()) return ReportError(state, snapshots.status());
  std::optional<std::string> id;
  if (!opts.snapshot.empty()) id = opts.snapshot;
  auto snapshot = restore::PickSnapshot(*snapshots, id, at_ms, covered->source);
  if (!snapshot.ok()) return ReportError(state, snapshot.status());
  auto entries = session->client->ListDirectory(restore::ObjectPath(*snapshot, covered->relative));
  if (!entries.ok()) {
    if (restore::IsMissingFromSnapshot(entries.status())) {
      return ReportError(
          state, NotFound(covered->path + " is not a directory in snapshot " + snapshot->id +
                          " (taken " + FormatLocalTime(snapshot->start_ms) + ")"));
    }
    return ReportError(state, entries.status());
  }
  if (state.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : *entries) {
      list.push_back({{"name", e.name},
                      {"type", e.is_dir ? "directory" : "file"},
                      {"mode", e.mode},
                      {"size", e.size},
                      {"modified", FormatRfc3339Utc(e.mtime_ms)},
                      {"hash", e.object_id}});
    }
    *state.out << nlohmann::json{{"path", covered->path},
                                 {"snapshot_id", snapshot->id},
                                 {"snapshot_time", FormatRfc3339Utc(snapshot->start_ms)},
                                 {"entries", list}}
                      .dump(2)
               << "\n";
    return contract::kExitOk;
  }
  *state.out << covered->path << " in snapshot " << snapshot->id << " (taken "
             << FormatLocalTime(snapshot->start_ms) << ")\n";
  Table table({"MODE", "SIZE", "MODIFIED", "NAME"});
  for (const auto& e : *entries) {
    table.AddRow({e.mode, runner::HumanBytes(e.size), FormatLocalTime(e.mtime_ms),
                  e.name + (e.is_dir ? "/" : "")});
  }
  table.Print(*state.out);
  return contract::kExitOk;
}

}  // namespace

void RegisterLsCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<LsOptions>();
  CLI::App* cmd = app.add_subcommand("ls", "List a backed-up directory as it was at a time");
  cmd->add_option("path", opts->path, "Absolute path of a directory as it was backed up")
      ->required();
  auto* at = cmd->add_option("--at", opts->at, "Newest snapshot at or before TIME (as restore)");
  auto* snap = cmd->add_option("--snapshot", opts->snapshot, "This snapshot id");
  at->excludes(snap);
  cmd->add_flag("--json", state.json, "Print JSON");
  cmd->callback([opts, &state] { state.action = [opts, &state] { return RunLs(*opts, state); }; });
}

}  // namespace guestbackup::cli
