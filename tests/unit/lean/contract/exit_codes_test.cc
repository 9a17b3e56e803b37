#include "lean/contract/exit_codes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "support/temp_dir.h"

namespace guestbackup::contract {
namespace {

TEST(ExitCodesTest, EveryStatusHasItsDocumentedCode) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(Failed("x")), 1);
  EXPECT_EQ(ExitCodeFor(IoError("x")), 1);
  EXPECT_EQ(ExitCodeFor(NotFound("x")), 1);
  EXPECT_EQ(ExitCodeFor(PermissionDenied("x")), 1);
  EXPECT_EQ(ExitCodeFor(InvalidArgument("x")), 2);
  EXPECT_EQ(ExitCodeFor(PolicyError("x")), 2);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kPartial, "x")), 3);
  EXPECT_EQ(ExitCodeFor(AlreadyRunning("x")), 4);
  EXPECT_EQ(ExitCodeFor(Unavailable("x")), 5);
  EXPECT_EQ(ExitCodeFor(Interrupted("x")), 130);
}

TEST(ExitCodesTest, RunStatusesMapToTheSameTable) {
  EXPECT_EQ(ExitCodeFor(RunStatus::kSucceeded, Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(RunStatus::kPartial, Status(StatusCode::kPartial, "x")), 3);
  EXPECT_EQ(ExitCodeFor(RunStatus::kSkipped, AlreadyRunning("x")), 4);
  EXPECT_EQ(ExitCodeFor(RunStatus::kInterrupted, Interrupted("x")), 130);
  EXPECT_EQ(ExitCodeFor(RunStatus::kFailed, Unavailable("x")), 5);
  EXPECT_EQ(ExitCodeFor(RunStatus::kFailed, Failed("x")), 1);
  // A failed run never exits 0, whatever detail it carries.
  EXPECT_EQ(ExitCodeFor(RunStatus::kFailed, Status::Ok()), 1);
}

// The daemon reads a child's exit code back as the run status the child recorded.
TEST(ExitCodesTest, EveryRunStatusSurvivesTheChildsExitCode) {
  for (const RunStatus status : {RunStatus::kSucceeded, RunStatus::kPartial, RunStatus::kFailed,
                                 RunStatus::kSkipped, RunStatus::kInterrupted}) {
    process::ProcessResult child;
    child.exited = true;
    child.exit_code = ExitCodeFor(status, Failed("x"));
    EXPECT_EQ(RunStatusForExit(child), status) << RunStatusName(status);
  }
  process::ProcessResult child;
  child.exited = true;
  child.exit_code = kExitUnavailable;  // a failed run that could not reach the server
  EXPECT_EQ(RunStatusForExit(child), RunStatus::kFailed);
  child.exited = false;
  child.term_signal = 9;
  EXPECT_EQ(RunStatusForExit(child), RunStatus::kFailed);
  child.cancelled = true;  // the daemon stopped it
  EXPECT_EQ(RunStatusForExit(child), RunStatus::kInterrupted);
}

TEST(ExitCodesTest, HelpShowsTheWholeTable) {
  EXPECT_EQ(ExitCodeHelp(),
            "Exit codes:\n"
            "  0    ok\n"
            "  1    failed\n"
            "  2    usage error or invalid policy\n"
            "  3    partial: the snapshot was saved but some files could not be read\n"
            "  4    skipped: the job is already running, or the guest is frozen\n"
            "  5    server unreachable, TLS certificate mismatch, or authentication failed\n"
            "  6    the run's result could not be recorded (a full disk?); the job's next run "
            "records it from the server\n"
            "  130  interrupted (SIGINT/SIGTERM)\n");
}

// The README's table and the man page's EXIT STATUS are written by hand: each code of the
// table must appear in both, and no other.
TEST(ExitCodesTest, TheReadmeAndTheManPageListEveryCode) {
  const std::string readme = testing::ReadFile(std::string(GUESTBACKUP_SOURCE_DIR) + "/README.md");
  const std::string man =
      testing::ReadFile(std::string(GUESTBACKUP_SOURCE_DIR) + "/docs/guestbackup.1");
  const std::string man_section = man.substr(man.find(".SH EXIT STATUS"));
  std::set<int> in_readme;
  std::set<int> in_man;
  const std::regex readme_row(R"(\n\| (\d+) \| )");
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), readme_row);
       it != std::sregex_iterator(); ++it) {
    in_readme.insert(std::stoi((*it)[1]));
  }
  const std::regex man_item(R"(\n\.TP\n\.B (\d+)\n)");
  for (auto it = std::sregex_iterator(man_section.begin(), man_section.end(), man_item);
       it != std::sregex_iterator(); ++it) {
    in_man.insert(std::stoi((*it)[1]));
  }
  std::set<int> codes;
  for (const ExitCodeMeaning& entry : ExitCodeTable()) codes.insert(entry.code);
  EXPECT_EQ(in_readme, codes);
  EXPECT_EQ(in_man, codes);
}

TEST(ExitCodesTest, RunStatusNamesRoundTrip) {
  for (const RunStatus status :
       {RunStatus::kRunning, RunStatus::kSucceeded, RunStatus::kPartial, RunStatus::kFailed,
        RunStatus::kSkipped, RunStatus::kInterrupted}) {
    EXPECT_EQ(ParseRunStatus(RunStatusName(status)), status);
  }
  EXPECT_FALSE(ParseRunStatus("done").has_value());
}

}  // namespace
}  // namespace guestbackup::contract
