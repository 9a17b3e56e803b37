#include "agent_log.h"

#include <ctime>
#include <sstream>

namespace guestbackup::bench {
namespace {

// "2025-01-02T03:04:05.678Z" -> Unix milliseconds.
std::optional<std::int64_t> ParseTimestamp(std::string_view text) {
  std::tm tm{};
  int millis = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) != 7) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + millis;
}

// "/path/kopia snapshot create /dir --json ..." -> "snapshot create": the two words after
// the program, which name the kopia command.
std::string Label(std::string_view command) {
  std::istringstream words{std::string(command)};
  std::string program, noun, verb;
  words >> program >> noun >> verb;
  return noun + " " + verb;
}

}  // namespace

AgentLog ParseAgentLog(std::string_view text) {
  static constexpr std::string_view kStarting = "debug starting: ";
  static constexpr std::string_view kEnded = " ended after ";
  AgentLog log;
  std::optional<ChildRecord> open;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) continue;
    const auto when = ParseTimestamp(line.substr(0, space));
    if (!when) continue;
    if (!log.first_unix_ms) log.first_unix_ms = when;
    log.last_unix_ms = when;
    const std::string_view rest = line.substr(space + 1);
    if (rest.substr(0, kStarting.size()) == kStarting) {
      open = ChildRecord{Label(rest.substr(kStarting.size())), *when, 0, 0};
    } else if (const auto ended = rest.find(kEnded);
               open && rest.substr(0, 10) == "debug pid " && ended != std::string_view::npos) {
      open->end_unix_ms = *when;
      open->duration_ms = std::atoll(std::string(rest.substr(ended + kEnded.size())).c_str());
      log.children.push_back(*open);
      open.reset();
    }
  }
  return log;
}

std::int64_t ChildMs(const AgentLog& log, std::string_view label) {
  std::int64_t sum = 0;
  for (const auto& c : log.children) {
    if (label.empty() || c.label == label) sum += c.duration_ms;
  }
  return sum;
}

}  // namespace guestbackup::bench
