#include "lean/contract/triggers.h"

#include <array>
#include <utility>

namespace guestbackup::contract {
namespace {

constexpr std::array<std::pair<Trigger, std::string_view>, 4> kTriggerNames = {{
    {Trigger::kManual, "manual"},
    {Trigger::kTimer, "timer"},
    {Trigger::kDaemon, "daemon"},
    {Trigger::kCatchUp, "catch-up"},
}};

}  // namespace

std::string_view TriggerName(Trigger trigger) {
  for (const auto& [value, name] : kTriggerNames) {
    if (value == trigger) return name;
  }
  return "unknown";
}

std::optional<Trigger> ParseTrigger(std::string_view name) {
  for (const auto& [value, known] : kTriggerNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> RunTriggerNames() {
  std::vector<std::string> names;
  names.reserve(kTriggerNames.size());
  for (const auto& [value, name] : kTriggerNames) names.emplace_back(name);
  return names;
}

}  // namespace guestbackup::contract
