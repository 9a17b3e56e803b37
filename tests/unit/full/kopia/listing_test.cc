#include "full/kopia/listing.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace guestbackup::kopia {
namespace {

TEST(ListingTest, ParsesRealKopiaLongListing) {
  auto entries = ParseLongListing(testing::ReadFile(testing::FixturePath("kopia/ls-long.txt")));
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].name, "b.txt");
  EXPECT_EQ((*entries)[0].size, 6);
  EXPECT_EQ((*entries)[0].mode, "-rw-r--r--");
  EXPECT_EQ((*entries)[0].object_id.size(), 32u);
  EXPECT_GT((*entries)[0].mtime_ms, 1'700'000'000'000);
  EXPECT_FALSE((*entries)[0].is_dir);
  EXPECT_EQ((*entries)[1].name, "two  spaces.txt");
}

TEST(ListingTest, KeepsLeadingSpacesOfNamesAndMarksDirectories) {
  auto entries = ParseLongListing(
      "drwxr-xr-x            0 2026-11-24 08:40:18 UTC k968b5f2958782d5c24435105e6f8af10  sub/\n"
      "-rw-r--r--            6 2026-11-24 08:40:18 UTC 94612c9dcdfed562b08ab44745a20207     "
      "lead\n");
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE((*entries)[0].is_dir);
  EXPECT_EQ((*entries)[0].name, "sub");
  EXPECT_EQ((*entries)[1].name, "  lead");
}

TEST(ListingTest, RejectsUnexpectedLines) {
  auto entries = ParseLongListing("total 3\n");
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.status().message(), "unexpected line in kopia ls output: \"total 3\"");
}

// Found by tests/fuzz (regressions/kopia/listing-size-overflow): a size that does not fit made
// the parser throw.
TEST(ListingTest, ASizeThatDoesNotFitIsAnUnexpectedLine) {
  auto r = ParseLongListing(
      "-rw-r--r-- 99999999999999999999 2026-11-24 08:40:18 UTC "
      "94612c9dcdfed562b08ab44745a20207   b.txt\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unexpected line in kopia ls output"), std::string::npos);
}

}  // namespace
}  // namespace guestbackup::kopia
