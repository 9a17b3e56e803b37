#include "lean/policy/bandwidth.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "lean/base/quoted.h"
#include "lean/schedule/calendar_spec.h"

namespace guestbackup::policy {
namespace {

struct RateUnit {
  std::string_view name;
  double bytes;  // per unit
};

// Longest names first where one is the start of another ("MiB" before "MB" does not matter,
// but "B" must come last). FormatByteRate tries them in this order too, so binary units,
// which are what people mean by a file's size, win when both are exact.
constexpr std::array<RateUnit, 11> kUnits = {{
    {"GiB", 1024.0 * 1024 * 1024},
    {"MiB", 1024.0 * 1024},
    {"KiB", 1024.0},
    {"Gbit", 1e9 / 8},
    {"Mbit", 1e6 / 8},
    {"kbit", 1e3 / 8},
    {"GB", 1e9},
    {"MB", 1e6},
    {"kB", 1e3},
    {"KB", 1e3},
    {"B", 1.0},
}};

// Below this kopia's requests would time out waiting for their own bytes.
constexpr ByteRate kSlowestRate = 1024;

constexpr std::string_view kRateForm =
    "; expected a rate such as \"20MiB/s\", \"500KiB/s\", \"100Mbit/s\" or \"unlimited\"";
constexpr std::string_view kWindowForm =
    "; expected days and a time span such as \"Mon..Fri 08:00-18:00\"";

template <typename T>
std::optional<T> Fail(BandwidthTextError* error, std::string message, std::size_t offset) {
  if (error != nullptr) *error = {std::move(message), static_cast<int>(offset)};
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "HH:MM" at `text[pos]`, 00:00 .. 24:00 (24:00 only where `allow_24`); minutes of the day.
std::optional<int> ParseClock(std::string_view text, std::size_t pos, bool allow_24,
                              BandwidthTextError* error) {
  const std::string_view clock = text.substr(pos, 5);
  if (clock.size() != 5 || !IsDigit(clock[0]) || !IsDigit(clock[1]) || clock[2] != ':' ||
      !IsDigit(clock[3]) || !IsDigit(clock[4])) {
    return Fail<int>(error, "invalid time " + Quoted(clock) + "; expected HH:MM", pos);
  }
  const int hour = (clock[0] - '0') * 10 + (clock[1] - '0');
  const int minute = (clock[3] - '0') * 10 + (clock[4] - '0');
  if (minute > 59) return Fail<int>(error, "invalid minute in " + Quoted(clock), pos + 3);
  if (hour > 24 || (hour == 24 && (minute != 0 || !allow_24))) {
    return Fail<int>(error,
                     "invalid hour in " + Quoted(clock) + (allow_24 ? "; at most 24:00" : ""), pos);
  }
  return hour * 60 + minute;
}

// The days part: a calendar expression's weekday spec and nothing else (no date, no time).
std::optional<std::uint8_t> ParseDays(std::string_view days, BandwidthTextError* error) {
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (days[i] == ':' || days[i] == '-' || days[i] == ' ') {
      return Fail<std::uint8_t>(
          error,
          "unexpected " + Quoted(days.substr(i, 1)) + " in the days" + std::string(kWindowForm), i);
    }
  }
  // With a date and a time of its own after it, the parser accepts weekdays only here.
  const schedule::CalendarResult spec =
      schedule::ParseCalendar(std::string(days) + " *-*-* 00:00:00");
  if (!spec.ok()) {
    const std::size_t offset = std::min(spec.error().offset, days.size());
    return Fail<std::uint8_t>(error, "invalid days " + Quoted(days) + ": " + spec.error().message,
                              offset);
  }
  return spec->weekdays == 0 ? std::uint8_t{0x7f} : spec->weekdays;
}

}  // namespace

std::optional<ByteRate> ParseByteRate(std::string_view text, BandwidthTextError* error) {
  if (text == "unlimited") return kUnlimited;
  std::size_t pos = 0;
  while (pos < text.size() && (IsDigit(text[pos]) || text[pos] == '.')) ++pos;
  const std::string_view number = text.substr(0, pos);
  if (number.empty() || number.front() == '.' || number.back() == '.' ||
      number.find('.') != number.rfind('.')) {
    return Fail<ByteRate>(error, "invalid rate " + Quoted(text) + std::string(kRateForm), 0);
  }
  double value = 0;
  std::from_chars(number.data(), number.data() + number.size(), value);  // checked above
  if (pos < text.size() && text[pos] == ' ') ++pos;
  std::string_view rest = text.substr(pos);
  if (!rest.ends_with("/s")) {
    return Fail<ByteRate>(error, "missing \"/s\" in " + Quoted(text) + std::string(kRateForm),
                          text.size());
  }
  rest.remove_suffix(2);
  for (const RateUnit& unit : kUnits) {
    if (rest != unit.name) continue;
    const double bytes = std::round(value * unit.bytes);
    if (value == 0) {
      return Fail<ByteRate>(error,
                            "a rate of 0 would stop every transfer; use \"unlimited\" "
                            "for no limit",
                            0);
    }
    if (bytes < static_cast<double>(kSlowestRate)) {
      return Fail<ByteRate>(error, Quoted(text) + " is too slow: at least 1KiB/s", 0);
    }
    if (bytes > 1e15) return Fail<ByteRate>(error, Quoted(text) + " is too large", 0);
    return static_cast<ByteRate>(bytes);
  }
  return Fail<ByteRate>(error, "unknown unit " + Quoted(rest) + std::string(kRateForm), pos);
}

std::string FormatByteRate(ByteRate rate) {
  if (rate == kUnlimited) return "unlimited";
  for (const RateUnit& unit : kUnits) {
    const auto per_unit = static_cast<ByteRate>(unit.bytes);
    if (unit.name.ends_with("bit") || per_unit == 0 || rate % per_unit != 0) continue;
    return std::to_string(rate / per_unit) + std::string(unit.name) + "/s";
  }
  return std::to_string(rate) + "B/s";
}

bool WeeklyWindow::Contains(int weekday, int minute) const {
  const auto on = [this](int day) { return (weekdays >> day & 1) != 0; };
  if (start_minute < end_minute)
    return on(weekday) && minute >= start_minute && minute < end_minute;
  // Past midnight: the evening of a listed day, or the morning after one.
  return (on(weekday) && minute >= start_minute) || (on((weekday + 6) % 7) && minute < end_minute);
}

std::optional<WeeklyWindow> ParseWeeklyWindow(std::string_view text, BandwidthTextError* error) {
  WeeklyWindow window;
  if (text.empty())
    return Fail<WeeklyWindow>(error, "must not be empty" + std::string(kWindowForm), 0);
  // The time span, when there is one, is the last word.
  const std::size_t space = text.rfind(' ');
  const std::size_t span_at = space == std::string_view::npos ? 0 : space + 1;
  const std::string_view last = text.substr(span_at);
  const bool has_span = last.find(':') != std::string_view::npos;
  if (has_span) {
    auto start = ParseClock(text, span_at, false, error);
    if (!start) return std::nullopt;
    if (text.size() < span_at + 6 || text[span_at + 5] != '-') {
      return Fail<WeeklyWindow>(
          error, "expected \"-\" and the end of the time span" + std::string(kWindowForm),
          span_at + 5);
    }
    auto end = ParseClock(text, span_at + 6, true, error);
    if (!end) return std::nullopt;
    if (text.size() != span_at + 11) {
      return Fail<WeeklyWindow>(error, "unexpected text after the time span", span_at + 11);
    }
    if (*start == *end) {
      return Fail<WeeklyWindow>(
          error, "the time span is empty; leave the time out for the whole day", span_at);
    }
    window.start_minute = *start;
    window.end_minute = *end == 0 ? 24 * 60 : *end;
  }
  std::string_view days = has_span ? text.substr(0, span_at) : text;
  while (!days.empty() && days.back() == ' ') days.remove_suffix(1);
  if (!days.empty()) {
    auto weekdays = ParseDays(days, error);
    if (!weekdays) return std::nullopt;
    window.weekdays = *weekdays;
  }
  return window;
}

bool BandwidthSpec::Unlimited() const {
  return upload == kUnlimited && download == kUnlimited &&
         std::ranges::all_of(windows, [](const BandwidthWindowSpec& w) {
           return w.upload.value_or(kUnlimited) == kUnlimited &&
                  w.download.value_or(kUnlimited) == kUnlimited;
         });
}

ByteRates BandwidthSpec::RatesAt(const std::tm& local) const {
  const int weekday = (local.tm_wday + 6) % 7;  // tm: 0 = Sunday
  const int minute = local.tm_hour * 60 + local.tm_min;
  for (const BandwidthWindowSpec& w : windows) {
    if (w.window.Contains(weekday, minute)) {
      return {w.upload.value_or(upload), w.download.value_or(download)};
    }
  }
  return {upload, download};
}

}  // namespace guestbackup::policy
