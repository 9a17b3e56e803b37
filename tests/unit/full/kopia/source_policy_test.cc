#include <gtest/gtest.h>

#include "full/kopia/kopia_client.h"

namespace guestbackup::kopia {
namespace {

TEST(SourcePolicyTest, DigestRoundTrips) {
  SourcePolicy p;
  p.compression = "zstd";
  p.retention.keep_latest = 10;
  p.retention.keep_daily = 0;
  p.ignore_rules = {"*.swp", "cache/"};
  const auto back = SourcePolicy::Parse(p.Digest());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, p);
  EXPECT_FALSE(back->retention.keep_hourly.has_value());
  EXPECT_EQ(back->retention.keep_daily, 0);
}

TEST(SourcePolicyTest, DigestKeepsTheShadowCopyModeAndReadsRecordsWrittenWithoutIt) {
  SourcePolicy p;
  p.shadow_copy = "when-available";
  EXPECT_EQ(SourcePolicy::Parse(p.Digest()), p);
  // A record written before shadow copies were applied: the source inherits.
  const auto old =
      SourcePolicy::Parse("{\"compression\":\"\",\"keep\":[-1,-1,-1,-1,-1,-1],\"ignore\":[]}");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->shadow_copy, "");
  EXPECT_TRUE(old->InheritsEverything());
}

TEST(SourcePolicyTest, InheritsEverythingOnlyWhenNothingIsSet) {
  EXPECT_TRUE(SourcePolicy{}.InheritsEverything());
  SourcePolicy p;
  p.ignore_rules = {"*.tmp"};
  EXPECT_FALSE(p.InheritsEverything());
  SourcePolicy vss;
  vss.shadow_copy = "always";
  EXPECT_FALSE(vss.InheritsEverything());
}

TEST(SourcePolicyTest, ParseRejectsDamagedRecords) {
  EXPECT_FALSE(SourcePolicy::Parse("").has_value());
  EXPECT_FALSE(SourcePolicy::Parse("{\"keep\":[1,2]}").has_value());
  EXPECT_FALSE(
      SourcePolicy::Parse("{\"compression\":\"\",\"keep\":[1,2,3,4,5,\"x\"],\"ignore\":[]}")
          .has_value());
}

}  // namespace
}  // namespace guestbackup::kopia
