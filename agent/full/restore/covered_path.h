// Maps a path on this machine to the job and kopia source that back it up, and picks the
// snapshot a restore should read (by id, or the newest taken at or before a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "full/kopia/manifest.h"
#include "lean/base/status.h"
#include "lean/policy/policy.h"

namespace guestbackup::restore {

struct CoveredPath {
  std::string path;      // normalized absolute path asked for
  std::string job;       // the job whose paths include it
  std::string source;    // the job path (kopia source) that contains it
  std::string relative;  // path inside the source; "" when path == source
};

// kInvalidArgument for a relative path; kNotFound, listing what the jobs cover, when no job
// backs the path up. The longest containing source wins.
Result<CoveredPath> ResolveCoveredPath(const policy::Policy& policy, const std::string& path);

// `snapshots` oldest first. With an id, that snapshot (kNotFound if it is not one of this
// source's); else the newest with start time <= at_ms (or the newest overall without at_ms).
Result<kopia::SnapshotManifest> PickSnapshot(const std::vector<kopia::SnapshotManifest>& snapshots,
                                             const std::optional<std::string>& snapshot_id,
                                             const std::optional<std::int64_t>& at_ms,
                                             const std::string& source);

// "<id>" or "<id>/<relative>": what kopia restore and ls take.
std::string ObjectPath(const std::string& snapshot_id, const std::string& relative);
std::string ObjectPath(const kopia::SnapshotManifest& snapshot, const std::string& relative);

// True when kopia failed because the object path does not exist in the snapshot (kopia says
// "entry not found" or "... is not a directory object").
bool IsMissingFromSnapshot(const Status& kopia_failure);

}  // namespace guestbackup::restore
