// `guestbackup snapshots [--job J]`: the server's snapshots of this machine's job paths.
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/table.h"
#include "full/runner/retry.h"
#include "full/runner/run_summary.h"
#include "full/runner/server_session.h"
#include "lean/base/time_format.h"
#include "lean/contract/exit_codes.h"

namespace guestbackup::cli {
namespace {

struct SnapshotsOptions {
  std::string job;
};

int RunSnapshots(const SnapshotsOptions& opts, CliState& state) {
  auto context = context::LoadAgentContext(state.options.agent);
  if (!context.ok()) return ReportError(state, context.status());
  if (!opts.job.empty() && context->policy.FindJob(opts.job) == nullptr) {
    return ReportError(state, InvalidArgument("no job named \"" + opts.job + "\""));
  }
  auto session = runner::OpenServerSession(*context, context->policy.bandwidth, state.cancel);
  if (!session.ok()) return ReportError(state, session.status());

  nlohmann::json list = nlohmann::json::array();
  Table table({"TIME", "JOB", "PATH", "ID", "FILES", "SIZE", "ERRORS", "KEPT AS"});
  for (const auto& job : context->policy.jobs) {
    if (!opts.job.empty() && job.name != opts.job) continue;
    for (const auto& path : job.paths) {
      runner::Retrier retrier("list the snapshots of " + path, state.cancel);
      auto snapshots = session->client->ListSnapshots(path);
      while (!snapshots.ok() && retrier.Again(snapshots.status())) {
        snapshots = session->client->ListSnapshots(path);
      }
      if (!snapshots.ok()) return ReportError(state, snapshots.status());
      for (const auto& s : *snapshots) {
        std::string kept;
        for (const auto& r : s.retention_reasons) kept += (kept.empty() ? "" : ",") + r;
        table.AddRow({FormatLocalTime(s.start_ms), job.name, path, s.id,
                      std::to_string(s.root_files), runner::HumanBytes(s.root_size),
                      std::to_string(s.num_failed), kept});
        list.push_back({{"id", s.id},
                        {"job", job.name},
                        {"path", path},
                        {"start", FormatRfc3339Utc(s.start_ms)},
                        {"end", FormatRfc3339Utc(s.end_ms)},
                        {"files", s.root_files},
                        {"bytes", s.root_size},
                        {"errors", s.num_failed},
                        {"retention", s.retention_reasons}});
      }
    }
  }
  if (state.json) {
    *state.out << list.dump(2) << "\n";
  } else if (table.empty()) {
    *state.out << "no snapshots yet\n";
  } else {
    table.Print(*state.out);
  }
  return contract::kExitOk;
}

}  // namespace

void RegisterSnapshotsCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<SnapshotsOptions>();
  CLI::App* cmd = app.add_subcommand("snapshots", "List the snapshots of this machine's jobs");
  cmd->add_option("--job", opts->job, "Only this job");
  cmd->add_flag("--json", state.json, "Print JSON");
  cmd->callback(
      [opts, &state] { state.action = [opts, &state] { return RunSnapshots(*opts, state); }; });
}

}  // namespace guestbackup::cli
