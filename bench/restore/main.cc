// guestbackup_bench_restore: restoring one file from a snapshot of --files files (default
// 100,000 in directories of 1,000), `guestbackup restore PATH --to DIR` against bare
// `kopia restore SNAPSHOT/relative/path DIR/name` with the agent's own connection (its config
// file and password), which knows the snapshot id already — the least a restore can cost.
// --trials of each, alternating, each into a new directory; prints the medians and their ratio
// (goal: at most 1.2). Also timed: bare `kopia snapshot list` of the source, the step a user of
// bare kopia takes first to learn the snapshot id, and the agent takes too.
//   guestbackup_bench_restore [--files N] [--trials T] [--keep]
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/flags.h"
#include "common/timing.h"
#include "integration/agent_harness.h"
#include "lean/process/process.h"
#include "support/temp_dir.h"

namespace {

using namespace guestbackup;
namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: guestbackup_bench_restore [--files N] [--trials T] [--keep]\n"
    "  --files N   files in the snapshot (default 100000)\n"
    "  --trials T  restores of each side (default 5)\n";

constexpr int kFilesPerDirectory = 1000;

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  int files = 100'000;
  int trials = 5;
  bool keep = false;
  if (auto exit = bench::ParseFlags(argc, argv, kUsage, keep,
                                    bench::IntFlags({{"--files", &files, 1, 10'000'000},
                                                     {"--trials", &trials, 1, 10'000'000}}))) {
    return *exit;
  }
  testing::Agent agent("alice", "vm1");
  std::cout << std::fixed << std::setprecision(3);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < files; ++i) {
    agent.WriteData("tree/d" + std::to_string(i / kFilesPerDirectory) + "/f" + std::to_string(i),
                    "file " + std::to_string(i) + "\n");
  }
  const std::string tree = (agent.data() / "tree").string();
  // The file asked for: in the middle directory, the middle of it.
  const int wanted_index = files / 2;
  const std::string relative =
      "d" + std::to_string(wanted_index / kFilesPerDirectory) + "/f" + std::to_string(wanted_index);
  const std::string wanted = tree + "/" + relative;
  std::cout << "wrote " << files << " files in "
            << Seconds(std::chrono::steady_clock::now() - start) << " s\n";

  agent.WritePolicy("  bench:\n    paths: [" + tree + "]\n");
  start = std::chrono::steady_clock::now();
  const testing::CommandResult run = agent.Run({"run", "bench"});
  if (run.exit_code != 0) {
    std::cerr << "backup failed:\n" << run.out << run.err;
    return 1;
  }
  std::cout << "backed up in " << Seconds(std::chrono::steady_clock::now() - start) << " s\n";
  const testing::CommandResult listed = agent.Run({"snapshots", "--json"});
  const nlohmann::json snapshots = nlohmann::json::parse(listed.out, nullptr, false);
  if (listed.exit_code != 0 || !snapshots.is_array() || snapshots.empty()) {
    std::cerr << "no snapshot listed:\n" << listed.out << listed.err;
    return 1;
  }
  const std::string snapshot_id = snapshots.back().value("id", "");

  std::vector<double> agent_seconds, kopia_seconds, list_seconds;
  const std::string expected = "file " + std::to_string(wanted_index) + "\n";
  for (int t = 0; t < trials; ++t) {
    const fs::path to = agent.root() / ("restored-agent-" + std::to_string(t));
    fs::create_directories(to);
    start = std::chrono::steady_clock::now();
    const testing::CommandResult restored = agent.Run({"restore", wanted, "--to", to.string()});
    agent_seconds.push_back(Seconds(std::chrono::steady_clock::now() - start));
    if (restored.exit_code != 0) {
      std::cerr << "guestbackup restore failed:\n" << restored.out << restored.err;
      return 1;
    }

    const fs::path bare_to = agent.root() / ("restored-kopia-" + std::to_string(t));
    fs::create_directories(bare_to);
    const process::ProcessSpec spec =
        agent.BareKopia({"restore", snapshot_id + "/" + relative,
                         (bare_to / ("f" + std::to_string(wanted_index))).string()});
    const process::ProcessSpec list = agent.BareKopia({"snapshot", "list", tree, "--json"});
    start = std::chrono::steady_clock::now();
    auto listed_bare = process::Run(list);
    list_seconds.push_back(Seconds(std::chrono::steady_clock::now() - start));
    if (!listed_bare.ok() || !listed_bare->Succeeded()) {
      std::cerr << "kopia snapshot list failed\n";
      return 1;
    }
    start = std::chrono::steady_clock::now();
    auto bare = process::Run(spec);
    kopia_seconds.push_back(Seconds(std::chrono::steady_clock::now() - start));
    if (!bare.ok() || !bare->Succeeded()) {
      std::cerr << "kopia restore failed: " << (bare.ok() ? bare->stderr_data : "") << "\n";
      return 1;
    }
    const std::string name = "f" + std::to_string(wanted_index);
    if (testing::ReadFile(to / name) != expected || testing::ReadFile(bare_to / name) != expected) {
      std::cerr << "a restored file differs from the original\n";
      return 1;
    }
    std::cout << "trial " << t + 1 << ": guestbackup restore " << agent_seconds.back()
              << " s, kopia restore " << kopia_seconds.back() << " s (kopia snapshot list "
              << list_seconds.back() << " s)\n";
  }
  const double ratio = bench::Median(agent_seconds) / bench::Median(kopia_seconds);
  std::cout << "one file of " << files << ": median guestbackup restore "
            << bench::Median(agent_seconds) << " s, bare kopia restore "
            << bench::Median(kopia_seconds) << " s, ratio " << std::setprecision(2) << ratio
            << " (goal at most 1.2); against bare list + restore "
            << bench::Median(agent_seconds) /
                   (bench::Median(list_seconds) + bench::Median(kopia_seconds))
            << "\n";
  return ratio <= 1.2 ? 0 : 1;
}
