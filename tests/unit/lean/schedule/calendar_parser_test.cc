#include <gtest/gtest.h>

#include <string>

#include "lean/schedule/calendar_spec.h"

namespace guestbackup::schedule {
namespace {

// Parsing as if the machine's zone were Central European, so "CET" names the local zone.
CalendarParseOptions CentralEurope() {
  CalendarParseOptions options;
  options.local_zone_names = {"CET", "CEST"};
  return options;
}

std::string Normalize(std::string_view text) {
  CalendarResult result = ParseCalendar(text, CentralEurope());
  if (!result.ok())
    return "error at " + std::to_string(result.error().offset) + ": " + result.error().message;
  return result->Normalized();
}

struct NormalizeCase {
  std::string_view input;
  std::string_view normalized;
};

TEST(CalendarParser, NormalizesLikeSystemd) {
  const NormalizeCase cases[] = {
      {"daily", "*-*-* 00:00:00"},
      {"DAILY", "*-*-* 00:00:00"},
      {"hourly", "*-*-* *:00:00"},
      {"minutely", "*-*-* *:*:00"},
      {"weekly", "Mon *-*-* 00:00:00"},
      {"monthly", "*-*-01 00:00:00"},
      {"yearly", "*-01-01 00:00:00"},
      {"annually", "*-01-01 00:00:00"},
      {"quarterly", "*-01,04,07,10-01 00:00:00"},
      {"semiannually", "*-01,07-01 00:00:00"},
      {"Mon..Fri 9:00", "Mon..Fri *-*-* 09:00:00"},
      {"Mon-Fri", "Mon..Fri *-*-* 00:00:00"},
      {"sat,sun", "Sat,Sun *-*-* 00:00:00"},
      {"sat..sun", "Sat,Sun *-*-* 00:00:00"},
      {"Mon..Sun", "*-*-* 00:00:00"},
      {"Monday..Wednesday,fri", "Mon..Wed,Fri *-*-* 00:00:00"},
      {"Mon,", "Mon *-*-* 00:00:00"},
      {"*-*-* 02:00:00", "*-*-* 02:00:00"},
      {"*:0/15", "*-*-* *:00/15:00"},
      {"*-*~3", "*-*~03 00:00:00"},
      {"*-*~1..3", "*-*~01..03 00:00:00"},
      {"24-1-1", "2024-01-01 00:00:00"},
      {"70-1-1", "1970-01-01 00:00:00"},
      {"*-*-1..31/7", "*-*-01..29/7 00:00:00"},
      {"*-*-* 3,1,2,1:00", "*-*-* 01,02,03:00:00"},
      {"*:*:6.1234567", "*-*-* *:*:06.123457"},
      {"*:*:0/0.5", "*-*-* *:*:00/0.500000"},
      {"*:*:*", "*-*-* *:*:*"},
      {"*:*:0/1", "*-*-* *:*:*"},
      {"*:1..1", "*-*-* *:01:00"},
      {"Mon  *-*-*   1:2", "Mon *-*-* 01:02:00"},
      {"daily UTC", "*-*-* 00:00:00 UTC"},
      {"*-*-* 00:00 utc", "*-*-* 00:00:00 UTC"},
      {"Mon 12:00 CET", "Mon *-*-* 12:00:00 CET"},
      {"12:00 cest", "*-*-* 12:00:00 CEST"},
  };
  for (const NormalizeCase& c : cases) {
    EXPECT_EQ(Normalize(c.input), c.normalized) << c.input;
  }
}

TEST(CalendarParser, FillsTheFieldsTheNextElapseNeeds) {
  CalendarResult result = ParseCalendar("Mon..Fri 2024-*~1..7/2 9,17:00/30:05.5 UTC");
  ASSERT_TRUE(result.ok()) << result.error().message;
  const CalendarSpec& spec = *result;
  EXPECT_EQ(spec.weekdays, 0b0011111);
  EXPECT_EQ(spec.year, (CalendarChain{{2024, -1, 0}}));
  EXPECT_TRUE(spec.month.empty());
  EXPECT_TRUE(spec.end_of_month);
  EXPECT_EQ(spec.day, (CalendarChain{{1, 7, 2}}));
  EXPECT_EQ(spec.hour, (CalendarChain{{9, -1, 0}, {17, -1, 0}}));
  EXPECT_EQ(spec.minute, (CalendarChain{{0, -1, 30}}));
  EXPECT_EQ(spec.second_micros, (CalendarChain{{5'500'000, -1, 0}}));
  EXPECT_EQ(spec.zone, CalendarZone::kUtc);
}

TEST(CalendarParser, SpellingsOfTheSameScheduleCompareEqual) {
  EXPECT_EQ(ParseCalendar("daily").value(), ParseCalendar("*-*-* 00:00:00").value());
  EXPECT_EQ(ParseCalendar("Mon-Fri 9:00").value(), ParseCalendar("mon..friday 09:00:00").value());
}

struct ErrorCase {
  std::string_view input;
  std::size_t offset;
  std::string_view message;
};

TEST(CalendarParser, ExplainsRefusalsWithTheOffendingOffset) {
  const ErrorCase cases[] = {
      {"", 0, "empty calendar expression"},
      {"Mnd *-*-* 02:00", 0, "unknown weekday \"Mnd\""},
      {"Mondays", 0, "unknown weekday \"Mondays\""},
      {"Fri..Mon", 0, "weekday range \"Fri..Mon\" goes backwards; weeks start on Monday"},
      {"Mon..Tue..Wed", 8, "a weekday range cannot be extended"},
      {"Mon.Fri", 3, "expected \"..\" between two weekdays"},
      {"Mon..", 0, "weekday range has no end"},
      {"mon,,tue", 4, "unexpected \",\", expected a weekday"},
      {"*-*-* 24:00", 6, "hour \"24\" is out of range 0..23"},
      {"*-02-30..32", 5, "day \"30..32\" is out of range 1..31"},
      {"1969-1-1", 0, "year \"1969\" is out of range 1970..2199"},
      {"*-*-* 00:00:60", 12, "second \"60\" is out of range 0..59"},
      {"*:45/15", 2, "minute \"45/15\" never repeats within 0..59"},
      {"*-*~1/2", 4, "day \"1/2\" never repeats within the month"},
      {"*-*~29", 4, "day \"29\" counts back too far from the month's end: at most 28 days"},
      {"*-*~10,2,27", 9,
       "day \"27\" counts back too far from the month's end: at most 22 days after 2 smaller "
       "value(s) (systemd allows 3 days fewer for each)"},
      {"*-5..3-1", 2, "month range \"5..3\" goes backwards"},
      {"*:0/0", 4, "a repetition step must not be 0"},
      {"*/5-1-1", 0, "a repetition needs a start value: write \"0/N\" or \"00/N\", not \"*/N\""},
      {"*-*-*,1", 4, "\"*\" cannot be combined with other values"},
      {"12", 2, "unexpected end of expression, expected \":\" and the minutes"},
      {"*", 1, "unexpected end of expression, expected \":\" and the minutes"},
      {"2024~02-03", 4, "\"~\" may only separate the month from the day"},
      {"*:*:6.", 6, "unexpected end of expression, expected digits after the decimal point"},
      {"*:1.5", 3, "only seconds may have a fraction"},
      {"*:*:1.5..2", 4,
       "second range \"1.5..2\" is shorter than one second; give a step, e.g. \"/0.5\""},
      {"*-*-* 00:00 Europe/Berlin", 12,
       "unsupported time zone \"Europe/Berlin\": only UTC and the local zone are accepted"},
      {"@1700000000", 0, "\"@\" timestamps are not supported"},
      {"*-*-* 1:2:3:4", 11, "unexpected \":\", expected the end of the expression"},
      {"99999999999:00", 0, "number \"99999999999\" is too large"},
      {" UTC", 0, "expected a date or time before the time zone"},
      {"Mon*", 3, "unexpected \"*\", expected \",\", \"..\" or a space after the weekday"},
  };
  for (const ErrorCase& c : cases) {
    CalendarResult result = ParseCalendar(c.input, CentralEurope());
    ASSERT_FALSE(result.ok()) << c.input;
    EXPECT_EQ(result.error(), (CalendarError{c.offset, std::string(c.message)})) << c.input;
  }
}

}  // namespace
}  // namespace guestbackup::schedule
