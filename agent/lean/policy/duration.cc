#include "lean/policy/duration.h"

#include <cstdint>
#include <ranges>
#include <string>

namespace guestbackup::policy {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t millis;
};
// "ms" before "m" so that "500ms" is not read as 500 minutes followed by "s".
constexpr Unit kUnits[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
// Ten years: anything longer is a typo, and the sum stays far from overflowing.
constexpr std::int64_t kMaxMillis = 3650LL * 86'400'000;

Status Invalid(std::string_view text) {
  return InvalidArgument("invalid duration \"" + std::string(text) +
                         "\": expected numbers with units ms, s, m, h or d, e.g. \"30s\" or "
                         "\"1h30m\"");
}

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text == "0") return std::chrono::milliseconds(0);
  if (text.empty()) return Invalid(text);
  std::int64_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      number = number * 10 + (text[pos] - '0');
      if (number > kMaxMillis)
        return InvalidArgument("duration \"" + std::string(text) + "\" is too long");
      ++pos;
    }
    if (pos == digits_start) return Invalid(text);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(pos, u.name.size()) == u.name) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return Invalid(text);
    pos += unit->name.size();
    total += number * unit->millis;
    if (total > kMaxMillis)
      return InvalidArgument("duration \"" + std::string(text) + "\" is too long");
  }
  return std::chrono::milliseconds(total);
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  std::int64_t left = duration.count();
  if (left <= 0) return "0";
  std::string out;
  for (const auto& unit : std::views::reverse(kUnits)) {
    if (left >= unit.millis) {
      out += std::to_string(left / unit.millis) + std::string(unit.name);
      left %= unit.millis;
    }
  }
  return out;
}

}  // namespace guestbackup::policy
