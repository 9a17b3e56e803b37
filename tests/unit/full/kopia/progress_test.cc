#include "full/kopia/progress.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/temp_dir.h"

namespace guestbackup::kopia {
namespace {

TEST(ProgressTest, ParsesSizes) {
  EXPECT_EQ(ParseByteSize("6 B"), 6);
  EXPECT_EQ(ParseByteSize("21.2 MB"), 21'200'000);
  EXPECT_EQ(ParseByteSize("1.5 KiB"), 1536);
  EXPECT_EQ(ParseByteSize("2 GB"), 2'000'000'000);
  EXPECT_EQ(ParseByteSize("lots"), -1);
}

// Found by tests/fuzz (regressions/kopia): numbers that do not fit or do not convert made the
// parsers throw, which ended a run mid-snapshot. Such a line is now no progress line.
TEST(ProgressTest, NumbersThatDoNotFitOrConvertAreNoProgress) {
  EXPECT_FALSE(
      ParseProgressLine(" / 1 hashing, 99999999999999999999 hashed (0 B), 1 cached (6 B), "
                        "uploaded 0 B, estimating..."));
  EXPECT_FALSE(
      ParseProgressLine(" / 1 hashing, 1 hashed (0 B), 1 cached (6 B), uploaded 0 B, "
                        "estimated 10 B (.%) 1s left"));
  EXPECT_FALSE(ParseRestoreProgressLine("Processed 99999999999999999999 (1 B) of 2 (2 B)"));
  EXPECT_FALSE(ParseRestoreProgressLine("Processed 1 (1 B) of 2 (2 B), 1 B/s (.%) remaining 1s."));
  EXPECT_EQ(ParseByteSize(std::string(400, '9') + " B"), -1);
  EXPECT_EQ(ParseByteSize("99999999999999999999 EB"), -1);
  EXPECT_FALSE(ParseProgressLine(std::string(100'000, ' ') +
                                 " / 1 hashing, 1 hashed (0 B), 1 cached (6 B), uploaded 0 B"));
}

TEST(ProgressTest, ParsesLineWithEstimate) {
  // The shape of cli/cli_progress.go once kopia has estimated the total.
  auto p = ParseProgressLine(
      " / 1 hashing, 2 hashed (21.2 MB), 1 cached (6 B), uploaded 18.4 MB, estimated 30 MB "
      "(70.7%) 3s left");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->hashed_files, 2);
  EXPECT_EQ(p->hashed_bytes, 21'200'000);
  EXPECT_EQ(p->cached_files, 1);
  EXPECT_EQ(p->cached_bytes, 6);
  EXPECT_EQ(p->uploaded_bytes, 18'400'000);
  EXPECT_EQ(p->estimated_bytes, 30'000'000);
  EXPECT_DOUBLE_EQ(p->percent, 70.7);
  EXPECT_EQ(p->remaining, "3s");
}

TEST(ProgressTest, StreamSplitsRealKopiaStderr) {
  std::vector<SnapshotProgress> seen;
  std::vector<std::string> other;
  LineSplitter stream([&](std::string_view line) {
    if (auto p = ParseProgressLine(line)) {
      seen.push_back(*p);
    } else {
      other.emplace_back(line);
    }
  });
  const std::string text =
      testing::ReadFile(testing::FixturePath("kopia/snapshot-create-progress.stderr"));
  // Feed in awkward chunks to prove lines are reassembled.
  for (std::size_t i = 0; i < text.size(); i += 7) stream.Feed(std::string_view(text).substr(i, 7));
  stream.Finish();
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.back().estimated_bytes, -1);  // kopia was still estimating
  EXPECT_GE(seen.back().hashed_bytes + seen.back().cached_bytes, 20'000'000);
  ASSERT_FALSE(other.empty());
  EXPECT_EQ(other.front(), "Snapshotting alice@vm1:/srv/data ...");
}

TEST(ProgressTest, ParsesRestoreProgressBeforeAndAfterEstimate) {
  auto early = ParseRestoreProgressLine("Processed 1 (6 B) of 4 (20 MB).");
  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->done_files, 1);
  EXPECT_EQ(early->done_bytes, 6);
  EXPECT_EQ(early->total_files, 4);
  EXPECT_EQ(early->total_bytes, 20'000'000);
  EXPECT_EQ(early->percent, -1);

  auto later = ParseRestoreProgressLine(
      "Processed 3 (12.5 MB) of 4 (20 MB), skipped 1 (6 B), 8.1 MB/s (62.5%) remaining 1s.");
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->done_bytes, 12'500'000);
  EXPECT_DOUBLE_EQ(later->percent, 62.5);
  EXPECT_EQ(later->remaining, "1s");
  EXPECT_FALSE(ParseRestoreProgressLine("Restored 4 files").has_value());
}

}  // namespace
}  // namespace guestbackup::kopia
