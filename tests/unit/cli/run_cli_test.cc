// The CLI in-process: usage errors, help, policy tools and early failures of commands.
#include "cli/run_cli.h"
#include "unit/cli/cli_runner.h"
#include "unit/cli/discovery_env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sstream>

#include "lean/policy/policy_loader.h"
#include "support/temp_dir.h"

namespace guestbackup::cli {
namespace {

TEST(RunCliTest, HelpListsCommandsAndTheExitCodeTable) {
  const auto r = Cli({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* word : {"run", "restore", "versions", "snapshots", "history", "status", "policy",
                           "demo", "Exit codes:", "130  interrupted"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
}

TEST(RunCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Cli({}).code, 2);
  EXPECT_EQ(Cli({"frobnicate"}).code, 2);
  EXPECT_EQ(Cli({"run"}).code, 2);
  EXPECT_EQ(Cli({"restore", "/x", "--at", "now", "--snapshot", "abc"}).code, 2);
  EXPECT_EQ(Cli({"--log-level", "loud", "status"}).code, 2);
}

TEST(RunCliTest, PolicyCheckReportsEveryErrorAndExitsTwo) {
  testing::TempDir dir;
  const std::string file = dir.WriteFile("policy.yaml",
                                         "version: 1\n"
                                         "jobs:\n"
                                         "  etc:\n"
                                         "    pathz: [/etc]\n"
                                         "    schedule: \"Mnd *-*-* 02:00\"\n");
  const auto r = Cli({"policy", "check", file});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(file + ":4:5: jobs.etc.pathz: unknown key; did you mean \"paths\"?"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(file + ":5:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("errors in " + file), std::string::npos) << r.err;
}

TEST(RunCliTest, PolicyInitWritesASampleThatChecksCleanAndRefusesToOverwrite) {
  testing::TempDir dir;
  const std::string file = (dir.path() / "policy.yaml").string();
  ASSERT_EQ(Cli({"policy", "init", file}).code, 0);
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The sample names a password file this machine does not have: only the policy is clean.
  EXPECT_EQ(Cli({"policy", "check", "--no-local-files", file}).code, 0);
  EXPECT_EQ(Cli({"policy", "check", file}).code, 2);
  const auto again = Cli({"policy", "init", file});
  EXPECT_EQ(again.code, 2);
  EXPECT_EQ(again.err, "guestbackup: " + file + " already exists; pass --force to replace it\n");
  const auto printed = Cli({"policy", "init"});
  EXPECT_EQ(printed.code, 0);
  EXPECT_EQ(printed.out, testing::ReadFile(file));
}

TEST(RunCliTest, RunOfAnUnknownJobNamesTheJobsThereAre) {
  testing::TempDir dir;
  const std::string file = dir.WriteFile(
      "policy.yaml", "version: 1\nstate_dir: " + (dir.path() / "state").string() +
                         "\njobs:\n  etc:\n    paths: [/etc]\n  home:\n    paths: [/home]\n");
  const auto r = Cli({"--policy", file, "run", "ect"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "guestbackup: no job named \"ect\" in " + file + " (jobs: etc, home)\n");
}

// After discovery found nothing, the error names every missing value and each source tried.
TEST(RunCliTest, CommandsNeedingAServerSaySoWhenNoneIsConfigured) {
  testing::IsolatedDiscovery machine;
  testing::TempDir dir;
  const std::string file =
      dir.WriteFile("policy.yaml", "version: 1\nstate_dir: " + (dir.path() / "state").string() +
                                       "\nserver:\n  url: https://bsls:51515\n"
                                       "jobs:\n  etc:\n    paths: [/etc]\n");
  const std::string message =
      "the server settings are incomplete after discovery:\n"
      "  fingerprint or ca: no source gives it\n"
      "  hostname: no source gives it\n"
      "  password: no source gives it\n"
      "sources tried, highest precedence first:\n"
      "  command line: gives username\n"
      "  policy " +
      file +
      ": gives url\n"
      "  config disk: no disk with serial guestbackup or guestbackup-secret (looked in " +
      machine.by_id_dir() + " and " + machine.sys_block_dir() +
      "/*/serial)\n"
      "  cloud-init " +
      machine.instance_data() +
      ": no instance data (cloud-init has not run here)\n"
      "  DNS SRV: no Service named (--server-service or server.service)\n"
      "(`guestbackup discover` shows each value and where it came from)";
  const auto snapshots = Cli({"--policy", file, "--username", "web01", "snapshots"});
  EXPECT_EQ(snapshots.code, 2);
  EXPECT_EQ(snapshots.err, "guestbackup: " + message + "\n");
  // A run records the failure in the history, where status and notifications see it.
  const auto run = Cli({"--policy", file, "--username", "web01", "run", "etc"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.out, "etc: failed — " + message + "\n");
}

TEST(RunCliTest, StatusAndHistoryWorkBeforeAnyRun) {
  testing::TempDir dir;
  const std::string file =
      dir.WriteFile("policy.yaml", "version: 1\nstate_dir: " + (dir.path() / "state").string() +
                                       "\njobs:\n  etc:\n    paths: [/etc]\n    schedule: daily\n");
  const auto status = Cli({"--policy", file, "status"});
  EXPECT_EQ(status.code, 0) << status.err;
  EXPECT_NE(status.out.find("etc  daily     "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("never"), std::string::npos) << status.out;
  const auto history = Cli({"--policy", file, "history", "--json"});
  EXPECT_EQ(history.code, 0);
  EXPECT_EQ(history.out, "[]\n");
}

TEST(RunCliTest, MissingPolicyFileIsAPolicyError) {
  const auto r = Cli({"--policy", "/nonexistent/policy.yaml", "status"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "/nonexistent/policy.yaml:0:0: cannot read: No such file or directory\n");
}

}  // namespace
}  // namespace guestbackup::cli
