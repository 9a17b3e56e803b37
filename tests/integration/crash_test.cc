// kill -9 mid-snapshot leaves a row the next command shows as `interrupted` in a healthy
// database; a second run of a busy job exits 4 at once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "agent_harness.h"
#include "full/history/history.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

bool WaitForRunning(const Agent& agent, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto h = agent.Run({"history", "--json"});
    if (h.exit_code == 0 && h.out.find("\"running\"") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(CrashTest, KillNineMidSnapshotLeavesAnInterruptedRowAndAHealthyDatabase) {
  Agent agent("alice", "vm1");
  // Enough incompressible data that the snapshot is still running when it is killed.
  std::mt19937_64 rng(42);
  std::string block(1 << 20, '\0');
  for (int f = 0; f < 40; ++f) {
    for (auto& c : block) c = static_cast<char>(rng());
    agent.WriteData("big/" + std::to_string(f) + ".bin", block);
  }
  // A before hook that lingers a moment guarantees the kill lands inside the run.
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n    hooks:\n      before: [ { shell: \"sleep 1\" } ]\n");
  const pid_t pid = agent.Start({"run", "docs"});
  ASSERT_TRUE(WaitForRunning(agent, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // into the snapshot
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  auto h = agent.Run({"history", "--json"});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  const json rows = json::parse(h.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["status"], "interrupted");
  EXPECT_NE(rows[0]["message"].get<std::string>().find("ended without recording a result"),
            std::string::npos);

  auto db = history::HistoryDb::Open((agent.state() / "history.db").string());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto check = (*db)->IntegrityCheck();
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(*check, "ok");

  // The job is free again: the kernel released the dead run's lock.
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() + "]\n");
  EXPECT_EQ(agent.Run({"run", "docs"}).exit_code, 0);
}

TEST(CrashTest, SecondRunOfABusyJobExitsFourAtOnce) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "x\n");
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n    hooks:\n      before: [ { shell: \"sleep 4\" } ]\n");
  const pid_t first = agent.Start({"run", "docs"});
  ASSERT_TRUE(WaitForRunning(agent, std::chrono::seconds(30)));
  const auto t0 = std::chrono::steady_clock::now();
  auto second = agent.Run({"run", "docs"});
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(second.exit_code, 4);
  EXPECT_NE(second.err.find("job \"docs\" is already running (pid " + std::to_string(first) + ")"),
            std::string::npos)
      << second.err;
  EXPECT_LT(took, std::chrono::seconds(3)) << "the second run waited instead of exiting";
  int status = 0;
  waitpid(first, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  auto h = agent.Run({"history", "--json"});
  const json rows = json::parse(h.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["status"], "skipped");  // newest first: the refused run started later
  EXPECT_EQ(rows[1]["status"], "succeeded");
}

}  // namespace
}  // namespace guestbackup::testing
