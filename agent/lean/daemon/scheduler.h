// The built-in scheduler behind `guestbackup daemon`: sleeps until the next job is due (one
// timed wait, no polling), runs due jobs on worker threads (one run per job, at most
// daemon.max_parallel at once), catches up a missed run once after boot or a suspend, reloads
// the policy on request, and on stop lets running jobs finish within daemon.shutdown_grace.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lean/base/status.h"
#include "lean/context/agent_context.h"
#include "lean/contract/run_status.h"
#include "lean/contract/triggers.h"
#include "lean/daemon/clock.h"
#include "lean/daemon/notifier.h"
#include "lean/schedule/calendar_spec.h"

namespace guestbackup::daemon {

// A wall-clock jump forward by more than this between two wake-ups is taken for a suspend (or
// a step of the clock): due times it skipped over count as missed, not late.
inline constexpr std::int64_t kClockJumpMs = 60'000;

using ContextPtr = std::shared_ptr<const context::AgentContext>;

struct RunRequest {
  contract::Trigger trigger;        // kDaemon or kCatchUp
  const std::atomic<bool>* cancel;  // set when the daemon stops past its grace period
};

struct SchedulerDeps {
  Clock* clock = nullptr;        // required; outlives the scheduler
  Notifier* notifier = nullptr;  // optional
  // Loads (or reloads) the policy and its context. An error's message is logged line by line
  // (kPolicyError: formatted `policy.yaml:L:C: …` diagnostics).
  std::function<Result<ContextPtr>()> load;
  // Runs one job to its end on a worker thread; the context and job outlive the call.
  std::function<contract::RunStatus(const context::AgentContext&, const policy::JobSpec&,
                                    const RunRequest&)>
      run_job;
  // When the job's last run began (history LastRun), for catch-up at start; nullopt = never
  // ran, which is not a missed run (as with a systemd timer that never elapsed).
  std::function<std::optional<std::int64_t>(const context::AgentContext&, const std::string& job)>
      last_run_ms;
  std::string machine_id;  // seeds each job's jitter (schedule::JitterFor)
  // systemd's watchdog period; the scheduler pings at half of it. Zero = no watchdog, and then
  // no wake-up happens between runs.
  std::chrono::milliseconds watchdog{0};
};

// When one job is next due, for status lines and tests.
struct NextRun {
  std::string job;
  std::int64_t due_ms = 0;
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerDeps deps);
  ~Scheduler();  // joins any worker still running (Run() has normally done so)
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Loads the policy and schedules until RequestStop(), then winds down. Returns the first
  // load's error (the daemon cannot start without a policy); ok after a stop.
  Status Run();

  // Both are thread-safe and cheap; they wake the scheduler.
  void RequestReload();
  // The first request stops starting jobs and gives running ones the grace period; a second
  // interrupts them at once.
  void RequestStop();

  // Runs started and not yet reaped by the scheduler thread.
  int ActiveRuns() const;
  // Every scheduled job with its next due time, soonest first.
  std::vector<NextRun> Upcoming() const;

 private:
  struct Job;
  struct Worker;

  void ApplyContext(ContextPtr context, std::int64_t now_ms);
  void CatchUpAtStart(std::int64_t now_ms);
  void Tick(std::int64_t now_ms, bool clock_jumped);
  void Queue(Job& job, contract::Trigger trigger);
  void StartQueued();
  void Reap();
  void Reload(std::int64_t now_ms);
  void Shutdown();
  void WaitUntil(std::int64_t deadline_ms);
  void PublishStatus();
  std::int64_t NextDeadline() const;
  bool JobBusy(const std::string& name) const;

  SchedulerDeps deps_;
  ContextPtr context_;
  std::vector<Job> jobs_;  // scheduler thread only (Upcoming() under mu_)
  std::vector<std::pair<std::string, contract::Trigger>> queue_;  // (job, trigger), oldest first
  std::int64_t last_offset_ms_ = 0;  // NowMs() - MonotonicMs() at the last wake-up
  std::int64_t next_watchdog_ms_ = kNever;
  std::string last_status_;

  mutable std::mutex mu_;
  std::list<Worker> workers_;  // guarded by mu_
  bool reload_requested_ = false;
  int stop_requests_ = 0;
};

}  // namespace guestbackup::daemon
