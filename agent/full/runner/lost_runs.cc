#include "full/runner/lost_runs.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <vector>

#include "full/kopia/snapshot_outcome.h"
#include "full/runner/run_summary.h"

namespace guestbackup::runner {
namespace {

using contract::RunStatus;

// The job's interrupted rows without snapshots, newest first, back to its last row that has a
// snapshot: a run recorded since then makes older losses not worth a lookup each time.
std::vector<history::RunRecord> Candidates(history::HistoryDb& history, const std::string& job,
                                           std::int64_t current_run_id) {
  Result<std::vector<history::RunRecord>> runs = history.ListRuns({job, 50});
  if (!runs.ok()) {
    spdlog::warn("job {}: cannot look for lost runs: {}", job, runs.status().ToString());
    return {};
  }
  std::vector<history::RunRecord> lost;
  for (history::RunRecord& run : *runs) {
    if (run.id == current_run_id) continue;
    if (!run.snapshot_ids.empty()) break;
    if (run.status == RunStatus::kInterrupted) lost.push_back(std::move(run));
    if (lost.size() >= static_cast<std::size_t>(kMaxLostRuns)) break;
  }
  return lost;
}

const kopia::SnapshotManifest* FindRunSnapshot(const std::vector<kopia::SnapshotManifest>& list,
                                               const std::string& job, const std::string& tag) {
  for (const kopia::SnapshotManifest& m : list) {
    if (kopia::TagValue(m, kRunTag) == tag && kopia::TagValue(m, kJobTag) == job) return &m;
  }
  return nullptr;
}

}  // namespace

std::string RunTagValue(std::int64_t start_ms) { return std::to_string(start_ms); }

int RecoverLostRuns(kopia::KopiaClient& client, history::HistoryDb& history,
                    const policy::JobSpec& job, std::int64_t current_run_id) {
  const std::vector<history::RunRecord> lost = Candidates(history, job.name, current_run_id);
  if (lost.empty()) return 0;
  std::map<std::string, std::vector<kopia::SnapshotManifest>> snapshots;
  for (const std::string& path : job.paths) {
    Result<std::vector<kopia::SnapshotManifest>> list = client.ListSnapshots(path);
    if (!list.ok()) {
      spdlog::warn("job {}: cannot look for lost runs: {}", job.name, list.status().ToString());
      return 0;
    }
    snapshots[path] = std::move(list).value();
  }
  int recovered = 0;
  for (const history::RunRecord& run : lost) {
    RunSummary summary(job);
    const std::string tag = RunTagValue(run.start_ms);
    std::int64_t end_ms = 0;
    for (const std::string& path : job.paths) {
      const kopia::SnapshotManifest* found = FindRunSnapshot(snapshots[path], job.name, tag);
      if (found == nullptr) {
        summary.Fail(Failed("no snapshot of " + path + " on the server"));
        continue;
      }
      end_ms = std::max(end_ms, found->end_ms);
      summary.AddSnapshot(path, kopia::OutcomeOfManifest("snapshot of " + path, *found));
    }
    if (summary.snapshot_ids().empty()) continue;  // interrupted before any snapshot: right
    history::RunOutcome outcome = summary.Finish(summary.CurrentStatus(), "");
    outcome.end_ms = end_ms;
    outcome.message = "recorded from the server's snapshots, the run could not record it" +
                      (outcome.message.empty() ? "" : ": " + outcome.message);
    if (Status s = history.FinishRun(run.id, outcome); !s.ok()) {
      spdlog::warn("job {}: cannot record lost run {}: {}", job.name, run.id, s.ToString());
      continue;
    }
    spdlog::info("job {}: run {} ({}) recorded from the server's snapshots", job.name, run.id,
                 contract::RunStatusName(outcome.status));
    ++recovered;
  }
  return recovered;
}

}  // namespace guestbackup::runner
