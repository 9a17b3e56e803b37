// A restore starts kopia on the snapshot the local history expects while the repository's
// listing decides (restore/expected_snapshot.h): when the repository holds a snapshot the
// history does not know of, or no longer holds the one it does, the listing wins and the
// guess leaves nothing behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agent_harness.h"
#include "lean/process/process.h"

namespace guestbackup::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ExpectedSnapshotTest : public ::testing::Test {
 protected:
  ExpectedSnapshotTest() : agent_("alice", "vm1") {
    agent_.WritePolicy("  docs:\n    paths: [" + agent_.data().string() +
                       "]\n    retention: { keep_latest: 20 }\n");
  }

  process::ProcessResult Kopia(const std::vector<std::string>& args) const {
    auto result = process::Run(agent_.BareKopia(args));
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : process::ProcessResult{};
  }

  // Names left in `dir` besides `expected` (a staging directory would be one).
  static std::vector<std::string> OtherNames(const fs::path& dir, const std::string& expected) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename() != expected) names.push_back(entry.path().filename().string());
    }
    return names;
  }

  Agent agent_;
};

TEST_F(ExpectedSnapshotTest, ASnapshotTheHistoryDoesNotKnowOfWins) {
  const std::string file = agent_.WriteData("notes.txt", "from the agent's run\n");
  auto run = agent_.Run({"run", "docs", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string agents = json::parse(run.out)["snapshot_ids"][0];

  agent_.WriteData("notes.txt", "from a snapshot taken by hand\n");
  const auto by_hand = Kopia({"snapshot", "create", agent_.data().string(), "--json"});
  ASSERT_TRUE(by_hand.Succeeded()) << by_hand.stderr_data;
  const std::string hands = json::parse(by_hand.stdout_data)["id"];
  ASSERT_NE(hands, agents);

  const fs::path to = agent_.root() / "restored";
  auto restored =
      agent_.Run({"--log-level", "debug", "restore", file, "--to", to.string(), "--json"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(json::parse(restored.out)["snapshot_id"], hands);
  EXPECT_EQ(ReadFile(to / "notes.txt"), "from a snapshot taken by hand\n");
  EXPECT_EQ(OtherNames(to, "notes.txt"), std::vector<std::string>{});
  // The guess was made, and dropped.
  EXPECT_NE(restored.err.find("restoring " + agents), std::string::npos) << restored.err;
  EXPECT_NE(restored.err.find("the listing picked " + hands), std::string::npos) << restored.err;
}

TEST_F(ExpectedSnapshotTest, ASnapshotDeletedSinceTheRunIsNotRestored) {
  const std::string file = agent_.WriteData("notes.txt", "first\n");
  auto first = agent_.Run({"run", "docs", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  agent_.WriteData("notes.txt", "second\n");
  auto second = agent_.Run({"run", "docs", "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const std::string deleted = json::parse(second.out)["snapshot_ids"][0];
  const auto removal = Kopia({"snapshot", "delete", deleted, "--delete"});
  ASSERT_TRUE(removal.Succeeded()) << removal.stderr_data;

  // In place, over the current file: the copy of the first run replaces it.
  auto restored = agent_.Run({"restore", file, "--overwrite", "--json"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(json::parse(restored.out)["snapshot_id"], json::parse(first.out)["snapshot_ids"][0]);
  EXPECT_EQ(ReadFile(file), "first\n");
  EXPECT_EQ(OtherNames(agent_.data(), "notes.txt"), std::vector<std::string>{});
}

}  // namespace
}  // namespace guestbackup::testing
