// guestbackup_bench_startup: what starting the agent costs — `guestbackup --version` and
// `guestbackup policy check` of a 50-job policy — for two builds side by side in one run: the
// old one (the agent linked against Debian 12's shared libraries, scripts/bench-startup builds
// it) and the portable one (static libraries, only glibc shared). The runs alternate between
// the two so that the machine's load falls on both alike. Prints medians, 90th percentiles,
// the ratio portable/old and the goals (<= 3 ms, <= 5 ms); exits 0 once measured.
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "common/flags.h"
#include "common/timing.h"

namespace {

using namespace guestbackup;
using namespace guestbackup::bench;

constexpr const char* kUsage =
    "usage: guestbackup_bench_startup --old PATH [--new PATH] [--runs N] [--jobs N] [--dir DIR]\n"
    "                                 [--keep]\n"
    "Times `guestbackup --version` and `guestbackup policy check` of a policy with N jobs for\n"
    "two builds of the agent, runs alternating between them.\n"
    "  --old PATH   the build to compare with (scripts/bench-startup: Debian's shared libraries)\n"
    "  --new PATH   the portable build (default: the one built with this benchmark)\n"
    "  --runs N     runs of each command with each build (default 200)\n"
    "  --jobs N     jobs in the policy (default 50)\n"
    "  --dir DIR    where the work directory is created (default /var/tmp)\n"
    "  --keep       keep the work directory (the policy)\n";

struct Options {
  std::string old_binary;
  std::string new_binary = GUESTBACKUP_BINARY;
  int runs = 200;
  int jobs = 50;
  std::string dir = "/var/tmp";
  bool keep = false;
};

// A policy as a busy guest's might be: every job scheduled, with excludes, retention and a
// hook, and a password file that `policy check` inspects (0600).
std::string WritePolicy(const std::string& work, int jobs) {
  const std::string password = work + "/password";
  std::ofstream(password) << "not-a-real-password\n";
  chmod(password.c_str(), 0600);
  const std::string path = work + "/policy.yaml";
  std::ofstream out(path);
  out << "version: 1\nserver:\n  url: https://backup.example.org:51515\n"
      << "  fingerprint: " << std::string(64, 'a') << "\n  username: web01\n"
      << "  hostname: prod-vms\n  password_file: " << password << "\n"
      << "defaults:\n  compression: zstd\n  retention: { keep_latest: 10, keep_daily: 14 }\n"
      << "jobs:\n";
  for (int i = 0; i < jobs; ++i) {
    out << "  job" << i << ":\n    paths: [/srv/data" << i << ", /etc/app" << i << "]\n"
        << "    exclude: [\"*.tmp\", \"cache/\"]\n"
        << "    schedule: \"Mon..Fri *-*-* " << (i % 24) << ":" << (i % 60) << ":00\"\n"
        << "    randomized_delay: 10m\n    catch_up: true\n"
        << "    retention: { keep_latest: 5, keep_weekly: 4 }\n"
        << "    hooks:\n      before: [{ name: flush, run: [/bin/sync], timeout: 30s }]\n";
  }
  chmod(path.c_str(), 0600);
  return path;
}

struct Figures {
  double median = 0;
  double p90 = 0;
};

Figures Summarise(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  Figures f;
  f.median = Median(ms);
  f.p90 = ms.empty() ? 0 : ms[std::min(ms.size() - 1, ms.size() * 9 / 10)];
  return f;
}

// Runs each argv `runs` times, alternating; returns the wall times per argv, or the first error.
Result<std::vector<std::vector<double>>> Alternate(
    const std::vector<std::vector<std::string>>& argvs, int runs) {
  std::vector<std::vector<double>> times(argvs.size());
  for (int i = 0; i < runs; ++i) {
    for (std::size_t k = 0; k < argvs.size(); ++k) {
      process::ProcessSpec spec;
      spec.argv = argvs[k];
      spec.timeout = std::chrono::seconds(30);
      auto run = RunTimed(spec);
      if (!run.ok()) return run.status();
      times[k].push_back(run->wall_ms);
    }
  }
  return times;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (const auto done = ParseFlags(argc, argv, kUsage, o.keep,
                                   [&](const std::string& flag, const std::string& value) {
                                     if (flag == "--old") {
                                       o.old_binary = value;
                                     } else if (flag == "--new") {
                                       o.new_binary = value;
                                     } else if (flag == "--runs" || flag == "--jobs") {
                                       const auto n = ParseBoundedInt(value, 1, 100000);
                                       if (!n) return flag + ": want a positive number";
                                       (flag == "--runs" ? o.runs : o.jobs) = *n;
                                     } else if (flag == "--dir") {
                                       o.dir = value;
                                     } else {
                                       return flag + ": unknown flag";
                                     }
                                     return std::string();
                                   })) {
    return *done;
  }
  if (o.old_binary.empty()) return UsageError("--old is required", kUsage);

  std::string pattern = o.dir + "/guestbackup-bench-startup-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "guestbackup_bench_startup: cannot create a directory in " << o.dir << "\n";
    return 1;
  }
  const std::string work = pattern;
  const std::string policy = WritePolicy(work, o.jobs);
  const std::string check_label = "policy check (" + std::to_string(o.jobs) + " jobs)";
  struct Command {
    std::string label;
    std::vector<std::string> args;
    double goal_ms;
  };
  const Command commands[] = {{"--version", {"--version"}, 3.0},
                              {check_label, {"policy", "check", policy}, 5.0}};

  int result = 0;
  std::printf("guestbackup startup, %d runs of each, alternating builds\n", o.runs);
  std::printf("  old: %s\n  new: %s\n", o.old_binary.c_str(), o.new_binary.c_str());
  std::printf("%-26s %12s %12s %12s %12s %7s  %s\n", "command", "old median", "old p90",
              "new median", "new p90", "ratio", "goal (new median)");
  // The harness's own cost: starting a program that does nothing.
  auto floor = Alternate({{"/bin/true"}}, o.runs);
  for (const Command& c : commands) {
    std::vector<std::string> old_argv{o.old_binary}, new_argv{o.new_binary};
    old_argv.insert(old_argv.end(), c.args.begin(), c.args.end());
    new_argv.insert(new_argv.end(), c.args.begin(), c.args.end());
    auto times = Alternate({old_argv, new_argv}, o.runs);
    if (!times.ok()) {
      std::cerr << "guestbackup_bench_startup: " << times.status().message() << "\n";
      result = 1;
      break;
    }
    const Figures old_f = Summarise((*times)[0]);
    const Figures new_f = Summarise((*times)[1]);
    std::printf("%-26s %9.2f ms %9.2f ms %9.2f ms %9.2f ms %7.2f  <= %.0f ms  %s\n",
                c.label.c_str(), old_f.median, old_f.p90, new_f.median, new_f.p90,
                new_f.median / old_f.median, c.goal_ms,
                new_f.median <= c.goal_ms ? "PASS" : "MISS");
  }
  if (floor.ok()) {
    const Figures f = Summarise((*floor)[0]);
    std::printf("%-26s %9.2f ms %9.2f ms   (the harness: starting /bin/true)\n", "floor", f.median,
                f.p90);
  }
  if (o.keep) {
    std::cerr << "kept " << work << "\n";
  } else {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
  }
  return result;
}
