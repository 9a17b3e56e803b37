// KubeVirt's own freeze of the guest, as close to it as runs here: the real qemu-guest-agent
// (Debian's qemu-ga, on a unix socket instead of the VM's virtio-serial channel, with its
// package's hook runner and guestbackup's hook from packaging/qemu-ga) freezes a loop-mounted
// ext4 file system when sent guest-fsfreeze-freeze-list, as virt-launcher sends it. The hook
// runs the policy's application_quiesce hooks; a job's own freeze is skipped while KubeVirt's
// is on, and runs — inside the same application hooks — once it is thawed. Needs root.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent_harness.h"
#include "lean/process/process.h"
#include "support/loop_mount.h"

namespace guestbackup::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The real qemu-ga on a unix socket, with its state and hook directories under `dir`.
class QemuGuestAgent {
 public:
  QemuGuestAgent(const fs::path& dir, const std::string& hook_command)
      : socket_((dir / "qga.sock").string()), state_dir_((dir / "qga-state").string()) {
    fs::create_directories(state_dir_);
    fs::create_directories(dir / "fsfreeze-hook.d");
    // The package's hook runner runs every executable in the fsfreeze-hook.d beside it.
    fs::copy_file("/etc/qemu/fsfreeze-hook", dir / "fsfreeze-hook");
    std::string hook =
        ReadFile(std::string(GUESTBACKUP_SOURCE_DIR) + "/packaging/qemu-ga/fsfreeze-hook.in");
    hook.replace(hook.find("@GUESTBACKUP@"), 13, hook_command);
    const fs::path ours = dir / "fsfreeze-hook.d" / "guestbackup";
    std::ofstream(ours) << hook;
    fs::permissions(ours, fs::perms::owner_all);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int log = ::open((dir / "qga.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(log, 1);
      ::dup2(log, 2);
      const std::string hook_flag = "-F" + (dir / "fsfreeze-hook").string();
      ::execl("/usr/sbin/qemu-ga", "qemu-ga", "-m", "unix-listen", "-p", socket_.c_str(), "-t",
              state_dir_.c_str(), hook_flag.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !fs::exists(socket_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  ~QemuGuestAgent() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  QemuGuestAgent(const QemuGuestAgent&) = delete;
  QemuGuestAgent& operator=(const QemuGuestAgent&) = delete;

  // Sends one command as virt-launcher does; returns qemu-ga's answer.
  std::string Send(const json& command) const {
    process::ProcessSpec spec;
    spec.argv = {"socat", "-", "UNIX-CONNECT:" + socket_};
    spec.stdin_data = command.dump() + "\n";
    spec.timeout = std::chrono::seconds(60);
    auto result = process::Run(spec);
    return result.ok() ? result->stdout_data : result.status().ToString();
  }
  bool ready() const { return fs::exists(socket_); }
  const std::string& state_dir() const { return state_dir_; }

 private:
  std::string socket_;
  std::string state_dir_;
  pid_t pid_ = -1;
};

TEST(KubevirtFreezeTest, TheHookQuiescesAndNoJobFreezesOverKubevirtsFreeze) {
  if (::geteuid() != 0) GTEST_SKIP() << "freezing file systems needs root";
  if (!fs::exists("/usr/sbin/qemu-ga")) GTEST_SKIP() << "qemu-guest-agent is not installed";
  Agent agent("alice", "vm1");
  LoopMount data((agent.root() / "data.img").string(), agent.data().string());
  ASSERT_EQ(data.error(), "");
  agent.WriteData("db/table", "rows\n");
  const std::string dir = agent.data().string();
  const std::string log = (agent.root() / "quiesce.log").string();
  // freeze_timeout bounds both the wait for KubeVirt's thaw and the job's own freeze.
  const auto policy_with_freeze_timeout = [&](const std::string& timeout) {
    return "  docs:\n    paths: [" + dir + "]\n    freeze: [" + dir +
           "]\n    freeze_timeout: " + timeout +
           "\n"
           "application_quiesce:\n"
           "  before: [ { name: flush, shell: \"echo flush $GUESTBACKUP_QUIESCE$GUESTBACKUP_JOB "
           ">> " +
           log + "\" } ]\n" +
           "  after: [ { name: resume, shell: \"echo resume $GUESTBACKUP_QUIESCE$GUESTBACKUP_JOB "
           ">> " +
           log + "\" } ]\n";
  };
  agent.WritePolicy(policy_with_freeze_timeout("2s"));
  QemuGuestAgent qga(agent.root(),
                     std::string(GUESTBACKUP_BINARY) + " --policy " + agent.policy_path());
  ASSERT_TRUE(qga.ready());
  const std::vector<std::string> qga_env = {"env", "GUESTBACKUP_QGA_STATEDIR=" + qga.state_dir()};

  // KubeVirt freezes: the hook quiesced the applications and marked the state directory.
  EXPECT_EQ(qga.Send({{"execute", "guest-fsfreeze-freeze-list"},
                      {"arguments", {{"mountpoints", {dir}}}}}),
            "{\"return\": 1}\n");
  EXPECT_EQ(ReadFile(log), "flush freeze\n");
  EXPECT_TRUE(fs::exists(agent.state() / "guest-frozen"));
  EXPECT_TRUE(fs::exists(fs::path(qga.state_dir()) / "qga.state.isfrozen"));

  // A run meanwhile waits its freeze_timeout, then is skipped, saying why.
  auto skipped = agent.Run({"run", "docs", "--json"}, qga_env);
  EXPECT_EQ(skipped.exit_code, 4) << skipped.err;
  const json out = json::parse(skipped.out);
  EXPECT_EQ(out["status"], "skipped");
  EXPECT_NE(out["message"].get<std::string>().find(
                "not frozen: the guest's file systems are frozen by KubeVirt's guest agent"),
            std::string::npos)
      << out["message"];

  // KubeVirt thaws: the hook resumed the applications and took its mark away.
  EXPECT_EQ(qga.Send({{"execute", "guest-fsfreeze-thaw"}}), "{\"return\": 1}\n");
  EXPECT_EQ(ReadFile(log), "flush freeze\nresume thaw\n");
  EXPECT_FALSE(fs::exists(agent.state() / "guest-frozen"));

  // Now the job freezes itself, inside the same application hooks: with time to take its
  // snapshot on a machine that is busy (a CI run builds beside its tests), where 2 s were once
  // too short and the guard thawed it (the run then fails, as it should).
  agent.WritePolicy(policy_with_freeze_timeout("60s"));
  auto ran = agent.Run({"run", "docs", "--json"}, qga_env);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ(json::parse(ran.out)["status"], "succeeded");
  EXPECT_EQ(ReadFile(log), "flush freeze\nresume thaw\nflush docs\nresume docs\n");
}

}  // namespace
}  // namespace guestbackup::testing
