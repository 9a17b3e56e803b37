#include "full/status/metrics_textfile.h"

#include <array>
#include <cstdio>
#include <string_view>

#include "lean/platform/atomic_file.h"

namespace guestbackup::status {
namespace {

using contract::RunStatus;

// Every final status: a job's series stay the same set from its first run on.
constexpr std::array kFinalStatuses = {RunStatus::kSucceeded, RunStatus::kPartial,
                                       RunStatus::kFailed, RunStatus::kSkipped,
                                       RunStatus::kInterrupted};

// Label values are quoted; backslash, quote and newline are escaped as the format requires.
std::string Label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Seconds(std::int64_t ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld.%03lld", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return buffer;
}

class Writer {
 public:
  void Family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
    out_ += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
  }
  void Sample(std::string_view name, const std::string& job, const std::string& value,
              std::string_view status = "") {
    out_ += std::string(name) + "{job=\"" + Label(job) + "\"";
    if (!status.empty()) out_ += ",status=\"" + std::string(status) + "\"";
    out_ += "} " + value + "\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string RenderMetrics(const std::vector<JobMetrics>& jobs) {
  Writer w;
  w.Family("guestbackup_last_success_timestamp_seconds", "gauge",
           "Unix time the job's last successful or partial run ended; 0 if it never succeeded.");
  for (const JobMetrics& j : jobs) {
    w.Sample("guestbackup_last_success_timestamp_seconds", j.job,
             Seconds(j.last_success_ms.value_or(0)));
  }
  w.Family("guestbackup_last_run_status", "gauge",
           "1 for the status of the job's last finished run, 0 for the other statuses.");
  for (const JobMetrics& j : jobs) {
    for (RunStatus status : kFinalStatuses) {
      const bool last = j.last_finished && j.last_finished->status == status;
      w.Sample("guestbackup_last_run_status", j.job, last ? "1" : "0",
               contract::RunStatusName(status));
    }
  }
  w.Family("guestbackup_last_duration_seconds", "gauge",
           "How long the job's last finished run took.");
  for (const JobMetrics& j : jobs) {
    if (!j.last_finished) continue;
    const history::RunRecord& r = *j.last_finished;
    w.Sample("guestbackup_last_duration_seconds", j.job,
             Seconds(r.end_ms.value_or(r.start_ms) - r.start_ms));
  }
  w.Family("guestbackup_last_bytes", "gauge",
           "Bytes in the snapshots of the job's last finished run.");
  for (const JobMetrics& j : jobs) {
    if (!j.last_finished) continue;
    w.Sample("guestbackup_last_bytes", j.job, std::to_string(j.last_finished->bytes));
  }
  w.Family("guestbackup_runs_total", "counter", "Runs of the job in the history, by status.");
  for (const JobMetrics& j : jobs) {
    for (RunStatus status : kFinalStatuses) {
      const auto it = j.runs.find(status);
      w.Sample("guestbackup_runs_total", j.job, std::to_string(it == j.runs.end() ? 0 : it->second),
               contract::RunStatusName(status));
    }
  }
  return w.Take();
}

Result<std::vector<JobMetrics>> CollectMetrics(history::HistoryDb& history,
                                               const policy::Policy& policy) {
  Result<std::vector<history::RunCount>> counts = history.CountRuns();
  if (!counts.ok()) return counts.status();
  std::vector<JobMetrics> jobs;
  for (const policy::JobSpec& spec : policy.jobs) {
    JobMetrics j;
    j.job = spec.name;
    Result<std::optional<history::RunRecord>> last = history.LastFinishedRun(spec.name);
    if (!last.ok()) return last.status();
    j.last_finished = std::move(last).value();
    Result<std::optional<history::RunRecord>> success = history.LastSuccess(spec.name);
    if (!success.ok()) return success.status();
    if (*success) j.last_success_ms = (*success)->end_ms.value_or((*success)->start_ms);
    for (const history::RunCount& c : *counts) {
      if (c.job == spec.name) j.runs[c.status] = c.count;
    }
    jobs.push_back(std::move(j));
  }
  return jobs;
}

std::string MetricsTextfilePath(const policy::Policy& policy, const std::string& state_dir) {
  return policy.metrics.textfile.empty() ? state_dir + "/guestbackup.prom"
                                         : policy.metrics.textfile;
}

Status WriteMetricsTextfile(history::HistoryDb& history, const policy::Policy& policy,
                            const std::string& path) {
  Result<std::vector<JobMetrics>> jobs = CollectMetrics(history, policy);
  if (!jobs.ok()) return jobs.status().WithContext("metrics for " + path);
  return platform::WriteFileAtomically(path, RenderMetrics(*jobs), 0644);
}

}  // namespace guestbackup::status
