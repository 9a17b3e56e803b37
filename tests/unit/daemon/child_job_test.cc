// The daemon's children: the exact command lines, exit codes as run statuses, the last
// run's start from `history --json`, and child log lines re-logged at their own level.
#include "core/daemon/child_job.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "core/base/logging.h"

namespace guestbackup::daemon {
namespace {

using Argv = std::vector<std::string>;

TEST(ChildJobTest, RunArgvForwardsOnlyTheOptionsThatAreSet) {
  ChildCommand command{"/usr/bin/guestbackup", {}, ""};
  command.agent.policy_path = "/etc/p.yaml";
  EXPECT_EQ(RunArgv(command, "home", "daemon"),
            (Argv{"/usr/bin/guestbackup", "--policy", "/etc/p.yaml", "run", "--trigger", "daemon",
                  "home"}));
  command.agent.state_dir = "/s";
  command.agent.kopia_path = "/k";
  command.log_level = "info";
  EXPECT_EQ(RunArgv(command, "etc", "catch-up"),
            (Argv{"/usr/bin/guestbackup", "--policy", "/etc/p.yaml", "--state-dir", "/s", "--kopia",
                  "/k", "--log-level", "info", "run", "--trigger", "catch-up", "etc"}));
  EXPECT_EQ(
      LastRunArgv(command, "etc"),
      (Argv{"/usr/bin/guestbackup", "--policy", "/etc/p.yaml", "--state-dir", "/s", "--kopia", "/k",
            "--log-level", "info", "history", "--json", "--job", "etc", "--limit", "1"}));
}

TEST(ChildJobTest, ExitCodesMapToRunStatuses) {
  process::ProcessResult r;
  r.exited = true;
  const auto status_for = [&](int code) {
    r.exit_code = code;
    return StatusForExit(r);
  };
  EXPECT_EQ(status_for(0), history::RunStatus::kSucceeded);
  EXPECT_EQ(status_for(3), history::RunStatus::kPartial);
  EXPECT_EQ(status_for(4), history::RunStatus::kSkipped);
  EXPECT_EQ(status_for(130), history::RunStatus::kInterrupted);
  EXPECT_EQ(status_for(1), history::RunStatus::kFailed);
  EXPECT_EQ(status_for(5), history::RunStatus::kFailed);
  r.exited = false;
  r.term_signal = 9;
  EXPECT_EQ(StatusForExit(r), history::RunStatus::kFailed);
  r.cancelled = true;
  EXPECT_EQ(StatusForExit(r), history::RunStatus::kInterrupted);
}

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
