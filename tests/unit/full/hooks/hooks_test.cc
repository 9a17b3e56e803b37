#include "full/hooks/hooks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/temp_dir.h"

namespace guestbackup::hooks {
namespace {

using ::testing::ElementsAre;

policy::HookSpec Shell(const std::string& name, const std::string& script,
                       policy::HookFailureMode mode = policy::HookFailureMode::kAbort) {
  policy::HookSpec h;
  h.name = name;
  h.argv = {"/bin/sh", "-c", script};
  h.via_shell = true;
  h.timeout = std::chrono::seconds(10);
  h.on_failure = mode;
  return h;
}

TEST(AfterHookOrderTest, PairsAfterHooksWithStartedBeforeHooksInReverse) {
  EXPECT_THAT(AfterHookOrder(3, 3, 3), ElementsAre(2, 1, 0));
  EXPECT_THAT(AfterHookOrder(3, 3, 2), ElementsAre(1, 0));
  EXPECT_THAT(AfterHookOrder(3, 3, 0), ElementsAre());
  // Unpaired after hooks always run, after the paired ones, in file order.
  EXPECT_THAT(AfterHookOrder(1, 3, 1), ElementsAre(0, 1, 2));
  EXPECT_THAT(AfterHookOrder(1, 3, 0), ElementsAre(1, 2));
  EXPECT_THAT(AfterHookOrder(0, 2, 0), ElementsAre(0, 1));
  // More before hooks than after hooks: only the paired prefix has after hooks.
  EXPECT_THAT(AfterHookOrder(3, 1, 3), ElementsAre(0));
}

class HooksRunTest : public ::testing::Test {
 protected:
  std::string Log() const { return dir_.path().string() + "/log"; }
  std::string Append(const std::string& text) const { return "echo " + text + " >> " + Log(); }
  testing::TempDir dir_;
};

TEST_F(HooksRunTest, StopsAtFirstAbortingFailureAndCountsItAsStarted) {
  policy::HooksSpec hooks;
  hooks.before = {Shell("one", Append("one")), Shell("two", Append("two") + "; exit 7"),
                  Shell("three", Append("three"))};
  const auto r = RunBeforeHooks(hooks, {}, nullptr);
  EXPECT_EQ(r.started, 2u);
  EXPECT_EQ(r.status.code(), StatusCode::kFailed);
  EXPECT_EQ(r.status.message(), "before hook \"two\" failed: exit code 7");
  EXPECT_EQ(testing::ReadFile(Log()), "one\ntwo\n");
}

TEST_F(HooksRunTest, ContinueModeLogsAndGoesOn) {
  policy::HooksSpec hooks;
  hooks.before = {Shell("flaky", "echo oops >&2; exit 1", policy::HookFailureMode::kContinue),
                  Shell("next", Append("next"))};
  const auto r = RunBeforeHooks(hooks, {}, nullptr);
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.started, 2u);
  EXPECT_TRUE(r.results[0].ignored_failure);
  EXPECT_EQ(r.results[0].output_tail, "oops");
  EXPECT_EQ(testing::ReadFile(Log()), "next\n");
}

TEST_F(HooksRunTest, AfterHooksAllRunAndReportTheFirstFailureWithEnvironment) {
  policy::HooksSpec hooks;
  hooks.before = {Shell("b0", "true"), Shell("b1", "true")};
  hooks.after = {Shell("a0", Append("a0-$GUESTBACKUP_STATUS")),
                 Shell("a1", Append("a1") + "; exit 2")};
  std::vector<HookResult> results;
  const Status s = RunAfterHooks(hooks, 2, {{"GUESTBACKUP_STATUS", "succeeded"}}, &results);
  EXPECT_EQ(s.message(), "after hook \"a1\" failed: exit code 2");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(testing::ReadFile(Log()), "a1\na0-succeeded\n");
}

// A hook that hangs past its timeout takes everything it started with it, even a process
// that left its group with setsid (say, a helper the hook meant to wait for).
TEST_F(HooksRunTest, ATimedOutHookLeavesNoProcessBehindEvenOneThatCalledSetsid) {
  policy::HooksSpec hooks;
  policy::HookSpec hang = Shell("hang", "setsid sh -c 'echo $$ >> " + Log() +
                                            "; exec sleep 100' </dev/null >/dev/null & sleep 100");
  hang.timeout = std::chrono::milliseconds(300);
  hooks.before = {hang};
  const auto r = RunBeforeHooks(hooks, {}, nullptr);
  EXPECT_EQ(r.status.message(), "before hook \"hang\" failed: timed out after 300ms (killed)");
  const int pid = std::stoi(testing::ReadFile(Log()));
  std::string stat;
  for (int i = 0; i < 100; ++i) {
    stat = testing::ReadFile("/proc/" + std::to_string(pid) + "/stat");
    if (stat.empty() || stat.find(") Z") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(stat.empty() || stat.find(") Z") != std::string::npos) << stat;
}

TEST_F(HooksRunTest, CancelStopsBeforeTheNextHook) {
  policy::HooksSpec hooks;
  hooks.before = {Shell("first", Append("first"))};
  std::atomic<bool> cancel{true};
  const auto r = RunBeforeHooks(hooks, {}, &cancel);
  EXPECT_EQ(r.status.code(), StatusCode::kInterrupted);
  EXPECT_EQ(r.started, 0u);
  EXPECT_EQ(testing::ReadFile(Log()), "");
}

}  // namespace
}  // namespace guestbackup::hooks
