// `guestbackup status` in-process over a real history database: next run, last due time and
// OVERDUE per job, in the table and in --json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/run_cli.h"
#include "full/history/history.h"
#include "lean/base/time_format.h"
#include "support/temp_dir.h"

namespace guestbackup::cli {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

TEST(StatusCommand, ShowsNextRunAndOverdueJobs) {
  testing::TempDir dir;
  const std::string state = (dir.path() / "state").string();
  const std::string file = dir.WriteFile(
      "policy.yaml", "version: 1\nstate_dir: " + state +
                         "\njobs:\n"
                         "  etc:\n    paths: [/etc]\n    schedule: \"*-*-* 02:00:00 UTC\"\n"
                         "  home:\n    paths: [/home]\n    schedule: hourly\n"
                         "  adhoc:\n    paths: [/srv]\n");
  {
    std::ostringstream out, err;  // creates the state directory and the history
    ASSERT_EQ(RunCli({"--policy", file, "status"}, out, err), 0) << err.str();
  }
  auto db = history::HistoryDb::Open(state + "/history.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  // etc last succeeded three days ago: overdue. home succeeded just now: fine.
  for (const auto& [job, start] :
       {std::pair<std::string, std::int64_t>{"etc", NowUnixMs() - 3 * kDayMs},
        {"home", NowUnixMs() - 1000}}) {
    auto id = (*db)->BeginRun(job, "timer", start);
    ASSERT_TRUE(id.ok());
    history::RunOutcome outcome;
    outcome.status = contract::RunStatus::kSucceeded;
    outcome.end_ms = start + 1000;
    ASSERT_TRUE((*db)->FinishRun(*id, outcome).ok());
  }

  std::ostringstream out, err;
  ASSERT_EQ(RunCli({"--policy", file, "status", "--json"}, out, err), 0) << err.str();
  const nlohmann::json status = nlohmann::json::parse(out.str());
  ASSERT_EQ(status["jobs"].size(), 3U);
  const nlohmann::json& etc = status["jobs"][0];
  EXPECT_EQ(etc["overdue"], true);
  ASSERT_TRUE(etc["next_run"].is_string());
  const Result<std::int64_t> next = ParseRfc3339(etc["next_run"].get<std::string>());
  ASSERT_TRUE(next.ok());
  EXPECT_GT(*next, NowUnixMs());
  EXPECT_LE(*next, NowUnixMs() + kDayMs);
  EXPECT_TRUE(etc["last_due"].is_string());
  EXPECT_EQ(status["jobs"][1]["overdue"], false);
  EXPECT_EQ(status["jobs"][2]["next_run"], "manual");
  EXPECT_EQ(status["jobs"][2]["overdue"], false);

  std::ostringstream table, table_err;
  ASSERT_EQ(RunCli({"--policy", file, "status"}, table, table_err), 0);
  const std::string text = table.str();
  EXPECT_NE(text.find("NEXT RUN"), std::string::npos) << text;
  EXPECT_NE(text.find("OVERDUE"), std::string::npos) << text;
  EXPECT_NE(text.find("adhoc"), std::string::npos) << text;
}

}  // namespace
}  // namespace guestbackup::cli
