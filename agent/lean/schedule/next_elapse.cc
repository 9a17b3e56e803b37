// The next-elapse search. It walks the broken-down time field by field, from the year down to
// the second, and lets the C library's mktime()/timegm() renormalize after each step. Those
// renormalizations are what make the result DST-correct, and doing them in the same order as
// systemd makes our answers identical to its timers' (checked against systemd-analyze).
#include "lean/schedule/next_elapse.h"

#include <ctime>
#include <mutex>
#include <tuple>

#include "lean/base/civil_time.h"

namespace guestbackup::schedule {
namespace {

// Enough for any expression that can fire at all, even when the next elapse is a century
// away; a search that has not settled by then is caught in a cycle (see NextElapseUs).
constexpr int kMaxSteps = 1000;

// How often a search caught in a cycle starts again an hour later before giving up.
constexpr int kMaxRestarts = 48;
constexpr std::int64_t kHourUs = std::int64_t{3600} * kMicrosPerSecond;

// After this (9999-12-30 23:59:59 UTC) times can no longer be written with a 4-digit year.
constexpr std::int64_t kLastFormattableUs = 253'402'214'399'999'999;

// The fields in the order the search fixes them.
enum class Level { kYear, kMonth, kDay, kHour, kMinute, kSecond };

enum class Match {
  kUnchanged,  // the current value already matches
  kAdvanced,   // moved forward to the earliest matching value
  kNone,       // nothing at or after the current value matches
};

enum class Bounds {
  kValid,         // the fields name a real time and renormalizing changed nothing
  kMovedForward,  // they did not (a 31st in a short month, an hour skipped by DST); the
                  // fields now hold the time the C library made of them, lower fields reset
  kInvalid,       // past kMaxCalendarYear, unrepresentable, or renormalized backwards
};

// The outcome of one search: a time, kNever (no match up to kMaxCalendarYear), or kCycle.
struct SearchResult {
  enum Kind { kFound, kNever, kCycle } kind;
  std::int64_t unix_us = 0;
};

class ElapseSearch {
 public:
  ElapseSearch(const CalendarSpec& spec, const std::tm& start, int micros)
      : spec_(spec),
        utc_(spec.zone == CalendarZone::kUtc),
        start_(start),
        start_micros_(micros),
        tm_(start),
        micros_(micros) {}

  SearchResult Run() {
    for (int step = 0; step < kMaxSteps; ++step) {
      ToEpoch(tm_);  // renormalize whatever the last step left behind
      if (!keep_normalized_dst_) tm_.tm_isdst = spec_.local_dst;

      // Years only go forward: no matching year means no elapse ever again.
      if (Advance(Level::kYear) == Match::kNone || Renormalize() != Bounds::kValid) {
        return {SearchResult::kNever};
      }
      if (!Settle(Level::kMonth) || !Settle(Level::kDay)) continue;
      if (!MatchesWeekday()) {
        CarryInto(Level::kDay);
        continue;
      }
      if (!Settle(Level::kHour) || !Settle(Level::kMinute) || !Settle(Level::kSecond)) continue;
      if (!AfterStart()) {
        // A wall-clock time next to a DST change resolved to one before the start (mktime()
        // picks a side of the change). Move an hour on and from now on keep the DST flag
        // mktime() found instead of asking again, which is what gets systemd unstuck.
        keep_normalized_dst_ = true;
        ++tm_.tm_hour;
        continue;
      }

      const std::time_t seconds = ToEpoch(tm_);
      if (seconds < 0) return {SearchResult::kNever};
      return {SearchResult::kFound,
              static_cast<std::int64_t>(seconds) * kMicrosPerSecond + micros_};
    }
    return {SearchResult::kCycle};
  }

 private:
  std::time_t ToEpoch(std::tm& tm) const { return utc_ ? TimeFromUtcTm(&tm) : std::mktime(&tm); }

  const CalendarChain& ChainOf(Level level) const {
    switch (level) {
      case Level::kYear:
        return spec_.year;
      case Level::kMonth:
        return spec_.month;
      case Level::kDay:
        return spec_.day;
      case Level::kHour:
        return spec_.hour;
      case Level::kMinute:
        return spec_.minute;
      case Level::kSecond:
        break;
    }
    return spec_.second_micros;
  }

  // The field's value in the chain's numbering: full years, months from 1, microseconds
  // within the minute.
  int Get(Level level) const {
    switch (level) {
      case Level::kYear:
        return tm_.tm_year + 1900;
      case Level::kMonth:
        return tm_.tm_mon + 1;
      case Level::kDay:
        return tm_.tm_mday;
      case Level::kHour:
        return tm_.tm_hour;
      case Level::kMinute:
        return tm_.tm_min;
      case Level::kSecond:
        break;
    }
    return tm_.tm_sec * kMicrosPerSecond + micros_;
  }

  void Set(Level level, int value) {
    switch (level) {
      case Level::kYear:
        tm_.tm_year = value - 1900;
        return;
      case Level::kMonth:
        tm_.tm_mon = value - 1;
        return;
      case Level::kDay:
        tm_.tm_mday = value;
        return;
      case Level::kHour:
        tm_.tm_hour = value;
        return;
      case Level::kMinute:
        tm_.tm_min = value;
        return;
      case Level::kSecond:
        tm_.tm_sec = value / kMicrosPerSecond;
        micros_ = value % kMicrosPerSecond;
        return;
    }
  }

  // Sets every field below `level` to its first value.
  void ResetBelow(Level level) {
    switch (level) {
      case Level::kYear:
        tm_.tm_mon = 0;
        [[fallthrough]];
      case Level::kMonth:
        tm_.tm_mday = 1;
        [[fallthrough]];
      case Level::kDay:
        tm_.tm_hour = 0;
        [[fallthrough]];
      case Level::kHour:
        tm_.tm_min = 0;
        [[fallthrough]];
      case Level::kMinute:
        tm_.tm_sec = 0;
        micros_ = 0;
        [[fallthrough]];
      case Level::kSecond:
        break;
    }
  }

  // Moves to the start of the next day, hour, ... (mktime() carries any overflow upwards).
  void CarryInto(Level level) {
    Set(level, Get(level) + 1);
    ResetBelow(level);
  }

  // The day of the month `from_end` days before the month's end (1 = the last day), or -1
  // when the month is too short for it.
  int DayFromEnd(int from_end) const {
    std::tm t = tm_;
    t.tm_mon += 1;
    t.tm_mday = 1 - from_end;
    if (ToEpoch(t) < 0 || t.tm_mon != tm_.tm_mon) return -1;
    return t.tm_mday;
  }

  // The earliest value at or after the current one that an element of the chain matches.
  Match Advance(Level level) {
    const CalendarChain& chain = ChainOf(level);
    if (chain.empty()) return Match::kUnchanged;  // "*"
    const bool from_end = level == Level::kDay && spec_.end_of_month;
    const int current = Get(level);
    std::optional<int> best;
    for (const CalendarComponent& c : chain) {
      int start = c.start;
      int stop = c.stop;
      if (from_end) {
        // "~1..3" counts back from the month's end, so its days run from ~3 up to ~1.
        start = DayFromEnd(c.start);
        stop = DayFromEnd(c.stop);
        if (stop > 0) std::swap(start, stop);
      }
      int candidate;
      if (start >= current) {
        candidate = start;
      } else if (c.repeat > 0) {
        candidate = start + c.repeat * ((current - start + c.repeat - 1) / c.repeat);
        if (stop >= 0 && candidate > stop) continue;
      } else {
        continue;
      }
      if (!best || candidate < *best) best = candidate;
    }
    if (!best) return Match::kNone;
    if (*best == current) return Match::kUnchanged;
    Set(level, *best);
    ResetBelow(level);
    return Match::kAdvanced;
  }

  // Asks the C library whether the fields name a real time; see Bounds.
  Bounds Renormalize() {
    if (tm_.tm_year + 1900 > kMaxCalendarYear) return Bounds::kInvalid;
    std::tm t = tm_;
    if (ToEpoch(t) < 0) return Bounds::kInvalid;
    // The first field that changed decides the direction; the ones below it restart from
    // their first value, since the change may have skipped over matches.
    int order = 0;
    auto differs = [&order](int now, int before) {
      order = now < before ? -1 : now > before ? 1 : 0;
      return order != 0;
    };
    if (differs(t.tm_year, tm_.tm_year)) {
      t.tm_mon = 0;
    } else if (differs(t.tm_mon, tm_.tm_mon)) {
      t.tm_mday = 1;
    } else if (differs(t.tm_mday, tm_.tm_mday)) {
      t.tm_hour = 0;
    } else if (differs(t.tm_hour, tm_.tm_hour)) {
      t.tm_min = 0;
    } else if (differs(t.tm_min, tm_.tm_min)) {
      t.tm_sec = 0;
    } else {
      differs(t.tm_sec, tm_.tm_sec);
    }
    if (order < 0) return Bounds::kInvalid;
    if (order == 0) return Bounds::kValid;
    tm_ = t;
    return Bounds::kMovedForward;
  }

  // Fixes `level`; false when the search must start over from the top (after moving on to
  // the next value of the field above when this one has no match left).
  bool Settle(Level level) {
    const Match match = Advance(level);
    const Bounds bounds = match == Match::kNone ? Bounds::kInvalid : Renormalize();
    if (bounds == Bounds::kInvalid) {
      CarryInto(static_cast<Level>(static_cast<int>(level) - 1));
      return false;
    }
    return bounds == Bounds::kValid;
  }

  // Whether the fields (not the instant: they may name either side of a fall-back) are at or
  // after the start's.
  bool AfterStart() const {
    const auto fields = [](const std::tm& t, int micros) {
      return std::tuple(t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, micros);
    };
    return fields(tm_, micros_) >= fields(start_, start_micros_);
  }

  bool MatchesWeekday() const {
    if (spec_.weekdays == 0) return true;
    std::tm t = tm_;
    if (ToEpoch(t) < 0) return false;
    const int monday_based = (t.tm_wday + 6) % 7;
    return (spec_.weekdays & (1U << monday_based)) != 0;
  }

  const CalendarSpec& spec_;
  const bool utc_;
  const std::tm start_;
  const int start_micros_;
  std::tm tm_;  // the candidate
  int micros_;
  bool keep_normalized_dst_ = false;
};

// mktime() starts from the offset it found last, and for a wall-clock time next to a DST
// change that start can decide the answer. One search at a time keeps another thread's
// mktime() calls out of the middle of ours, so answers are repeatable.
std::mutex& SearchMutex() {
  static std::mutex mutex;
  return mutex;
}

// One search from `from_us` (inclusive).
SearchResult SearchFrom(const CalendarSpec& spec, std::int64_t from_us) {
  const auto seconds = static_cast<std::time_t>(from_us / kMicrosPerSecond);
  std::tm start{};
  if (spec.zone == CalendarZone::kUtc) {
    UtcTm(seconds, &start);
  } else {
    LocalTm(seconds, &start);
  }
  return ElapseSearch(spec, start, static_cast<int>(from_us % kMicrosPerSecond)).Run();
}

}  // namespace

std::optional<std::int64_t> NextElapseUs(const CalendarSpec& spec, std::int64_t after_us) {
  if (after_us > kLastFormattableUs) return std::nullopt;
  const std::int64_t from = after_us < 0 ? 0 : after_us + 1;
  const std::lock_guard<std::mutex> lock(SearchMutex());
  ReloadTimeZone();
  // Next to some DST changes (zones whose change is not a whole hour away from the offset,
  // such as Pacific/Chatham) the search can cycle, and systemd gives up on the timer. A
  // backup schedule should rather go on: search again from each following hour (from the
  // hour itself: an elapse exactly an hour later is after `after_us` too).
  for (int restart = 0; restart <= kMaxRestarts; ++restart) {
    const SearchResult result =
        SearchFrom(spec, restart == 0 ? from : from - 1 + restart * kHourUs);
    if (result.kind == SearchResult::kFound) return result.unix_us;
    if (result.kind == SearchResult::kNever) return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::int64_t> NextElapseMs(const CalendarSpec& spec, std::int64_t after_ms) {
  const std::optional<std::int64_t> us = NextElapseUs(spec, after_ms * 1000 + 999);
  if (!us) return std::nullopt;
  return (*us + 999) / 1000;
}

}  // namespace guestbackup::schedule
