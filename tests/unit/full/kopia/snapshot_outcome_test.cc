#include "full/kopia/snapshot_outcome.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace guestbackup::kopia {
namespace {

using testing::FixturePath;
using testing::ReadFile;

TEST(SnapshotOutcomeTest, CleanSnapshotSucceeds) {
  const auto o = ClassifySnapshot("snapshot of /srv/data", 0,
                                  ReadFile(FixturePath("kopia/snapshot-create-ok.json")), "");
  EXPECT_EQ(o.kind, SnapshotResultKind::kSucceeded);
  ASSERT_TRUE(o.manifest.has_value());
  EXPECT_TRUE(o.error.ok());
}

// kopia exits 1 after saving a manifest with failed files: that is partial, not failed.
TEST(SnapshotOutcomeTest, ExitOneWithSavedManifestIsPartial) {
  const int exit_code = std::stoi(ReadFile(FixturePath("kopia/snapshot-create-partial.exitcode")));
  ASSERT_EQ(exit_code, 1);
  const auto o = ClassifySnapshot("snapshot of /srv/data", exit_code,
                                  ReadFile(FixturePath("kopia/snapshot-create-partial.json")),
                                  ReadFile(FixturePath("kopia/snapshot-create-partial.stderr")));
  EXPECT_EQ(o.kind, SnapshotResultKind::kPartial);
  ASSERT_TRUE(o.manifest.has_value());
  EXPECT_EQ(o.manifest->errors.size(), 1u);
}

TEST(SnapshotOutcomeTest, ExitOneWithoutManifestFailsWithKopiasReason) {
  const auto o = ClassifySnapshot("snapshot of /srv/data", 1, "",
                                  ReadFile(FixturePath("kopia/connect-unreachable.stderr")));
  EXPECT_EQ(o.kind, SnapshotResultKind::kFailed);
  EXPECT_FALSE(o.manifest.has_value());
  EXPECT_EQ(o.error.code(), StatusCode::kUnavailable);
}

TEST(SnapshotOutcomeTest, IncompleteManifestFails) {
  const std::string json =
      R"({"id":"abc","source":{"host":"h","userName":"u","path":"/p"},"incomplete":"canceled",)"
      R"("rootEntry":{"summ":{"files":1}}})";
  const auto o = ClassifySnapshot("snapshot of /p", 1, json, "");
  EXPECT_EQ(o.kind, SnapshotResultKind::kFailed);
  EXPECT_EQ(o.error.message(), "snapshot of /p: snapshot incomplete (canceled)");
}

TEST(SnapshotOutcomeTest, SuccessWithoutManifestIsAFailure) {
  const auto o = ClassifySnapshot("snapshot of /p", 0, "", "");
  EXPECT_EQ(o.kind, SnapshotResultKind::kFailed);
  EXPECT_EQ(o.error.message(), "snapshot of /p: kopia reported success but printed no manifest");
}

}  // namespace
}  // namespace guestbackup::kopia
