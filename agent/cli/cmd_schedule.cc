// `guestbackup schedule next EXPR [--from TIME] [--count N] [--json]`: when a calendar
// expression fires, printed as `systemd-analyze calendar` prints it, so the two can be
// compared. install/remove/list are added to the same `schedule` command elsewhere.
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "full/restore/at_time.h"
#include "lean/base/time_format.h"
#include "lean/contract/exit_codes.h"
#include "lean/schedule/calendar_spec.h"
#include "lean/schedule/elapse_report.h"

namespace guestbackup::cli {
namespace {

struct NextOptions {
  std::string expression;
  std::string from;  // "" = now
  int count = 1;
};

// The message, the expression, and a caret under the character it is about.
void ReportCalendarError(const std::string& expression, const schedule::CalendarError& error,
                         CliState& state) {
  *state.err << "guestbackup: invalid calendar expression: " << error.message << "\n"
             << "  " << expression << "\n"
             << "  " << std::string(error.offset, ' ') << "^\n";
}

std::int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json ElapsesJson(const schedule::CalendarSpec& spec, std::int64_t from_us, int count) {
  nlohmann::json next = nlohmann::json::array();
  for (std::int64_t us : schedule::NextElapses(spec, from_us, count)) {
    next.push_back({{"time", FormatRfc3339Utc(us / 1000)},
                    {"local", schedule::FormatElapseTime(us, false)},
                    {"unix_us", us}});
  }
  return next;
}

int RunNext(const NextOptions& opts, CliState& state) {
  const schedule::CalendarResult spec =
      schedule::ParseCalendar(opts.expression, schedule::LocalCalendarParseOptions());
  if (!spec.ok()) {
    ReportCalendarError(opts.expression, spec.error(), state);
    return contract::kExitUsage;
  }
  std::int64_t from_us = NowUs();
  if (!opts.from.empty()) {
    const Result<std::int64_t> from_ms = restore::ParseAtTime(opts.from, from_us / 1000);
    if (!from_ms.ok()) return ReportError(state, from_ms.status());
    from_us = *from_ms * 1000;
  }
  if (state.json) {
    *state.out << nlohmann::json{{"expression", opts.expression},
                                 {"normalized", spec->Normalized()},
                                 {"from", FormatRfc3339Utc(from_us / 1000)},
                                 {"next", ElapsesJson(*spec, from_us, opts.count)}}
                      .dump(2)
               << "\n";
  } else {
    *state.out << schedule::FormatElapseReport(opts.expression, *spec, from_us, opts.count);
  }
  return contract::kExitOk;
}

}  // namespace

void RegisterScheduleCommand(CLI::App& app, CliState& state) {
  CLI::App* schedule =
      app.add_subcommand("schedule", "Calendar expressions and the systemd timers for the jobs");
  schedule->require_subcommand(1);

  auto next = std::make_shared<NextOptions>();
  CLI::App* cmd = schedule->add_subcommand(
      "next", "When a calendar expression (OnCalendar syntax) fires next; exit 2 if invalid");
  cmd->add_option("expression", next->expression, R"(e.g. "Mon..Fri *-*-* 02:00", "daily")")
      ->required();
  cmd->add_option("--from", next->from,
                  "Compute as if it were this time: RFC 3339, \"YYYY-MM-DD [HH:MM[:SS]]\", "
                  "\"yesterday 14:00\", \"2 days ago\" (default: now)");
  cmd->add_option("--count", next->count, "How many elapses to show")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_flag("--json", state.json, "Print JSON");
  cmd->callback(
      [next, &state] { state.action = [next, &state] { return RunNext(*next, state); }; });
}

}  // namespace guestbackup::cli
