#include "lean/contract/run_status.h"

#include <array>
#include <utility>

namespace guestbackup::contract {
namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 6> kStatusNames = {{
    {RunStatus::kRunning, "running"},
    {RunStatus::kSucceeded, "succeeded"},
    {RunStatus::kPartial, "partial"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kSkipped, "skipped"},
    {RunStatus::kInterrupted, "interrupted"},
}};

}  // namespace

std::string_view RunStatusName(RunStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<RunStatus> ParseRunStatus(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

}  // namespace guestbackup::contract
