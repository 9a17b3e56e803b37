// Runs whose final history write failed (a full disk) read as interrupted with no snapshot,
// though their snapshots are on the server: each carries its run's start time as the tag
// run:<start_ms>. Before a job's next run, its interrupted rows since its last recorded
// snapshot are looked up there and, where found, recorded from those snapshots.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "full/history/history.h"
#include "full/kopia/kopia_client.h"
#include "lean/policy/policy.h"

namespace guestbackup::runner {

inline constexpr std::string_view kJobTag = "job";  // tag:job = the job's name
inline constexpr std::string_view kRunTag = "run";  // tag:run = RunTagValue(start of the run)
// Rows looked up per run at most; older ones stay interrupted.
inline constexpr int kMaxLostRuns = 5;

std::string RunTagValue(std::int64_t start_ms);

// Records the job's lost runs (not `current_run_id`) from the snapshots the server has of
// them; returns how many. One `kopia snapshot list` per path, and only when a row may be
// lost. Failures are logged and never stop the run that asks.
int RecoverLostRuns(kopia::KopiaClient& client, history::HistoryDb& history,
                    const policy::JobSpec& job, std::int64_t current_run_id);

}  // namespace guestbackup::runner
