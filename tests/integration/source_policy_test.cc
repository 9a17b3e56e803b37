// The job's retention and excludes reach kopia: snapshots beyond keep_latest are dropped,
// excluded files are not in the snapshot, and changing the excludes takes effect.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent_harness.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

std::string Jobs(const Agent& a, const std::string& exclude) {
  return "  docs:\n    paths: [" + a.data().string() + "]\n    exclude: [" + exclude +
         "]\n    retention: { keep_latest: 2, keep_hourly: 0, keep_daily: 0, keep_weekly: 0, "
         "keep_monthly: 0, keep_annual: 0 }\n";
}

TEST(SourcePolicyTest, RetentionAndExcludesAreApplied) {
  Agent agent("alice", "vm1");
  agent.WritePolicy(Jobs(agent, "\"*.tmp\""));
  for (int i = 0; i < 3; ++i) {
    agent.WriteData("counter.txt", std::to_string(i) + "\n");
    agent.WriteData("scratch.tmp", "junk " + std::to_string(i) + "\n");
    auto r = agent.Run({"run", "docs", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["files"], 1) << "the .tmp file should be excluded";
  }
  auto list = agent.Run({"snapshots", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out).size(), 2u) << list.out;

  auto missing = agent.Run({"versions", (agent.data() / "scratch.tmp").string()});
  EXPECT_EQ(missing.exit_code, 1);

  // Dropping the exclude takes effect on the next run.
  agent.WritePolicy(Jobs(agent, ""));
  auto r = agent.Run({"run", "docs", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["files"], 2);
}

}  // namespace
}  // namespace guestbackup::testing
