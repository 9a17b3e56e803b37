// The real `guestbackup daemon` against the shared kopia server: a job due every 5 s fills the
// history with `daemon` rows, sd_notify reaches a socket the test binds, a broken policy file
// is refused and the old schedule kept, SIGHUP reloads instead of stopping, and SIGTERM stops
// cleanly — waiting for a running job within the grace, then interrupting it; a huge policy or
// a FIFO renamed over the policy is refused and the last good one kept; a second daemon on
// the same state directory exits at once.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "agent_harness.h"
#include "full/history/history.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

// A daemon started in the background, its stderr (the log) in a file, NOTIFY_SOCKET bound by
// the test.
class Daemon {
 public:
  explicit Daemon(const Agent& agent) : log_((agent.root() / "daemon.log").string()) {
    const std::string socket_path = (agent.root() / "notify").string();
    notify_fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    socket_path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    EXPECT_EQ(bind(notify_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    // Read all the time, as systemd does: sd_notify blocks once a datagram queue is full.
    reader_ = std::thread([this] {
      char buffer[4096];
      for (ssize_t n; (n = recv(notify_fd_, buffer, sizeof buffer, 0)) > 0;) {
        std::lock_guard lock(mu_);
        notifications_.emplace_back(buffer, static_cast<std::size_t>(n));
        cv_.notify_all();
      }
    });

    pid_ = fork();
    if (pid_ == 0) {
      const int out = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(out, 1);
      dup2(out, 2);
      setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
      execl(GUESTBACKUP_BINARY, GUESTBACKUP_BINARY, "--policy", agent.policy_path().c_str(),
            "--log-level", "info", "daemon", static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Daemon() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    shutdown(notify_fd_, SHUT_RDWR);  // ends the reader's recv()
    reader_.join();
    close(notify_fd_);
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  pid_t pid() const { return pid_; }
  std::string Log() const { return ReadFile(log_); }

  // The next sd_notify datagram not yet returned, "<timeout>" after 30 s.
  std::string Notification() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, seconds(30), [&] { return notifications_.size() > next_; })) {
      return "<timeout>";
    }
    return notifications_[next_++];
  }

  // Whether `text` arrives (or has arrived) within 30 s.
  bool AwaitNotification(const std::string& text) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, seconds(30), [&] {
      return std::find(notifications_.begin(), notifications_.end(), text) != notifications_.end();
    });
  }

  // Sends `signal` and waits up to `limit` for the exit; returns the exit code, or -1.
  int SignalAndWait(int signal, seconds limit) {
    kill(pid_, signal);
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < give_up) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

 private:
  std::string log_;
  int notify_fd_ = -1;
  pid_t pid_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> notifications_;
  std::size_t next_ = 0;
};

// Read from the database itself: the CLI would refuse while the test holds a broken policy.
json History(const Agent& agent) {
  json rows = json::array();
  auto db = history::HistoryDb::Open((agent.state() / "history.db").string());
  if (!db.ok()) return rows;  // not created yet
  auto runs = (*db)->ListRuns({"", 0});
  EXPECT_TRUE(runs.ok()) << runs.status().ToString();
  if (!runs.ok()) return rows;
  for (const auto& r : *runs) {
    rows.push_back({{"job", r.job},
                    {"trigger", r.trigger},
                    {"status", std::string(contract::RunStatusName(r.status))}});
  }
  return rows;
}

// Waits until `pred(history)` holds; false after `limit`.
template <typename Pred>
bool WaitForHistory(const Agent& agent, seconds limit, Pred pred) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (pred(History(agent))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  return false;
}

int Count(const json& rows, const std::string& job, const std::string& status) {
  int n = 0;
  for (const auto& r : rows) {
    if (r["job"] == job && r["status"] == status) ++n;
  }
  return n;
}

bool WaitForLog(const Daemon& daemon, const std::string& text, seconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (daemon.Log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(DaemonTest, RunsTheScheduleReloadsAndStopsCleanly) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "x\n");
  const std::string docs =
      "  docs:\n    paths: [" + agent.data().string() + "]\n    schedule: \"*:*:0/5\"\n";
  agent.WritePolicy(docs);
  Daemon daemon(agent);
  EXPECT_EQ(daemon.Notification(), "READY=1");
  const std::string status = daemon.Notification();
  EXPECT_TRUE(status.starts_with("STATUS=next: docs at ")) << status;

  ASSERT_TRUE(WaitForHistory(agent, seconds(60), [](const json& rows) {
    return Count(rows, "docs", "succeeded") >= 2;
  })) << daemon.Log();
  for (const auto& row : History(agent)) EXPECT_EQ(row["trigger"], "daemon") << row;

  // A broken file (written in place, seen by inotify) is refused; the schedule goes on.
  const std::string good_policy = ReadFile(agent.policy_path());
  { std::ofstream(agent.policy_path(), std::ios::trunc) << good_policy << "  bad: 3\n"; }
  ASSERT_TRUE(WaitForLog(daemon, "policy not reloaded; keeping the last good policy", seconds(10)))
      << daemon.Log();
  EXPECT_NE(daemon.Log().find(agent.policy_path() + ":"), std::string::npos) << daemon.Log();
  const int before = Count(History(agent), "docs", "succeeded");
  ASSERT_TRUE(WaitForHistory(agent, seconds(30), [&](const json& rows) {
    return Count(rows, "docs", "succeeded") > before;
  }));

  // SIGHUP reloads (it no longer stops the agent): a second job joins the schedule.
  agent.WritePolicy(docs + "  more:\n    paths: [" + agent.data().string() +
                    "]\n    schedule: \"*:*:0/5\"\n");
  ASSERT_EQ(kill(daemon.pid(), SIGHUP), 0);
  ASSERT_TRUE(WaitForHistory(agent, seconds(60), [](const json& rows) {
    return Count(rows, "more", "succeeded") >= 1;
  })) << daemon.Log();

  EXPECT_EQ(daemon.SignalAndWait(SIGTERM, seconds(60)), 0) << daemon.Log();
  EXPECT_NE(daemon.Log().find("daemon stopped"), std::string::npos) << daemon.Log();
  EXPECT_TRUE(daemon.AwaitNotification("STOPPING=1"));
  for (const auto& row : History(agent)) {
    EXPECT_NE(row["status"], "running") << row;
    EXPECT_NE(row["status"], "interrupted") << row;  // the grace let every run finish
  }
}

// How many times the file watched by `inotify` was opened since the last call.
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

// The daemon reads the policy file once per load, at start and at each reload (inotify counts
// the opens; its runs read the copy it accepted, never the file itself).
TEST(DaemonTest, ReadsThePolicyOncePerLoad) {
  Agent agent("alice", "vm1");
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n    schedule: \"2099-01-01\"\n");
  const int watch = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  ASSERT_GE(watch, 0);
  ASSERT_GE(inotify_add_watch(watch, agent.policy_path().c_str(), IN_OPEN), 0);
  Daemon daemon(agent);
  EXPECT_EQ(daemon.Notification(), "READY=1");
  EXPECT_TRUE(daemon.Notification().starts_with("STATUS=next: docs at "));
  EXPECT_EQ(Opens(watch), 1);

  ASSERT_EQ(kill(daemon.pid(), SIGHUP), 0);
  EXPECT_TRUE(daemon.Notification().starts_with("RELOADING=1"));
  for (std::string n = daemon.Notification(); !n.starts_with("STATUS=") && n != "<timeout>";) {
    n = daemon.Notification();
  }
  EXPECT_EQ(Opens(watch), 1);
  EXPECT_EQ(daemon.SignalAndWait(SIGTERM, seconds(30)), 0) << daemon.Log();
  close(watch);
}

// A valid-but-huge policy (an alias bomb) and a FIFO, each renamed over the policy under a
// running daemon, are refused like any bad reload: the last good schedule is kept and SIGTERM
// still stops the daemon at once.
TEST(DaemonTest, AHugePolicyOrAFifoRenamedOverItIsRefusedAndTheLastGoodKept) {
  Agent agent("alice", "vm1");
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n    schedule: \"2099-01-01\"\n");
  Daemon daemon(agent);
  EXPECT_EQ(daemon.Notification(), "READY=1");
  EXPECT_TRUE(daemon.Notification().starts_with("STATUS=next: docs at "));

  const std::string staged = (agent.root() / "staged.yaml").string();
  std::string bomb = "version: 1\nlist: &e [";
  for (int i = 0; i < 100'000; ++i) bomb += (i ? ",p" : "p") + std::to_string(i);
  bomb += "]\njobs:\n";
  for (int j = 0; j < 3'000; ++j) {
    bomb += "  j" + std::to_string(j) + ":\n    paths: [/srv]\n    exclude: *e\n";
  }
  { std::ofstream(staged) << bomb; }
  ASSERT_EQ(rename(staged.c_str(), agent.policy_path().c_str()), 0);
  ASSERT_TRUE(WaitForLog(daemon, "policy not reloaded; keeping the last good policy", seconds(10)))
      << daemon.Log();
  EXPECT_NE(daemon.Log().find("more than 250000 values"), std::string::npos) << daemon.Log();

  ASSERT_EQ(mkfifo(staged.c_str(), 0600), 0);
  ASSERT_EQ(rename(staged.c_str(), agent.policy_path().c_str()), 0);
  ASSERT_TRUE(WaitForLog(daemon, "not a regular file", seconds(10))) << daemon.Log();

  ASSERT_EQ(kill(daemon.pid(), SIGHUP), 0);  // a reload by signal does not block on it either
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(daemon.SignalAndWait(SIGTERM, seconds(30)), 0) << daemon.Log();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, seconds(10)) << daemon.Log();
  EXPECT_NE(daemon.Log().find("daemon stopped"), std::string::npos) << daemon.Log();
}

// Two daemons on one state directory would run every job twice: the second one exits at
// once with exit code 4, naming the first.
TEST(DaemonTest, ASecondDaemonOnTheSameStateDirectoryExitsAtOnce) {
  Agent agent("alice", "vm1");
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n    schedule: \"2099-01-01\"\n");
  Daemon daemon(agent);
  EXPECT_EQ(daemon.Notification(), "READY=1");
  const CommandResult second = agent.Run({"daemon"});
  EXPECT_EQ(second.exit_code, 4) << second.err;
  EXPECT_NE(second.err.find("another guestbackup daemon uses the state directory " +
                            agent.state().string() + " (pid " + std::to_string(daemon.pid()) + ")"),
            std::string::npos)
      << second.err;
  EXPECT_EQ(daemon.SignalAndWait(SIGTERM, seconds(30)), 0) << daemon.Log();
}

TEST(DaemonTest, SigtermInterruptsARunStillGoingWhenTheGraceEnds) {
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "x\n");
  const std::string marker = (agent.root() / "after-ran").string();
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() +
                    "]\n    schedule: \"*:*:0/5\"\n    catch_up: false\n" +
                    "    hooks:\n      before: [ { shell: \"sleep 120\", timeout: 5m } ]\n" +
                    "      after: [ { shell: \"echo $GUESTBACKUP_STATUS > " + marker +
                    "\" } ]\ndaemon:\n  shutdown_grace: 2s\n");
  Daemon daemon(agent);
  ASSERT_TRUE(WaitForHistory(agent, seconds(30), [](const json& rows) {
    return Count(rows, "docs", "running") == 1;
  })) << daemon.Log();
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(daemon.SignalAndWait(SIGTERM, seconds(60)), 0) << daemon.Log();
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, seconds(2)) << "interrupted before the grace ended";
  EXPECT_LT(took, seconds(30)) << "the hook was not interrupted";
  const json rows = History(agent);
  ASSERT_EQ(rows.size(), 1u) << rows;
  EXPECT_EQ(rows[0]["status"], "interrupted") << rows;
  EXPECT_EQ(rows[0]["trigger"], "daemon");
  EXPECT_EQ(ReadFile(marker), "interrupted\n");  // after hooks still ran
  EXPECT_NE(daemon.Log().find("stopping: interrupting 1 running job(s)"), std::string::npos)
      << daemon.Log();
}

}  // namespace
}  // namespace guestbackup::testing
