// Back up, change, restore by path (latest, --at, --snapshot); versions; no overwrite
// without --overwrite; a path no job covers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "agent_harness.h"
#include "lean/base/time_format.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

class RoundTripTest : public ::testing::Test {
 protected:
  RoundTripTest() : agent_("alice", "vm1") {
    agent_.WritePolicy("  docs:\n    paths: [" + agent_.data().string() +
                       "]\n    retention: { keep_latest: 20 }\n");
  }
  Agent agent_;
};

TEST_F(RoundTripTest, BackUpChangeRestoreByPathAndTime) {
  const std::string file = agent_.WriteData("etc/app.conf", "version one\n");
  agent_.WriteData("other.txt", "unchanged\n");
  auto first = agent_.Run({"run", "docs", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const json r1 = json::parse(first.out);
  EXPECT_EQ(r1["status"], "succeeded");
  EXPECT_EQ(r1["files"], 2);
  ASSERT_EQ(r1["snapshot_ids"].size(), 1u);

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string between = FormatRfc3339Utc(NowUnixMs());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));

  agent_.WriteData("etc/app.conf", "version two, longer\n");
  auto second = agent_.Run({"run", "docs", "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;

  // Latest version, into a separate directory.
  auto latest = agent_.Run({"restore", file, "--to", (agent_.root() / "latest").string()});
  ASSERT_EQ(latest.exit_code, 0) << latest.err;
  EXPECT_EQ(ReadFile(agent_.root() / "latest/app.conf"), "version two, longer\n");

  // The earlier version by time.
  auto earlier = agent_.Run(
      {"restore", file, "--at", between, "--to", (agent_.root() / "earlier").string(), "--json"});
  ASSERT_EQ(earlier.exit_code, 0) << earlier.err;
  EXPECT_EQ(ReadFile(agent_.root() / "earlier/app.conf"), "version one\n");
  EXPECT_EQ(json::parse(earlier.out)["snapshot_id"], r1["snapshot_ids"][0]);

  // By snapshot id.
  auto by_id = agent_.Run({"restore", file, "--snapshot", r1["snapshot_ids"][0], "--to",
                           (agent_.root() / "by-id").string()});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  EXPECT_EQ(ReadFile(agent_.root() / "by-id/app.conf"), "version one\n");

  // A relative --at form.
  auto ago = agent_.Run(
      {"restore", file, "--at", "1 seconds ago", "--to", (agent_.root() / "ago").string()});
  ASSERT_EQ(ago.exit_code, 0) << ago.err;
  EXPECT_EQ(ReadFile(agent_.root() / "ago/app.conf"), "version two, longer\n");

  // Two distinct versions, each with its size.
  auto versions = agent_.Run({"versions", file, "--json"});
  ASSERT_EQ(versions.exit_code, 0) << versions.err;
  const json v = json::parse(versions.out);
  EXPECT_EQ(v["snapshots_examined"], 2);
  ASSERT_EQ(v["versions"].size(), 2u);
  EXPECT_EQ(v["versions"][0]["size"], 12);
  EXPECT_EQ(v["versions"][1]["size"], 20);
  EXPECT_NE(v["versions"][0]["hash"], v["versions"][1]["hash"]);

  // The unchanged file has one version held by both snapshots.
  auto same = agent_.Run({"versions", (agent_.data() / "other.txt").string(), "--json"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  const json s = json::parse(same.out);
  ASSERT_EQ(s["versions"].size(), 1u);
  EXPECT_EQ(s["versions"][0]["snapshots"], 2);

  // The directory as it was, to find what to restore.
  auto ls = agent_.Run({"ls", (agent_.data() / "etc").string(), "--at", between, "--json"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  const json listing = json::parse(ls.out);
  EXPECT_EQ(listing["snapshot_id"], r1["snapshot_ids"][0]);
  ASSERT_EQ(listing["entries"].size(), 1u);
  EXPECT_EQ(listing["entries"][0]["name"], "app.conf");
  EXPECT_EQ(listing["entries"][0]["size"], 12);
  EXPECT_EQ(agent_.Run({"ls", file}).exit_code, 1);  // a file, not a directory

  // A whole directory by path.
  auto dir = agent_.Run({"restore", (agent_.data() / "etc").string(), "--at", between, "--to",
                         (agent_.root() / "dir").string()});
  ASSERT_EQ(dir.exit_code, 0) << dir.err;
  EXPECT_EQ(ReadFile(agent_.root() / "dir/etc/app.conf"), "version one\n");
}

TEST_F(RoundTripTest, RestoreNeverOverwritesWithoutOverwrite) {
  const std::string file = agent_.WriteData("keep.txt", "backed up\n");
  ASSERT_EQ(agent_.Run({"run", "docs"}).exit_code, 0);
  agent_.WriteData("keep.txt", "edited since\n");

  auto refused = agent_.Run({"restore", file});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err, "guestbackup: " + file +
                             " already exists; pass --overwrite to replace it, or --to DIR to "
                             "restore beside it\n");
  EXPECT_EQ(ReadFile(file), "edited since\n");

  auto replaced = agent_.Run({"restore", file, "--overwrite"});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_EQ(ReadFile(file), "backed up\n");
  // No staging directory is left behind.
  for (const auto& e : std::filesystem::directory_iterator(agent_.data())) {
    EXPECT_EQ(e.path().filename().string().rfind(".guestbackup-restore-", 0), std::string::npos)
        << e.path();
  }
}

TEST_F(RoundTripTest, PathNoJobCoversIsRefusedByName) {
  ASSERT_EQ(agent_.Run({"run", "docs"}).exit_code, 0);
  auto r = agent_.Run({"restore", "/var/not-backed-up/file"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "guestbackup: no job backs up /var/not-backed-up/file; the jobs cover: " +
                       agent_.data().string() + "\n");
}

TEST_F(RoundTripTest, RestoreOfAFileMissingFromTheSnapshotSaysSo) {
  agent_.WriteData("present.txt", "x\n");
  ASSERT_EQ(agent_.Run({"run", "docs"}).exit_code, 0);
  auto r = agent_.Run({"restore", (agent_.data() / "absent.txt").string(), "--to",
                       (agent_.root() / "out").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("absent.txt is not in snapshot"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace guestbackup::testing
