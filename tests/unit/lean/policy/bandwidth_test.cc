// Rates and weekly spans as the policy file spells them (lean/policy/bandwidth.h): what each
// reads as, how it reads back, which span holds when, and the errors with their columns.
#include "lean/policy/bandwidth.h"

#include <gtest/gtest.h>

#include <string>

namespace guestbackup::policy {
namespace {

std::string RateError(std::string_view text) {
  BandwidthTextError error;
  if (ParseByteRate(text, &error)) return "accepted";
  return std::to_string(error.offset) + ": " + error.message;
}

std::string WindowError(std::string_view text) {
  BandwidthTextError error;
  if (ParseWeeklyWindow(text, &error)) return "accepted";
  return std::to_string(error.offset) + ": " + error.message;
}

std::tm LocalAt(int wday, int hour, int minute) {
  std::tm tm{};
  tm.tm_wday = wday;  // 0 = Sunday
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return tm;
}

TEST(ByteRate, ReadsBinaryDecimalAndBitUnits) {
  EXPECT_EQ(ParseByteRate("20MiB/s"), 20u * 1024 * 1024);
  EXPECT_EQ(ParseByteRate("500KiB/s"), 500u * 1024);
  EXPECT_EQ(ParseByteRate("1.5 GiB/s"), 1536u * 1024 * 1024);
  EXPECT_EQ(ParseByteRate("10MB/s"), 10'000'000u);
  EXPECT_EQ(ParseByteRate("64kB/s"), 64'000u);
  EXPECT_EQ(ParseByteRate("100Mbit/s"), 12'500'000u);
  EXPECT_EQ(ParseByteRate("4096B/s"), 4096u);
  EXPECT_EQ(ParseByteRate("unlimited"), kUnlimited);
}

TEST(ByteRate, ReadsBackAsTheShortestExactSpelling) {
  EXPECT_EQ(FormatByteRate(20u * 1024 * 1024), "20MiB/s");
  EXPECT_EQ(FormatByteRate(1536u * 1024 * 1024), "1536MiB/s");
  EXPECT_EQ(FormatByteRate(12'500'000u), "12500kB/s");
  EXPECT_EQ(FormatByteRate(1025u), "1025B/s");
  EXPECT_EQ(FormatByteRate(kUnlimited), "unlimited");
  for (const char* text : {"20MiB/s", "100Mbit/s", "1.25MB/s", "1025B/s", "unlimited"}) {
    EXPECT_EQ(ParseByteRate(FormatByteRate(*ParseByteRate(text))), ParseByteRate(text)) << text;
  }
}

TEST(ByteRate, RefusesWithThePlaceOfTheMistake) {
  EXPECT_EQ(RateError("20MiB"),
            "5: missing \"/s\" in \"20MiB\"; expected a rate such as \"20MiB/s\", \"500KiB/s\", "
            "\"100Mbit/s\" or \"unlimited\"");
  EXPECT_EQ(RateError("20Mib/s"),
            "2: unknown unit \"Mib\"; expected a rate such as \"20MiB/s\", \"500KiB/s\", "
            "\"100Mbit/s\" or \"unlimited\"");
  EXPECT_EQ(RateError("fast/s").substr(0, 25), "0: invalid rate \"fast/s\";");
  EXPECT_EQ(RateError("1..5MiB/s").substr(0, 28), "0: invalid rate \"1..5MiB/s\";");
  EXPECT_EQ(RateError("0MiB/s"),
            "0: a rate of 0 would stop every transfer; use \"unlimited\" for no limit");
  EXPECT_EQ(RateError("100B/s"), "0: \"100B/s\" is too slow: at least 1KiB/s");
  EXPECT_EQ(RateError("99999999999999999999GiB/s"),
            "0: \"99999999999999999999GiB/s\" is too large");
}

TEST(WeeklyWindow, ReadsDaysAndSpans) {
  auto office = ParseWeeklyWindow("Mon..Fri 08:00-18:00");
  ASSERT_TRUE(office);
  EXPECT_EQ(office->weekdays, 0b0011111);
  EXPECT_EQ(office->start_minute, 8 * 60);
  EXPECT_EQ(office->end_minute, 18 * 60);
  auto weekend = ParseWeeklyWindow("Sat,Sun");
  ASSERT_TRUE(weekend);
  EXPECT_EQ(*weekend, (WeeklyWindow{0b1100000, 0, 24 * 60}));
  auto nights = ParseWeeklyWindow("22:00-06:00");
  ASSERT_TRUE(nights);
  EXPECT_EQ(*nights, (WeeklyWindow{0x7f, 22 * 60, 6 * 60}));
  EXPECT_EQ(*ParseWeeklyWindow("Fri 18:00-24:00"), (WeeklyWindow{0b0010000, 18 * 60, 24 * 60}));
  EXPECT_EQ(*ParseWeeklyWindow("Sun 18:00-00:00"), (WeeklyWindow{0b1000000, 18 * 60, 24 * 60}));
}

TEST(WeeklyWindow, HoldsFromItsStartUntilBeforeItsEndAndPastMidnight) {
  const WeeklyWindow office = *ParseWeeklyWindow("Mon..Fri 08:00-18:00");
  EXPECT_FALSE(office.Contains(0, 8 * 60 - 1));
  EXPECT_TRUE(office.Contains(0, 8 * 60));
  EXPECT_TRUE(office.Contains(4, 18 * 60 - 1));
  EXPECT_FALSE(office.Contains(4, 18 * 60));
  EXPECT_FALSE(office.Contains(5, 12 * 60));
  const WeeklyWindow friday_night = *ParseWeeklyWindow("Fri 22:00-06:00");
  EXPECT_TRUE(friday_night.Contains(4, 23 * 60));   // Friday evening
  EXPECT_TRUE(friday_night.Contains(5, 5 * 60));    // Saturday morning
  EXPECT_FALSE(friday_night.Contains(5, 23 * 60));  // Saturday evening
  EXPECT_FALSE(friday_night.Contains(4, 5 * 60));   // Friday morning: Thursday is not listed
}

TEST(WeeklyWindow, RefusesWithThePlaceOfTheMistake) {
  EXPECT_EQ(WindowError("Mon..Fri 08:00-18:61"), "18: invalid minute in \"18:61\"");
  EXPECT_EQ(WindowError("Mon..Fri 25:00-18:00"), "9: invalid hour in \"25:00\"");
  EXPECT_EQ(WindowError("Mon..Fri 08:00"),
            "14: expected \"-\" and the end of the time span; expected days and a time span such "
            "as \"Mon..Fri 08:00-18:00\"");
  EXPECT_EQ(WindowError("Mon 08:00-08:00"),
            "4: the time span is empty; leave the time out for the whole day");
  EXPECT_EQ(WindowError("Mon..Fry 08:00-18:00").substr(0, 28), "5: invalid days \"Mon..Fry\": ");
  // Shorthands of calendar expressions are not days.
  EXPECT_NE(WindowError("weekly"), "accepted");
  EXPECT_NE(WindowError("2024-01-01 08:00-09:00"), "accepted");
  EXPECT_NE(WindowError(""), "accepted");
}

TEST(BandwidthSpec, TheFirstWindowThatHoldsDecidesEachDirectionItNames) {
  BandwidthSpec spec;
  spec.upload = 20u << 20;
  spec.download = 50u << 20;
  spec.windows.push_back(
      {"Mon..Fri 08:00-18:00", *ParseWeeklyWindow("Mon..Fri 08:00-18:00"), 5u << 20, std::nullopt});
  spec.windows.push_back(
      {"12:00-13:00", *ParseWeeklyWindow("12:00-13:00"), kUnlimited, kUnlimited});
  EXPECT_EQ(spec.RatesAt(LocalAt(1, 9, 0)), (ByteRates{5u << 20, 50u << 20}));
  EXPECT_EQ(spec.RatesAt(LocalAt(1, 12, 30)), (ByteRates{5u << 20, 50u << 20}));     // first wins
  EXPECT_EQ(spec.RatesAt(LocalAt(0, 12, 30)), (ByteRates{kUnlimited, kUnlimited}));  // Sunday
  EXPECT_EQ(spec.RatesAt(LocalAt(6, 20, 0)), (ByteRates{20u << 20, 50u << 20}));
  EXPECT_FALSE(spec.Unlimited());
  EXPECT_TRUE(BandwidthSpec{}.Unlimited());
}

}  // namespace
}  // namespace guestbackup::policy
