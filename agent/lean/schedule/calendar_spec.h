// Calendar expressions in systemd's OnCalendar syntax ("Mon..Fri *-*-* 09:00", "daily"):
// the parsed, normalized form that both the timer units and the built-in scheduler use.
// Parsing is pure; the only outside input is the local zone's names (CalendarParseOptions).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace guestbackup::schedule {

// One element of a comma-separated list: a value ("5"), a range ("1..5"), a repetition
// ("0/15": 0, 15, 30, ... up to the field's maximum) or a repeated range ("0..20/5").
struct CalendarComponent {
  int start = 0;
  int stop = -1;   // last value of a range (inclusive, already a multiple of `repeat` away
                   // from `start`); -1 when the element is not a range
  int repeat = 0;  // step; 0 when the element does not repeat

  bool operator==(const CalendarComponent&) const = default;
};

// The elements of one field, sorted by (start, stop, repeat) without duplicates.
// An empty chain means "*": every value of the field.
using CalendarChain = std::vector<CalendarComponent>;

inline constexpr int kMicrosPerSecond = 1'000'000;
inline constexpr int kMinCalendarYear = 1970;
inline constexpr int kMaxCalendarYear = 2199;

enum class CalendarZone {
  kLocal,  // the machine's local time zone
  kUtc,
};

// A parsed calendar expression, normalized the way systemd normalizes it, so two spellings of
// the same schedule compare equal. Matching a time T means: T's weekday is in `weekdays` (or
// `weekdays` is 0) and every field of T matches an element of its chain.
struct CalendarSpec {
  // Bit 0 = Monday ... bit 6 = Sunday. 0 = every day (a spec naming all seven is stored as 0).
  std::uint8_t weekdays = 0;
  CalendarChain year;   // 1970..2199 (two-digit years are already expanded: 24 -> 2024)
  CalendarChain month;  // 1..12
  CalendarChain day;    // 1..31; counted back from the month's end when end_of_month is set
  // "~": day 1 is the last day of the month, 2 the day before it, and so on. Never set when
  // `day` is empty.
  bool end_of_month = false;
  CalendarChain hour;    // 0..23
  CalendarChain minute;  // 0..59
  // In microseconds (0 .. 59'999'999). Never empty: "*" is stored as {0, -1, kMicrosPerSecond}
  // (every whole second), because "every microsecond" is not a useful schedule.
  CalendarChain second_micros;
  CalendarZone zone = CalendarZone::kLocal;
  // When the expression named the local zone by its abbreviation ("CET" or "CEST"): 0 for
  // standard time, 1 for daylight saving time, and the name as written by the system.
  // -1 and "" otherwise.
  int local_dst = -1;
  std::string local_zone_name;

  // systemd's normalized form, e.g. "Mon..Fri *-*-* 09:00:00" or "*-*-* 00:00:00 UTC".
  std::string Normalized() const;

  bool operator==(const CalendarSpec&) const = default;
};

// Why an expression was refused. `offset` is the 0-based index in the expression of the
// character the message is about.
struct CalendarError {
  std::size_t offset = 0;
  std::string message;

  bool operator==(const CalendarError&) const = default;
};

// Either a CalendarSpec or the CalendarError that explains why there is none.
class [[nodiscard]] CalendarResult {
 public:
  CalendarResult(CalendarSpec spec) : v_(std::move(spec)) {}  // NOLINT(google-explicit-constructor)
  CalendarResult(CalendarError error)
      : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<CalendarSpec>(v_); }
  const CalendarSpec& value() const& { return std::get<CalendarSpec>(v_); }
  CalendarSpec&& value() && { return std::get<CalendarSpec>(std::move(v_)); }
  const CalendarSpec* operator->() const { return &value(); }
  const CalendarSpec& operator*() const { return value(); }
  // Only valid when !ok().
  const CalendarError& error() const { return std::get<CalendarError>(v_); }

 private:
  std::variant<CalendarSpec, CalendarError> v_;
};

struct CalendarParseOptions {
  // Abbreviations of the local zone for standard and daylight saving time (C's tzname), which
  // an expression may name instead of UTC. Empty strings are ignored.
  std::array<std::string, 2> local_zone_names;
};

// The options for this machine (from the TZ environment variable or /etc/localtime).
CalendarParseOptions LocalCalendarParseOptions();

// Parses and normalizes `text`. Accepts what `systemd-analyze calendar` accepts, except time
// zones other than UTC and the local zone, and "@epoch" timestamps.
CalendarResult ParseCalendar(std::string_view text, const CalendarParseOptions& options);
CalendarResult ParseCalendar(std::string_view text);

}  // namespace guestbackup::schedule
