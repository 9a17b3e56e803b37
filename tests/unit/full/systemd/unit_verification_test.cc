// The units an install would write, checked before any is written: what is staged for
// `systemd-analyze verify` (recorded by a scripted host that reads the staged files at the
// call), what a refusal becomes, and when nothing is asked. systemd_analyze_test.cc asks the
// real systemd-analyze.
#include "full/systemd/unit_verification.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "support/temp_dir.h"
#include "unit/full/systemd/sample_policies.h"

namespace guestbackup::systemd {
namespace {

namespace fs = std::filesystem;

// Answers every command with `answer` and records the argv and the files it names that exist
// at the call, with their content.
class ScriptedSystemd final : public SystemdHost {
 public:
  explicit ScriptedSystemd(Result<std::string> answer) : answer_(std::move(answer)) {}
  bool Running() const override { return true; }
  Result<std::string> Run(const Argv& argv) override {
    calls.push_back(argv);
    for (const std::string& arg : argv) {
      if (!fs::is_regular_file(arg)) continue;
      std::ifstream in(arg);
      std::ostringstream content;
      content << in.rdbuf();
      staged[fs::path(arg).filename().string()] = content.str();
    }
    return answer_;
  }
  std::vector<Argv> calls;
  std::map<std::string, std::string> staged;

 private:
  Result<std::string> answer_;
};

class UnitVerificationTest : public ::testing::Test {
 protected:
  UnitPlan Plan(const policy::Policy& p) {
    auto plan = PlanInstall(dir_, RenderUnits(p, testing::FixedSettings()));
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return *plan;
  }
  testing::TempDir temp_;
  std::string dir_ = (temp_.path() / "units").string();
};

TEST_F(UnitVerificationTest, StagesEveryUnitAndTheInstancesItsTimersStart) {
  const UnitPlan plan = Plan(testing::PolicyWithHooks());
  ScriptedSystemd systemd{std::string()};
  ASSERT_TRUE(VerifyPlannedUnits(plan, systemd).ok());
  ASSERT_EQ(systemd.calls.size(), 1u);
  const Argv& argv = systemd.calls[0];
  ASSERT_GE(argv.size(), 3u);
  EXPECT_EQ(Argv(argv.begin(), argv.begin() + 3), (Argv{"systemd-analyze", "verify", "--man=no"}));
  std::vector<std::string> names;
  for (auto it = argv.begin() + 3; it != argv.end(); ++it) {
    names.push_back(fs::path(*it).filename().string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"guestbackup@.service", "guestbackup-etc.timer",
                                             "guestbackup@etc.service", "guestbackup-db-dump.timer",
                                             "guestbackup@db-dump.service"}));
  // The staged files are exactly the planned ones, in a directory that is gone afterwards.
  ASSERT_EQ(systemd.staged.size(), plan.units.size());
  for (const UnitChange& unit : plan.units) {
    EXPECT_EQ(systemd.staged[unit.name], unit.new_content) << unit.name;
  }
  EXPECT_FALSE(fs::exists(fs::path(argv[3]).parent_path()));
  EXPECT_FALSE(fs::exists(dir_)) << "verifying writes nothing where the units go";
}

TEST_F(UnitVerificationTest, ARefusalIsAPolicyErrorQuotingSystemd) {
  const UnitPlan plan = Plan(testing::PolicyWithHooks());
  ScriptedSystemd systemd(
      Failed("systemd-analyze verify: exited with 1: guestbackup-etc.timer: Timer unit lacks value "
             "setting. Refusing."));
  const Status status = VerifyPlannedUnits(plan, systemd);
  EXPECT_EQ(status.code(), StatusCode::kPolicyError);
  EXPECT_EQ(status.message(),
            "systemd would not load the units this policy makes, so none was written: "
            "systemd-analyze verify: exited with 1: guestbackup-etc.timer: Timer unit lacks "
            "value setting. Refusing.");
}

TEST_F(UnitVerificationTest, WithoutSystemdAnalyzeThereIsNothingToAsk) {
  ScriptedSystemd systemd(NotFound("systemd-analyze: not found"));
  EXPECT_TRUE(VerifyPlannedUnits(Plan(testing::PolicyWithHooks()), systemd).ok());
  EXPECT_EQ(systemd.calls.size(), 1u);
}

TEST_F(UnitVerificationTest, NothingIsAskedWhenNothingIsWritten) {
  ScriptedSystemd systemd(Failed("must not be asked"));
  EXPECT_TRUE(VerifyPlannedUnits(*PlanRemove(dir_), systemd).ok());
  EXPECT_TRUE(systemd.calls.empty());
}

}  // namespace
}  // namespace guestbackup::systemd
