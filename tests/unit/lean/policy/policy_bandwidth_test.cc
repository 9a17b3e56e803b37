// `bandwidth:` in the policy file: the global limits, a job's overrides key by key (its
// `windows` replacing the global ones), and errors pointing at the value.
#include <gtest/gtest.h>

#include <string>

#include "lean/policy/policy_loader.h"

namespace guestbackup::policy {
namespace {

constexpr ByteRate kMiB = 1024 * 1024;

LoadResult Load(const std::string& text) { return LoadPolicyText(text, "policy.yaml"); }

std::string Errors(const LoadResult& result) {
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += FormatDiagnostic(d) + "\n";
  return out;
}

constexpr const char* kGlobal =
    "version: 1\n"
    "bandwidth:\n"
    "  upload: 20MiB/s\n"
    "  windows:\n"
    "    - when: \"Mon..Fri 08:00-18:00\"\n"
    "      upload: 5MiB/s\n";

TEST(PolicyBandwidth, JobsInheritTheGlobalLimits) {
  const LoadResult result = Load(std::string(kGlobal) + "jobs:\n  etc:\n    paths: [/etc]\n");
  ASSERT_TRUE(result.policy.has_value()) << Errors(result);
  const BandwidthSpec& global = result.policy->bandwidth;
  EXPECT_EQ(global.upload, 20 * kMiB);
  EXPECT_EQ(global.download, kUnlimited);
  ASSERT_EQ(global.windows.size(), 1u);
  EXPECT_EQ(global.windows[0].when, "Mon..Fri 08:00-18:00");
  EXPECT_EQ(global.windows[0].upload, 5 * kMiB);
  EXPECT_EQ(global.windows[0].download, std::nullopt);
  EXPECT_EQ(result.policy->jobs[0].bandwidth, global);
}

TEST(PolicyBandwidth, AJobOverridesKeyByKeyAndItsWindowsReplaceTheGlobalOnes) {
  const LoadResult result = Load(std::string(kGlobal) +
                                 "jobs:\n"
                                 "  db:\n"
                                 "    paths: [/srv]\n"
                                 "    bandwidth:\n"
                                 "      download: 100Mbit/s\n"
                                 "  logs:\n"
                                 "    paths: [/var/log]\n"
                                 "    bandwidth:\n"
                                 "      windows:\n"
                                 "        - when: Sat,Sun\n"
                                 "          upload: unlimited\n"
                                 "  bulk:\n"
                                 "    paths: [/data]\n"
                                 "    bandwidth:\n"
                                 "      windows: []\n");
  ASSERT_TRUE(result.policy.has_value()) << Errors(result);
  const BandwidthSpec& db = result.policy->jobs[0].bandwidth;
  EXPECT_EQ(db.upload, 20 * kMiB);
  EXPECT_EQ(db.download, 12'500'000u);
  EXPECT_EQ(db.windows, result.policy->bandwidth.windows);
  const BandwidthSpec& logs = result.policy->jobs[1].bandwidth;
  EXPECT_EQ(logs.upload, 20 * kMiB);
  ASSERT_EQ(logs.windows.size(), 1u);
  EXPECT_EQ(logs.windows[0].when, "Sat,Sun");
  EXPECT_EQ(logs.windows[0].upload, kUnlimited);
  EXPECT_TRUE(result.policy->jobs[2].bandwidth.windows.empty());
  EXPECT_FALSE(result.policy->jobs[2].bandwidth.Unlimited());
}

TEST(PolicyBandwidth, NoBandwidthKeyMeansUnlimited) {
  const LoadResult result = Load("version: 1\njobs:\n  etc:\n    paths: [/etc]\n");
  ASSERT_TRUE(result.policy.has_value()) << Errors(result);
  EXPECT_TRUE(result.policy->bandwidth.Unlimited());
  EXPECT_TRUE(result.policy->jobs[0].bandwidth.Unlimited());
}

TEST(PolicyBandwidth, ErrorsPointAtTheCharacter) {
  EXPECT_EQ(Errors(Load("version: 1\n"
                        "bandwidth:\n"
                        "  upload: 20Mib/s\n"
                        "  windows:\n"
                        "    - when: \"Mon..Fri 08:00-18:61\"\n"
                        "    - upload: 1MiB/s\n"
                        "jobs:\n  etc:\n    paths: [/etc]\n")),
            "policy.yaml:3:13: bandwidth.upload: unknown unit \"Mib\"; expected a rate such as "
            "\"20MiB/s\", \"500KiB/s\", \"100Mbit/s\" or \"unlimited\"\n"
            "    3 |   upload: 20Mib/s\n"
            "      |             ^\n"
            "policy.yaml:5:32: bandwidth.windows[0].when: invalid minute in \"18:61\"\n"
            "    5 |     - when: \"Mon..Fri 08:00-18:61\"\n"
            "      |                                ^\n"
            "policy.yaml:6:7: bandwidth.windows[1].when: required key is missing\n"
            "    6 |     - upload: 1MiB/s\n"
            "      |       ^\n");
}

}  // namespace
}  // namespace guestbackup::policy
