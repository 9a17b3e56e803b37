// guestbackup_bench_bandwidth: what `bandwidth:` costs and gives, against the integration
// tests' local kopia server, with incompressible data no earlier snapshot holds (each backup
// is a first one):
//   1. a first backup of --mib MiB limited to --rate MiB/s: the rate it landed at (goal: within
//      ±5 % of the limit; the time includes kopia's start and its final flush);
//   2. the relay with no limit in force (a window on another day) against kopia talking to
//      the server directly, --trials each, alternating, on --compare-mib MiB: the medians and
//      what the relay loses (goal: at most 2 %).
//   guestbackup_bench_bandwidth [--mib N] [--rate R] [--compare-mib N] [--trials T] [--keep]
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "common/flags.h"
#include "common/timing.h"
#include "integration/agent_harness.h"

namespace {

using namespace guestbackup;

constexpr const char* kUsage =
    "usage: guestbackup_bench_bandwidth [--mib N] [--rate R] [--compare-mib N] [--trials T] "
    "[--keep]\n"
    "  --mib N          size of the limited backup (default 1024; 0: only the comparison)\n"
    "  --rate R         its upload limit in MiB/s (default 10)\n"
    "  --compare-mib N  size of each backup of the relay-against-direct comparison (default 512)\n"
    "  --trials T       backups of each side in the comparison (default 3)\n";

constexpr int kFileMiB = 64;

// `mib` MiB of fresh random bytes under data/<name>, in files of 64 MiB.
std::string WriteRandomTree(const testing::Agent& agent, const std::string& name, int mib,
                            std::mt19937_64& random) {
  std::string block;
  for (int written = 0, file = 0; written < mib; written += kFileMiB, ++file) {
    const int size = std::min(kFileMiB, mib - written);
    block.resize(static_cast<std::size_t>(size) << 20);
    for (std::size_t i = 0; i + 8 <= block.size(); i += 8) {
      const std::uint64_t word = random();
      std::memcpy(block.data() + i, &word, 8);
    }
    agent.WriteData(name + "/" + std::to_string(file) + ".bin", block);
  }
  return (agent.data() / name).string();
}

// CPU seconds (user + system) of the waited-for children so far: guestbackup and the kopia
// processes it waited for.
double ChildrenCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Runs the one job, backing up `path` with `bandwidth_yaml` under it; seconds, or -1.
// `cpu_seconds` gets the agent's and its kopia's CPU time.
double TimedBackup(testing::Agent& agent, const std::string& path,
                   const std::string& bandwidth_yaml, bool expect_relay,
                   double* cpu_seconds = nullptr) {
  const double cpu_before = ChildrenCpuSeconds();
  agent.WritePolicy("  bench:\n    paths: [" + path + "]\n" + bandwidth_yaml);
  const auto start = std::chrono::steady_clock::now();
  const testing::CommandResult r = agent.Run({"--log-level", "info", "run", "bench"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (cpu_seconds != nullptr) *cpu_seconds = ChildrenCpuSeconds() - cpu_before;
  const bool relayed = r.err.find("through 127.0.0.1:") != std::string::npos;
  if (r.exit_code != 0 || relayed != expect_relay) {
    std::cerr << "backup of " << path << " failed (exit " << r.exit_code << ", relayed " << relayed
              << "):\n"
              << r.out << r.err;
    return -1;
  }
  return seconds;
}

// A window on another day than today: the relay runs, no limit is in force.
std::string IdleWindow() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  std::tm local{};
  const std::time_t now = std::time(nullptr);
  localtime_r(&now, &local);
  return std::string("    bandwidth:\n      windows:\n        - when: ") +
         kDays[(local.tm_wday + 3) % 7] + "\n          upload: 1MiB/s\n";
}

}  // namespace

int main(int argc, char** argv) {
  int mib = 1024;
  int rate = 10;
  int compare_mib = 512;
  int trials = 3;
  bool keep = false;
  if (auto exit = bench::ParseFlags(argc, argv, kUsage, keep,
                                    bench::IntFlags({{"--mib", &mib, 0, 1'000'000},
                                                     {"--rate", &rate, 1, 1'000'000},
                                                     {"--compare-mib", &compare_mib, 1, 1'000'000},
                                                     {"--trials", &trials, 1, 1'000'000}}))) {
    return *exit;
  }
  testing::Agent agent("alice", "vm1");
  std::mt19937_64 random(20261207);
  std::cout << std::fixed << std::setprecision(2);
  bool ok = true;

  // 1. The limited first backup (--mib 0 leaves it out).
  if (mib > 0) {
    const std::string limited = WriteRandomTree(agent, "limited", mib, random);
    const double seconds = TimedBackup(
        agent, limited, "    bandwidth:\n      upload: " + std::to_string(rate) + "MiB/s\n", true);
    if (seconds < 0) return 1;
    const double landed = mib / seconds;
    const double off = (landed / rate - 1) * 100;
    std::cout << "limited: " << mib << " MiB at upload " << rate << "MiB/s took " << seconds
              << " s = " << landed << " MiB/s (" << std::showpos << off << std::noshowpos
              << " % from the limit; goal within 5 %)\n";
    ok &= std::abs(off) <= 5;
  }

  // 2. The relay with no limit in force against direct, alternating.
  std::vector<double> direct, relayed;
  for (int t = 0; t < trials; ++t) {
    const std::string a =
        WriteRandomTree(agent, "direct-" + std::to_string(t), compare_mib, random);
    const std::string b = WriteRandomTree(agent, "relay-" + std::to_string(t), compare_mib, random);
    double d_cpu = 0;
    double r_cpu = 0;
    const double d = TimedBackup(agent, a, "", false, &d_cpu);
    const double r = TimedBackup(agent, b, IdleWindow(), true, &r_cpu);
    if (d < 0 || r < 0) return 1;
    direct.push_back(d);
    relayed.push_back(r);
    std::cout << "trial " << t + 1 << ": direct " << d << " s (agent+kopia CPU " << d_cpu
              << " s), relay (no limit in force) " << r << " s (CPU " << r_cpu << " s)\n";
    std::filesystem::remove_all(a);
    std::filesystem::remove_all(b);
  }
  const double loss = (bench::Median(relayed) / bench::Median(direct) - 1) * 100;
  std::cout << "unlimited: " << compare_mib << " MiB, median direct " << bench::Median(direct)
            << " s (" << compare_mib / bench::Median(direct) << " MiB/s), through the relay "
            << bench::Median(relayed) << " s: " << std::showpos << loss << std::noshowpos
            << " % (goal at most +2 %)\n";
  ok &= loss <= 2;
  std::cout << (ok ? "both goals met\n" : "a goal was missed\n");
  return ok ? 0 : 1;
}
