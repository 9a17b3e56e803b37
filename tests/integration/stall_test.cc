// A server that stops answering mid-backup (its process stopped, as a hung node or a frozen
// storage backend would leave it): the run ends after the job's stall_timeout as failed with
// exit code 5, and its after hooks run — with a freeze hook, the guest is thawed. A restore
// from a server that stops ends the same way. Private servers, so stopping one cannot disturb
// the other tests.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "agent_harness.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

// The pid of `kopia server start` whose command line names `work_dir`; -1 when none.
pid_t ServerPid(const std::string& work_dir) {
  DIR* proc = opendir("/proc");
  pid_t found = -1;
  while (dirent* entry = proc != nullptr ? readdir(proc) : nullptr) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 0) continue;
    std::string cmdline = ReadFile("/proc/" + std::to_string(pid) + "/cmdline");
    if (cmdline.find(std::string("server\0start", 12)) != std::string::npos &&
        cmdline.find(work_dir) != std::string::npos) {
      found = pid;
    }
  }
  if (proc != nullptr) closedir(proc);
  return found;
}

// A kopia server of the test's own for alice@vm1, resumed whatever the test's outcome so that
// its destructor can stop it.
class StallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.kopia_path = KopiaBinary();
    options_.work_dir = server_dir_.path().string();
    options_.users = {{"alice", "vm1", UserPassword("alice")}};
    auto server = demo::LocalKopiaServer::Start(options_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    pid_ = ServerPid(options_.work_dir);
    ASSERT_GT(pid_, 0);
    server_values_ = {{"url", server_->url()}, {"fingerprint", server_->fingerprint()}};
  }
  void TearDown() override {
    if (pid_ > 0) kill(pid_, SIGCONT);
  }

  Agent agent_{"alice", "vm1"};
  TempDir server_dir_;
  demo::LocalServerOptions options_;
  std::unique_ptr<demo::LocalKopiaServer> server_;
  pid_t pid_ = -1;
  std::map<std::string, std::string> server_values_;
};

TEST_F(StallTest, AStalledServerEndsTheRunFailedWithExit5AndTheAfterHooksRun) {
  Agent& agent = agent_;
  const pid_t pid = pid_;
  const std::map<std::string, std::string>& server_values = server_values_;
  agent.WriteData("f.txt", "x\n");

  // A first run applies the job's source policy, so the second goes straight to the snapshot.
  const std::string paths = "  docs:\n    paths: [" + agent.data().string() + "]\n";
  agent.WritePolicy(paths, server_values);
  ASSERT_EQ(agent.Run({"run", "docs"}).exit_code, 0);

  // The before hook stops the server once the agent has connected: the snapshot then waits on
  // a server that never answers. The after hook resumes it and records the status it saw.
  const std::string marker = (agent.root() / "after").string();
  agent.WritePolicy(paths +
                        "    stall_timeout: 3s\n    hooks:\n      before:\n        - { name: "
                        "freeze, shell: \"kill -STOP " +
                        std::to_string(pid) +
                        "\" }\n      after:\n        - { name: thaw, shell: \"kill -CONT " +
                        std::to_string(pid) + "; echo $GUESTBACKUP_STATUS > " + marker + "\" }\n",
                    server_values);
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r = agent.Run({"run", "docs", "--json"});
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["status"], "failed") << r.out;
  EXPECT_NE(report["message"].get<std::string>().find(
                "no progress from kopia for 3s (jobs.docs.stall_timeout); the server or its "
                "storage stopped answering"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(ReadFile(marker), "failed\n");
  EXPECT_LT(took, std::chrono::seconds(60)) << "the run waited for the server, not the timeout";

  const json history = json::parse(agent.Run({"history", "--json"}).out);
  ASSERT_EQ(history.size(), 2u) << history;
  EXPECT_EQ(history[0]["status"], "failed");  // newest first
}

// A restore reads from the server: one that stops answering while kopia restores ends the
// restore after the job's stall_timeout with exit code 5, and no partial copy is left behind.
TEST_F(StallTest, AStalledServerEndsARestoreWithExit5AndLeavesNoPartialCopy) {
  Agent& agent = agent_;
  const pid_t pid = pid_;
  agent.WriteData("f.txt", "restore me\n");
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() + "]\n    stall_timeout: 3s\n",
                    server_values_);
  ASSERT_EQ(agent.Run({"run", "docs"}).exit_code, 0);

  // The server is stopped once the restore has found its snapshot and made its staging
  // directory, so kopia's restore is what waits on it. Without a history the restore lists
  // first and makes its staging directory after; with one it would restore beside the listing
  // (restore/expected_snapshot.h), and the stop could end the listing instead (exit 5 too, as
  // the server being unreachable).
  std::filesystem::remove(agent.state() / "history.db");
  const std::filesystem::path to = agent.root() / "restored";
  std::filesystem::create_directories(to);
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
      for (const auto& entry : std::filesystem::directory_iterator(to)) {
        if (entry.path().filename().string().starts_with(".guestbackup-restore-")) {
          stopped = kill(pid, SIGSTOP) == 0;
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r =
      agent.Run({"restore", (agent.data() / "f.txt").string(), "--to", to.string(), "--json"});
  const auto took = std::chrono::steady_clock::now() - start;
  stopper.join();
  ASSERT_TRUE(stopped) << "the restore ended before the server could be stopped: " << r.err;
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_NE(r.err.find("no progress from kopia for 3s (jobs.docs.stall_timeout); the server or "
                       "its storage stopped answering"),
            std::string::npos)
      << r.err;
  EXPECT_LT(took, std::chrono::seconds(60)) << "the restore waited for the server, not the timeout";
  EXPECT_TRUE(std::filesystem::is_empty(to)) << "a partial copy or staging directory was left";
}

}  // namespace
}  // namespace guestbackup::testing
