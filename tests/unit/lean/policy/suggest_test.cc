#include "lean/policy/suggest.h"

#include <gtest/gtest.h>

namespace guestbackup::policy {
namespace {

TEST(Suggest, EditDistance) {
  EXPECT_EQ(EditDistance("", ""), 0U);
  EXPECT_EQ(EditDistance("path", "paths"), 1U);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3U);
  EXPECT_EQ(EditDistance("schedule", ""), 8U);
}

TEST(Suggest, ClosestMatchOnlyForLikelyTypos) {
  const std::vector<std::string> keys = {"paths", "exclude", "schedule", "randomized_delay"};
  EXPECT_EQ(ClosestMatch("path", keys), "paths");
  EXPECT_EQ(ClosestMatch("shedule", keys), "schedule");
  EXPECT_EQ(ClosestMatch("randomised_delay", keys), "randomized_delay");
  EXPECT_EQ(ClosestMatch("excludes", keys), "exclude");
  EXPECT_EQ(ClosestMatch("xyz", keys), std::nullopt);
  EXPECT_EQ(ClosestMatch("hooks", keys), std::nullopt);
}

}  // namespace
}  // namespace guestbackup::policy
