// Restore by path: find the job and snapshot, let kopia write into a temporary name beside
// the destination, then rename into place — a reader never sees a half-restored file, and
// nothing existing is replaced without `overwrite`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "full/kopia/kopia_client.h"
#include "full/restore/covered_path.h"
#include "lean/base/status.h"
#include "lean/policy/policy.h"

namespace guestbackup::restore {

struct RestoreRequest {
  std::string path;                        // absolute path as it was backed up
  std::optional<std::int64_t> at_ms;       // newest snapshot at or before this time
  std::optional<std::string> snapshot_id;  // or exactly this snapshot
  std::string to_dir;                      // restore into to_dir/<basename>; "" = in place
  bool overwrite = false;
  std::function<void(const kopia::RestoreProgress&)> on_progress;  // empty = quiet
};

struct RestoreResult {
  CoveredPath covered;
  kopia::SnapshotManifest snapshot;
  std::string restored_to;
  bool replaced_existing = false;
};

Result<RestoreResult> RestorePath(kopia::KopiaClient& client, const policy::Policy& policy,
                                  const RestoreRequest& request);

}  // namespace guestbackup::restore
