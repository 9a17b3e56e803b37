// guestbackup_bench_history: what the local history costs as it grows. For a history of 1,000
// and one of 1,000,000 rows (ten jobs, hourly runs: a hundred years of one job, or a decade of
// ten), side by side in one run: the commands that read it, as the real binary runs them, and
// the bookkeeping of one run (begin, finish, the metrics' queries, one prune batch). Prints
// the median of each and the ratio large/small against the goal (<= 1.5); exits 0 once
// measured, since this is not a gate.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/flags.h"
#include "common/timing.h"
#include "full/history/history.h"
#include "history/history_fixture.h"

namespace {

using namespace guestbackup;
using namespace guestbackup::bench;

constexpr const char* kUsage =
    "usage: guestbackup_bench_history [--small N] [--large N] [--repeat N] [--dir DIR] [--keep]\n"
    "  --small N   rows of the small history (default 1000)\n"
    "  --large N   rows of the large history (default 1000000)\n"
    "  --repeat N  runs of each measurement, 1 to 10; the median is shown (default 9)\n"
    "  --dir DIR   where the state directories go (default /var/tmp)\n";

constexpr double kGoalRatio = 1.5;

struct Options {
  std::int64_t small = 1000;
  std::int64_t large = 1'000'000;
  int repeat = 9;
  std::string dir = "/var/tmp";
  bool keep = false;
};

struct Measurement {
  std::string name;
  std::function<Status(const HistoryFixture&)> once;
};

Status RunCli(const HistoryFixture& f, std::vector<std::string> args) {
  process::ProcessSpec spec;
  spec.argv = {GUESTBACKUP_BINARY, "--policy", f.policy_path};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.stdout_limit = std::size_t{1} << 20;
  auto run = RunTimed(spec);
  return run.ok() ? Status::Ok() : run.status();
}

// One run's work on the history besides the backup itself, as job_runner and the metrics
// file do it.
Status Bookkeeping(const HistoryFixture& f) {
  auto db = history::HistoryDb::Open(f.history_path);
  if (!db.ok()) return db.status();
  auto id = (*db)->BeginRun("job3", "timer", UnixNowMs());
  if (!id.ok()) return id.status();
  history::RunOutcome outcome;
  outcome.status = history::RunStatus::kSucceeded;
  outcome.end_ms = UnixNowMs();
  GB_RETURN_IF_ERROR((*db)->FinishRun(*id, outcome));
  if (auto counts = (*db)->CountRuns(); !counts.ok()) return counts.status();
  for (int j = 0; j < kHistoryJobs; ++j) {
    const std::string job = "job" + std::to_string(j);
    if (auto last = (*db)->LastFinishedRun(job); !last.ok()) return last.status();
    if (auto success = (*db)->LastSuccess(job); !success.ok()) return success.status();
  }
  return Status::Ok();
}

// Deletes one batch of 50 rows beyond keep_runs = 10 of one job; each call takes the next job,
// so each finds 50 rows to delete (every job has more than 60 in both histories).
Status PruneBatch(const HistoryFixture& f) {
  static std::map<std::string, int> calls;
  const std::string job = "job" + std::to_string(calls[f.dir]++ % kHistoryJobs);
  auto db = history::HistoryDb::Open(f.history_path);
  if (!db.ok()) return db.status();
  auto pruned = (*db)->Prune(job, {.keep_days = 0, .keep_runs = 10}, 50);
  if (!pruned.ok()) return pruned.status();
  return *pruned == 50 ? Status::Ok() : Failed("pruned " + std::to_string(*pruned) + " rows");
}

Result<double> MedianMs(const Measurement& m, const HistoryFixture& f, int repeat) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    GB_RETURN_IF_ERROR(m.once(f));
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  return Median(times);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const auto exit_code = ParseFlags(argc, argv, kUsage, o.keep,
                                    [&o](const std::string& flag, const std::string& value) {
                                      try {
                                        if (flag == "--small")
                                          o.small = std::stoll(value);
                                        else if (flag == "--large")
                                          o.large = std::stoll(value);
                                        else if (flag == "--repeat")
                                          o.repeat = std::stoi(value);
                                        else if (flag == "--dir")
                                          o.dir = value;
                                        else
                                          return "unknown option " + flag;
                                      } catch (const std::exception&) {
                                        return flag + " needs a number";
                                      }
                                      return std::string();
                                    });
  if (exit_code) return *exit_code;
  if (o.small < 1000 || o.large < o.small || o.repeat < 1 || o.repeat > kHistoryJobs) {
    return UsageError("--small must be >= 1000, --large >= --small, --repeat 1 to 10", kUsage);
  }

  std::vector<HistoryFixture> fixtures;
  for (const std::int64_t rows : {o.small, o.large}) {
    const auto start = std::chrono::steady_clock::now();
    auto f = MakeHistoryFixture(o.dir, rows);
    if (!f.ok()) {
      std::fprintf(stderr, "bench: %s\n", f.status().ToString().c_str());
      return 1;
    }
    std::printf("history of %lld rows: %s (%.1f MB, made in %.1f s)\n",
                static_cast<long long>(rows), f->history_path.c_str(),
                static_cast<double>(std::filesystem::file_size(f->history_path)) / 1e6,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    fixtures.push_back(*f);
  }

  const std::vector<Measurement> measurements = {
      {"guestbackup history --job J --limit 20",
       [](const HistoryFixture& f) {
         return RunCli(f, {"history", "--job", "job3", "--limit", "20"});
       }},
      {"guestbackup history --limit 20",
       [](const HistoryFixture& f) {
         return RunCli(f, {"history", "--limit", "20"});
       }},
      {"guestbackup status", [](const HistoryFixture& f) { return RunCli(f, {"status"}); }},
      {"history --json --job J --limit 1 (catch-up)",
       [](const HistoryFixture& f) {
         return RunCli(f, {"history", "--json", "--job", "job3", "--limit", "1"});
       }},
      {"a run's bookkeeping (in-process)", Bookkeeping},
      {"one prune batch of 50 rows (in-process)", PruneBatch},
  };
  const std::string header = "median of " + std::to_string(o.repeat) + " runs";
  std::printf("\n%-46s %12s %12s %7s\n", header.c_str(),
              (std::to_string(o.small) + " rows ms").c_str(),
              (std::to_string(o.large) + " rows ms").c_str(), "ratio");
  const auto cleanup = [&] {
    if (o.keep) return;
    for (const HistoryFixture& f : fixtures) std::filesystem::remove_all(f.dir);
  };
  int misses = 0;
  for (const Measurement& m : measurements) {
    auto small = MedianMs(m, fixtures[0], o.repeat);
    auto large = small.ok() ? MedianMs(m, fixtures[1], o.repeat) : small;
    if (!small.ok() || !large.ok()) {
      std::fprintf(stderr, "bench: %s: %s\n", m.name.c_str(),
                   (small.ok() ? large : small).status().ToString().c_str());
      cleanup();
      return 1;
    }
    const double ratio = *large / *small;
    misses += ratio > kGoalRatio ? 1 : 0;
    std::printf("%-46s %12.2f %12.2f %7.2f  goal <= %.1f  %s\n", m.name.c_str(), *small, *large,
                ratio, kGoalRatio, ratio <= kGoalRatio ? "PASS" : "MISS");
  }
  cleanup();
  std::printf("%d of %zu within the goal\n", static_cast<int>(measurements.size()) - misses,
              measurements.size());
  return 0;
}
