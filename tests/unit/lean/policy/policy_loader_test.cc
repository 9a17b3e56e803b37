#include "lean/policy/policy_loader.h"

#include <gtest/gtest.h>

#include <string>

#include "support/temp_dir.h"

namespace guestbackup::policy {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kPolicy = R"(version: 1
kopia: /opt/kopia/bin/kopia/
server:
  url: https://bsls.openshift-adp.svc:51515
  fingerprint: "3F:9A:1C:0E:5D:7B:2A:4F:6E:8D:0C:1B:3A:5F:7E:9D:2C:4B:6A:8F:0E:1D:3C:5B:7A:9F:2E:4D:6C:8B:0A:1F"
  username: web01
  hostname: prod-vms
  password_file: /etc/guestbackup/credentials/password
defaults:
  compression: zstd
  retention: { keep_latest: 10, keep_daily: 14 }
  hook_timeout: 2m
jobs:
  etc:
    paths: [/etc/, //srv/./data]
    schedule: daily
  db:
    paths: [/var/lib/db]
    exclude: ["*.tmp", cache/]
    schedule: "Mon..Fri *-*-* 02:00"
    randomized_delay: 1h30m
    catch_up: false
    compression: s2-default
    retention: { keep_daily: 30, keep_weekly: 0 }
    hooks:
      before:
        - { name: freeze, run: [/usr/sbin/fsfreeze, -f, /srv], timeout: 30s, on_failure: continue }
        - { shell: "systemctl stop app" }
      after:
        - { run: [/usr/sbin/fsfreeze, -u, /srv] }
)";

TEST(PolicyLoader, LoadsAndAppliesDefaultsFieldByField) {
  const LoadResult result = LoadPolicyText(kPolicy, "policy.yaml");
  for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << FormatDiagnostic(d);
  ASSERT_TRUE(result.policy.has_value());
  const Policy& policy = *result.policy;
  EXPECT_EQ(policy.version, 1);
  EXPECT_EQ(policy.source_path, "policy.yaml");
  EXPECT_EQ(policy.kopia_path, "/opt/kopia/bin/kopia");
  EXPECT_EQ(policy.state_dir, "");
  EXPECT_EQ(policy.server.url, "https://bsls.openshift-adp.svc:51515");
  EXPECT_EQ(policy.server.fingerprint,
            "3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f");
  EXPECT_EQ(policy.server.username, "web01");
  EXPECT_EQ(policy.server.hostname, "prod-vms");
  EXPECT_EQ(policy.server.password_file, "/etc/guestbackup/credentials/password");
  ASSERT_EQ(policy.jobs.size(), 2U);

  const JobSpec& etc = policy.jobs[0];
  EXPECT_EQ(etc.name, "etc");
  EXPECT_EQ(etc.mark.line, 14);
  EXPECT_EQ(etc.mark.column, 3);
  EXPECT_EQ(etc.paths, (std::vector<std::string>{"/etc", "/srv/data"}));
  EXPECT_EQ(etc.schedule, "daily");
  EXPECT_EQ(etc.randomized_delay, seconds(0));
  EXPECT_TRUE(etc.catch_up);
  EXPECT_EQ(etc.compression, "zstd");
  EXPECT_EQ(etc.retention.keep_latest, 10);
  EXPECT_EQ(etc.retention.keep_daily, 14);
  EXPECT_FALSE(etc.retention.keep_weekly.has_value());

  const JobSpec* db = policy.FindJob("db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->exclude, (std::vector<std::string>{"*.tmp", "cache/"}));
  EXPECT_EQ(db->schedule, "Mon..Fri *-*-* 02:00");
  EXPECT_EQ(db->randomized_delay, seconds(5400));
  EXPECT_FALSE(db->catch_up);
  EXPECT_EQ(db->compression, "s2-default");
  EXPECT_EQ(db->retention.keep_latest, 10);  // from defaults
  EXPECT_EQ(db->retention.keep_daily, 30);   // overridden
  EXPECT_EQ(db->retention.keep_weekly, 0);
  EXPECT_EQ(policy.FindJob("nope"), nullptr);
}

TEST(PolicyLoader, HooksGetDefaultNamesTimeoutsAndShellArgv) {
  const LoadResult result = LoadPolicyText(kPolicy, "policy.yaml");
  ASSERT_TRUE(result.policy.has_value());
  const HooksSpec& hooks = result.policy->FindJob("db")->hooks;
  ASSERT_EQ(hooks.before.size(), 2U);
  ASSERT_EQ(hooks.after.size(), 1U);

  const HookSpec& freeze = hooks.before[0];
  EXPECT_EQ(freeze.name, "freeze");
  EXPECT_EQ(freeze.argv, (std::vector<std::string>{"/usr/sbin/fsfreeze", "-f", "/srv"}));
  EXPECT_FALSE(freeze.via_shell);
  EXPECT_EQ(freeze.timeout, milliseconds(30'000));
  EXPECT_EQ(freeze.on_failure, HookFailureMode::kContinue);
  EXPECT_EQ(freeze.mark.line, 27);

  const HookSpec& stop = hooks.before[1];
  EXPECT_EQ(stop.name, "before[1]");
  EXPECT_EQ(stop.argv, (std::vector<std::string>{"/bin/sh", "-c", "systemctl stop app"}));
  EXPECT_TRUE(stop.via_shell);
  EXPECT_EQ(stop.timeout, milliseconds(120'000));  // defaults.hook_timeout
  EXPECT_EQ(stop.on_failure, HookFailureMode::kAbort);

  EXPECT_EQ(hooks.after[0].name, "after[0]");
}

TEST(PolicyLoader, HookTimeoutDefaultsToFiveMinutes) {
  const LoadResult result = LoadPolicyText(
      "version: 1\njobs:\n  a:\n    paths: [/a]\n    hooks: { after: [{ shell: x }] }\n", "p");
  ASSERT_TRUE(result.policy.has_value());
  EXPECT_EQ(result.policy->jobs[0].hooks.after[0].timeout, std::chrono::minutes(5));
  EXPECT_EQ(result.policy->jobs[0].compression, "");
}

TEST(PolicyLoader, CaFileIsAnAlternativeToPinning) {
  const LoadResult result = LoadPolicyText(
      "version: 1\nserver: { url: \"https://[::1]:51515\", ca_file: /etc/ca.crt, username: u, "
      "hostname: h, password_file: /pw }\njobs: { a: { paths: [/] } }\n",
      "p");
  for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << FormatDiagnostic(d);
  ASSERT_TRUE(result.policy.has_value());
  EXPECT_EQ(result.policy->server.ca_file, "/etc/ca.crt");
  EXPECT_EQ(result.policy->jobs[0].paths, std::vector<std::string>{"/"});
}

TEST(PolicyLoader, LoadsAFile) {
  guestbackup::testing::TempDir dir;
  const std::string path = dir.WriteFile("policy.yaml", kPolicy);
  const LoadResult result = LoadPolicyFile(path);
  ASSERT_TRUE(result.policy.has_value());
  EXPECT_EQ(result.policy->source_path, path);

  const std::string bad = dir.WriteFile("bad.yaml", "version: 1\njobs: []\n");
  const LoadResult failed = LoadPolicyFile(bad);
  ASSERT_EQ(failed.diagnostics.size(), 1U);
  EXPECT_EQ(failed.diagnostics[0].file, bad);
  EXPECT_EQ(failed.diagnostics[0].message, "expected a mapping");
}

TEST(PolicyLoader, ANonMappingDocumentIsOneDiagnostic) {
  const LoadResult result = LoadPolicyText("- a\n- b\n", "p.yaml");
  ASSERT_EQ(result.diagnostics.size(), 1U);
  EXPECT_EQ(FormatDiagnostic(result.diagnostics[0]),
            "p.yaml:1:1: expected a mapping of keys such as \"version\" and \"jobs\"");
}

}  // namespace
}  // namespace guestbackup::policy
