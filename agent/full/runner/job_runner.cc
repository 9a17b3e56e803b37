#include "full/runner/job_runner.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "full/hooks/hooks.h"
#include "full/kopia/shadow_copy.h"
#include "full/restore/staging.h"
#include "full/runner/freeze_window.h"
#include "full/runner/job_lock.h"
#include "full/runner/lost_runs.h"
#include "full/runner/retry.h"
#include "full/runner/run_summary.h"
#include "full/runner/server_session.h"
#include "lean/base/sha256.h"
#include "lean/base/time_format.h"
#include "lean/platform/atomic_file.h"

namespace guestbackup::runner {
namespace {

using contract::RunStatus;

Status WriteRecord(const std::string& record, const std::string& path,
                   const kopia::SourcePolicy& applied) {
  return platform::WriteFileAtomically(record, path + "\n" + applied.Digest() + "\n", 0600);
}

bool Cancelled(const RunOptions& o) { return o.cancel != nullptr && o.cancel->load(); }

// Applies the job's policy to a source only when it differs from what this agent applied
// last (recorded beside the connection), so a routine run costs no extra kopia process; a new
// source that inherits everything needs none at all.
Status EnsureSourcePolicy(ServerSession& session, const std::string& path,
                          const kopia::SourcePolicy& wanted) {
  const std::string dir = session.paths.dir + "/applied-policies";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create " + dir + ": " + ec.message());
  const std::string record = dir + "/" + Sha256Hex(path).substr(0, 16);
  std::optional<kopia::SourcePolicy> previous;
  {
    std::ifstream in(record);
    std::string recorded_path;
    std::string digest;
    if (std::getline(in, recorded_path) && recorded_path == path && std::getline(in, digest)) {
      previous = kopia::SourcePolicy::Parse(digest);
    }
  }
  if (previous && *previous == wanted) return Status::Ok();
  if (!previous && wanted.InheritsEverything()) return WriteRecord(record, path, wanted);
  GB_RETURN_IF_ERROR(
      session.client->ApplySourcePolicy(path, wanted, previous.value_or(kopia::SourcePolicy{})));
  return WriteRecord(record, path, wanted);
}

hooks::HookEnv HookEnvironment(const policy::JobSpec& job, std::string_view status,
                               const std::vector<std::string>& snapshot_ids) {
  std::string ids;
  for (const auto& id : snapshot_ids) ids += (ids.empty() ? "" : ",") + id;
  return {{"GUESTBACKUP_JOB", job.name},
          {"GUESTBACKUP_STATUS", std::string(status)},
          {"GUESTBACKUP_SNAPSHOT_ID", ids}};
}

// One snapshot per path of the job, with the job's policy applied to each source first.
void SnapshotEachPath(ServerSession& session, const policy::JobSpec& job, std::int64_t start_ms,
                      const RunOptions& options, RunSummary& summary) {
  const kopia::SourcePolicy wanted = SourcePolicyFor(job);
  for (const auto& path : job.paths) {
    if (Cancelled(options)) break;
    // Each kopia command logs in anew: under a fleet's load it may find the server busy.
    Retrier retrier("snapshot of " + path, options.cancel);
    Status policy_applied;
    while (!(policy_applied = EnsureSourcePolicy(session, path, wanted)).ok() &&
           retrier.Again(policy_applied)) {
    }
    if (!policy_applied.ok()) {
      summary.Retried(retrier.retries());
      summary.Fail(policy_applied.WithContext("kopia policy for " + path));
      continue;
    }
    kopia::SnapshotRequest request;
    request.description = "guestbackup job " + job.name;
    // The run's start too, so a run whose result never reached the history can be
    // recorded from its snapshots later (lost_runs.h).
    request.tags = {{std::string(kJobTag), job.name},
                    {std::string(kRunTag), RunTagValue(start_ms)}};
    request.stall = kopia::StallLimit::Of(job);
    if (options.on_progress) {
      request.on_progress = [&](const kopia::SnapshotProgress& p) { options.on_progress(path, p); };
    }
    kopia::SnapshotOutcome outcome = session.client->CreateSnapshot(path, request);
    // Only when nothing was saved: a saved manifest is a snapshot, whatever else went wrong.
    while (outcome.kind == kopia::SnapshotResultKind::kFailed && !outcome.manifest &&
           retrier.Again(outcome.error)) {
      outcome = session.client->CreateSnapshot(path, request);
    }
    summary.Retried(retrier.retries());
    summary.AddSnapshot(path, outcome);
  }
}

}  // namespace

kopia::SourcePolicy SourcePolicyFor(const policy::JobSpec& job) {
  kopia::SourcePolicy p;
  p.compression = job.compression;
  p.retention = job.retention;
  p.ignore_rules = job.exclude;
  p.shadow_copy = kopia::ShadowCopyModeFor(job.snapshot);
  // A restore in progress (or killed) must never be backed up as data.
  p.ignore_rules.emplace_back(restore::kStagingIgnoreRule);
  return p;
}

RunReport RunJob(const context::AgentContext& context, history::HistoryDb& history,
                 const policy::JobSpec& job, const RunOptions& options) {
  RunReport report;
  RunSummary summary(job);
  // Webhooks and the metrics textfile; they log their own failures and never fail the run.
  report.announcer = std::make_unique<status::RunAnnouncer>(context.policy, context.state_dir, job);
  status::RunAnnouncer& announcer = *report.announcer;

  auto lock = JobLock::TryAcquire(context.state_dir, job.name);
  if (!lock.ok()) {
    report.status_detail = lock.status();
    if (lock.status().code() == StatusCode::kAlreadyRunning) {
      // Leave a trace: a timer firing while the previous run still works is worth seeing.
      auto id = history.BeginRun(job.name, contract::TriggerName(options.trigger), NowUnixMs());
      if (id.ok()) {
        report.run_id = *id;
        report.status = RunStatus::kSkipped;
        report.outcome = summary.Finish(RunStatus::kSkipped, lock.status().message());
        (void)history.FinishRun(*id, report.outcome);
        announcer.Finished(history, report.run_id, report.status, report.outcome);
      }
    }
    return report;
  }

  const std::int64_t start_ms = NowUnixMs();
  auto run_id = history.BeginRun(job.name, contract::TriggerName(options.trigger), start_ms);
  if (!run_id.ok()) {
    report.status_detail = run_id.status().WithContext("cannot record the run");
    return report;
  }
  report.run_id = *run_id;
  announcer.Started(start_ms);
  spdlog::info("job {}: run {} started ({})", job.name, report.run_id,
               contract::TriggerName(options.trigger));

  if (const int removed = restore::RemoveStaleStaging(context.state_dir); removed > 0) {
    spdlog::info("job {}: removed {} staging director{} left by interrupted restores", job.name,
                 removed, removed == 1 ? "y" : "ies");
  }
  std::size_t before_started = 0;
  auto session = OpenServerSession(context, job.bandwidth, options.cancel);
  if (!session.ok()) {
    summary.Fail(session.status());
  } else {
    summary.Retried(session->connect_retries);
    RecoverLostRuns(*session->client, history, job, report.run_id);
    const auto env = HookEnvironment(job, "running", {});
    hooks::BeforeHooksResult before = hooks::RunBeforeHooks(job.hooks, env, options.cancel);
    before_started = before.started;
    if (!before.status.ok()) {
      summary.Fail(before.status.WithContext("snapshot skipped"));
    } else {
      // The job's own freeze, after its before hooks and before anything is read; thawed
      // before its after hooks, which may need to write.
      FreezeWindow freeze_window;
      const Status opened = freeze_window.Open(context, job, env, options.cancel);
      if (opened.ok()) {
        SnapshotEachPath(*session, job, start_ms, options, summary);
      } else {
        summary.Fail(opened);
      }
      for (const Status& failure : freeze_window.Close(
               context, job,
               HookEnvironment(job, contract::RunStatusName(summary.CurrentStatus()),
                               summary.snapshot_ids()))) {
        summary.Fail(failure);
      }
    }
  }
  if (Cancelled(options)) summary.Fail(Interrupted("interrupted by a stop request"));

  const RunStatus before_after = summary.CurrentStatus();
  std::vector<hooks::HookResult> after_results;
  Status after = hooks::RunAfterHooks(
      job.hooks, before_started,
      HookEnvironment(job, contract::RunStatusName(before_after), summary.snapshot_ids()),
      &after_results);
  if (!after.ok()) summary.Fail(after);

  report.status = summary.CurrentStatus();
  report.outcome = summary.Finish(report.status, "");
  report.status_detail = summary.FinalStatus();
  report.recorded = history.FinishRun(report.run_id, report.outcome);
  if (!report.recorded.ok()) {
    spdlog::error("job {}: cannot record the result: {}", job.name, report.recorded.ToString());
  }
  const history::Retention keep{context.policy.history.keep_days, context.policy.history.keep_runs};
  if (Result<int> pruned = history.Prune(job.name, keep); !pruned.ok()) {
    spdlog::warn("job {}: cannot prune the history: {}", job.name, pruned.status().ToString());
  } else if (*pruned > 0) {
    spdlog::debug("job {}: {} old history rows deleted", job.name, *pruned);
  }
  spdlog::info("job {}: {} — {}", job.name, contract::RunStatusName(report.status),
               report.outcome.message);
  announcer.Finished(history, report.run_id, report.status, report.outcome);
  return report;
}

}  // namespace guestbackup::runner
