#include "full/restore/covered_path.h"

#include "lean/base/time_format.h"
#include "lean/policy/local_path.h"

namespace guestbackup::restore {

Result<CoveredPath> ResolveCoveredPath(const policy::Policy& policy, const std::string& path) {
  Result<std::string> normalized = policy::NormalizePath(path, policy::DotDot::kResolved);
  if (!normalized.ok()) return normalized.status();
  const std::string& normal = *normalized;

  CoveredPath best;
  for (const auto& job : policy.jobs) {
    for (const auto& source : job.paths) {
      const bool longer = best.job.empty() || source.size() > best.source.size();
      if (policy::PathIsWithin(normal, source) && longer) {
        best.job = job.name;
        best.source = source;
        best.relative = policy::RelativeEntryPath(normal, source);
      }
    }
  }
  if (best.job.empty()) {
    std::string covered;
    for (const auto& job : policy.jobs) {
      for (const auto& source : job.paths) covered += (covered.empty() ? "" : ", ") + source;
    }
    return NotFound("no job backs up " + normal +
                    "; the jobs cover: " + (covered.empty() ? "nothing" : covered));
  }
  best.path = normal;
  return best;
}

Result<kopia::SnapshotManifest> PickSnapshot(const std::vector<kopia::SnapshotManifest>& snapshots,
                                             const std::optional<std::string>& snapshot_id,
                                             const std::optional<std::int64_t>& at_ms,
                                             const std::string& source) {
  if (snapshots.empty()) return NotFound("no snapshots of " + source + " yet");
  if (snapshot_id) {
    for (const auto& s : snapshots) {
      if (s.id == *snapshot_id) return s;
    }
    return NotFound("snapshot " + *snapshot_id + " is not a snapshot of " + source);
  }
  if (!at_ms) return snapshots.back();
  const kopia::SnapshotManifest* pick = nullptr;
  for (const auto& s : snapshots) {
    if (s.start_ms <= *at_ms) pick = &s;
  }
  if (pick == nullptr) {
    return NotFound("no snapshot of " + source + " was taken at or before " +
                    FormatLocalTime(*at_ms) + "; the oldest is from " +
                    FormatLocalTime(snapshots.front().start_ms));
  }
  return *pick;
}

std::string ObjectPath(const std::string& snapshot_id, const std::string& relative) {
  return relative.empty() ? snapshot_id : snapshot_id + "/" + relative;
}

std::string ObjectPath(const kopia::SnapshotManifest& snapshot, const std::string& relative) {
  return ObjectPath(snapshot.id, relative);
}

bool IsMissingFromSnapshot(const Status& kopia_failure) {
  const std::string& m = kopia_failure.message();
  return m.find("not found") != std::string::npos || m.find("not a directory") != std::string::npos;
}

}  // namespace guestbackup::restore
