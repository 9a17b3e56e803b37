// guestbackup_bench_daemon_idle: what an idle `guestbackup daemon` costs — resident memory and
// wake-ups (context switches of all its threads) over a quiet minute with 20 daily jobs.
// Prints the figures against the goals (<= 8 MiB, 0 wake-ups); exits 0 once measured, since
// this is not a gate.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "idle_daemon.h"
#include "options.h"
#include "proc_stats.h"

namespace {

using namespace guestbackup::bench;

constexpr std::uint64_t kRssGoalBytes = 8ULL << 20;

std::string MiB(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

void Report(const IdleOptions& o, const IdleDaemon& d, const ProcSample& before,
            const ProcSample& after, int notifications, int exit_code,
            std::chrono::milliseconds stop_took) {
  const std::uint64_t voluntary = after.voluntary_switches - before.voluntary_switches;
  const std::uint64_t involuntary = after.nonvoluntary_switches - before.nonvoluntary_switches;
  const std::uint64_t wakeups = voluntary + involuntary;
  std::printf("guestbackup daemon, idle with %d scheduled jobs, measured over %d s\n", o.jobs,
              o.seconds);
  std::printf("  (%s)\n", d.status().c_str());
  std::printf("  %-16s %-44s goal <= 8 MiB  %s\n", "resident memory",
              ("VmRSS " + MiB(after.rss_bytes) + " (anon " + MiB(after.rss_anon_bytes) + ", file " +
               MiB(after.rss_file_bytes) + ")")
                  .c_str(),
              after.rss_bytes <= kRssGoalBytes ? "PASS" : "MISS");
  std::printf("  %-16s %-44s\n", "",
              ("Pss " + MiB(after.pss_bytes) + ", private " + MiB(after.private_bytes) +
               ", peak VmHWM " + MiB(after.hwm_bytes))
                  .c_str());
  char line[96];
  std::snprintf(line, sizeof line, "%llu (%llu voluntary, %llu involuntary), %d threads",
                static_cast<unsigned long long>(wakeups),
                static_cast<unsigned long long>(voluntary),
                static_cast<unsigned long long>(involuntary), after.threads);
  std::printf("  %-16s %-44s goal 0         %s\n", "wake-ups", line,
              wakeups == 0 ? "PASS" : "MISS");
  std::printf("  %-16s %d while idle\n", "sd_notify", notifications);
  std::printf("  %-16s SIGTERM -> exit %d after %lld ms\n", "stop", exit_code,
              static_cast<long long>(stop_took.count()));
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  const auto options = ParseIdleOptions(argc, argv, exit_code);
  if (!options) return exit_code;

  std::string pattern = options->dir + "/guestbackup-bench-daemon-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "guestbackup_bench_daemon_idle: cannot create a directory in " << options->dir
              << "\n";
    return 1;
  }
  const std::string work_dir = pattern;
  int result = 1;
  {
    auto daemon = IdleDaemon::Start(*options, work_dir);
    if (!daemon.ok()) {
      std::cerr << "guestbackup_bench_daemon_idle: " << daemon.status().message() << "\n";
    } else {
      IdleDaemon& d = **daemon;
      std::this_thread::sleep_for(std::chrono::seconds(options->settle));
      const auto before = SampleProcess(d.pid());
      std::cerr << "measuring pid " << d.pid() << " for " << options->seconds << " s..."
                << std::endl;
      std::this_thread::sleep_for(std::chrono::seconds(options->seconds));
      const auto after = SampleProcess(d.pid());
      const int notifications = d.PendingNotifications();
      std::chrono::milliseconds took{0};
      if (!before || !after) {
        std::cerr << "guestbackup_bench_daemon_idle: the daemon exited; its log:\n" << d.Log();
      } else {
        const int daemon_exit = d.Stop(took);
        Report(*options, d, *before, *after, notifications, daemon_exit, took);
        result = 0;
      }
    }
  }
  if (options->keep) {
    std::cerr << "kept " << work_dir << "\n";
  } else {
    std::error_code ec;
    std::filesystem::remove_all(work_dir, ec);
  }
  return result;
}
