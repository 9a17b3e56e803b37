#include "cli/exit_codes.h"

#include <gtest/gtest.h>

namespace guestbackup::cli {
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
  using history::RunStatus;
  EXPECT_EQ(ExitCodeFor(RunStatus::kSucceeded, Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(RunStatus::kPartial, Status(StatusCode::kPartial, "x")), 3);
  EXPECT_EQ(ExitCodeFor(RunStatus::kSkipped, AlreadyRunning("x")), 4);
  EXPECT_EQ(ExitCodeFor(RunStatus::kInterrupted, Interrupted("x")), 130);
  EXPECT_EQ(ExitCodeFor(RunStatus::kFailed, Unavailable("x")), 5);
  EXPECT_EQ(ExitCodeFor(RunStatus::kFailed, Failed("x")), 1);
  // A failed run never exits 0, whatever detail it carries.
  EXPECT_EQ(ExitCodeFor(RunStatus::kFailed, Status::Ok()), 1);
}

}  // namespace
}  // namespace guestbackup::cli
