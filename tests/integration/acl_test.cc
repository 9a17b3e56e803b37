// Two users on one server with ACLs enabled: bob can neither list nor restore alice's data.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent_harness.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

TEST(AclTest, SecondUserCannotListOrRestoreFirstUsersSnapshots) {
  Agent alice("alice", "vm1");
  const std::string secret = alice.WriteData("private.txt", "alice's secret\n");
  alice.WritePolicy("  docs:\n    paths: [" + alice.data().string() + "]\n");
  auto run = alice.Run({"run", "docs", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string alice_snapshot = json::parse(run.out)["snapshot_ids"][0];

  // bob's policy names the very same path.
  Agent bob("bob", "vm2");
  bob.WritePolicy("  docs:\n    paths: [" + alice.data().string() + "]\n");
  auto listed = bob.Run({"snapshots", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(json::parse(listed.out).empty()) << listed.out;

  auto by_path = bob.Run({"restore", secret, "--to", (bob.root() / "stolen").string()});
  EXPECT_NE(by_path.exit_code, 0);
  EXPECT_NE(by_path.err.find("no snapshots of " + alice.data().string()), std::string::npos)
      << by_path.err;

  auto by_id = bob.Run(
      {"restore", secret, "--snapshot", alice_snapshot, "--to", (bob.root() / "stolen").string()});
  EXPECT_NE(by_id.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(bob.root() / "stolen/private.txt"));

  // alice still sees hers.
  auto own = alice.Run({"snapshots", "--json"});
  ASSERT_EQ(own.exit_code, 0);
  EXPECT_EQ(json::parse(own.out).size(), 1u);
}

}  // namespace
}  // namespace guestbackup::testing
