#include "full/restore/at_time.h"

#include <chrono>
#include <ctime>
#include <regex>
#include <string>

#include "lean/base/civil_time.h"
#include "lean/base/time_format.h"

namespace guestbackup::restore {
namespace {

// Local midnight of the day containing `ms`, shifted by `day_offset` days, plus h:m:s.
// mktime normalizes out-of-range days and resolves DST for the wall-clock time asked for.
std::int64_t LocalDayTime(std::int64_t ms, int day_offset, int h, int m, int s) {
  const auto secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  LocalTm(secs, &tm);
  tm.tm_mday += day_offset;
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_sec = s;
  tm.tm_isdst = -1;
  return static_cast<std::int64_t>(std::mktime(&tm)) * 1000;
}

std::int64_t LocalDate(int y, int mo, int d, int h, int mi, int s) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  tm.tm_isdst = -1;
  return static_cast<std::int64_t>(std::mktime(&tm)) * 1000;
}

int Int(const std::ssub_match& m, int fallback = 0) {
  return m.matched ? std::stoi(m.str()) : fallback;
}

}  // namespace

Result<std::int64_t> ParseAtTime(std::string_view text_in, std::int64_t now_ms) {
  std::string text(text_in);
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!text.empty() && text.back() == ' ') text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(0, 1);

  if (text == "now") return now_ms;
  if (auto rfc = ParseRfc3339(text_in); rfc.ok()) return rfc;

  static const std::regex kDay(R"(^(today|yesterday)(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$)");
  static const std::regex kAgo(
      R"(^(\d{1,9})\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hour|hours|d|day|days|w|week|weeks)\s+ago$)");
  static const std::regex kDate(
      R"(^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?$)");
  std::smatch m;
  if (std::regex_match(text, m, kDay)) {
    const int offset = m[1].str() == "yesterday" ? -1 : 0;
    const int h = Int(m[2]);
    const int mi = Int(m[3]);
    const int s = Int(m[4]);
    if (h > 23 || mi > 59 || s > 59)
      return InvalidArgument("invalid time of day in \"" + text + "\"");
    return LocalDayTime(now_ms, offset, h, mi, s);
  }
  if (std::regex_match(text, m, kAgo)) {
    const std::int64_t n = std::stoll(m[1].str());
    const char unit = m[2].str()[0];
    const std::int64_t unit_ms = unit == 's'   ? 1000
                                 : unit == 'm' ? 60'000
                                 : unit == 'h' ? 3'600'000
                                 : unit == 'd' ? 86'400'000
                                               : 7 * 86'400'000LL;
    return now_ms - n * unit_ms;
  }
  if (std::regex_match(text, m, kDate)) {
    const int mo = Int(m[2]);
    const int d = Int(m[3]);
    const int h = Int(m[4]);
    const int mi = Int(m[5]);
    const int s = Int(m[6]);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
      return InvalidArgument("invalid date or time in \"" + text + "\"");
    }
    // mktime would roll 2026-02-30 over into March: an impossible date is an error.
    const std::chrono::year_month_day date{std::chrono::year(Int(m[1])),
                                           std::chrono::month(static_cast<unsigned>(mo)),
                                           std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok()) {
      const std::chrono::year_month_day_last last{date.year(),
                                                  std::chrono::month_day_last(date.month())};
      return InvalidArgument("invalid date in \"" + text + "\": " + m[1].str() + "-" + m[2].str() +
                             " has " + std::to_string(static_cast<unsigned>(last.day())) + " days");
    }
    return LocalDate(Int(m[1]), mo, d, h, mi, s);
  }
  return InvalidArgument("cannot read the time \"" + std::string(text_in) +
                         "\"; use RFC 3339 (2026-11-24T14:00:00Z), \"YYYY-MM-DD [HH:MM[:SS]]\", "
                         "\"today 09:30\", \"yesterday 14:00\", \"2 days ago\" or \"now\"");
}

}  // namespace guestbackup::restore
