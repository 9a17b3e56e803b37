// `snapshot:` (volume shadow copies): the platform's default, the job's override of
// `defaults.snapshot`, and the errors — `vss` is refused where Windows' shadow copies do not
// exist. Built for both platforms, each with a path of its own.
#include <gtest/gtest.h>

#include <string>

#include "lean/policy/policy_loader.h"

namespace guestbackup::policy {
namespace {

#ifdef _WIN32
constexpr const char* kJobs = "jobs:\n  data:\n    paths: ['C:\\data']\n";
#else
constexpr const char* kJobs = "jobs:\n  data:\n    paths: [/srv/data]\n";
#endif

LoadResult LoadWith(const std::string& lines_before_jobs, const std::string& job_lines = "") {
  return LoadPolicyText("version: 1\n" + lines_before_jobs + kJobs + job_lines, "policy.yaml");
}

std::string Errors(const LoadResult& result) {
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += FormatDiagnostic(d) + "\n";
  return out;
}

TEST(PolicySnapshotMode, WindowsAsksForAShadowCopyWhenAvailableAndOtherSystemsForNone) {
  const LoadResult result = LoadWith("");
  ASSERT_TRUE(result.policy.has_value()) << Errors(result);
#ifdef _WIN32
  EXPECT_EQ(result.policy->jobs[0].snapshot, SnapshotMode::kWhenAvailable);
#else
  EXPECT_EQ(result.policy->jobs[0].snapshot, SnapshotMode::kNone);
#endif
}

TEST(PolicySnapshotMode, AJobInheritsDefaultsSnapshotAndMayOverrideIt) {
  const LoadResult inherited = LoadWith("defaults:\n  snapshot: when-available\n");
  ASSERT_TRUE(inherited.policy.has_value()) << Errors(inherited);
  EXPECT_EQ(inherited.policy->jobs[0].snapshot, SnapshotMode::kWhenAvailable);

  const LoadResult own =
      LoadWith("defaults:\n  snapshot: when-available\n", "    snapshot: none\n");
  ASSERT_TRUE(own.policy.has_value()) << Errors(own);
  EXPECT_EQ(own.policy->jobs[0].snapshot, SnapshotMode::kNone);
}

TEST(PolicySnapshotMode, AnUnknownModeNamesTheChoices) {
  EXPECT_EQ(Errors(LoadWith("", "    snapshot: shadow\n")),
            "policy.yaml:5:15: jobs.data.snapshot: unknown value \"shadow\"; expected one of: "
            "none vss when-available\n"
            "    5 |     snapshot: shadow\n"
            "      |               ^\n");
}

#ifdef _WIN32
TEST(PolicySnapshotMode, VssIsAcceptedOnWindows) {
  const LoadResult result = LoadWith("", "    snapshot: vss\n");
  ASSERT_TRUE(result.policy.has_value()) << Errors(result);
  EXPECT_EQ(result.policy->jobs[0].snapshot, SnapshotMode::kVss);
}
#else
TEST(PolicySnapshotMode, VssIsRefusedWhereThereAreNoShadowCopies) {
  EXPECT_EQ(Errors(LoadWith("defaults:\n  snapshot: vss\n", "    snapshot: vss\n")),
            "policy.yaml:3:13: defaults.snapshot: volume shadow copies exist on Windows only; "
            "use \"none\" here\n"
            "    3 |   snapshot: vss\n"
            "      |             ^\n"
            "policy.yaml:7:15: jobs.data.snapshot: volume shadow copies exist on Windows only; "
            "use \"none\" here\n"
            "    7 |     snapshot: vss\n"
            "      |               ^\n");
}
#endif

}  // namespace
}  // namespace guestbackup::policy
