#include "cli/progress_display.h"

#include <gtest/gtest.h>

#include <sstream>

namespace guestbackup::cli {
namespace {

TEST(ProgressDisplayTest, SnapshotLineShowsFilesBytesRateAndEta) {
  kopia::SnapshotProgress p;
  p.hashed_files = 10;
  p.cached_files = 5;
  p.hashed_bytes = 20'000'000;
  p.cached_bytes = 4'000'000;
  EXPECT_EQ(ProgressDisplay::Format("/srv", p, 0.1), "/srv: 15 files, 24.0 MB");
  p.percent = 40;
  p.remaining = "12s";
  EXPECT_EQ(ProgressDisplay::Format("/srv", p, 2.0),
            "/srv: 15 files, 24.0 MB (12.0 MB/s), 40%, ETA 12s");
}

TEST(ProgressDisplayTest, RestoreLineShowsDoneOfTotal) {
  kopia::RestoreProgress p;
  p.done_files = 3;
  p.total_files = 4;
  p.done_bytes = 3'000'000;
  p.total_bytes = 4'000'000;
  EXPECT_EQ(ProgressDisplay::Format("/etc", p, 1.0),
            "restoring /etc: 3 of 4 files, 3.0 MB of 4.0 MB (3.0 MB/s)");
}

// kopia enqueues nothing when the restored path is one file: no "of 0 B".
TEST(ProgressDisplayTest, RestoreOfOneFileShowsWhatIsDone) {
  kopia::RestoreProgress p;
  p.done_files = 1;
  p.done_bytes = 2'000'000;
  EXPECT_EQ(ProgressDisplay::Format("/etc/big", p, 0.2), "restoring /etc/big: 1 file, 2.0 MB");
}

TEST(ProgressDisplayTest, SilentWhenNotATerminalOrJson) {
  std::ostringstream err;
  ProgressDisplay json(err, /*json_output=*/true);
  EXPECT_FALSE(json.enabled());
  json.Update("/x", kopia::SnapshotProgress{});
  json.Finish();
  EXPECT_EQ(err.str(), "");
}

}  // namespace
}  // namespace guestbackup::cli
