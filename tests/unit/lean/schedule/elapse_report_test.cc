// The `schedule next` report and its time formats, to the exact text systemd-analyze uses.
#include "lean/schedule/elapse_report.h"

#include <gtest/gtest.h>

#include "scoped_tz.h"

namespace guestbackup::schedule {
namespace {

constexpr std::int64_t kS = 1'000'000;
constexpr std::int64_t kBase = 1'711'837'033'000'000;  // 2024-03-30 22:17:13 UTC

TEST(ElapseReport, RelativeTimesAreWordedAsSystemdWordsThem) {
  const struct {
    std::int64_t delta_us;
    const char* text;
  } cases[] = {
      {0, "now"},
      {1, "1us left"},
      {999, "999us left"},
      {1500, "1ms left"},
      {kS, "1s left"},
      {59 * kS, "59s left"},
      {60 * kS, "1min 0s left"},
      {299 * kS, "4min 59s left"},
      {300 * kS, "5min left"},
      {3600 * kS, "1h 0min left"},
      {(5 * 3600 + 59 * 60) * kS, "5h 59min left"},
      {6 * 3600 * kS, "6h left"},
      {24 * 3600 * kS, "24h left"},
      {25 * 3600 * kS, "1 day 1h left"},
      {2 * 86400 * kS, "2 days left"},
      {7 * 86400 * kS, "1 week 0 days left"},
      {15 * 86400 * kS, "2 weeks 1 day left"},
      {2'629'800 * kS, "1 month 0 days left"},
      {31'557'600 * kS, "1 year 0 months left"},
      {-2 * 31'557'600 * kS - 2'629'800 * kS, "2 years 1 month ago"},
      {-90 * kS, "1min 30s ago"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatRelativeTime(kBase + c.delta_us, kBase), c.text) << c.delta_us;
  }
}

TEST(ElapseReport, TimesNameTheirZone) {
  const ScopedTz tz("Europe/Berlin");
  EXPECT_EQ(FormatElapseTime(kBase, false), "Sat 2024-03-30 23:17:13 CET");
  EXPECT_EQ(FormatElapseTime(kBase, true), "Sat 2024-03-30 22:17:13 UTC");
  EXPECT_EQ(FormatElapseTime(kBase + 86400 * kS, false), "Mon 2024-04-01 00:17:13 CEST");
  EXPECT_FALSE(LocalZoneIsUtc());
}

TEST(ElapseReport, LaysOutTheElapsesLikeSystemdAnalyze) {
  const ScopedTz tz("Europe/Berlin");
  const CalendarResult spec = ParseCalendar("*-*-* 2:30", LocalCalendarParseOptions());
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(FormatElapseReport("*-*-* 2:30", *spec, kBase, 2),
            "  Original form: *-*-* 2:30\n"
            "Normalized form: *-*-* 02:30:00\n"
            "    Next elapse: Mon 2024-04-01 02:30:00 CEST\n"
            "       (in UTC): Mon 2024-04-01 00:30:00 UTC\n"
            "       From now: 1 day 2h left\n"
            "       Iter. #2: Tue 2024-04-02 02:30:00 CEST\n"
            "       (in UTC): Tue 2024-04-02 00:30:00 UTC\n"
            "       From now: 2 days left\n");
}

TEST(ElapseReport, LeavesOutUtcLinesInUtcAndStopsAtNever) {
  const ScopedTz tz("UTC");
  EXPECT_TRUE(LocalZoneIsUtc());
  const CalendarResult spec = ParseCalendar("2024-03-31 UTC");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(FormatElapseReport("2024-03-31 UTC", *spec, kBase, 3),
            "  Original form: 2024-03-31 UTC\n"
            "Normalized form: 2024-03-31 00:00:00 UTC\n"
            "    Next elapse: Sun 2024-03-31 00:00:00 UTC\n"
            "       From now: 1h 42min left\n");
  EXPECT_EQ(FormatElapseReport("2024-03-31 UTC", *spec, kBase + 86400 * kS, 3),
            "  Original form: 2024-03-31 UTC\n"
            "Normalized form: 2024-03-31 00:00:00 UTC\n"
            "    Next elapse: never\n");
  EXPECT_TRUE(NextElapses(*spec, kBase + 86400 * kS, 3).empty());
}

}  // namespace
}  // namespace guestbackup::schedule
