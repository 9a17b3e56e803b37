#include "full/kopia/manifest.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace guestbackup::kopia {
namespace {

using testing::FixturePath;
using testing::ReadFile;

TEST(ManifestTest, ParsesCreateOutputOfRealKopia) {
  auto m = ParseManifest(ReadFile(FixturePath("kopia/snapshot-create-ok.json")));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->id.size(), 32u);
  EXPECT_EQ(m->source.host, "vm1");
  EXPECT_EQ(m->source.user_name, "alice");
  EXPECT_EQ(m->source.path, "/srv/data");
  EXPECT_GT(m->start_ms, 1'700'000'000'000);
  EXPECT_GE(m->end_ms, m->start_ms);
  EXPECT_EQ(m->root_files, 3);
  EXPECT_EQ(m->root_dirs, 3);  // data, sub, locked
  EXPECT_EQ(m->num_failed, 0);
  EXPECT_EQ(m->error_count, 0);
  EXPECT_TRUE(m->incomplete_reason.empty());
  EXPECT_EQ(m->root_object_id.front(), 'k');
}

TEST(ManifestTest, ParsesFailedEntriesOfPartialSnapshot) {
  auto m = ParseManifest(ReadFile(FixturePath("kopia/snapshot-create-partial.json")));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->num_failed, 1);
  EXPECT_EQ(m->error_count, 1);
  ASSERT_EQ(m->errors.size(), 1u);
  EXPECT_EQ(m->errors[0].path, "locked/unreadable");
  EXPECT_NE(m->errors[0].error.find("permission denied"), std::string::npos);
}

TEST(ManifestTest, ParsesListWithRetentionReasons) {
  auto list = ParseManifestList(ReadFile(FixturePath("kopia/snapshot-list.json")));
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 4u);
  EXPECT_FALSE(list->back().retention_reasons.empty());
  EXPECT_EQ(list->at(2).num_failed, 1);
}

TEST(ManifestTest, RejectsMalformedJson) {
  EXPECT_EQ(ParseManifest("{not json").status().code(), StatusCode::kFailed);
  EXPECT_EQ(ParseManifest("{}").status().message(), "kopia manifest has no id");
  EXPECT_FALSE(ParseManifestList("{}").ok());
}

}  // namespace
}  // namespace guestbackup::kopia
