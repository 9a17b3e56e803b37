// Rendering of the timer and service units: golden files compared byte for byte (regenerate
// with GUESTBACKUP_UPDATE_GOLDEN=1), and the policy-dependent parts one by one.
#include "full/systemd/unit_files.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "support/temp_dir.h"
#include "unit/full/systemd/sample_policies.h"

namespace guestbackup::systemd {
namespace {

namespace fs = std::filesystem;
using testing::FixturePath;
using testing::ReadFile;

bool UpdatingGolden() {
  const char* v = std::getenv("GUESTBACKUP_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// Compares every rendered unit with tests/fixtures/systemd/<variant>/<name>, and checks that
// the variant has no golden file for a unit that is no longer rendered.
void ExpectGolden(const std::string& variant, const std::vector<UnitFile>& units) {
  const fs::path dir = FixturePath("systemd/" + variant);
  std::set<std::string> rendered;
  for (const auto& unit : units) {
    rendered.insert(unit.name);
    const fs::path golden = dir / unit.name;
    if (UpdatingGolden()) {
      fs::create_directories(dir);
      std::ofstream(golden, std::ios::binary) << unit.content;
      continue;
    }
    EXPECT_EQ(unit.content, ReadFile(golden))
        << golden << " differs; GUESTBACKUP_UPDATE_GOLDEN=1 rewrites it";
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_TRUE(rendered.count(entry.path().filename().string()))
        << entry.path() << " is no longer rendered";
  }
}

TEST(UnitFilesTest, GoldenUnitsForAPolicyWithHooks) {
  const auto units = RenderUnits(testing::PolicyWithHooks(), testing::FixedSettings());
  ASSERT_EQ(units.size(), 3u);  // the service and two timers; "home" has no schedule
  EXPECT_EQ(units[0].name, "guestbackup@.service");
  EXPECT_EQ(units[1].name, "guestbackup-etc.timer");
  EXPECT_EQ(units[2].name, "guestbackup-db-dump.timer");
  ExpectGolden("hooks", units);
}

TEST(UnitFilesTest, GoldenUnitsForAPolicyWithoutHooks) {
  const auto units = RenderUnits(testing::PolicyWithoutHooks(), testing::FixedSettings());
  ASSERT_EQ(units.size(), 2u);
  ExpectGolden("plain", units);
}

TEST(UnitFilesTest, OnlyHooksBringCapSysAdmin) {
  const auto with = RenderService(testing::PolicyWithHooks(), testing::FixedSettings());
  const auto without = RenderService(testing::PolicyWithoutHooks(), testing::FixedSettings());
  EXPECT_NE(with.find("\nCapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_ADMIN\n"),
            std::string::npos);
  EXPECT_NE(without.find("\nCapabilityBoundingSet=CAP_DAC_READ_SEARCH\n"), std::string::npos);
}

TEST(UnitFilesTest, StopTimeoutCoversTheLongestChainOfAfterHooks) {
  policy::Policy p = testing::PolicyWithoutHooks();
  EXPECT_NE(RenderService(p, testing::FixedSettings()).find("\nTimeoutStopSec=30s\n"),
            std::string::npos);
  policy::HookSpec thaw;
  thaw.argv = {"/usr/sbin/fsfreeze", "-u", "/srv"};
  thaw.timeout = std::chrono::minutes(5);
  p.jobs[0].hooks.after = {thaw, thaw};
  thaw.timeout = std::chrono::milliseconds(1500);
  p.jobs[1].hooks.after = {thaw};
  // 30 s margin + 2 x 5 min of the first job; the second job's 1.5 s is shorter.
  EXPECT_NE(RenderService(p, testing::FixedSettings()).find("\nTimeoutStopSec=10min 30s\n"),
            std::string::npos);
}

TEST(UnitFilesTest, ExecStartQuotesWhatSystemdWouldOtherwiseSplitOrExpand) {
  UnitSettings s = testing::FixedSettings();
  s.binary_path = "/opt/guest backup/bin/guestbackup";
  s.policy_path = "/etc/gb/100%$HOME\"x\".yaml";
  s.state_dir = "/var/lib/gb state";
  s.kopia_path = "/opt/kopia/bin/kopia";
  const std::string service = RenderService(testing::PolicyWithoutHooks(), s);
  EXPECT_NE(service.find("\nExecStart=\"/opt/guest backup/bin/guestbackup\" --policy "
                         "\"/etc/gb/100%%$$HOME\\\"x\\\".yaml\" --state-dir \"/var/lib/gb "
                         "state\" --kopia /opt/kopia/bin/kopia run --trigger timer %i\n"),
            std::string::npos)
      << service;
  EXPECT_NE(service.find("\nReadWritePaths=\"/var/lib/gb state\"\n"), std::string::npos) << service;
}

TEST(UnitFilesTest, MetricsDirectoryOutsideTheStateDirIsWritableIfPresent) {
  policy::Policy p = testing::PolicyWithoutHooks();
  p.metrics.textfile = "/var/lib/prometheus/node-exporter/guestbackup.prom";
  EXPECT_NE(RenderService(p, testing::FixedSettings())
                .find("\nReadWritePaths=/var/lib/guestbackup "
                      "-/var/lib/prometheus/node-exporter\n"),
            std::string::npos);
  p.metrics.textfile = "/var/lib/guestbackup/metrics/guestbackup.prom";
  EXPECT_NE(
      RenderService(p, testing::FixedSettings()).find("\nReadWritePaths=/var/lib/guestbackup\n"),
      std::string::npos);
}

TEST(UnitFilesTest, TimerSettingsFollowTheJob) {
  policy::JobSpec job;
  job.name = "etc";
  job.schedule = "Mon..Fri *-*-* 09:00";
  job.catch_up = false;
  std::string timer = RenderTimer(job);
  EXPECT_NE(timer.find("\nOnCalendar=Mon..Fri *-*-* 09:00\n"), std::string::npos);
  EXPECT_NE(timer.find("\nPersistent=no\n"), std::string::npos);
  EXPECT_EQ(timer.find("RandomizedDelaySec"), std::string::npos);
  EXPECT_EQ(timer.find("FixedRandomDelay"), std::string::npos);
  job.catch_up = true;
  job.randomized_delay = std::chrono::seconds(5400);
  timer = RenderTimer(job);
  EXPECT_NE(timer.find("\nPersistent=yes\n"), std::string::npos);
  EXPECT_NE(timer.find("\nRandomizedDelaySec=1h 30min\nFixedRandomDelay=yes\n"), std::string::npos);
  EXPECT_NE(timer.find("\nUnit=guestbackup@etc.service\n"), std::string::npos);
  EXPECT_TRUE(timer.starts_with(std::string(kUnitMarker) + "\n"));
}

TEST(UnitFilesTest, FormatTimespan) {
  const std::pair<long long, const char*> cases[] = {
      {0, "0"},           {1, "1s"},        {59, "59s"},
      {60, "1min"},       {90, "1min 30s"}, {3600, "1h"},
      {5400, "1h 30min"}, {86400, "1d"},    {90061, "1d 1h 1min 1s"},
  };
  for (const auto& [seconds, text] : cases) {
    EXPECT_EQ(FormatTimespan(std::chrono::seconds(seconds)), text) << seconds;
  }
}

TEST(UnitFilesTest, NamesAndMarker) {
  EXPECT_EQ(TimerUnitName("db-dump"), "guestbackup-db-dump.timer");
  EXPECT_TRUE(IsGuestbackupUnitName("guestbackup@.service"));
  EXPECT_TRUE(IsGuestbackupUnitName("guestbackup-etc.timer"));
  EXPECT_FALSE(IsGuestbackupUnitName("guestbackup-.timer"));
  EXPECT_FALSE(IsGuestbackupUnitName("guestbackup@etc.service"));
  EXPECT_FALSE(IsGuestbackupUnitName("guestbackup-etc.service"));
  EXPECT_FALSE(IsGuestbackupUnitName("other-etc.timer"));
  EXPECT_TRUE(HasUnitMarker(std::string(kUnitMarker) + "\n[Unit]\n"));
  EXPECT_FALSE(HasUnitMarker("[Unit]\n" + std::string(kUnitMarker) + "\n"));
  EXPECT_FALSE(HasUnitMarker(std::string(kUnitMarker) + " (edited)\n"));
}

}  // namespace
}  // namespace guestbackup::systemd
