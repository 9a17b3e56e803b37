#include "crash/trials.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "full/history/history.h"

namespace guestbackup::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Kills `pid` after `delay` unless it ended first; true when the kill landed.
bool KillAfter(pid_t pid, milliseconds delay) {
  const auto deadline = Clock::now() + delay;
  int status = 0;
  while (Clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status);
}

milliseconds Timed(const testing::Agent& agent, const std::vector<std::string>& args) {
  const auto start = Clock::now();
  agent.Run(args);
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

std::vector<std::string> StagingLeftIn(const fs::path& dir) {
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".guestbackup-restore-")) left.push_back(name);
  }
  return left;
}

}  // namespace

CrashTrials::CrashTrials(testing::Agent& agent, std::string restored_file,
                         std::string restored_content)
    : agent_(agent),
      restored_file_(std::move(restored_file)),
      restored_content_(std::move(restored_content)) {}

void CrashTrials::Measure() {
  // The first run uploads everything; the trials' runs, one changed file each, are like the
  // second.
  agent_.Run({"run", "docs"});
  agent_.WriteData("changing.bin", std::string(1 << 20, 'x'));
  run_time_ = Timed(agent_, {"run", "docs"});
  restore_time_ = Timed(agent_, {"restore", restored_file_, "--overwrite"});
}

std::string CrashTrials::IntegrityOfHistory() const {
  auto db = history::HistoryDb::Open((agent_.state() / "history.db").string());
  if (!db.ok()) return db.status().ToString();
  auto check = (*db)->IntegrityCheck();
  return check.ok() ? *check : check.status().ToString();
}

TrialResult CrashTrials::KillRun(std::mt19937_64& rng) {
  TrialResult t;
  // A file changed each time, so every run has something to hash and upload.
  agent_.WriteData("changing.bin", std::to_string(rng()) + std::string(1 << 20, 'x'));
  const pid_t pid = agent_.Start({"run", "docs"});
  const bool killed =
      KillAfter(pid, milliseconds(std::uniform_int_distribution<long>(0, run_time_.count())(rng)));
  // The next command: the history as anyone would look at it.
  const testing::CommandResult h = agent_.Run({"history", "--json", "--limit", "1"});
  const nlohmann::json rows = nlohmann::json::parse(h.out, nullptr, false);
  const std::string status =
      rows.is_array() && !rows.empty() ? rows[0].value("status", "?") : "(no row)";
  t.where = !killed ? "after it ended" : status == "(no row)" ? "before the run" : "during";
  if (status == "running") t.problem = "the killed run still reads running";
  if (killed && status != "interrupted" && status != "(no row)" && status != "succeeded") {
    t.problem = "the killed run reads " + status;
  }
  if (const std::string integrity = IntegrityOfHistory(); integrity != "ok") {
    t.problem = "integrity_check: " + integrity;
  }
  t.clean = t.problem.empty();
  return t;
}

TrialResult CrashTrials::KillRestore(std::mt19937_64& rng) {
  TrialResult t;
  const pid_t pid = agent_.Start({"restore", restored_file_, "--overwrite"});
  const bool killed = KillAfter(
      pid, milliseconds(std::uniform_int_distribution<long>(0, restore_time_.count())(rng)));
  t.where = killed ? "during" : "after it ended";
  // The file is whole at every moment: the restore renames a complete copy into place.
  if (testing::ReadFile(restored_file_) != restored_content_) t.problem = "the file is not whole";
  // The next command removes what the killed restore left beside it.
  const testing::CommandResult next = agent_.Run({"restore", restored_file_, "--overwrite"});
  if (next.exit_code != 0) t.problem = "the next restore failed: " + next.err;
  if (auto left = StagingLeftIn(fs::path(restored_file_).parent_path()); !left.empty()) {
    t.problem = "left after the next restore: " + left.front();
  }
  t.clean = t.problem.empty();
  return t;
}

}  // namespace guestbackup::bench
