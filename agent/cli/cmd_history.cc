// `guestbackup history [--job J] [--limit N]`: the local record of runs, newest first.
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/history_json.h"
#include "cli/table.h"
#include "full/runner/run_summary.h"
#include "lean/base/time_format.h"
#include "lean/contract/exit_codes.h"

namespace guestbackup::cli {
namespace {

struct HistoryOptions {
  std::string job;
  int limit = 20;
};

std::string Duration(const history::RunRecord& r) {
  if (!r.end_ms) return "-";
  const std::int64_t ms = *r.end_ms - r.start_ms;
  return ms < 10'000 ? std::to_string(ms) + "ms" : std::to_string(ms / 1000) + "s";
}

int RunHistory(const HistoryOptions& opts, CliState& state) {
  auto context = context::LoadAgentContext(state.options.agent);
  if (!context.ok()) return ReportError(state, context.status());
  auto history = history::HistoryDb::OpenForReading(context->HistoryPath());
  if (!history.ok()) return ReportError(state, history.status());
  auto runs = (*history)->ListRuns({opts.job, opts.limit});
  if (!runs.ok()) return ReportError(state, runs.status());

  if (state.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : *runs) list.push_back(RunRecordJson(r));
    *state.out << list.dump(2) << "\n";
    return contract::kExitOk;
  }
  if (runs->empty()) {
    *state.out << "no runs recorded yet\n";
    return contract::kExitOk;
  }
  Table table({"ID", "STARTED", "JOB", "TRIGGER", "STATUS", "TOOK", "FILES", "SIZE", "MESSAGE"});
  for (const auto& r : *runs) {
    table.AddRow({std::to_string(r.id), FormatLocalTime(r.start_ms), r.job, r.trigger,
                  std::string(contract::RunStatusName(r.status)), Duration(r),
                  std::to_string(r.files), runner::HumanBytes(r.bytes), r.message});
  }
  table.Print(*state.out);
  return contract::kExitOk;
}

}  // namespace

void RegisterHistoryCommand(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<HistoryOptions>();
  CLI::App* cmd = app.add_subcommand("history", "Show the local history of runs");
  cmd->add_option("--job", opts->job, "Only this job");
  cmd->add_option("--limit", opts->limit, "At most N runs (0 = all)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", state.json, "Print JSON");
  cmd->callback(
      [opts, &state] { state.action = [opts, &state] { return RunHistory(*opts, state); }; });
}

}  // namespace guestbackup::cli
