// A full disk under the state directory: a run whose final history write fails says so with
// exit code 6 instead of "succeeded"; `history` and `status` still answer while the disk is
// full (they open the history read-only); once space is back, the job's next run records the
// lost run from its snapshot on the server. The state directory is a real 4 MiB tmpfs,
// mounted in a mount namespace of its own that a holder process keeps alive, so nothing
// outside the test sees it; every command runs in that namespace through nsenter.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "agent_harness.h"
#include "lean/process/process.h"

namespace guestbackup::testing {
namespace {

using nlohmann::json;

// A tmpfs of `size` over `dir`, seen only by the commands run through wrapper().
class SmallFilesystem {
 public:
  SmallFilesystem(const std::filesystem::path& dir, const std::string& size) {
    const std::filesystem::path ready = dir.parent_path() / "mounted";
    pid_ = fork();
    if (pid_ == 0) {
      const std::string script = "mount -t tmpfs -o size=" + size + ",mode=0700 tmpfs '" +
                                 dir.string() + "' && touch '" + ready.string() +
                                 "' && exec sleep 600";
      execlp("unshare", "unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
             script.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100 && !std::filesystem::exists(ready); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    mounted_ = std::filesystem::exists(ready);
  }
  ~SmallFilesystem() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  bool mounted() const { return mounted_; }
  bool Remove(const std::string& path) const {
    process::ProcessSpec spec;
    spec.argv = wrapper();
    spec.argv.insert(spec.argv.end(), {"rm", "-f", path});
    auto r = process::Run(spec);
    return r.ok() && r->Succeeded();
  }
  std::vector<std::string> wrapper() const {
    return {"nsenter", "--target", std::to_string(pid_), "--mount", "--"};
  }

 private:
  pid_t pid_ = -1;
  bool mounted_ = false;
};

json History(const Agent& agent, const std::vector<std::string>& wrapper) {
  const CommandResult h = agent.Run({"history", "--json"}, wrapper);
  EXPECT_EQ(h.exit_code, 0) << h.err;
  return h.exit_code == 0 ? json::parse(h.out) : json::array();
}

TEST(DiskFullTest, ALostRecordExits6ReadsStillWorkAndTheNextRunRecordsItFromTheServer) {
  // Mounting needs CAP_SYS_ADMIN; CI runs as root. Never a skip: without it the test fails.
  ASSERT_EQ(geteuid(), 0) << "this test mounts a small tmpfs and must run as root";
  Agent agent("alice", "vm1");
  agent.WriteData("f.txt", "lost and found\n");
  std::filesystem::create_directories(agent.state());
  const SmallFilesystem small(agent.state(), "4m");
  ASSERT_TRUE(small.mounted()) << "could not mount a tmpfs over " << agent.state();
  const std::vector<std::string> in_ns = small.wrapper();

  // The after hook fills the disk once the snapshot is saved: the run's last history write,
  // the one that records its result, then finds no space.
  const std::string fill = (agent.state() / "fill").string();
  const std::string paths = "  docs:\n    paths: [" + agent.data().string() + "]\n";
  agent.WritePolicy(paths +
                    "    hooks:\n      after:\n        - { name: fill, shell: \"dd "
                    "if=/dev/zero of=" +
                    fill + " bs=64k 2>/dev/null; true\" }\n");
  const CommandResult r = agent.Run({"run", "docs"}, in_ns);
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_NE(r.err.find("was not recorded"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the history shows it as interrupted until the job's next run records it"),
            std::string::npos)
      << r.err;

  // The disk is still full: reading the history and the status writes nothing and works.
  json rows = History(agent, in_ns);
  ASSERT_EQ(rows.size(), 1u) << rows.dump();
  EXPECT_EQ(rows[0]["status"], "interrupted");
  EXPECT_TRUE(rows[0]["snapshot_ids"].empty());
  const CommandResult status = agent.Run({"status", "--json"}, in_ns);
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("interrupted"), std::string::npos) << status.out;

  // Space again; the next run first records the lost run from the server, then itself.
  EXPECT_FALSE(std::filesystem::exists(fill)) << "the fill file is visible outside the namespace";
  ASSERT_TRUE(small.Remove(fill));
  agent.WritePolicy(paths);
  const CommandResult next = agent.Run({"run", "docs"}, in_ns);
  EXPECT_EQ(next.exit_code, 0) << next.out << next.err;
  rows = History(agent, in_ns);
  ASSERT_EQ(rows.size(), 2u) << rows.dump();
  EXPECT_EQ(rows[0]["status"], "succeeded");
  EXPECT_EQ(rows[1]["status"], "succeeded") << rows[1].dump();
  ASSERT_EQ(rows[1]["snapshot_ids"].size(), 1u) << rows[1].dump();
  EXPECT_NE(rows[1]["snapshot_ids"][0], rows[0]["snapshot_ids"][0]);
  EXPECT_NE(rows[1]["message"].get<std::string>().find(
                "recorded from the server's snapshots, the run could not record it"),
            std::string::npos)
      << rows[1].dump();
  EXPECT_GT(rows[1]["bytes"].get<std::int64_t>(), 0);

  // The recorded snapshot is the lost run's own: it restores its file.
  const std::string restored = (agent.root() / "restored").string();
  const CommandResult restore =
      agent.Run({"restore", "--snapshot", rows[1]["snapshot_ids"][0].get<std::string>(),
                 agent.data().string() + "/f.txt", "--to", restored},
                in_ns);
  EXPECT_EQ(restore.exit_code, 0) << restore.err;
}

}  // namespace
}  // namespace guestbackup::testing
