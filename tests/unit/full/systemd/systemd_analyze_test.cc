// The generated units checked by the real systemd-analyze: `verify` finds nothing to say
// about them (and does complain about a broken one, so its silence means something), an
// install's own verification refuses a timer systemd would not load, and `security --offline`
// rates the service. Skipped where systemd-analyze is not installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <regex>

#include "full/systemd/unit_installer.h"
#include "full/systemd/unit_verification.h"
#include "lean/process/executable_lookup.h"
#include "lean/process/process.h"
#include "support/temp_dir.h"
#include "unit/full/systemd/sample_policies.h"

namespace guestbackup::systemd {
namespace {

namespace fs = std::filesystem;

class StoppedSystemd final : public SystemdHost {
 public:
  bool Running() const override { return false; }
  Result<std::string> Run(const std::vector<std::string>&) override { return std::string(); }
};

class SystemdAnalyzeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* path = std::getenv("PATH");
    auto found = process::LocateExecutable("systemd-analyze", path != nullptr ? path : "");
    if (!found.ok()) GTEST_SKIP() << "systemd-analyze is not installed";
    analyze_ = *found;
  }

  // Installs the policy's units (ExecStart= the built guestbackup) into a fresh directory.
  std::string InstallUnits(const policy::Policy& policy) {
    UnitSettings settings = testing::FixedSettings();
    settings.binary_path = GUESTBACKUP_BINARY;
    const std::string dir = (temp_.path() / "units").string();
    auto plan = PlanInstall(dir, RenderUnits(policy, settings));
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    StoppedSystemd stopped;
    auto activation = PlanActivation(*plan, stopped);
    EXPECT_TRUE(activation.ok());
    EXPECT_TRUE(ApplyPlan(*plan, *activation, stopped).ok());
    return dir;
  }

  // Every timer, the instance each one starts, and the template itself.
  static std::vector<std::string> UnitsToVerify(const std::string& dir,
                                                const policy::Policy& policy) {
    std::vector<std::string> paths = {dir + "/guestbackup@.service"};
    for (const auto& job : policy.jobs) {
      if (job.schedule.empty()) continue;
      paths.push_back(dir + "/" + TimerUnitName(job.name));
      paths.push_back(dir + "/guestbackup@" + job.name + ".service");
    }
    return paths;
  }

  process::ProcessResult Analyze(std::vector<std::string> args) {
    process::ProcessSpec spec;
    spec.argv = {analyze_};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout = std::chrono::seconds(60);
    auto result = process::Run(spec);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : process::ProcessResult{};
  }

  void ExpectVerifyClean(const policy::Policy& policy) {
    const std::string dir = InstallUnits(policy);
    std::vector<std::string> args = {"verify", "--man=no"};
    for (auto& p : UnitsToVerify(dir, policy)) args.push_back(std::move(p));
    const auto r = Analyze(args);
    EXPECT_TRUE(r.Succeeded()) << r.Describe() << "\n" << r.stderr_data;
    EXPECT_EQ(r.stdout_data + r.stderr_data, "");
  }

  // The "Overall exposure level" systemd-analyze security gives the template service.
  double ExposureScore(const policy::Policy& policy) {
    const std::string dir = InstallUnits(policy);
    const auto r = Analyze({"security", "--offline=true", dir + "/guestbackup@.service"});
    EXPECT_TRUE(r.Succeeded()) << r.Describe() << "\n" << r.stderr_data;
    std::smatch m;
    const std::regex overall(R"(Overall exposure level for [^:]+: ([0-9]+\.[0-9]))");
    if (!std::regex_search(r.stdout_data, m, overall)) {
      ADD_FAILURE() << "no overall exposure level in:\n" << r.stdout_data;
      return 10;
    }
    return std::stod(m[1].str());
  }

  testing::TempDir temp_;
  std::string analyze_;
};

TEST_F(SystemdAnalyzeTest, VerifyAcceptsTheUnitsOfAPolicyWithHooks) {
  ExpectVerifyClean(testing::PolicyWithHooks());
}

TEST_F(SystemdAnalyzeTest, VerifyAcceptsTheUnitsOfAPolicyWithoutHooks) {
  ExpectVerifyClean(testing::PolicyWithoutHooks());
}

TEST_F(SystemdAnalyzeTest, VerifyRejectsAServiceWhoseBinaryIsMissing) {
  const std::string dir = InstallUnits(testing::PolicyWithoutHooks());
  std::string service = testing::ReadFile(dir + "/guestbackup@.service");
  const std::string binary = GUESTBACKUP_BINARY;
  service.replace(service.find(binary), binary.size(), "/nonexistent/guestbackup");
  temp_.WriteFile("units/guestbackup@.service", service);
  const auto r = Analyze({"verify", "--man=no", dir + "/guestbackup@home.service"});
  EXPECT_FALSE(r.Succeeded());
  EXPECT_NE(r.stderr_data.find("/nonexistent/guestbackup"), std::string::npos) << r.stderr_data;
}

TEST_F(SystemdAnalyzeTest, AnInstallVerifiesItsUnitsWithSystemdFirst) {
  UnitSettings settings = testing::FixedSettings();
  settings.binary_path = GUESTBACKUP_BINARY;
  const std::string dir = (temp_.path() / "verified-units").string();
  const auto host = NewLocalSystemdHost();
  auto plan = PlanInstall(dir, RenderUnits(testing::PolicyWithHooks(), settings));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(VerifyPlannedUnits(*plan, *host).ok());

  // A schedule the policy check lets through and systemd refuses (as "*-*~29" was before the
  // calendar engine followed systemd's bound): no unit is written.
  policy::Policy refused = testing::PolicyWithHooks();
  refused.jobs[0].schedule = "*-*~29";
  plan = PlanInstall(dir, RenderUnits(refused, settings));
  ASSERT_TRUE(plan.ok());
  const Status status = VerifyPlannedUnits(*plan, *host);
  EXPECT_EQ(status.code(), StatusCode::kPolicyError);
  EXPECT_NE(status.message().find("guestbackup-etc.timer:"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("*-*~29"), std::string::npos) << status.message();
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(SystemdAnalyzeTest, SecurityExposureIsLow) {
  const double with_hooks = ExposureScore(testing::PolicyWithHooks());
  const double without_hooks = ExposureScore(testing::PolicyWithoutHooks());
  std::cout << "systemd-analyze security exposure of guestbackup@.service: " << with_hooks
            << " with hooks (CAP_SYS_ADMIN for fsfreeze), " << without_hooks << " without\n";
  RecordProperty("exposure_with_hooks", std::to_string(with_hooks));
  RecordProperty("exposure_without_hooks", std::to_string(without_hooks));
  // Root that reads every file and reaches the network: systemd's "OK" band starts at 2.0.
  EXPECT_LE(with_hooks, 3.0);
  EXPECT_LE(without_hooks, 2.6);
  EXPECT_LT(without_hooks, with_hooks);
}

}  // namespace
}  // namespace guestbackup::systemd
