#include "lean/schedule/elapse_report.h"

#include <array>
#include <cstdio>
#include <ctime>

#include "lean/base/civil_time.h"
#include "lean/schedule/next_elapse.h"

namespace guestbackup::schedule {
namespace {

constexpr std::int64_t kSecondUs = 1'000'000;
constexpr std::int64_t kMinuteUs = 60 * kSecondUs;
constexpr std::int64_t kHourUs = 60 * kMinuteUs;
constexpr std::int64_t kDayUs = 24 * kHourUs;
constexpr std::int64_t kWeekUs = 7 * kDayUs;
// systemd's calendar-free units: a year of 365.25 days and a twelfth of it.
constexpr std::int64_t kYearUs = 31'557'600 * kSecondUs;
constexpr std::int64_t kMonthUs = kYearUs / 12;

std::string Plural(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// Labels are right-aligned to the longest one, "Normalized form".
std::string Line(std::string_view label, std::string_view value) {
  constexpr std::size_t kWidth = 15;
  std::string line(label.size() < kWidth ? kWidth - label.size() : 0, ' ');
  line.append(label).append(": ").append(value).append("\n");
  return line;
}

}  // namespace

std::string FormatElapseTime(std::int64_t unix_us, bool utc) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  const auto seconds = static_cast<std::time_t>(unix_us / kSecondUs);
  std::tm tm{};
  if (utc) {
    UtcTm(seconds, &tm);
  } else {
    LocalTm(seconds, &tm);
  }
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%s %04d-%02d-%02d %02d:%02d:%02d",
                kDays[static_cast<std::size_t>(tm.tm_wday)], tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out = buffer.data();
  // gmtime_r() calls UTC "GMT"; systemd writes "UTC".
  const std::string zone = utc ? "UTC" : LocalZoneName(tm);
  if (!zone.empty()) out.append(" ").append(zone);
  return out;
}

std::string FormatRelativeTime(std::int64_t unix_us, std::int64_t now_us) {
  const std::int64_t d = unix_us >= now_us ? unix_us - now_us : now_us - unix_us;
  const std::string suffix = unix_us >= now_us ? " left" : " ago";
  std::string text;
  if (d >= kYearUs) {
    text = Plural(d / kYearUs, "year", "years") + " " +
           Plural(d % kYearUs / kMonthUs, "month", "months");
  } else if (d >= kMonthUs) {
    text = Plural(d / kMonthUs, "month", "months") + " " +
           Plural(d % kMonthUs / kDayUs, "day", "days");
  } else if (d >= kWeekUs) {
    text = Plural(d / kWeekUs, "week", "weeks") + " " + Plural(d % kWeekUs / kDayUs, "day", "days");
  } else if (d >= 2 * kDayUs) {
    text = std::to_string(d / kDayUs) + " days";
  } else if (d >= 25 * kHourUs) {
    text = "1 day " + std::to_string((d - kDayUs) / kHourUs) + "h";
  } else if (d >= 6 * kHourUs) {
    text = std::to_string(d / kHourUs) + "h";
  } else if (d >= kHourUs) {
    text = std::to_string(d / kHourUs) + "h " + std::to_string(d % kHourUs / kMinuteUs) + "min";
  } else if (d >= 5 * kMinuteUs) {
    text = std::to_string(d / kMinuteUs) + "min";
  } else if (d >= kMinuteUs) {
    text = std::to_string(d / kMinuteUs) + "min " + std::to_string(d % kMinuteUs / kSecondUs) + "s";
  } else if (d >= kSecondUs) {
    text = std::to_string(d / kSecondUs) + "s";
  } else if (d >= 1000) {
    text = std::to_string(d / 1000) + "ms";
  } else if (d > 0) {
    text = std::to_string(d) + "us";
  } else {
    return "now";
  }
  return text + suffix;
}

bool LocalZoneIsUtc() {
  ReloadTimeZone();
  return LocalZoneIsUtcAllYear();
}

std::vector<std::int64_t> NextElapses(const CalendarSpec& spec, std::int64_t from_us, int count) {
  std::vector<std::int64_t> out;
  std::int64_t after = from_us;
  for (int i = 0; i < count; ++i) {
    const std::optional<std::int64_t> next = NextElapseUs(spec, after);
    if (!next) break;
    out.push_back(*next);
    after = *next;
  }
  return out;
}

std::string FormatElapseReport(std::string_view original, const CalendarSpec& spec,
                               std::int64_t from_us, int count) {
  // Like systemd, the original is shown only when it differs from the normalized form.
  const std::string normalized = spec.Normalized();
  std::string out = original == normalized ? "" : Line("Original form", original);
  out += Line("Normalized form", normalized);
  const std::vector<std::int64_t> elapses = NextElapses(spec, from_us, count);
  if (elapses.empty()) return out + Line("Next elapse", "never");
  const bool show_utc = !LocalZoneIsUtc();
  for (std::size_t i = 0; i < elapses.size(); ++i) {
    out += Line(i == 0 ? "Next elapse" : "Iter. #" + std::to_string(i + 1),
                FormatElapseTime(elapses[i], false));
    if (show_utc) out += Line("(in UTC)", FormatElapseTime(elapses[i], true));
    out += Line("From now", FormatRelativeTime(elapses[i], from_us));
  }
  return out;
}

}  // namespace guestbackup::schedule
