// Hooks around a real run: a failing before hook skips the snapshot and still runs the
// after hooks owed to the hooks that ran, in reverse order; a hook past its timeout is
// killed with its children; after hooks see the job, status and snapshot id.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "agent_harness.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

std::string Log(const Agent& a) { return (a.root() / "hooks.log").string(); }

std::string Hook(const std::string& name, const std::string& shell, const std::string& extra = "") {
  return "{ name: " + name + ", shell: \"" + shell + "\"" + extra + " }";
}

TEST(HooksTest, FailingBeforeHookSkipsSnapshotAndRunsOwedAfterHooksInReverse) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "x\n");
  const std::string log = Log(agent);
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n    hooks:\n      before:\n" + "        - " +
                    Hook("b0", "echo b0 >> " + log) + "\n" + "        - " +
                    Hook("b1", "echo b1 >> " + log + "; exit 3") + "\n" + "        - " +
                    Hook("b2", "echo b2 >> " + log) + "\n" + "      after:\n" + "        - " +
                    Hook("a0", "echo a0 $GUESTBACKUP_STATUS >> " + log) + "\n" + "        - " +
                    Hook("a1", "echo a1 $GUESTBACKUP_JOB >> " + log) + "\n" + "        - " +
                    Hook("a2", "echo a2 >> " + log) + "\n");
  auto r = agent.Run({"run", "docs", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out["status"], "failed");
  EXPECT_TRUE(out["snapshot_ids"].empty());
  EXPECT_NE(out["message"].get<std::string>().find("before hook \"b1\" failed: exit code 3"),
            std::string::npos)
      << out["message"];
  EXPECT_EQ(ReadFile(log), "b0\nb1\na1 docs\na0 failed\n");

  auto snapshots = agent.Run({"snapshots", "--json"});
  ASSERT_EQ(snapshots.exit_code, 0);
  EXPECT_TRUE(json::parse(snapshots.out).empty());
}

TEST(HooksTest, AfterHooksSeeTheSnapshotId) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "x\n");
  const std::string log = Log(agent);
  agent.WritePolicy(
      "  docs:\n    paths: [" + agent.data().string() + "]\n    hooks:\n      after:\n        - " +
      Hook("report",
           "echo $GUESTBACKUP_JOB $GUESTBACKUP_STATUS $GUESTBACKUP_SNAPSHOT_ID >> " + log) +
      "\n");
  auto r = agent.Run({"run", "docs", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = json::parse(r.out)["snapshot_ids"][0];
  EXPECT_EQ(ReadFile(log), "docs succeeded " + id + "\n");
}

TEST(HooksTest, HookPastItsTimeoutIsKilledWithItsChildren) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "x\n");
  const std::string pids = (agent.root() / "pids").string();
  agent.WritePolicy(
      "  docs:\n    paths: [" + agent.data().string() + "]\n    hooks:\n      before:\n        - " +
      Hook("slow", "sleep 300 & echo $! >> " + pids + "; sleep 300 & echo $! >> " + pids + "; wait",
           ", timeout: 500ms") +
      "\n");
  auto r = agent.Run({"run", "docs", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(json::parse(r.out)["message"].get<std::string>().find("timed out after 500ms"),
            std::string::npos)
      << r.out;
  std::istringstream in(ReadFile(pids));
  int count = 0;
  for (int pid; in >> pid; ++count) {
    EXPECT_NE(kill(pid, 0), 0) << "child " << pid << " of the timed-out hook survived";
  }
  EXPECT_EQ(count, 2);
}

}  // namespace
}  // namespace guestbackup::testing
