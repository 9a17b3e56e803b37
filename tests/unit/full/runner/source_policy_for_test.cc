// What a job asks kopia to apply to each of its sources: its own excludes, and always the
// restore staging directories, so a restore in progress (or killed) is never backed up.
#include <gtest/gtest.h>

#include "full/restore/staging.h"
#include "full/runner/job_runner.h"

namespace guestbackup::runner {
namespace {

TEST(SourcePolicyFor, ExcludesTheJobsPatternsAndRestoreStaging) {
  policy::JobSpec job;
  job.exclude = {"*.swp", "cache/"};
  job.compression = "zstd";
  const kopia::SourcePolicy p = SourcePolicyFor(job);
  EXPECT_EQ(p.ignore_rules,
            (std::vector<std::string>{"*.swp", "cache/", ".guestbackup-restore-*"}));
  EXPECT_EQ(p.ignore_rules.back(), restore::kStagingIgnoreRule);
  EXPECT_EQ(p.compression, "zstd");
}

TEST(SourcePolicyFor, AsksKopiaForTheJobsShadowCopyMode) {
  policy::JobSpec job;
  job.snapshot = policy::SnapshotMode::kVss;
  EXPECT_EQ(SourcePolicyFor(job).shadow_copy, "always");
  job.snapshot = policy::SnapshotMode::kWhenAvailable;
  EXPECT_EQ(SourcePolicyFor(job).shadow_copy, "when-available");
}

}  // namespace
}  // namespace guestbackup::runner
