// Next elapses for chosen cases: DST changes in Berlin and New York, leap years, days that
// some months lack, "~", weekdays, steps, microseconds, UTC, and expressions that never fire.
// Expected values are the ones systemd-analyze prints for the same zone and base time.
#include "lean/schedule/next_elapse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lean/base/time_format.h"
#include "lean/schedule/elapse_report.h"
#include "scoped_tz.h"

namespace guestbackup::schedule {
namespace {

struct ElapseCase {
  const char* zone;
  const char* expr;
  const char* from;                   // RFC 3339
  std::vector<std::string> expected;  // local times; empty = never fires
};

std::int64_t Us(const char* rfc3339) {
  const Result<std::int64_t> ms = ParseRfc3339(rfc3339);
  EXPECT_TRUE(ms.ok()) << rfc3339;
  return ms.ok() ? *ms * 1000 : 0;
}

std::vector<std::string> Elapses(const ElapseCase& c) {
  const ScopedTz tz(c.zone);
  const CalendarResult spec = ParseCalendar(c.expr, LocalCalendarParseOptions());
  EXPECT_TRUE(spec.ok()) << c.expr << ": " << spec.error().message;
  if (!spec.ok()) return {};
  std::vector<std::string> out;
  for (std::int64_t us : NextElapses(*spec, Us(c.from), static_cast<int>(c.expected.size()) + 1)) {
    out.push_back(FormatElapseTime(us, false));
  }
  if (out.size() > c.expected.size()) out.resize(c.expected.size());
  if (c.expected.empty()) {
    EXPECT_TRUE(out.empty()) << c.expr << " fires at " << out.front();
  }
  return out;
}

void ExpectCases(const std::vector<ElapseCase>& cases) {
  for (const ElapseCase& c : cases) {
    EXPECT_EQ(Elapses(c), c.expected) << c.zone << " '" << c.expr << "' from " << c.from;
  }
}

TEST(NextElapse, SpringForwardSkipsTheMissingHour) {
  ExpectCases({
      // 02:00..02:59 do not exist in Berlin on 2024-03-31: that day has no 02:30.
      {"Europe/Berlin",
       "*-*-* 02:30",
       "2024-03-30T12:00:00Z",
       {"Mon 2024-04-01 02:30:00 CEST", "Tue 2024-04-02 02:30:00 CEST"}},
      {"Europe/Berlin",
       "*:0/30",
       "2024-03-30T23:00:00Z",
       {"Sun 2024-03-31 00:30:00 CET", "Sun 2024-03-31 01:00:00 CET", "Sun 2024-03-31 01:30:00 CET",
        "Sun 2024-03-31 03:00:00 CEST"}},
      {"America/New_York",
       "*-*-* 02:15",
       "2024-03-10T04:00:00Z",
       {"Mon 2024-03-11 02:15:00 EDT", "Tue 2024-03-12 02:15:00 EDT"}},
  });
}

TEST(NextElapse, FallBackFiresTheRepeatedHourOnce) {
  ExpectCases({
      // 02:00..02:59 happen twice in Berlin on 2024-10-27 (CEST, then CET): one run each.
      {"Europe/Berlin",
       "*-*-* 02:30",
       "2024-10-26T12:00:00Z",
       {"Sun 2024-10-27 02:30:00 CEST", "Mon 2024-10-28 02:30:00 CET"}},
      {"Europe/Berlin",
       "*:0/30",
       "2024-10-26T23:00:00Z",
       {"Sun 2024-10-27 01:30:00 CEST", "Sun 2024-10-27 02:00:00 CEST",
        "Sun 2024-10-27 02:30:00 CEST", "Sun 2024-10-27 03:00:00 CET",
        "Sun 2024-10-27 03:30:00 CET"}},
      {"America/New_York",
       "*-*-* 01:30",
       "2024-11-03T03:00:00Z",
       {"Sun 2024-11-03 01:30:00 EDT", "Mon 2024-11-04 01:30:00 EST"}},
  });
}

// systemd gives up here ("Infinite loop in calendar calculation") after the first elapse:
// 02:45 becomes 03:45 on the Chatham Islands and its search cycles. We go on from the next
// hour and find the elapses that exist.
TEST(NextElapse, GoesOnWhereSystemdGivesUp) {
  ExpectCases({
      {"Pacific/Chatham",
       "Sun *-*-* *:59:30",
       "2024-09-28T13:00:00Z",
       {"Sun 2024-09-29 01:59:30 +1245", "Sun 2024-09-29 03:59:30 +1345",
        "Sun 2024-09-29 04:59:30 +1345"}},
  });
}

TEST(NextElapse, DaysSomeMonthsLack) {
  ExpectCases({
      {"UTC",
       "*-02-29",
       "2023-01-01T00:00:00Z",
       {"Thu 2024-02-29 00:00:00 UTC", "Tue 2028-02-29 00:00:00 UTC",
        "Sun 2032-02-29 00:00:00 UTC"}},
      // 2100 is not a leap year.
      {"UTC", "2097..2104-02-29", "2097-01-01T00:00:00Z", {"Fri 2104-02-29 00:00:00 UTC"}},
      {"UTC",
       "*-*-31 12:00",
       "2024-04-01T00:00:00Z",
       {"Fri 2024-05-31 12:00:00 UTC", "Wed 2024-07-31 12:00:00 UTC", "Sat 2024-08-31 12:00:00 UTC",
        "Thu 2024-10-31 12:00:00 UTC"}},
      {"UTC", "*-02-30", "2024-01-01T00:00:00Z", {}},
      {"UTC", "*-02-31", "2024-01-01T00:00:00Z", {}},
      {"UTC", "*-04,06,09,11-31", "2024-01-01T00:00:00Z", {}},
      {"UTC", "2024-01-01", "2024-01-01T00:00:00Z", {}},
  });
}

TEST(NextElapse, EndOfMonth) {
  ExpectCases({
      {"UTC",
       "*-*~01",
       "2024-01-31T00:00:00Z",
       {"Thu 2024-02-29 00:00:00 UTC", "Sun 2024-03-31 00:00:00 UTC",
        "Tue 2024-04-30 00:00:00 UTC"}},
      {"UTC",
       "*-02~01..03 06:00",
       "2025-01-01T00:00:00Z",
       {"Wed 2025-02-26 06:00:00 UTC", "Thu 2025-02-27 06:00:00 UTC", "Fri 2025-02-28 06:00:00 UTC",
        "Thu 2026-02-26 06:00:00 UTC"}},
      // The last Friday of each month.
      {"UTC",
       "Fri *-*~1..7 23:00",
       "2024-01-01T00:00:00Z",
       {"Fri 2024-01-26 23:00:00 UTC", "Fri 2024-02-23 23:00:00 UTC",
        "Fri 2024-03-29 23:00:00 UTC"}},
  });
}

TEST(NextElapse, WeekdaysListsRangesAndSteps) {
  ExpectCases({
      // From a Friday evening to the next working mornings.
      {"Europe/Berlin",
       "Mon..Fri 09:00",
       "2024-06-07T17:00:00Z",
       {"Mon 2024-06-10 09:00:00 CEST", "Tue 2024-06-11 09:00:00 CEST"}},
      {"UTC",
       "Sat,Sun *-*-1..7 02:00",
       "2024-06-01T03:00:00Z",
       {"Sun 2024-06-02 02:00:00 UTC", "Sat 2024-07-06 02:00:00 UTC",
        "Sun 2024-07-07 02:00:00 UTC"}},
      {"UTC",
       "*-*-1/10 8..18/5:00",
       "2024-02-21T14:00:00Z",
       {"Wed 2024-02-21 18:00:00 UTC", "Fri 2024-03-01 08:00:00 UTC",
        "Fri 2024-03-01 13:00:00 UTC"}},
      {"UTC",
       "*-1,7-1",
       "2024-06-15T00:00:00Z",
       {"Mon 2024-07-01 00:00:00 UTC", "Wed 2025-01-01 00:00:00 UTC"}},
      {"UTC",
       "quarterly",
       "2024-11-15T00:00:00Z",
       {"Wed 2025-01-01 00:00:00 UTC", "Tue 2025-04-01 00:00:00 UTC"}},
      {"UTC", "weekly", "2024-06-05T00:00:00Z", {"Mon 2024-06-10 00:00:00 UTC"}},
  });
}

TEST(NextElapse, YearRangesEnd) {
  ExpectCases({
      {"UTC",
       "2024..2025-06-01",
       "2024-01-01T00:00:00Z",
       {"Sat 2024-06-01 00:00:00 UTC", "Sun 2025-06-01 00:00:00 UTC"}},
      {"UTC", "2199-12-31 23:59:59", "2199-12-31T23:59:58Z", {"Tue 2199-12-31 23:59:59 UTC"}},
      {"UTC", "2199-12-31 23:59:59", "2199-12-31T23:59:59Z", {}},
  });
}

TEST(NextElapse, UtcExpressionsIgnoreTheLocalZone) {
  const ScopedTz tz("America/New_York");
  const CalendarResult spec = ParseCalendar("*-*-* 00:00 UTC", LocalCalendarParseOptions());
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(NextElapseUs(*spec, Us("2024-03-10T05:00:00Z")), Us("2024-03-11T00:00:00Z"));
  EXPECT_EQ(NextElapseUs(*spec, Us("2024-11-03T23:59:59Z")), Us("2024-11-04T00:00:00Z"));
}

// "12:00 CET" means 12:00 in standard time. Like systemd, once the search starts in summer
// time such an expression finds nothing more; "CEST" works in summer.
TEST(NextElapse, NamedLocalZoneFollowsSystemd) {
  ExpectCases({
      {"Europe/Berlin",
       "*-*-* 12:00 CET",
       "2024-01-10T00:00:00Z",
       {"Wed 2024-01-10 12:00:00 CET", "Thu 2024-01-11 12:00:00 CET"}},
      {"Europe/Berlin", "*-*-* 12:00 CET", "2024-07-01T00:00:00Z", {}},
      {"Europe/Berlin",
       "*-*-* 12:00 CEST",
       "2024-07-01T00:00:00Z",
       {"Mon 2024-07-01 12:00:00 CEST"}},
  });
}

TEST(NextElapse, IsStrictlyAfterToTheMicrosecond) {
  const CalendarResult spec = ParseCalendar("*:*:0/0.25 UTC");
  ASSERT_TRUE(spec.ok());
  const std::int64_t base = Us("2024-01-01T00:00:00Z");
  EXPECT_EQ(NextElapseUs(*spec, base - 1), base);
  EXPECT_EQ(NextElapseUs(*spec, base), base + 250'000);
  EXPECT_EQ(NextElapseUs(*spec, base + 249'999), base + 250'000);
  EXPECT_EQ(NextElapseUs(*spec, base + 750'000), base + 1'000'000);

  const CalendarResult fraction = ParseCalendar("*:*:07.000001 UTC");
  ASSERT_TRUE(fraction.ok());
  EXPECT_EQ(NextElapseUs(*fraction, base), base + 7'000'001);
  // In milliseconds: rounded up, and strictly after the given millisecond.
  EXPECT_EQ(NextElapseMs(*fraction, base / 1000), (base + 7'001'000) / 1000);
  EXPECT_EQ(NextElapseMs(*fraction, (base + 7'000'000) / 1000), (base + 67'001'000) / 1000);
}

TEST(NextElapse, MillisecondFormMatchesTheMicrosecondForm) {
  const CalendarResult spec = ParseCalendar("Mon..Fri *-*-* 9..17:00/20 UTC");
  ASSERT_TRUE(spec.ok());
  std::int64_t after_ms = Us("2024-06-07T16:50:00Z") / 1000;
  for (int i = 0; i < 5; ++i) {
    const std::optional<std::int64_t> ms = NextElapseMs(*spec, after_ms);
    const std::optional<std::int64_t> us = NextElapseUs(*spec, after_ms * 1000);
    ASSERT_TRUE(ms && us);
    EXPECT_EQ(*ms * 1000, *us);
    after_ms = *ms;
  }
  EXPECT_EQ(after_ms, Us("2024-06-10T09:20:00Z") / 1000);
}

}  // namespace
}  // namespace guestbackup::schedule
