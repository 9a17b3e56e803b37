// `guestbackup status`: per job, the last run and the last success from the local history, the
// next run from the schedule, and OVERDUE (computed in full/status/job_status.h).
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/history_json.h"
#include "cli/table.h"
#include "full/discovery/discovery.h"
#include "full/status/job_status.h"
#include "lean/base/time_format.h"
#include "lean/contract/exit_codes.h"
#include "lean/schedule/next_elapse.h"

namespace guestbackup::cli {
namespace {

// When the policy file last changed: a job that never ran has been expected since then.
std::optional<std::int64_t> ModifiedMs(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_time_type modified = std::filesystem::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::file_clock::to_sys(modified).time_since_epoch())
      .count();
}

nlohmann::json TimeJson(const std::optional<std::int64_t>& ms) {
  return ms ? nlohmann::json(FormatRfc3339Utc(*ms)) : nlohmann::json();
}

// The server URL a run would use and where it comes from ("" when discovery finds none).
std::pair<std::string, std::string> DiscoveredUrl(const context::AgentContext& context) {
  const discovery::DiscoveryReport report =
      discovery::Discover(context.discovery, context.policy, /*read_all=*/false);
  const discovery::Decision& url = report[discovery::Item::kUrl];
  if (!url.value || !url.problem.empty()) return {"", ""};
  const discovery::SourceReport& source = report.sources[static_cast<std::size_t>(url.source)];
  return {url.value->value, source.name + (url.value->key.empty() ? "" : ": " + url.value->key)};
}

int RunStatus(CliState& state) {
  auto context = context::LoadAgentContext(state.options.agent);
  if (!context.ok()) return ReportError(state, context.status());
  auto history = history::HistoryDb::OpenForReading(context->HistoryPath());
  if (!history.ok()) return ReportError(state, history.status());

  const std::string machine_id = schedule::MachineId();
  const std::optional<std::int64_t> policy_changed = ModifiedMs(context->policy.source_path);
  const std::int64_t now_ms = NowUnixMs();
  nlohmann::json jobs = nlohmann::json::array();
  Table table(
      {"JOB", "SCHEDULE", "NEXT RUN", "LAST RUN", "RESULT", "LAST SUCCESS", "DUE", "MESSAGE"});
  for (const auto& job : context->policy.jobs) {
    auto last = (*history)->LastRun(job.name);
    if (!last.ok()) return ReportError(state, last.status());
    auto success = (*history)->LastSuccess(job.name);
    if (!success.ok()) return ReportError(state, success.status());
    auto first = (*history)->FirstStartMs(job.name);
    if (!first.ok()) return ReportError(state, first.status());
    const auto& l = *last;
    const auto& s = *success;
    status::JobTimingInput input;
    if (s) input.last_success_ms = s->start_ms;
    input.known_since_ms = *first ? *first : policy_changed;
    input.machine_id = machine_id;
    input.now_ms = now_ms;
    const status::JobTiming timing = status::ComputeJobTiming(job, input);
    jobs.push_back(
        {{"job", job.name},
         {"paths", job.paths},
         {"schedule", job.schedule},
         {"next_run", timing.manual ? nlohmann::json("manual") : TimeJson(timing.next_run_ms)},
         {"last_due", TimeJson(timing.last_due_ms)},
         {"overdue", timing.overdue},
         {"last_run", l ? RunRecordJson(*l) : nlohmann::json()},
         {"last_success", TimeJson(s ? std::optional(s->start_ms) : std::nullopt)}});
    std::string next = "never";
    if (timing.manual) next = "manual";
    if (timing.next_run_ms) next = FormatLocalTime(*timing.next_run_ms);
    table.AddRow({job.name, job.schedule.empty() ? "manual" : job.schedule, next,
                  l ? FormatLocalTime(l->start_ms) : "never",
                  l ? std::string(contract::RunStatusName(l->status)) : "-",
                  s ? FormatLocalTime(s->start_ms) : "never",
                  timing.manual ? "-" : (timing.overdue ? "OVERDUE" : "ok"), l ? l->message : ""});
  }
  const auto [server, server_source] = DiscoveredUrl(*context);
  if (state.json) {
    *state.out << nlohmann::json{{"policy", context->policy.source_path},
                                 {"server", server},
                                 {"server_source", server_source},
                                 {"jobs", jobs}}
                      .dump(2)
               << "\n";
  } else {
    *state.out << "policy: " << context->policy.source_path << "\n"
               << "server: "
               << (server.empty() ? "(none found; see `guestbackup discover`)"
                                  : server + " (" + server_source + ")")
               << "\n\n";
    table.Print(*state.out);
  }
  return contract::kExitOk;
}

}  // namespace

void RegisterStatusCommand(CLI::App& app, CliState& state) {
  CLI::App* cmd = app.add_subcommand(
      "status", "Show each job's last run, last success, next run and whether it is overdue");
  cmd->add_flag("--json", state.json, "Print JSON");
  cmd->callback([&state] { state.action = [&state] { return RunStatus(state); }; });
}

}  // namespace guestbackup::cli
