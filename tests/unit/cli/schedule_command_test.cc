// `guestbackup schedule next` through the real CLI: the report's exact text, JSON, and the
// caret under a bad expression.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/run_cli.h"
#include "unit/cli/cli_runner.h"
#include "unit/lean/schedule/scoped_tz.h"

namespace guestbackup::cli {
namespace {

TEST(ScheduleNextCommand, PrintsElapsesAsSystemdAnalyzeDoes) {
  const schedule::ScopedTz tz("Europe/Berlin");
  // The evening before the spring-forward: 02:30 does not exist on 2024-03-31.
  const Output r =
      Cli({"schedule", "next", "*-*-* 2:30", "--from", "2024-03-30T22:17:13Z", "--count", "2"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "  Original form: *-*-* 2:30\n"
            "Normalized form: *-*-* 02:30:00\n"
            "    Next elapse: Mon 2024-04-01 02:30:00 CEST\n"
            "       (in UTC): Mon 2024-04-01 00:30:00 UTC\n"
            "       From now: 1 day 2h left\n"
            "       Iter. #2: Tue 2024-04-02 02:30:00 CEST\n"
            "       (in UTC): Tue 2024-04-02 00:30:00 UTC\n"
            "       From now: 2 days left\n");
  EXPECT_EQ(r.err, "");
}

TEST(ScheduleNextCommand, TakesTheFormsRestoreAtTakes) {
  const schedule::ScopedTz tz("UTC");
  const Output r = Cli({"schedule", "next", "Mon..Fri 09:00", "--from", "2024-06-07 10:00"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "  Original form: Mon..Fri 09:00\n"
            "Normalized form: Mon..Fri *-*-* 09:00:00\n"
            "    Next elapse: Mon 2024-06-10 09:00:00 UTC\n"
            "       From now: 2 days left\n");
  const Output never = Cli({"schedule", "next", "*-02-30", "--from", "2024-01-01T00:00:00Z"});
  EXPECT_EQ(never.code, 0);
  EXPECT_EQ(never.out,
            "  Original form: *-02-30\n"
            "Normalized form: *-02-30 00:00:00\n"
            "    Next elapse: never\n");
  // An impossible --from is refused, as restore --at refuses it.
  const Output bad = Cli({"schedule", "next", "daily", "--from", "2026-11-31"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "guestbackup: invalid date in \"2026-11-31\": 2026-11 has 30 days\n");
}

TEST(ScheduleNextCommand, PrintsJson) {
  const schedule::ScopedTz tz("America/New_York");
  const Output r = Cli({"schedule", "next", "daily UTC", "--from", "2024-11-03T05:00:00Z",
                        "--count", "2", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["expression"], "daily UTC");
  EXPECT_EQ(j["normalized"], "*-*-* 00:00:00 UTC");
  EXPECT_EQ(j["from"], "2024-11-03T05:00:00.000Z");
  ASSERT_EQ(j["next"].size(), 2u);
  EXPECT_EQ(j["next"][0]["time"], "2024-11-04T00:00:00.000Z");
  EXPECT_EQ(j["next"][0]["local"], "Sun 2024-11-03 19:00:00 EST");
  EXPECT_EQ(j["next"][0]["unix_us"], 1730678400000000);
  EXPECT_EQ(j["next"][1]["time"], "2024-11-05T00:00:00.000Z");
}

TEST(ScheduleNextCommand, PointsAtTheOffendingCharacterAndExitsTwo) {
  const Output weekday = Cli({"schedule", "next", "Mnd *-*-* 02:00"});
  EXPECT_EQ(weekday.code, 2);
  EXPECT_EQ(weekday.out, "");
  EXPECT_EQ(weekday.err,
            "guestbackup: invalid calendar expression: unknown weekday \"Mnd\"\n"
            "  Mnd *-*-* 02:00\n"
            "  ^\n");
  const Output hour = Cli({"schedule", "next", "*-*-* 24:00"});
  EXPECT_EQ(hour.code, 2);
  EXPECT_EQ(hour.err,
            "guestbackup: invalid calendar expression: hour \"24\" is out of range 0..23\n"
            "  *-*-* 24:00\n"
            "        ^\n");
  EXPECT_EQ(Cli({"schedule", "next"}).code, 2);
  EXPECT_EQ(Cli({"schedule", "next", "daily", "--count", "0"}).code, 2);
  const Output from = Cli({"schedule", "next", "daily", "--from", "soon"});
  EXPECT_EQ(from.code, 2);
  EXPECT_NE(from.err.find("\"soon\""), std::string::npos) << from.err;
}

}  // namespace
}  // namespace guestbackup::cli
