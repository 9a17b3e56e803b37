// One job run end to end — the use case `guestbackup run JOB`, timers and the daemon share:
// lock, history row, connect, before hooks, one snapshot per path with the job's retention
// applied to the source, after hooks (always), final history row.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "full/history/history.h"
#include "full/kopia/kopia_client.h"
#include "full/kopia/progress.h"
#include "full/status/run_announcer.h"
#include "lean/base/status.h"
#include "lean/context/agent_context.h"
#include "lean/contract/triggers.h"
#include "lean/policy/policy.h"

namespace guestbackup::runner {

struct RunOptions {
  contract::Trigger trigger = contract::Trigger::kManual;
  const std::atomic<bool>* cancel = nullptr;  // set by SIGINT/SIGTERM
  // Called with kopia's progress for the path being backed up; empty = quiet.
  std::function<void(const std::string& path, const kopia::SnapshotProgress&)> on_progress;
};

struct RunReport {
  std::int64_t run_id = 0;  // 0 when no history row was written
  contract::RunStatus status = contract::RunStatus::kFailed;
  history::RunOutcome outcome;
  // Not ok unless succeeded; its code decides the exit code (kUnavailable -> 5, kPartial -> 3,
  // kAlreadyRunning -> 4, kInterrupted -> 130, others -> 1).
  Status status_detail;
  // Not ok when the final history row could not be written (the row then reads interrupted
  // until the job's next run records it from the server): exit code 6.
  Status recorded;
  // The run's webhooks, still being delivered: the caller prints the result first, then waits
  // (WaitForDelivery, or by dropping the report), at most the webhook's total_timeout.
  std::unique_ptr<status::RunAnnouncer> announcer;
};

RunReport RunJob(const context::AgentContext& context, history::HistoryDb& history,
                 const policy::JobSpec& job, const RunOptions& options);

// The retention/compression/ignore policy kopia should hold for the job's sources.
kopia::SourcePolicy SourcePolicyFor(const policy::JobSpec& job);

}  // namespace guestbackup::runner
