// `guestbackup run JOB`: one backup run of a job, as timers and the daemon start it.
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/history_json.h"
#include "cli/progress_display.h"
#include "core/runner/job_runner.h"

namespace guestbackup::cli {
namespace {

struct RunOptions {
  std::string job;
  std::string trigger = "manual";
};

int RunRun(const RunOptions& opts, CliState& state) {
  auto context = runner::LoadAgentContext(state.agent);
  if (!context.ok()) return ReportError(state, context.status());
  const policy::JobSpec* job = context->policy.FindJob(opts.job);
  if (job == nullptr) {
    std::string names;
    for (const auto& j : context->policy.jobs) names += (names.empty() ? "" : ", ") + j.name;
    return ReportError(state,
                       InvalidArgument("no job named \"" + opts.job + "\" in " +
                                       context->policy.source_path + " (jobs: " + names + ")"));
  }
  auto history = history::HistoryDb::Open(context->HistoryPath());
  if (!history.ok()) return ReportError(state, history.status());

  ProgressDisplay progress(*state.err, state.json);
  runner::RunOptions run;
  run.trigger = opts.trigger;
  run.cancel = state.cancel;
  if (progress.enabled()) {
    run.on_progress = [&](const std::string& path, const kopia::SnapshotProgress& p) {
      progress.Update(path, p);
    };
  }
  const runner::RunReport report = runner::RunJob(*context, **history, *job, run);
  progress.Finish();

  if (state.json) {
    *state.out << RunOutcomeJson(report.run_id, job->name, report.outcome).dump(2) << "\n";
  } else if (report.run_id != 0) {
    *state.out << job->name << ": " << history::RunStatusName(report.status);
    if (!report.outcome.message.empty()) *state.out << " — " << report.outcome.message;
    *state.out << "\n";
    for (const auto& id : report.outcome.snapshot_ids) *state.out << "  snapshot " << id << "\n";
    for (const auto& e : report.outcome.file_errors) {
      *state.out << "  failed: " << e.path << ": " << e.error << "\n";
    }
  }
  if (report.run_id == 0 && !report.status_detail.ok()) {
    return ReportError(state, report.status_detail);
  }
  if (report.status == history::RunStatus::kSkipped) {
    *state.err << "guestbackup: " << report.status_detail.message() << "\n";
  }
  return ExitCodeFor(report.status, report.status_detail);
}

}  // namespace

void RegisterRunCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Back up one job now (what timers and the daemon run)");
  cmd->add_option("job", opts->job, "Job name from the policy")->required();
  cmd->add_option("--trigger", opts->trigger, "Recorded in the history: manual, timer, daemon")
      ->check(CLI::IsMember({"manual", "timer", "daemon", "catch-up"}));
  cmd->add_flag("--json", state.json, "Print the result as JSON (and no progress)");
  cmd->callback([opts, &state] { state.action = [opts, &state] { return RunRun(*opts, state); }; });
}

}  // namespace guestbackup::cli
