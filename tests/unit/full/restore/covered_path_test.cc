#include "full/restore/covered_path.h"

#include <gtest/gtest.h>

namespace guestbackup::restore {
namespace {

policy::Policy TwoJobs() {
  policy::Policy p;
  policy::JobSpec etc;
  etc.name = "etc";
  etc.paths = {"/etc"};
  policy::JobSpec srv;
  srv.name = "srv";
  srv.paths = {"/srv", "/srv/db"};
  p.jobs = {etc, srv};
  return p;
}

kopia::SnapshotManifest Snap(const std::string& id, std::int64_t start) {
  kopia::SnapshotManifest m;
  m.id = id;
  m.start_ms = start;
  return m;
}

TEST(CoveredPathTest, FindsTheLongestContainingSource) {
  const auto p = TwoJobs();
  auto a = ResolveCoveredPath(p, "/etc/nginx/nginx.conf");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->job, "etc");
  EXPECT_EQ(a->source, "/etc");
  EXPECT_EQ(a->relative, "nginx/nginx.conf");
  auto b = ResolveCoveredPath(p, "/srv/db/data/../table.db");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->source, "/srv/db");
  EXPECT_EQ(b->relative, "table.db");
  EXPECT_EQ(b->path, "/srv/db/table.db");
  auto root = ResolveCoveredPath(p, "/srv/");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->relative, "");
}

TEST(CoveredPathTest, PrefixThatIsNotADirectoryBoundaryIsNotCovered) {
  auto r = ResolveCoveredPath(TwoJobs(), "/etcetera/file");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "no job backs up /etcetera/file; the jobs cover: /etc, /srv, /srv/db");
  EXPECT_EQ(ResolveCoveredPath(TwoJobs(), "etc/x").status().code(), StatusCode::kInvalidArgument);
}

TEST(PickSnapshotTest, NewestAtOrBeforeTheTimeOrById) {
  const std::vector<kopia::SnapshotManifest> list = {Snap("a", 1000), Snap("b", 2000),
                                                     Snap("c", 3000)};
  EXPECT_EQ(PickSnapshot(list, std::nullopt, std::nullopt, "/etc")->id, "c");
  EXPECT_EQ(PickSnapshot(list, std::nullopt, 2500, "/etc")->id, "b");
  EXPECT_EQ(PickSnapshot(list, std::nullopt, 2000, "/etc")->id, "b");
  EXPECT_EQ(PickSnapshot(list, std::string("a"), std::nullopt, "/etc")->id, "a");
  EXPECT_EQ(PickSnapshot(list, std::string("zz"), std::nullopt, "/etc").status().message(),
            "snapshot zz is not a snapshot of /etc");
  EXPECT_EQ(PickSnapshot({}, std::nullopt, std::nullopt, "/etc").status().message(),
            "no snapshots of /etc yet");
  auto early = PickSnapshot(list, std::nullopt, 500, "/etc");
  EXPECT_EQ(early.status().code(), StatusCode::kNotFound);
}

TEST(ObjectPathTest, JoinsIdAndRelativePath) {
  EXPECT_EQ(ObjectPath(Snap("abc", 0), ""), "abc");
  EXPECT_EQ(ObjectPath(Snap("abc", 0), "a/b"), "abc/a/b");
}

}  // namespace
}  // namespace guestbackup::restore
