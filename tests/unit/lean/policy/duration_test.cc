#include "lean/policy/duration.h"

#include <gtest/gtest.h>

namespace guestbackup::policy {
namespace {

using std::chrono::milliseconds;

TEST(Duration, ParsesUnitsAndCombinations) {
  EXPECT_EQ(ParseDuration("500ms").value(), milliseconds(500));
  EXPECT_EQ(ParseDuration("30s").value(), milliseconds(30'000));
  EXPECT_EQ(ParseDuration("5m").value(), milliseconds(300'000));
  EXPECT_EQ(ParseDuration("1h30m").value(), milliseconds(5'400'000));
  EXPECT_EQ(ParseDuration("2d").value(), milliseconds(172'800'000));
  EXPECT_EQ(ParseDuration("1m500ms").value(), milliseconds(60'500));
  EXPECT_EQ(ParseDuration("0").value(), milliseconds(0));
  EXPECT_EQ(ParseDuration("0s").value(), milliseconds(0));
}

TEST(Duration, RefusesWhatIsNotADuration) {
  const std::string hint =
      "\": expected numbers with units ms, s, m, h or d, e.g. \"30s\" or \"1h30m\"";
  for (const char* text : {"", "30", "5 min", "m", "1.5h", "-1s", "1h30", "1w"}) {
    const auto result = ParseDuration(text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().message(), "invalid duration \"" + std::string(text) + hint);
  }
  EXPECT_EQ(ParseDuration("99999d").status().message(), "duration \"99999d\" is too long");
}

TEST(Duration, FormatsTheShortestSpelling) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0");
  EXPECT_EQ(FormatDuration(milliseconds(90'000)), "1m30s");
  EXPECT_EQ(FormatDuration(milliseconds(86'400'500)), "1d500ms");
  EXPECT_EQ(FormatDuration(std::chrono::minutes(5)), "5m");
}

}  // namespace
}  // namespace guestbackup::policy
