// The command line between guestbackup-daemon and its children: the exact words the daemon
// builds, and that `run`'s own parser (the same registration) reads them back unchanged.
#include "lean/contract/command_line.h"

#include <CLI/CLI.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lean/contract/triggers.h"

namespace guestbackup::contract {
namespace {

using Argv = std::vector<std::string>;

// Parses argv (without the program) the way guestbackup does: global options, then `run`.
struct Parsed {
  GlobalOptions options;
  RunArguments run;
  bool ran = false;
};

Parsed ParseRun(const Argv& argv) {
  Parsed parsed;
  CLI::App app;
  AddGlobalOptions(app, parsed.options);
  CLI::App* run = app.add_subcommand("run");
  AddRunArguments(*run, parsed.run);
  run->callback([&parsed] { parsed.ran = true; });
  std::vector<std::string> reversed(argv.rbegin(), argv.rend() - 1);  // CLI11 wants it reversed
  app.parse(reversed);
  return parsed;
}

TEST(CommandLineTest, RunArgvForwardsOnlyTheOptionsThatAreSet) {
  GlobalOptions options;
  options.agent.policy_path = "/etc/p.yaml";
  RunArguments run{"home", "daemon", false};
  EXPECT_EQ(RunArgv("/usr/bin/guestbackup", options, run),
            (Argv{"/usr/bin/guestbackup", "--policy", "/etc/p.yaml", "run", "--trigger", "daemon",
                  "home"}));
  options.agent.state_dir = "/s";
  options.agent.kopia_path = "/k";
  options.log_level = "info";
  EXPECT_EQ(RunArgv("/usr/bin/guestbackup", options, {"etc", "catch-up", false}),
            (Argv{"/usr/bin/guestbackup", "--policy", "/etc/p.yaml", "--state-dir", "/s", "--kopia",
                  "/k", "--log-level", "info", "run", "--trigger", "catch-up", "etc"}));
  EXPECT_EQ(
      LastRunArgv("/usr/bin/guestbackup", options, "etc"),
      (Argv{"/usr/bin/guestbackup", "--policy", "/etc/p.yaml", "--state-dir", "/s", "--kopia", "/k",
            "--log-level", "info", "history", "--json", "--job", "etc", "--limit", "1"}));
}

TEST(CommandLineTest, EveryGlobalOptionSurvivesTheRoundTrip) {
  GlobalOptions options;
  options.agent.policy_path = "/etc/guestbackup/policy with space.yaml";
  options.agent.state_dir = "/var/lib/gb";
  options.agent.kopia_path = "/usr/libexec/guestbackup/kopia";
  options.log_level = "debug";
  discovery::ServerFlags& flags = options.agent.discovery.flags;
  flags.url = "https://bsls.openshift-adp.svc:51515";
  flags.fingerprint = std::string(64, 'a');
  flags.username = "web01";
  flags.hostname = "prod-vms";
  flags.password_file = "/etc/guestbackup/credentials/password";
  flags.service = "bsls.openshift-adp";
  options.agent.discovery.paths.config_disks = {"/dev/vdb", "/srv/disk.iso"};
  const RunArguments run{"home-dirs", "catch-up", true};

  const Parsed parsed = ParseRun(RunArgv("/usr/bin/guestbackup", options, run));
  ASSERT_TRUE(parsed.ran);
  EXPECT_EQ(parsed.options.agent.policy_path, options.agent.policy_path);
  EXPECT_EQ(parsed.options.agent.state_dir, options.agent.state_dir);
  EXPECT_EQ(parsed.options.agent.kopia_path, options.agent.kopia_path);
  EXPECT_EQ(parsed.options.log_level, "debug");
  const discovery::ServerFlags& got = parsed.options.agent.discovery.flags;
  EXPECT_EQ(got.url, flags.url);
  EXPECT_EQ(got.fingerprint, flags.fingerprint);
  EXPECT_EQ(got.username, flags.username);
  EXPECT_EQ(got.hostname, flags.hostname);
  EXPECT_EQ(got.password_file, flags.password_file);
  EXPECT_EQ(got.service, flags.service);
  EXPECT_EQ(parsed.options.agent.discovery.paths.config_disks,
            options.agent.discovery.paths.config_disks);
  EXPECT_EQ(parsed.run.job, "home-dirs");
  EXPECT_EQ(parsed.run.trigger, "catch-up");
  EXPECT_TRUE(parsed.run.json);
}

TEST(CommandLineTest, GlobalOptionsMayFollowTheSubcommand) {
  const Parsed parsed =
      ParseRun({"guestbackup", "run", "etc", "--policy", "/p.yaml", "--log-level", "error"});
  ASSERT_TRUE(parsed.ran);
  EXPECT_EQ(parsed.options.agent.policy_path, "/p.yaml");
  EXPECT_EQ(parsed.options.log_level, "error");
  EXPECT_EQ(parsed.run.job, "etc");
}

TEST(CommandLineTest, RunAcceptsEveryRunTriggerAndNoOther) {
  for (const std::string& trigger : RunTriggerNames()) {
    EXPECT_EQ(ParseRun({"guestbackup", "run", "--trigger", trigger, "etc"}).run.trigger, trigger);
  }
  EXPECT_THROW(ParseRun({"guestbackup", "run", "--trigger", "demo", "etc"}), CLI::ValidationError);
  EXPECT_THROW(ParseRun({"guestbackup", "run", "--trigger", "cron", "etc"}), CLI::ValidationError);
}

TEST(CommandLineTest, TriggerNamesRoundTrip) {
  for (const Trigger t : {Trigger::kManual, Trigger::kTimer, Trigger::kDaemon, Trigger::kCatchUp}) {
    EXPECT_EQ(ParseTrigger(TriggerName(t)), t);
  }
  EXPECT_EQ(RunTriggerNames(), (Argv{"manual", "timer", "daemon", "catch-up"}));
  EXPECT_FALSE(ParseTrigger("cron").has_value());
}

}  // namespace
}  // namespace guestbackup::contract
