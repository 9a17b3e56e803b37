// The password never appears in any process's command line, in the agent's logs (at debug
// level), in the history database, or in the files the agent leaves in its state directory.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "agent_harness.h"

namespace guestbackup::testing {
namespace {

namespace fs = std::filesystem;

TEST(SecretsTest, PasswordAppearsInNoCommandLineLogOrStateFile) {
  Agent agent("alice", "vm1");
  for (int i = 0; i < 50; ++i)
    agent.WriteData("f" + std::to_string(i) + ".txt", std::string(1000, 'x'));
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n    retention: { keep_latest: 3 }\n"
                    "    hooks:\n      before: [ { shell: \"sleep 0.3\" } ]\n");
  const std::string password = UserPassword("alice");

  std::atomic<bool> done{false};
  std::atomic<int> scans{0};
  std::string leaked_in;
  std::thread watcher([&] {
    while (!done.load()) {
      for (const auto& proc : fs::directory_iterator("/proc")) {
        const std::string cmdline = ReadFile(proc.path() / "cmdline");
        if (cmdline.find(password) != std::string::npos) leaked_in = proc.path().string();
      }
      ++scans;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  auto run = agent.Run({"--log-level", "trace", "run", "docs"});
  auto restore = agent.Run({"--log-level", "trace", "restore", (agent.data() / "f1.txt").string(),
                            "--to", (agent.root() / "r").string()});
  done = true;
  watcher.join();

  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_GT(scans.load(), 10);
  EXPECT_EQ(leaked_in, "") << "password in the command line of " << leaked_in;
  EXPECT_NE(run.err.find("kopia"), std::string::npos) << "trace logs should mention kopia";
  EXPECT_EQ(run.err.find(password), std::string::npos);
  EXPECT_EQ(run.out.find(password), std::string::npos);
  EXPECT_EQ(restore.err.find(password), std::string::npos);
  for (const auto& f : fs::recursive_directory_iterator(agent.state())) {
    if (!f.is_regular_file()) continue;
    EXPECT_EQ(ReadFile(f.path()).find(password), std::string::npos) << "password in " << f.path();
  }
}

}  // namespace
}  // namespace guestbackup::testing
