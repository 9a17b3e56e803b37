#include "options.h"

#include "common/flags.h"

#include <cstdio>
#include <string>

namespace guestbackup::bench {
namespace {

constexpr const char* kUsage =
    "usage: guestbackup_bench_daemon_idle [--jobs N] [--seconds N] [--settle N] [--dir DIR]\n"
    "                                     [--keep] [--guestbackup PATH]\n"
    "Starts `guestbackup daemon` with N jobs scheduled daily at different hours (none due\n"
    "during the run), waits for READY=1, then measures its resident memory and how often its\n"
    "threads were woken (context switches) while idle.\n"
    "  --jobs N           scheduled jobs (default 20, at most 22)\n"
    "  --seconds N        length of the measurement (default 60)\n"
    "  --settle N         seconds between READY=1 and the first sample (default 2)\n"
    "  --dir DIR          where the work directory is created (default /var/tmp)\n"
    "  --keep             keep the work directory (policy, state, the daemon's log)\n"
    "  --guestbackup PATH the agent binary to measure (default: the one built with this)\n";

}  // namespace

std::optional<IdleOptions> ParseIdleOptions(int argc, char** argv, int& exit_code) {
  IdleOptions opts;
  opts.guestbackup = GUESTBACKUP_BINARY;
  const auto done = ParseFlags(
      argc, argv, kUsage, opts.keep, [&](const std::string& flag, const std::string& value) {
        if (flag == "--jobs") {
          // Daily at distinct hours, at least an hour from now: 22 fit in a day.
          const auto n = ParseBoundedInt(value, 1, 22);
          if (!n) return std::string("--jobs: want 1 to 22");
          opts.jobs = *n;
        } else if (flag == "--seconds" || flag == "--settle") {
          const auto n = ParseBoundedInt(value, flag == "--seconds" ? 1 : 0, 3600);
          if (!n) return flag + ": want a number of seconds up to 3600";
          (flag == "--seconds" ? opts.seconds : opts.settle) = *n;
        } else if (flag == "--dir") {
          opts.dir = value;
        } else if (flag == "--guestbackup") {
          opts.guestbackup = value;
        } else {
          return flag + ": unknown flag";
        }
        return std::string();
      });
  if (done) {
    exit_code = *done;
    return std::nullopt;
  }
  return opts;
}

}  // namespace guestbackup::bench
