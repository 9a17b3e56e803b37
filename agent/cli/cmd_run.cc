// `guestbackup run JOB`: one backup run of a job, as timers and the daemon start it.
#include <memory>

#include "cli/commands.h"
#include "cli/history_json.h"
#include "cli/progress_display.h"
#include "full/runner/job_runner.h"
#include "lean/contract/command_line.h"
#include "lean/contract/exit_codes.h"
#include "lean/contract/triggers.h"

namespace guestbackup::cli {
namespace {

int PrintRunReport(const runner::RunReport& report, const policy::JobSpec& job, CliState& state) {
  if (state.json) {
    *state.out << RunOutcomeJson(report.run_id, job.name, report.outcome).dump(2) << "\n";
  } else if (report.run_id != 0) {
    *state.out << job.name << ": " << contract::RunStatusName(report.status);
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
  if (report.status == contract::RunStatus::kSkipped) {
    *state.err << "guestbackup: " << report.status_detail.message() << "\n";
  }
  if (!report.recorded.ok()) {
    *state.err << "guestbackup: run " << report.run_id << " of " << job.name << " ("
               << contract::RunStatusName(report.status)
               << ") was not recorded: " << report.recorded.message()
               << "; the history shows it as interrupted until the job's next run records it "
                  "from the server\n";
    return contract::kExitRecordLost;
  }
  return contract::ExitCodeFor(report.status, report.status_detail);
}

int RunRun(const contract::RunArguments& opts, CliState& state) {
  auto context = context::LoadAgentContext(state.options.agent);
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
  run.trigger = contract::ParseTrigger(opts.trigger).value_or(contract::Trigger::kManual);
  run.cancel = state.cancel;
  if (progress.enabled()) {
    run.on_progress = [&](const std::string& path, const kopia::SnapshotProgress& p) {
      progress.Update(path, p);
    };
  }
  runner::RunReport report = runner::RunJob(*context, **history, *job, run);
  progress.Finish();
  // The result is recorded; show it before waiting for the end webhook.
  const int exit_code = PrintRunReport(report, *job, state);
  state.out->flush();
  state.err->flush();
  report.announcer->WaitForDelivery();
  return exit_code;
}

}  // namespace

void RegisterRunCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<contract::RunArguments>();
  CLI::App* cmd = app.add_subcommand("run", "Back up one job now (what timers and the daemon run)");
  contract::AddRunArguments(*cmd, *opts);
  cmd->callback([opts, &state] {
    state.json = opts->json;
    state.action = [opts, &state] { return RunRun(*opts, state); };
  });
}

}  // namespace guestbackup::cli
