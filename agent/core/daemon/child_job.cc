#include "core/daemon/child_job.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/base/time_format.h"

namespace guestbackup::daemon {
namespace {

std::vector<std::string> GlobalArgs(const ChildCommand& command) {
  std::vector<std::string> argv = {command.program, "--policy", command.agent.policy_path};
  if (!command.agent.state_dir.empty()) {
    argv.insert(argv.end(), {"--state-dir", command.agent.state_dir});
  }
  if (!command.agent.kopia_path.empty()) {
    argv.insert(argv.end(), {"--kopia", command.agent.kopia_path});
  }
  if (!command.log_level.empty()) argv.insert(argv.end(), {"--log-level", command.log_level});
  return argv;
}

}  // namespace

std::vector<std::string> RunArgv(const ChildCommand& command, std::string_view job,
                                 std::string_view trigger) {
  std::vector<std::string> argv = GlobalArgs(command);
  argv.insert(argv.end(), {"run", "--trigger", std::string(trigger), std::string(job)});
  return argv;
}

std::vector<std::string> LastRunArgv(const ChildCommand& command, std::string_view job) {
  std::vector<std::string> argv = GlobalArgs(command);
  argv.insert(argv.end(), {"history", "--json", "--job", std::string(job), "--limit", "1"});
  return argv;
}

history::RunStatus StatusForExit(const process::ProcessResult& result) {
  if (!result.exited) {
    return result.cancelled ? history::RunStatus::kInterrupted : history::RunStatus::kFailed;
  }
  switch (result.exit_code) {
    case 0:
      return history::RunStatus::kSucceeded;
    case 3:
      return history::RunStatus::kPartial;
    case 4:
      return history::RunStatus::kSkipped;
    case 130:
      return history::RunStatus::kInterrupted;
    default:
      return history::RunStatus::kFailed;
  }
}

Result<std::optional<std::int64_t>> LastRunStartFromJson(std::string_view json) {
  const nlohmann::json rows = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!rows.is_array()) return InvalidArgument("history --json did not print a list");
  if (rows.empty()) return std::optional<std::int64_t>();
  const auto& row = rows.front();
  if (!row.is_object() || !row.contains("start") || !row["start"].is_string()) {
    return InvalidArgument("history --json row has no start");
  }
  auto start = ParseRfc3339(row["start"].get<std::string>());
  if (!start.ok()) return start.status();
  return std::optional<std::int64_t>(*start);
}

void RelogChildLine(std::string_view line) {
  // "2026-11-24T08:25:09.322Z info message": 24 characters of time, a space, the level.
  if (line.size() > 26 && line[23] == 'Z' && line[24] == ' ') {
    const std::string_view rest = line.substr(25);
    const auto space = rest.find(' ');
    if (space != std::string_view::npos) {
      const auto level = spdlog::level::from_str(std::string(rest.substr(0, space)));
      if (level != spdlog::level::off) {
        spdlog::log(level, "{}", rest.substr(space + 1));
        return;
      }
    }
  }
  spdlog::warn("{}", line);
}

}  // namespace guestbackup::daemon
