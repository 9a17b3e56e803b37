// Broken-down time in UTC and in the machine's zone, the one place the C library's calls for
// it differ: POSIX has gmtime_r/localtime_r/timegm and tm_zone, Windows' C runtime has
// gmtime_s/localtime_s (arguments swapped), _mkgmtime and _get_tzname.
#pragma once

#include <ctime>
#include <string>

namespace guestbackup {

inline bool UtcTm(std::time_t seconds, std::tm* out) {
#ifdef _WIN32
  return gmtime_s(out, &seconds) == 0;
#else
  return gmtime_r(&seconds, out) != nullptr;
#endif
}

inline bool LocalTm(std::time_t seconds, std::tm* out) {
#ifdef _WIN32
  return localtime_s(out, &seconds) == 0;
#else
  return localtime_r(&seconds, out) != nullptr;
#endif
}

// The inverse of UtcTm (normalising out-of-range fields, as mktime does for local time).
inline std::time_t TimeFromUtcTm(std::tm* tm) {
#ifdef _WIN32
  return _mkgmtime(tm);
#else
  return timegm(tm);
#endif
}

// The local zone's names: [0] standard time ("CET"), [1] daylight saving time ("CEST"); on
// Windows as the system gives them ("W. Europe Standard Time"). "" when unknown.
inline std::string LocalZoneName(int daylight) {
#ifdef _WIN32
  char name[128] = "";
  std::size_t size = 0;
  if (_get_tzname(&size, name, sizeof name, daylight != 0 ? 1 : 0) != 0) return "";
  return name;
#else
  const char* name = tzname[daylight != 0 ? 1 : 0];
  return name != nullptr ? name : "";
#endif
}

// The zone's abbreviation for a LocalTm result.
inline std::string LocalZoneName(const std::tm& tm) {
#ifdef _WIN32
  return LocalZoneName(tm.tm_isdst > 0 ? 1 : 0);
#else
  return tm.tm_zone != nullptr ? tm.tm_zone : "";
#endif
}

// True when the local zone is UTC all year: no offset, no daylight saving time.
inline bool LocalZoneIsUtcAllYear() {
#ifdef _WIN32
  long offset = 0;
  int daylight = 0;
  return _get_timezone(&offset) == 0 && _get_daylight(&daylight) == 0 && offset == 0 &&
         daylight == 0;
#else
  return timezone == 0 && daylight == 0;
#endif
}

// Reads TZ again (tzset), after a caller changed it.
inline void ReloadTimeZone() {
#ifdef _WIN32
  _tzset();
#else
  tzset();
#endif
}

}  // namespace guestbackup
