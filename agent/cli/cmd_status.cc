// `guestbackup status`: per job, the last run and the last success, from the local history.
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/history_json.h"
#include "cli/table.h"
#include "core/base/time_format.h"

namespace guestbackup::cli {
namespace {

int RunStatus(CliState& state) {
  auto context = runner::LoadAgentContext(state.agent);
  if (!context.ok()) return ReportError(state, context.status());
  auto history = history::HistoryDb::Open(context->HistoryPath());
  if (!history.ok()) return ReportError(state, history.status());

  nlohmann::json jobs = nlohmann::json::array();
  Table table({"JOB", "SCHEDULE", "LAST RUN", "RESULT", "LAST SUCCESS", "MESSAGE"});
  for (const auto& job : context->policy.jobs) {
    auto last = (*history)->LastRun(job.name);
    if (!last.ok()) return ReportError(state, last.status());
    auto success = (*history)->LastSuccess(job.name);
    if (!success.ok()) return ReportError(state, success.status());
    const auto& l = *last;
    const auto& s = *success;
    jobs.push_back(
        {{"job", job.name},
         {"paths", job.paths},
         {"schedule", job.schedule},
         {"last_run", l ? RunRecordJson(*l) : nlohmann::json()},
         {"last_success", s ? nlohmann::json(FormatRfc3339Utc(s->start_ms)) : nlohmann::json()}});
    table.AddRow({job.name, job.schedule.empty() ? "manual" : job.schedule,
                  l ? FormatLocalTime(l->start_ms) : "never",
                  l ? std::string(history::RunStatusName(l->status)) : "-",
                  s ? FormatLocalTime(s->start_ms) : "never", l ? l->message : ""});
  }
  if (state.json) {
    *state.out << nlohmann::json{{"policy", context->policy.source_path},
                                 {"server", context->policy.server.url},
                                 {"jobs", jobs}}
                      .dump(2)
               << "\n";
  } else {
    *state.out << "policy: " << context->policy.source_path << "\n"
               << "server: "
               << (context->policy.server.url.empty() ? "(none)" : context->policy.server.url)
               << "\n\n";
    table.Print(*state.out);
  }
  return kExitOk;
}

}  // namespace

void RegisterStatusCommand(CLI::App& app, CliState& state) {
  CLI::App* cmd = app.add_subcommand("status", "Show each job's last run and last success");
  cmd->add_flag("--json", state.json, "Print JSON");
  cmd->callback([&state] { state.action = [&state] { return RunStatus(state); }; });
}

}  // namespace guestbackup::cli
