// The daemon's children: the last run's start from `history --json`, and child log lines
// re-logged at their own level. (Their command lines and exit codes: tests/unit/lean/contract.)
#include "lean/daemon/child_job.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "lean/base/logging.h"

namespace guestbackup::daemon {
namespace {

TEST(ChildJobTest, LastRunStartFromHistoryJson) {
  auto empty = LastRunStartFromJson("[]\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());

  auto one = LastRunStartFromJson(
      R"([{"id": 7, "job": "home", "start": "2026-11-24T08:25:09.322Z", "status": "succeeded"}])");
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->value(), 1795508709322);

  EXPECT_EQ(LastRunStartFromJson("not json").status().message(),
            "history --json did not print a list");
  EXPECT_EQ(LastRunStartFromJson(R"([{"id": 7}])").status().message(),
            "history --json row has no start");
}

TEST(ChildJobTest, ChildLinesKeepTheirLevelAndLoseTheirTime) {
  std::vector<std::string> lines;
  ASSERT_TRUE(InitLogging("info", {.journald = true,
                                   .write = [&](std::string_view l) { lines.emplace_back(l); }})
                  .ok());
  RelogChildLine("2026-11-24T08:25:09.322Z warning job home: 3 files unreadable");
  RelogChildLine("2026-11-24T08:25:09.322Z debug below our level");
  RelogChildLine("2026-11-24T08:25:09.322Z error kopia failed");
  RelogChildLine("guestbackup: job home is already running");
  EXPECT_EQ(lines,
            (std::vector<std::string>{"<4>job home: 3 files unreadable\n", "<3>kopia failed\n",
                                      "<4>guestbackup: job home is already running\n"}));
  ASSERT_TRUE(InitLogging("warn").ok());
}

}  // namespace
}  // namespace guestbackup::daemon
