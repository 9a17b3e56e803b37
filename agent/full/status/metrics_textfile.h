// The Prometheus metrics of the jobs, in node_exporter's textfile collector format: rendered
// from the history (a pure function, tested against a golden file and promtool) and written
// atomically after each run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "full/history/history.h"
#include "lean/base/status.h"
#include "lean/policy/policy.h"

namespace guestbackup::status {

// What the metrics say about one job.
struct JobMetrics {
  std::string job;
  std::optional<history::RunRecord> last_finished;   // the newest row that is not `running`
  std::optional<std::int64_t> last_success_ms;       // end of the newest succeeded/partial run
  std::map<contract::RunStatus, std::int64_t> runs;  // rows per status
};

// The textfile: HELP and TYPE lines, then one sample per job (and per status where labelled).
// Every status except `running` is listed for each job, so a series never disappears; a job
// that never succeeded has a last success timestamp of 0.
std::string RenderMetrics(const std::vector<JobMetrics>& jobs);

// The figures of every job in the policy, in policy order, read from `history`.
Result<std::vector<JobMetrics>> CollectMetrics(history::HistoryDb& history,
                                               const policy::Policy& policy);

// `metrics.textfile`, or <state_dir>/guestbackup.prom when the policy sets none.
std::string MetricsTextfilePath(const policy::Policy& policy, const std::string& state_dir);

// Collects, renders and replaces the file (mode 0644). Errors name the file.
Status WriteMetricsTextfile(history::HistoryDb& history, const policy::Policy& policy,
                            const std::string& path);

}  // namespace guestbackup::status
