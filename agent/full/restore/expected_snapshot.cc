#include "full/restore/expected_snapshot.h"

#include <algorithm>

namespace guestbackup::restore {

std::optional<std::string> ExpectedSnapshot(const std::vector<history::RunRecord>& runs,
                                            const policy::JobSpec& job, const std::string& source,
                                            std::optional<std::int64_t> at_ms) {
  const auto path = std::find(job.paths.begin(), job.paths.end(), source);
  if (path == job.paths.end()) return std::nullopt;
  for (const history::RunRecord& run : runs) {
    if (at_ms && run.start_ms > *at_ms) continue;
    if (run.status != history::RunStatus::kSucceeded &&
        run.status != history::RunStatus::kPartial) {
      continue;
    }
    // A run keeps the snapshots it made in the job's order; one with fewer missed a path, and
    // which one cannot be told.
    if (run.snapshot_ids.size() != job.paths.size()) return std::nullopt;
    return run.snapshot_ids[static_cast<std::size_t>(path - job.paths.begin())];
  }
  return std::nullopt;
}

}  // namespace guestbackup::restore
