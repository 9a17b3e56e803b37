// Formatting a CalendarSpec in systemd's normalized form, and the local zone's names.
#include "lean/schedule/calendar_spec.h"

#include <ctime>
#include <string>

#include "lean/base/civil_time.h"

namespace guestbackup::schedule {
namespace {

constexpr std::array<std::string_view, 7> kWeekdayNames = {"Mon", "Tue", "Wed", "Thu",
                                                           "Fri", "Sat", "Sun"};

// Consecutive days are written as a range ("Mon..Wed"), two in a row as a list ("Sat,Sun").
std::string FormatWeekdays(std::uint8_t bits) {
  std::string out;
  int run_start = -1;
  auto close_run = [&](int end) {  // `end` is one past the run's last day
    if (end > run_start + 1) {
      out += end > run_start + 2 ? ".." : ",";
      out += kWeekdayNames[end - 1];
    }
    run_start = -1;
  };
  for (int day = 0; day < 7; ++day) {
    if ((bits & (1U << day)) != 0) {
      if (run_start < 0) {
        if (!out.empty()) out += ',';
        out += kWeekdayNames[day];
        run_start = day;
      }
    } else if (run_start >= 0) {
      close_run(day);
    }
  }
  if (run_start >= 0) close_run(7);
  return out;
}

std::string Padded(int value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

// `scale` is kMicrosPerSecond for seconds (printed with a six-digit fraction when not whole).
std::string FormatValue(int value, int width, int scale) {
  std::string out = Padded(value / scale, width);
  if (value % scale > 0) out += "." + Padded(value % scale, 6);
  return out;
}

std::string FormatChain(const CalendarChain& chain, int width, int scale) {
  if (chain.empty()) return "*";
  if (scale > 1) {
    for (const CalendarComponent& c : chain) {
      // One element covering every whole second makes the whole field "*".
      if (c.start == 0 && c.stop < 0 && c.repeat == scale) return "*";
    }
  }
  std::string out;
  for (const CalendarComponent& c : chain) {
    if (!out.empty()) out += ',';
    out += FormatValue(c.start, width, scale);
    if (c.stop > 0) out += ".." + FormatValue(c.stop, width, scale);
    // A range's implied step of one unit is not written.
    if (c.repeat > 0 && (c.stop <= 0 || c.repeat != scale)) {
      out += "/" + std::to_string(c.repeat / scale);
      if (c.repeat % scale > 0) out += "." + Padded(c.repeat % scale, 6);
    }
  }
  return out;
}

}  // namespace

std::string CalendarSpec::Normalized() const {
  std::string out;
  if (weekdays != 0) out = FormatWeekdays(weekdays) + " ";
  out += FormatChain(year, 4, 1);
  out += '-';
  out += FormatChain(month, 2, 1);
  out += end_of_month ? '~' : '-';
  out += FormatChain(day, 2, 1);
  out += ' ';
  out += FormatChain(hour, 2, 1);
  out += ':';
  out += FormatChain(minute, 2, 1);
  out += ':';
  out += FormatChain(second_micros, 2, kMicrosPerSecond);
  if (zone == CalendarZone::kUtc) {
    out += " UTC";
  } else if (!local_zone_name.empty()) {
    out += " " + local_zone_name;
  }
  return out;
}

CalendarParseOptions LocalCalendarParseOptions() {
  ReloadTimeZone();
  CalendarParseOptions options;
  for (int i = 0; i < 2; ++i) options.local_zone_names[i] = LocalZoneName(i);
  return options;
}

}  // namespace guestbackup::schedule
