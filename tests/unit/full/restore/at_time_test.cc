#include "full/restore/at_time.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "lean/base/civil_time.h"
#include "lean/base/time_format.h"
#include "support/environment.h"

namespace guestbackup::restore {
namespace {

// Fixed zone so "yesterday 14:00" has one answer: Berlin's rules (as a POSIX TZ string, which
// glibc and Windows' C runtime both read) cross DST in the window.
class AtTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_ = tz != nullptr ? tz : "";
    had_ = tz != nullptr;
    guestbackup::testing::SetEnv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3");
    ReloadTimeZone();
  }
  void TearDown() override {
    if (had_) {
      guestbackup::testing::SetEnv("TZ", saved_);
    } else {
      guestbackup::testing::UnsetEnv("TZ");
    }
    ReloadTimeZone();
  }
  static std::int64_t Utc(const char* text) { return *ParseRfc3339(text); }
  std::string saved_;
  bool had_ = false;
};

TEST_F(AtTimeTest, AcceptsEveryDocumentedForm) {
  const std::int64_t now = Utc("2026-11-24T10:30:00Z");  // 11:30 in Berlin (CET, +1)
  EXPECT_EQ(*ParseAtTime("now", now), now);
  EXPECT_EQ(*ParseAtTime("2026-11-20T08:00:00Z", now), Utc("2026-11-20T08:00:00Z"));
  EXPECT_EQ(*ParseAtTime("2026-11-20T09:00:00+01:00", now), Utc("2026-11-20T08:00:00Z"));
  EXPECT_EQ(*ParseAtTime("yesterday 14:00", now), Utc("2026-11-23T13:00:00Z"));
  EXPECT_EQ(*ParseAtTime("Yesterday", now), Utc("2026-11-22T23:00:00Z"));
  EXPECT_EQ(*ParseAtTime("today 09:30:15", now), Utc("2026-11-24T08:30:15Z"));
  EXPECT_EQ(*ParseAtTime("2 days ago", now), now - 2 * 86'400'000LL);
  EXPECT_EQ(*ParseAtTime("3 hours ago", now), now - 3 * 3'600'000LL);
  EXPECT_EQ(*ParseAtTime("90 min ago", now), now - 90 * 60'000LL);
  EXPECT_EQ(*ParseAtTime("1 week ago", now), now - 7 * 86'400'000LL);
  EXPECT_EQ(*ParseAtTime("2026-11-01", now), Utc("2026-10-31T23:00:00Z"));
  EXPECT_EQ(*ParseAtTime("2026-07-01 12:00", now), Utc("2026-07-01T10:00:00Z"));  // CEST, +2
}

TEST_F(AtTimeTest, YesterdayAcrossTheDstChangeKeepsTheWallClock) {
  // 2026-10-25 is 25 hours long in Berlin; "yesterday 14:00" is still 14:00 local.
  const std::int64_t now = Utc("2026-10-26T09:00:00Z");
  EXPECT_EQ(*ParseAtTime("yesterday 14:00", now), Utc("2026-10-25T13:00:00Z"));
}

TEST_F(AtTimeTest, RejectsNonsenseListingTheForms) {
  auto r = ParseAtTime("last tuesday", 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "cannot read the time \"last tuesday\"; use RFC 3339 (2026-11-24T14:00:00Z), "
            "\"YYYY-MM-DD [HH:MM[:SS]]\", \"today 09:30\", \"yesterday 14:00\", \"2 days ago\" "
            "or \"now\"");
  EXPECT_EQ(ParseAtTime("today 25:00", 0).status().message(),
            "invalid time of day in \"today 25:00\"");
  EXPECT_FALSE(ParseAtTime("2026-13-01", 0).ok());
}

// mktime would roll an impossible day into the next month; it is refused instead, in every
// spelling (restore --at and schedule next --from share this parser).
TEST_F(AtTimeTest, ImpossibleDatesAreRefusedNotRolledOver) {
  EXPECT_EQ(ParseAtTime("2026-02-30", 0).status().message(),
            "invalid date in \"2026-02-30\": 2026-02 has 28 days");
  EXPECT_EQ(ParseAtTime("2026-11-31 12:00", 0).status().message(),
            "invalid date in \"2026-11-31 12:00\": 2026-11 has 30 days");
  EXPECT_EQ(ParseAtTime("2028-02-30", 0).status().message(),
            "invalid date in \"2028-02-30\": 2028-02 has 29 days");
  EXPECT_TRUE(ParseAtTime("2028-02-29", 0).ok());
  EXPECT_FALSE(ParseAtTime("2026-02-30T10:00:00Z", 0).ok());
  // A count too large to mean anything is refused, not an overflow (or an exception).
  EXPECT_FALSE(ParseAtTime("99999999999999999999 days ago", 0).ok());
}

}  // namespace
}  // namespace guestbackup::restore
