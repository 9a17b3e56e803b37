// Pinning and authentication: a wrong fingerprint or password fails with exit 5 and leaves
// no snapshot; a password file looser than 0600 is refused before anything is sent.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "agent_harness.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

std::string Jobs(const Agent& a) { return "  docs:\n    paths: [" + a.data().string() + "]\n"; }

int SnapshotCount(Agent& agent) {
  agent.WritePolicy(Jobs(agent));
  auto r = agent.Run({"snapshots", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? static_cast<int>(json::parse(r.out).size()) : -1;
}

TEST(ServerTrustTest, WrongFingerprintExitsFiveAndSavesNothing) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "data\n");
  const std::string wrong(64, 'a');
  agent.WritePolicy(Jobs(agent), {{"fingerprint", wrong}});
  auto r = agent.Run({"run", "docs"});
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_NE(r.out.find("does not match the pinned fingerprint (pinned " + wrong +
                       ", server presented " + SharedServer().fingerprint() + ")"),
            std::string::npos)
      << r.out;
  auto history = agent.Run({"history", "--json"});
  ASSERT_EQ(history.exit_code, 0);
  EXPECT_EQ(json::parse(history.out)[0]["status"], "failed");
  EXPECT_EQ(SnapshotCount(agent), 0);
}

TEST(ServerTrustTest, WrongPasswordExitsFiveWithAClearMessage) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "data\n");
  const std::string bad = (agent.root() / "bad-password").string();
  { std::ofstream(bad) << "not-the-password\n"; }
  chmod(bad.c_str(), 0600);
  agent.WritePolicy(Jobs(agent), {{"password_file", bad}});
  auto r = agent.Run({"run", "docs"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.out.find("authentication failed (wrong password, or the user is not known to the "
                       "server)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(SnapshotCount(agent), 0);
}

TEST(ServerTrustTest, UnreachableServerExitsFive) {
  Agent agent("alice", "vm1");
  agent.WritePolicy(Jobs(agent), {{"url", "https://127.0.0.1:1"}});
  auto r = agent.Run({"snapshots"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("server unreachable"), std::string::npos) << r.err;
}

TEST(ServerTrustTest, LoosePasswordFileIsRefusedNamingFileAndMode) {
  Agent agent("alice", "vm1");
  agent.WritePolicy(Jobs(agent));
  chmod(agent.password_file().c_str(), 0644);
  auto r = agent.Run({"snapshots"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(agent.password_file() + " has mode 0644"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace guestbackup::testing
