// Every distinct version of one path across the snapshots of its source. kopia's object id
// is derived from the content, so equal ids are the same bytes; a version is listed once,
// with the first and last snapshot that hold it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "full/kopia/kopia_client.h"
#include "full/restore/covered_path.h"
#include "lean/base/status.h"
#include "lean/policy/policy.h"

namespace guestbackup::restore {

struct PathVersion {
  std::string object_id;  // content hash as kopia names it
  bool is_dir = false;
  std::int64_t size = 0;
  std::int64_t mtime_ms = 0;  // 0 for a source root (kopia lists no mtime for it here)
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;
  std::string first_snapshot_id;
  std::string last_snapshot_id;
  int snapshot_count = 0;
};

struct VersionsResult {
  CoveredPath covered;
  int snapshots_examined = 0;
  std::vector<PathVersion> versions;  // ordered by first appearance
};

// Lists the versions; up to `parallelism` kopia processes run at once.
Result<VersionsResult> ListVersions(kopia::KopiaClient& client, const policy::Policy& policy,
                                    const std::string& path, int parallelism = 4);

}  // namespace guestbackup::restore
