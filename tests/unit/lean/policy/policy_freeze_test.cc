// `freeze:` and `freeze_timeout:`: read into the job with their default, and the errors the
// file alone can show — the root file system, a mount that holds none of the job's paths, and
// any freeze on Windows. (Whether each is a mount point, and not the state directory's file
// system, is the machine's to say: full/freeze/mount_checks_test.cc.)
#include <gtest/gtest.h>

#include <string>

#include "lean/policy/policy_loader.h"

namespace guestbackup::policy {
namespace {

LoadResult LoadJob(const std::string& job_lines) {
  return LoadPolicyText("version: 1\njobs:\n  data:\n" + job_lines, "policy.yaml");
}

std::string Errors(const LoadResult& result) {
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += FormatDiagnostic(d) + "\n";
  return out;
}

#ifdef _WIN32
TEST(PolicyFreeze, IsRefusedOnWindows) {
  EXPECT_EQ(Errors(LoadJob("    paths: ['C:\\data']\n    freeze: ['D:\\']\n")),
            "policy.yaml:5:13: jobs.data.freeze: freezing file systems is for Linux guests; on "
            "Windows, `snapshot: vss` gives a consistent copy\n"
            "    5 |     freeze: ['D:\\']\n"
            "      |             ^\n");
}
#else
TEST(PolicyFreeze, ReadsTheMountPointsAndTheTimeout) {
  const LoadResult result = LoadJob(
      "    paths: [/srv/data, /var/lib/db]\n    freeze: [/srv, /var/lib/db/]\n"
      "    freeze_timeout: 90s\n");
  ASSERT_TRUE(result.policy.has_value()) << Errors(result);
  EXPECT_EQ(result.policy->jobs[0].freeze, (std::vector<std::string>{"/srv", "/var/lib/db"}));
  EXPECT_EQ(result.policy->jobs[0].freeze_timeout, std::chrono::seconds(90));
}

TEST(PolicyFreeze, FreezesNothingByDefaultAndTimesOutAfterAMinute) {
  const LoadResult result = LoadJob("    paths: [/srv]\n");
  ASSERT_TRUE(result.policy.has_value()) << Errors(result);
  EXPECT_TRUE(result.policy->jobs[0].freeze.empty());
  EXPECT_EQ(result.policy->jobs[0].freeze_timeout, std::chrono::seconds(60));
}

TEST(PolicyFreeze, RefusesTheRootFileSystemAndMountsWithoutTheJobsPaths) {
  EXPECT_EQ(Errors(LoadJob("    paths: [/srv/data]\n    freeze: [/, /home, /srv]\n")),
            "policy.yaml:5:14: jobs.data.freeze[0]: the root file system cannot be frozen: every "
            "process, this agent too, would wait on it\n"
            "    5 |     freeze: [/, /home, /srv]\n"
            "      |              ^\n"
            "policy.yaml:5:17: jobs.data.freeze[1]: \"/home\" holds none of the job's paths: "
            "freezing it keeps no copy consistent\n"
            "    5 |     freeze: [/, /home, /srv]\n"
            "      |                 ^\n");
}

TEST(PolicyFreeze, AMountInsideABackedUpPathCounts) {
  const LoadResult result = LoadJob("    paths: [/srv]\n    freeze: [/srv/db]\n");
  EXPECT_TRUE(result.policy.has_value()) << Errors(result);
}

TEST(PolicyFreeze, TheTimeoutIsADuration) {
  EXPECT_NE(Errors(LoadJob("    paths: [/srv]\n    freeze: [/srv]\n    freeze_timeout: soon\n")),
            "");
}
#endif

}  // namespace
}  // namespace guestbackup::policy
