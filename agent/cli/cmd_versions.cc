// `guestbackup versions PATH`: each distinct version of a path across its snapshots.
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/table.h"
#include "full/restore/versions.h"
#include "full/runner/run_summary.h"
#include "full/runner/server_session.h"
#include "lean/base/time_format.h"
#include "lean/contract/exit_codes.h"

namespace guestbackup::cli {
namespace {

struct VersionsOptions {
  std::string path;
};

int RunVersions(const VersionsOptions& opts, CliState& state) {
  auto context = context::LoadAgentContext(state.options.agent);
  if (!context.ok()) return ReportError(state, context.status());
  auto session = runner::OpenServerSession(*context, context->policy.bandwidth, state.cancel);
  if (!session.ok()) return ReportError(state, session.status());
  auto result = restore::ListVersions(*session->client, context->policy, opts.path);
  if (!result.ok()) return ReportError(state, result.status());

  if (state.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : result->versions) {
      list.push_back({{"hash", v.object_id},
                      {"type", v.is_dir ? "directory" : "file"},
                      {"size", v.size},
                      {"modified", v.mtime_ms ? nlohmann::json(FormatRfc3339Utc(v.mtime_ms))
                                              : nlohmann::json()},
                      {"first_seen", FormatRfc3339Utc(v.first_seen_ms)},
                      {"last_seen", FormatRfc3339Utc(v.last_seen_ms)},
                      {"first_snapshot_id", v.first_snapshot_id},
                      {"last_snapshot_id", v.last_snapshot_id},
                      {"snapshots", v.snapshot_count}});
    }
    *state.out << nlohmann::json{{"path", result->covered.path},
                                 {"job", result->covered.job},
                                 {"snapshots_examined", result->snapshots_examined},
                                 {"versions", list}}
                      .dump(2)
               << "\n";
    return contract::kExitOk;
  }
  *state.out << result->covered.path << " (job " << result->covered.job
             << "): " << result->versions.size() << " versions in " << result->snapshots_examined
             << " snapshots\n";
  Table table({"#", "FIRST SEEN", "LAST SEEN", "SIZE", "MODIFIED", "SNAPSHOTS", "HASH"});
  int n = 0;
  for (const auto& v : result->versions) {
    table.AddRow({std::to_string(++n), FormatLocalTime(v.first_seen_ms),
                  FormatLocalTime(v.last_seen_ms), runner::HumanBytes(v.size),
                  v.mtime_ms ? FormatLocalTime(v.mtime_ms) : "-", std::to_string(v.snapshot_count),
                  v.object_id});
  }
  table.Print(*state.out);
  return contract::kExitOk;
}

}  // namespace

void RegisterVersionsCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<VersionsOptions>();
  CLI::App* cmd = app.add_subcommand("versions", "List each distinct version of a path");
  cmd->add_option("path", opts->path, "Absolute path as it was backed up")->required();
  cmd->add_flag("--json", state.json, "Print JSON");
  cmd->callback(
      [opts, &state] { state.action = [opts, &state] { return RunVersions(*opts, state); }; });
}

}  // namespace guestbackup::cli
