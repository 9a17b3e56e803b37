// What every command starts from: the policy read once (inotify counts the opens), the text
// that was checked handed back, and the state directory resolved flag > environment > policy.
#include "lean/context/agent_context.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <string>

#include "support/temp_dir.h"

namespace guestbackup::context {
namespace {

int Opens(int inotify) {
  int opens = 0;
  alignas(inotify_event) char buffer[4096];
  for (ssize_t n; (n = read(inotify, buffer, sizeof buffer)) > 0;) {
    for (char* p = buffer; p < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(p);
      opens += (event->mask & IN_OPEN) != 0 ? 1 : 0;
      p += sizeof(inotify_event) + event->len;
    }
  }
  return opens;
}

TEST(AgentContextTest, LoadsThePolicyFileOnceAndKeepsTheTextItChecked) {
  testing::TempDir dir;
  const std::string text = "version: 1\nstate_dir: " + (dir.path() / "state").string() +
                           "\njobs:\n  etc:\n    paths: [/etc]\n";
  AgentOptions options;
  options.policy_path = dir.WriteFile("policy.yaml", text, 0600);
  const int watch = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  ASSERT_GE(watch, 0);
  ASSERT_GE(inotify_add_watch(watch, options.policy_path.c_str(), IN_OPEN), 0);

  std::string loaded;
  Result<AgentContext> context = LoadAgentContext(options, &loaded);
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  EXPECT_EQ(Opens(watch), 1);
  EXPECT_EQ(loaded, text);
  EXPECT_EQ(context->policy.jobs.size(), 1u);
  close(watch);
}

TEST(AgentContextTest, StateDirectoryFlagThenEnvironmentThenPolicyThenDefault) {
  policy::Policy policy;
  AgentOptions options;
  unsetenv("GUESTBACKUP_STATE_DIR");
  EXPECT_EQ(ResolveStateDir(options, policy), platform::DefaultStateDir());
  policy.state_dir = "/srv/policy-state";
  EXPECT_EQ(ResolveStateDir(options, policy), "/srv/policy-state");
  setenv("GUESTBACKUP_STATE_DIR", "/srv/env-state", 1);
  EXPECT_EQ(ResolveStateDir(options, policy), "/srv/env-state");
  options.state_dir = "/srv/flag-state";
  EXPECT_EQ(ResolveStateDir(options, policy), "/srv/flag-state");
  unsetenv("GUESTBACKUP_STATE_DIR");
}

}  // namespace
}  // namespace guestbackup::context
