// guestbackup_bench_crash: kill -9 of `guestbackup run` and of `guestbackup restore` at random
// moments, against a throwaway local kopia server, and what the next command finds (see
// trials.h). Prints each kind's tally and "N/N clean".
//   guestbackup_bench_crash [--trials N] [--seed S] [--keep]
#include <iostream>
#include <map>
#include <random>
#include <string>

#include "common/flags.h"
#include "crash/trials.h"

namespace {

constexpr const char* kUsage =
    "usage: guestbackup_bench_crash [--trials N] [--seed S] [--keep]\n"
    "  --trials N  kills in all, half of runs and half of restores (default 100)\n"
    "  --seed S    the random moments' seed (default 20261207)\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace guestbackup;
  int trials = 100;
  int seed = 20261207;
  bool keep = false;
  if (auto exit = bench::ParseFlags(argc, argv, kUsage, keep,
                                    bench::IntFlags({{"--trials", &trials, 1, 1'000'000'000},
                                                     {"--seed", &seed, 1, 1'000'000'000}}))) {
    return *exit;
  }
  testing::Agent agent("alice", "vm1");
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  // 24 MiB of incompressible data, and the file the restores put back in place.
  std::string block(1 << 20, '\0');
  for (int f = 0; f < 24; ++f) {
    for (auto& c : block) c = static_cast<char>(rng());
    agent.WriteData("big/" + std::to_string(f) + ".bin", block);
  }
  const std::string restored = agent.WriteData("big/0.bin", block);
  agent.WritePolicy("  docs:\n    paths: [" + agent.data().string() + "]\n");
  bench::CrashTrials crash(agent, restored, block);
  crash.Measure();
  std::cout << "uncut: run " << crash.run_time().count() << " ms, restore "
            << crash.restore_time().count() << " ms; kills at random moments within those\n";

  int clean = 0;
  std::map<std::string, int> runs, restores;
  for (int i = 0; i < trials; ++i) {
    const bool run = i % 2 == 0;
    const bench::TrialResult t = run ? crash.KillRun(rng) : crash.KillRestore(rng);
    ++(run ? runs : restores)[t.where];
    if (t.clean) {
      ++clean;
    } else {
      std::cout << "trial " << i << " (" << (run ? "run" : "restore") << ", killed " << t.where
                << "): " << t.problem << "\n";
    }
  }
  for (const auto& [name, tally] : {std::pair{"run", &runs}, std::pair{"restore", &restores}}) {
    std::cout << name << " kills:";
    for (const auto& [where, n] : *tally) std::cout << " " << n << " " << where << ";";
    std::cout << "\n";
  }
  std::cout << clean << "/" << trials << " clean\n";
  return clean == trials ? 0 : 1;
}
