// The snapshot a restore most likely reads, from the local history alone: what lets the
// restorer start kopia's restore while the repository's listing, which decides, still runs
// (RestoreRequest::expected_snapshot).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "full/history/history.h"
#include "lean/policy/policy.h"

namespace guestbackup::restore {

// Of `runs` (one job's, newest first), the newest that ended with a snapshot of every one of
// `job`'s paths (succeeded or partial) and began at or before `at_ms` (any time without it):
// its snapshot of `source`, one of the job's paths. Only a guess — the repository may hold a
// newer snapshot (taken by hand, or by another machine with this identity), the run's snapshot
// may have begun after `at_ms`, or it may have expired — which the listing then corrects.
// Nothing when no run fits, or when the job's paths no longer match the run's snapshots.
std::optional<std::string> ExpectedSnapshot(const std::vector<history::RunRecord>& runs,
                                            const policy::JobSpec& job, const std::string& source,
                                            std::optional<std::int64_t> at_ms);

}  // namespace guestbackup::restore
