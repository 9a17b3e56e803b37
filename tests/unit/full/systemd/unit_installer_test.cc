// Installing units into a real temporary directory: idempotence, removal of a dropped job's
// timer, refusal to touch files we did not write, and the systemctl calls in their order
// (recorded by a fake systemd that also checks which files exist at each call).
#include "full/systemd/unit_installer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "full/systemd/line_diff.h"
#include "support/temp_dir.h"
#include "unit/full/systemd/sample_policies.h"

namespace guestbackup::systemd {
namespace {

namespace fs = std::filesystem;

struct Call {
  Argv argv;
  std::vector<std::string> files;  // our unit files present in the unit dir at the call
};

class FakeSystemd final : public SystemdHost {
 public:
  FakeSystemd(bool running, std::string unit_dir)
      : running_(running), unit_dir_(std::move(unit_dir)) {}
  bool Running() const override { return running_; }
  Result<std::string> Run(const Argv& argv) override {
    if (argv == Argv{"systemd-analyze", "unit-paths"}) {
      return "/etc/systemd/system.control\n" + unit_dir_ + "\n/usr/lib/systemd/system\n";
    }
    Call call{argv, {}};
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(unit_dir_, ec)) {
      call.files.push_back(e.path().filename().string());
    }
    std::sort(call.files.begin(), call.files.end());
    calls.push_back(std::move(call));
    return std::string();
  }
  std::vector<Call> calls;

 private:
  bool running_;
  std::string unit_dir_;
};

struct FileStamp {
  ino_t inode;
  struct timespec mtime;
};

FileStamp Stamp(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return {st.st_ino, st.st_mtim};
}

std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<UnitAction> Actions(const UnitPlan& plan) {
  std::vector<UnitAction> actions;
  for (const auto& u : plan.units) actions.push_back(u.action);
  return actions;
}

class UnitInstallerTest : public ::testing::Test {
 protected:
  std::vector<UnitFile> Wanted(const policy::Policy& p) const {
    return RenderUnits(p, testing::FixedSettings());
  }
  // Plans and applies with systemd stopped; returns the plan.
  UnitPlan Install(const policy::Policy& p) {
    auto plan = PlanInstall(dir_, Wanted(p));
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    FakeSystemd stopped(false, dir_);
    auto activation = PlanActivation(*plan, stopped);
    EXPECT_TRUE(activation.ok());
    EXPECT_TRUE(ApplyPlan(*plan, *activation, stopped).ok());
    return *plan;
  }

  testing::TempDir temp_;
  std::string dir_ = (temp_.path() / "units").string();
};

TEST_F(UnitInstallerTest, FirstInstallCreatesEveryUnitWorldReadable) {
  const UnitPlan plan = Install(testing::PolicyWithHooks());
  EXPECT_EQ(Actions(plan), (std::vector<UnitAction>(3, UnitAction::kCreate)));
  EXPECT_EQ(Listing(dir_),
            (std::vector<std::string>{"guestbackup-db-dump.timer", "guestbackup-etc.timer",
                                      "guestbackup@.service"}));
  for (const auto& unit : Wanted(testing::PolicyWithHooks())) {
    EXPECT_EQ(testing::ReadFile(fs::path(dir_) / unit.name), unit.content);
    EXPECT_EQ(fs::status(fs::path(dir_) / unit.name).permissions(), fs::perms(0644));
  }
  EXPECT_EQ(plan.enable_timers,
            (std::vector<std::string>{"guestbackup-etc.timer", "guestbackup-db-dump.timer"}));
}

TEST_F(UnitInstallerTest, SecondInstallChangesNothing) {
  Install(testing::PolicyWithHooks());
  std::vector<FileStamp> before;
  for (const auto& name : Listing(dir_)) before.push_back(Stamp(fs::path(dir_) / name));

  const UnitPlan again = Install(testing::PolicyWithHooks());
  EXPECT_FALSE(again.ChangesFiles());
  EXPECT_EQ(Actions(again), (std::vector<UnitAction>(3, UnitAction::kKeep)));
  const auto names = Listing(dir_);
  ASSERT_EQ(names.size(), before.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const FileStamp after = Stamp(fs::path(dir_) / names[i]);
    EXPECT_EQ(after.inode, before[i].inode) << names[i];
    EXPECT_EQ(after.mtime.tv_sec, before[i].mtime.tv_sec) << names[i];
    EXPECT_EQ(after.mtime.tv_nsec, before[i].mtime.tv_nsec) << names[i];
  }
}

TEST_F(UnitInstallerTest, ADroppedJobLosesItsTimerAndAChangedOneIsRewritten) {
  Install(testing::PolicyWithHooks());
  policy::Policy p = testing::PolicyWithHooks();
  p.jobs.erase(p.jobs.begin() + 1);  // db-dump
  p.jobs[0].schedule = "*-*-* 03:00:00";
  const UnitPlan plan = Install(p);
  ASSERT_EQ(plan.units.size(), 3u);
  EXPECT_EQ(plan.units[0].action, UnitAction::kKeep);  // the service: same hooks, same paths
  EXPECT_EQ(plan.units[1].action, UnitAction::kUpdate);
  EXPECT_EQ(plan.units[2].action, UnitAction::kRemove);
  EXPECT_EQ(plan.units[2].name, "guestbackup-db-dump.timer");
  EXPECT_EQ(plan.disable_timers, std::vector<std::string>{"guestbackup-db-dump.timer"});
  EXPECT_EQ(Listing(dir_),
            (std::vector<std::string>{"guestbackup-etc.timer", "guestbackup@.service"}));
  EXPECT_NE(testing::ReadFile(fs::path(dir_) / "guestbackup-etc.timer")
                .find("\nOnCalendar=*-*-* 03:00:00\n"),
            std::string::npos);
}

TEST_F(UnitInstallerTest, RefusesToReplaceAFileItDidNotWriteAndChangesNothing) {
  temp_.WriteFile("units/guestbackup-etc.timer", "[Timer]\nOnCalendar=daily\n");
  ASSERT_EQ(::symlink("/dev/null", (fs::path(dir_) / "guestbackup@.service").c_str()), 0);
  auto plan = PlanInstall(dir_, Wanted(testing::PolicyWithHooks()));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(plan.status().message(),
            "refusing to replace unit files that guestbackup did not write (their first line "
            "is not \"# Generated by guestbackup schedule install -- do not edit\"); move them "
            "away or rename the job:\n  " +
                dir_ + "/guestbackup@.service (masked)\n  " + dir_ + "/guestbackup-etc.timer");
  EXPECT_EQ(testing::ReadFile(fs::path(dir_) / "guestbackup-etc.timer"),
            "[Timer]\nOnCalendar=daily\n");
}

TEST_F(UnitInstallerTest, LeavesAForeignTimerOfADroppedNameAlone) {
  const std::string foreign = temp_.WriteFile("units/guestbackup-old.timer", "[Timer]\n");
  temp_.WriteFile("units/unrelated.timer", std::string(kUnitMarker) + "\n");
  const UnitPlan plan = Install(testing::PolicyWithHooks());
  EXPECT_EQ(plan.foreign, std::vector<std::string>{foreign});
  EXPECT_TRUE(plan.disable_timers.empty());
  EXPECT_EQ(testing::ReadFile(foreign), "[Timer]\n");
  EXPECT_TRUE(fs::exists(fs::path(dir_) / "unrelated.timer"));
}

TEST_F(UnitInstallerTest, PlanningTouchesNothing) {
  auto plan = PlanInstall(dir_, Wanted(testing::PolicyWithHooks()));
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(fs::exists(dir_));  // not even the directory
  Install(testing::PolicyWithHooks());
  policy::Policy p = testing::PolicyWithHooks();
  p.jobs.pop_back();
  p.jobs.pop_back();
  p.jobs[0].randomized_delay = std::chrono::seconds(0);
  const FileStamp before = Stamp(fs::path(dir_) / "guestbackup-etc.timer");
  plan = PlanInstall(dir_, Wanted(p));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->ChangesFiles());
  EXPECT_EQ(Listing(dir_).size(), 3u);
  EXPECT_EQ(Stamp(fs::path(dir_) / "guestbackup-etc.timer").mtime.tv_nsec, before.mtime.tv_nsec);
}

TEST_F(UnitInstallerTest, RemoveTakesOnlyOurFiles) {
  Install(testing::PolicyWithHooks());
  temp_.WriteFile("units/guestbackup-mine.timer", "[Timer]\n");
  auto plan = PlanRemove(dir_);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Actions(*plan), (std::vector<UnitAction>(3, UnitAction::kRemove)));
  EXPECT_EQ(plan->disable_timers,
            (std::vector<std::string>{"guestbackup-db-dump.timer", "guestbackup-etc.timer"}));
  FakeSystemd stopped(false, dir_);
  auto activation = PlanActivation(*plan, stopped);
  ASSERT_TRUE(activation.ok());
  ASSERT_TRUE(ApplyPlan(*plan, *activation, stopped).ok());
  EXPECT_EQ(Listing(dir_), std::vector<std::string>{"guestbackup-mine.timer"});
}

TEST_F(UnitInstallerTest, WithSystemdRunningTimersAreDisabledBeforeTheirFilesGo) {
  Install(testing::PolicyWithHooks());
  policy::Policy p = testing::PolicyWithHooks();
  p.jobs.erase(p.jobs.begin() + 1);
  auto plan = PlanInstall(dir_, Wanted(p));
  ASSERT_TRUE(plan.ok());
  FakeSystemd systemd(true, dir_);
  auto activation = PlanActivation(*plan, systemd);
  ASSERT_TRUE(activation.ok());
  EXPECT_TRUE(activation->enabled);
  ASSERT_TRUE(ApplyPlan(*plan, *activation, systemd).ok());
  ASSERT_EQ(systemd.calls.size(), 3u);
  EXPECT_EQ(systemd.calls[0].argv,
            (Argv{"systemctl", "disable", "--now", "guestbackup-db-dump.timer"}));
  EXPECT_EQ(systemd.calls[0].files.size(), 3u);  // still there while it is disabled
  EXPECT_EQ(systemd.calls[1].argv, (Argv{"systemctl", "daemon-reload"}));
  EXPECT_EQ(systemd.calls[1].files,
            (std::vector<std::string>{"guestbackup-etc.timer", "guestbackup@.service"}));
  EXPECT_EQ(systemd.calls[2].argv, (Argv{"systemctl", "enable", "--now", "guestbackup-etc.timer"}));
}

TEST_F(UnitInstallerTest, AnUnchangedInstallOnlyMakesSureTheTimersAreEnabled) {
  Install(testing::PolicyWithHooks());
  auto plan = PlanInstall(dir_, Wanted(testing::PolicyWithHooks()));
  ASSERT_TRUE(plan.ok());
  FakeSystemd systemd(true, dir_);
  auto activation = PlanActivation(*plan, systemd);
  ASSERT_TRUE(activation.ok());
  EXPECT_TRUE(activation->before_files.empty());
  EXPECT_EQ(activation->after_files,
            (std::vector<Argv>{{"systemctl", "enable", "--now", "guestbackup-etc.timer",
                                "guestbackup-db-dump.timer"}}));
}

TEST_F(UnitInstallerTest, NoSystemctlWhenSystemdIsNotRunningOrDoesNotLoadTheDirectory) {
  auto plan = PlanInstall(dir_, Wanted(testing::PolicyWithHooks()));
  ASSERT_TRUE(plan.ok());
  FakeSystemd stopped(false, dir_);
  auto activation = PlanActivation(*plan, stopped);
  ASSERT_TRUE(activation.ok());
  EXPECT_FALSE(activation->enabled);
  EXPECT_EQ(activation->reason, "systemd is not running on this machine");
  EXPECT_TRUE(activation->after_files.empty());

  FakeSystemd elsewhere(true, "/etc/systemd/system");
  activation = PlanActivation(*plan, elsewhere);
  ASSERT_TRUE(activation.ok());
  EXPECT_FALSE(activation->enabled);
  EXPECT_EQ(activation->reason, dir_ + " is not in systemd's unit search path");
  ASSERT_TRUE(ApplyPlan(*plan, *activation, elsewhere).ok());
  EXPECT_TRUE(elsewhere.calls.empty());
}

TEST(UnitFileStatusTest, InspectUnitFile) {
  testing::TempDir temp;
  const std::string ours = std::string(kUnitMarker) + "\n[Timer]\n";
  const std::string path = temp.WriteFile("guestbackup-etc.timer", ours);
  EXPECT_EQ(InspectUnitFile(path, ours), UnitFileStatus::kCurrent);
  EXPECT_EQ(InspectUnitFile(path, ours + "Persistent=yes\n"), UnitFileStatus::kOutdated);
  EXPECT_EQ(InspectUnitFile((temp.path() / "none.timer").string(), ours), UnitFileStatus::kMissing);
  temp.WriteFile("guestbackup-etc.timer", "[Timer]\n");
  EXPECT_EQ(InspectUnitFile(path, ours), UnitFileStatus::kForeign);
  EXPECT_STREQ(UnitFileStatusName(UnitFileStatus::kForeign), "not ours");
}

TEST(LineDiffTest, AlignsCommonLinesAndPutsRemovalsFirst) {
  EXPECT_EQ(DiffLines("a\nb\nc\n", "a\nB\nc\nd\n"),
            (std::vector<std::string>{" a", "-b", "+B", " c", "+d"}));
  EXPECT_EQ(DiffLines("", "x\n"), std::vector<std::string>{"+x"});
  EXPECT_EQ(DiffLines("x\ny\n", "y\n"), (std::vector<std::string>{"-x", " y"}));
}

TEST(TimerStateTest, ParsesSystemctlShow) {
  const TimerState s = TimerStateFromShow(
      "NextElapseUSecRealtime=Wed 2026-11-25 02:17:41 UTC\n"
      "LastTriggerUSec=n/a\n"
      "ActiveState=active\n"
      "UnitFileState=enabled\n");
  EXPECT_EQ(s.next_elapse, "Wed 2026-11-25 02:17:41 UTC");
  EXPECT_EQ(s.last_trigger, "");
  EXPECT_EQ(s.active_state, "active");
  EXPECT_EQ(s.unit_file_state, "enabled");
  EXPECT_EQ(ShowTimerArgv("guestbackup-etc.timer"),
            (Argv{"systemctl", "show",
                  "--property=NextElapseUSecRealtime,LastTriggerUSec,ActiveState,UnitFileState",
                  "guestbackup-etc.timer"}));
}

}  // namespace
}  // namespace guestbackup::systemd
