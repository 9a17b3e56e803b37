// An unreadable file: the snapshot is saved, the run is `partial`, exit 3, and the history
// names the file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "agent_harness.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

TEST(PartialTest, UnreadableFileMakesThePartialRunNameIt) {
  Agent agent("alice", "vm1");
  agent.WriteData("readable.txt", "fine\n");
  const std::string locked = agent.WriteData("locked/secret.txt", "no\n");
  chmod(locked.c_str(), 0000);
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() + "]\n");

  // root reads anything; drop the two capabilities that let it, for this run only.
  std::vector<std::string> wrapper;
  if (geteuid() == 0) wrapper = {"setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"};
  auto r = agent.Run({"run", "docs", "--json"}, wrapper);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out["status"], "partial");
  EXPECT_EQ(out["snapshot_ids"].size(), 1u);
  EXPECT_EQ(out["errors"], 1);

  auto history = agent.Run({"history", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const json row = json::parse(history.out)[0];
  EXPECT_EQ(row["status"], "partial");
  ASSERT_EQ(row["file_errors"].size(), 1u);
  EXPECT_EQ(row["file_errors"][0]["path"], locked);
  EXPECT_NE(row["file_errors"][0]["error"].get<std::string>().find("permission denied"),
            std::string::npos);
  EXPECT_NE(row["message"].get<std::string>().find(locked), std::string::npos);
}

}  // namespace
}  // namespace guestbackup::testing
