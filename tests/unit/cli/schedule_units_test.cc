// `guestbackup schedule install|remove|list` in-process against a temporary unit directory:
// the exact messages, idempotence, a dry run that touches nothing, and refusals.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/run_cli.h"
#include "full/systemd/unit_files.h"
#include "support/temp_dir.h"

namespace guestbackup::cli {
namespace {

namespace fs = std::filesystem;

struct Output {
  int code;
  std::string out;
  std::string err;
};

constexpr const char* kPolicy =
    "version: 1\n"
    "jobs:\n"
    "  etc:\n"
    "    paths: [/etc]\n"
    "    schedule: \"*-*-* 02:00:00\"\n"
    "    randomized_delay: 30m\n"
    "  db:\n"
    "    paths: [/var/backups/db]\n"
    "    schedule: hourly\n"
    "    catch_up: false\n"
    "  home:\n"
    "    paths: [/home]\n";

class ScheduleUnitsTest : public ::testing::Test {
 protected:
  Output Cli(std::vector<std::string> args) {
    std::vector<std::string> full = {"--policy", policy_, "--state-dir", state_, "schedule"};
    full.insert(full.end(), args.begin(), args.end());
    std::ostringstream out, err;
    const int code = RunCli(full, out, err);
    return {code, out.str(), err.str()};
  }
  Output Install(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"install", "--unit-dir", units_, "--binary",
                                     "/usr/local/bin/guestbackup"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }
  // What the command says about systemd on this machine: here it is usually not running;
  // where it is, it does not load a temporary directory.
  std::string SystemdReason() const {
    return fs::exists("/run/systemd/system") ? units_ + " is not in systemd's unit search path"
                                             : "systemd is not running on this machine";
  }

  testing::TempDir temp_;
  std::string policy_ = temp_.WriteFile("policy.yaml", kPolicy);
  std::string state_ = (temp_.path() / "state").string();
  std::string units_ = (temp_.path() / "units").string();
};

TEST_F(ScheduleUnitsTest, InstallWritesTheUnitsAndASecondInstallChangesNothing) {
  const Output first = Install();
  EXPECT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.out, "created " + units_ + "/guestbackup@.service\n" +       //
                           "created " + units_ + "/guestbackup-etc.timer\n" +  //
                           "created " + units_ + "/guestbackup-db.timer\n" + SystemdReason() +
                           ": no timer enabled (once it loads them: systemctl daemon-reload && "
                           "systemctl enable --now guestbackup-etc.timer guestbackup-db.timer)\n");
  EXPECT_TRUE(fs::is_directory(state_));  // ReadWritePaths= needs it to exist
  const std::string service = testing::ReadFile(units_ + "/guestbackup@.service");
  EXPECT_NE(service.find("\nExecStart=/usr/local/bin/guestbackup --policy " + policy_ +
                         " --state-dir " + state_ + " run --trigger timer %i\n"),
            std::string::npos)
      << service;

  const Output second = Install();
  EXPECT_EQ(second.code, 0);
  EXPECT_EQ(second.out.substr(0, second.out.find('\n') + 1),
            "nothing to change: 3 unit files in " + units_ + " are current\n");
}

TEST_F(ScheduleUnitsTest, PathsThePrivateTmpHidesAreWarnedAbout) {
  const std::string real = fs::canonical(temp_.path()).string();
  if (!real.starts_with("/tmp/") && !real.starts_with("/var/tmp/")) {
    GTEST_SKIP() << "the test directory " << real << " is not under /tmp ($TMPDIR)";
  }
  const Output r = Install();
  EXPECT_NE(r.err.find("warning: the policy is " + policy_ +
                       ", which the service cannot see: PrivateTmp= gives it its own /tmp and "
                       "/var/tmp\n"),
            std::string::npos)
      << r.err;
}

TEST_F(ScheduleUnitsTest, ADroppedJobLosesItsTimer) {
  ASSERT_EQ(Install().code, 0);
  std::string policy = kPolicy;
  policy.erase(policy.find("  db:\n"), policy.find("  home:\n") - policy.find("  db:\n"));
  temp_.WriteFile("policy.yaml", policy);
  const Output r = Install();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find(SystemdReason())),
            "removed " + units_ + "/guestbackup-db.timer (job no longer in the policy)\n" +
                "2 unchanged\n");
  EXPECT_FALSE(fs::exists(units_ + "/guestbackup-db.timer"));
}

TEST_F(ScheduleUnitsTest, DryRunShowsTheChangeAndTouchesNothing) {
  Output r = Install({"--dry-run"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(units_));
  EXPECT_FALSE(fs::exists(state_));
  EXPECT_TRUE(r.out.starts_with("would create " + units_ + "/guestbackup@.service\n    +" +
                                std::string(systemd::kUnitMarker) + "\n"))
      << r.out;
  EXPECT_TRUE(r.out.ends_with(SystemdReason() + ": systemctl would not run\n")) << r.out;

  ASSERT_EQ(Install().code, 0);
  std::string policy = kPolicy;
  policy.replace(policy.find("02:00:00"), 8, "03:00:00");
  temp_.WriteFile("policy.yaml", policy);
  const std::string before = testing::ReadFile(units_ + "/guestbackup-etc.timer");
  r = Install({"--dry-run"});
  EXPECT_NE(r.out.find("would update " + units_ + "/guestbackup-etc.timer\n"), std::string::npos);
  EXPECT_NE(r.out.find("\n    -OnCalendar=*-*-* 02:00:00\n    +OnCalendar=*-*-* 03:00:00\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("unchanged " + units_ + "/guestbackup-db.timer\n"), std::string::npos);
  EXPECT_EQ(testing::ReadFile(units_ + "/guestbackup-etc.timer"), before);
}

TEST_F(ScheduleUnitsTest, RefusesToReplaceAUnitItDidNotWrite) {
  temp_.WriteFile("units/guestbackup-etc.timer", "[Timer]\nOnCalendar=daily\n");
  const Output r = Install();
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("guestbackup: refusing to replace unit files that guestbackup did not "
                       "write"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("\n  " + units_ + "/guestbackup-etc.timer\n"), std::string::npos);
  EXPECT_FALSE(fs::exists(units_ + "/guestbackup@.service"));
}

TEST_F(ScheduleUnitsTest, RemoveTakesEverythingOfOursAndLeavesTheRest) {
  ASSERT_EQ(Install().code, 0);
  temp_.WriteFile("units/guestbackup-mine.timer", "[Timer]\n");
  Output r = Cli({"remove", "--unit-dir", units_, "--dry-run"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(fs::directory_iterator(units_) != fs::directory_iterator(), true);
  EXPECT_TRUE(fs::exists(units_ + "/guestbackup@.service"));
  r = Cli({"remove", "--unit-dir", units_});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "left alone (not written by guestbackup): " + units_ +
                       "/guestbackup-mine.timer\n" + "removed " + units_ +
                       "/guestbackup-db.timer\n" + "removed " + units_ +
                       "/guestbackup-etc.timer\n" + "removed " + units_ +
                       "/guestbackup@.service\n" + SystemdReason() + ": no timer disabled\n");
  EXPECT_TRUE(fs::exists(units_ + "/guestbackup-mine.timer"));
  EXPECT_FALSE(fs::exists(units_ + "/guestbackup@.service"));
  r = Cli({"remove", "--unit-dir", units_});
  EXPECT_NE(r.out.find("nothing to remove in " + units_ + "\n"), std::string::npos);
}

TEST_F(ScheduleUnitsTest, ListShowsEachJobAndItsTimerFile) {
  ASSERT_EQ(Install().code, 0);
  std::string timer = testing::ReadFile(units_ + "/guestbackup-db.timer");
  temp_.WriteFile("units/guestbackup-db.timer", timer + "# edited\n");
  temp_.WriteFile("units/guestbackup-gone.timer", std::string(systemd::kUnitMarker) + "\n");
  const Output r = Cli({"list", "--unit-dir", units_, "--binary", "/usr/local/bin/guestbackup"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "service: " + units_ + "/guestbackup@.service (current)\n\n" +
                       "JOB   SCHEDULE        TIMER FILE     SYSTEMD  NEXT  LAST\n"
                       "etc   *-*-* 02:00:00  current        -        -     -\n"
                       "db    hourly          outdated       -        -     -\n"
                       "home  manual          -              -        -     -\n"
                       "gone  -               not in policy  -        -     -\n"
                       "\n" +
                       SystemdReason() + ": no timer state to show\n");
}

TEST_F(ScheduleUnitsTest, AnInvalidPolicyIsAUsageError) {
  temp_.WriteFile("policy.yaml",
                  "version: 1\njobs:\n  etc:\n    paths: [/etc]\n"
                  "    schedule: \"Mnd *-*-* 02:00\"\n");
  const Output r = Install();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.err.starts_with(policy_ + ":5:")) << r.err;
  EXPECT_FALSE(fs::exists(units_));
}

}  // namespace
}  // namespace guestbackup::cli
