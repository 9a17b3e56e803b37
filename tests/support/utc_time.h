// Times for tests: Unix epoch milliseconds of a UTC date and time, and the units to add.
#pragma once

#include <cstdint>
#include <ctime>

#include "lean/base/civil_time.h"

namespace guestbackup::testing {

inline constexpr std::int64_t kMinuteMs = 60'000;
inline constexpr std::int64_t kHourMs = 60 * kMinuteMs;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;

inline std::int64_t Utc(int year, int month, int day, int hour = 0, int minute = 0,
                        int second = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(TimeFromUtcTm(&tm)) * 1000;
}

}  // namespace guestbackup::testing
