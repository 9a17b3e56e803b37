// The unit packaging/systemd/guestbackup-daemon.service.in as the real systemd-analyze
// sees it: `verify` has nothing to say, and it keeps what the daemon depends on (Type=notify
// for READY/STATUS, KillMode=mixed so SIGTERM reaches the daemon alone and the shutdown grace
// means something). Skipped where systemd-analyze is not installed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "lean/process/executable_lookup.h"
#include "lean/process/process.h"
#include "support/temp_dir.h"

namespace guestbackup::daemon {
namespace {

using ::testing::HasSubstr;

constexpr const char* kUnitPath =
    GUESTBACKUP_SOURCE_DIR "/packaging/systemd/guestbackup-daemon.service.in";

TEST(DaemonUnitFileTest, ExampleUnitVerifiesAndKeepsWhatTheDaemonNeeds) {
  const std::string unit = testing::ReadFile(kUnitPath);
  ASSERT_FALSE(unit.empty()) << kUnitPath;
  for (const char* line :
       {"\nType=notify\n", "\nKillMode=mixed\n", "\nExecReload=/bin/kill -HUP $MAINPID\n",
        " daemon\n", "\nWatchdogSec="}) {
    EXPECT_THAT(unit, HasSubstr(line));
  }

  const char* path = std::getenv("PATH");
  auto analyze = process::LocateExecutable("systemd-analyze", path != nullptr ? path : "");
  if (!analyze.ok()) GTEST_SKIP() << "systemd-analyze is not installed";
  // ExecStart= must name an executable that exists here (installing writes the bin directory).
  std::string local = unit;
  const std::string installed = "ExecStart=@BINDIR@/guestbackup ";
  ASSERT_NE(local.find(installed), std::string::npos);
  local.replace(local.find(installed), installed.size(),
                std::string("ExecStart=") + GUESTBACKUP_BINARY + " ");
  testing::TempDir dir;
  const std::string copy = dir.WriteFile("guestbackup-daemon.service", local);

  process::ProcessSpec spec;
  spec.argv = {*analyze, "verify", "--man=no", copy};
  spec.timeout = std::chrono::seconds(60);
  auto r = process::Run(spec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->Succeeded()) << r->Describe() << "\n" << r->stderr_data;
  EXPECT_EQ(r->stdout_data + r->stderr_data, "");
}

}  // namespace
}  // namespace guestbackup::daemon
