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
  std::string state_dir;  // where staging directories are recorded (see staging.h)
  std::function<void(const kopia::RestoreProgress&)> on_progress;  // empty = quiet
  // The snapshot the listing will most likely pick (e.g. from the local history); may be
  // empty or answer nothing. When it answers (or snapshot_id is set), kopia restores from it
  // while the snapshots are listed, and the copy is kept only when the listing picks that
  // same snapshot; otherwise it is thrown away and the picked one restored. Each kopia
  // process logs in, and the server checks passwords one at a time: overlapping the two
  // saves most of one login. Not where names ignore case (the copy's name comes from the
  // snapshot there).
  std::function<std::optional<std::string>(const CoveredPath&)> expected_snapshot;
};

struct RestoreResult {
  CoveredPath covered;
  kopia::SnapshotManifest snapshot;
  std::string restored_to;
  bool replaced_existing = false;
};

Result<RestoreResult> RestorePath(kopia::KopiaClient& client, const policy::Policy& policy,
                                  const RestoreRequest& request);

// Moves the restored copy `staged` to `final_path` (`exists`: whether it existed before the
// restore began). Without `overwrite` nothing is ever replaced, not even a file that appeared
// while kopia worked: RENAME_NOREPLACE checks and moves in one step, and a newcomer is
// kInvalidArgument "... appeared while restoring and was left as it is". With it, an existing
// path is swapped atomically (RENAME_EXCHANGE), its old copy left at `staged` for the caller to
// remove.
Status MoveIntoPlace(const std::string& staged, const std::string& final_path, bool exists,
                     bool overwrite);

}  // namespace guestbackup::restore
