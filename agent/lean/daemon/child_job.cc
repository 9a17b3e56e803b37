#include "lean/daemon/child_job.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "lean/base/time_format.h"

namespace guestbackup::daemon {
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
