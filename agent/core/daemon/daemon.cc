#include "core/daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "core/daemon/event_watcher.h"
#include "core/daemon/scheduler.h"
#include "core/history/history.h"
#include "core/runner/job_runner.h"
#include "core/schedule/next_elapse.h"

namespace guestbackup::daemon {
namespace {

Result<ContextPtr> LoadContext(const runner::AgentOptions& options) {
  auto context = runner::LoadAgentContext(options);
  if (!context.ok()) return context.status();
  return ContextPtr(std::make_shared<const runner::AgentContext>(std::move(context).value()));
}

// One run as `guestbackup run` does it; each worker opens its own history connection (a
// HistoryDb is per thread).
history::RunStatus RunOneJob(const runner::AgentContext& context, const policy::JobSpec& job,
                             const RunRequest& request) {
  auto history = history::HistoryDb::Open(context.HistoryPath());
  if (!history.ok()) {
    spdlog::error("job {}: not run: {}", job.name, history.status().ToString());
    return history::RunStatus::kFailed;
  }
  runner::RunOptions options;
  options.trigger = request.trigger;
  options.cancel = request.cancel;
  const runner::RunReport report = runner::RunJob(context, **history, job, options);
  if (report.run_id == 0 && !report.status_detail.ok()) {
    spdlog::error("job {}: not run: {}", job.name, report.status_detail.ToString());
  }
  return report.status;
}

std::optional<std::int64_t> LastRunStart(const runner::AgentContext& context,
                                         const std::string& job) {
  auto history = history::HistoryDb::Open(context.HistoryPath());
  if (!history.ok()) {
    spdlog::warn("job {}: no catch-up check: {}", job, history.status().ToString());
    return std::nullopt;
  }
  auto last = (*history)->LastRun(job);
  if (!last.ok()) {
    spdlog::warn("job {}: no catch-up check: {}", job, last.status().ToString());
    return std::nullopt;
  }
  if (!last->has_value()) return std::nullopt;
  return (*last)->start_ms;
}

}  // namespace

Status RunDaemon(const DaemonOptions& options) {
  SystemClock clock;
  SdNotifier notifier;
  SchedulerDeps deps;
  deps.clock = &clock;
  deps.notifier = &notifier;
  deps.load = [agent = options.agent] { return LoadContext(agent); };
  deps.run_job = RunOneJob;
  deps.last_run_ms = LastRunStart;
  deps.machine_id = schedule::MachineId();
  deps.watchdog = SystemdWatchdogPeriod();
  if (deps.watchdog.count() > 0) {
    spdlog::info("systemd watchdog: a ping every {} ms", deps.watchdog.count() / 2);
  }

  Scheduler scheduler(std::move(deps));
  // Declared after the scheduler so it stops first: its callbacks use the scheduler.
  auto watcher = EventWatcher::Start(
      options.agent.policy_path, options.signal_fd,
      {[&scheduler] { scheduler.RequestReload(); }, [&scheduler] { scheduler.RequestStop(); }});
  if (!watcher.ok()) return watcher.status();
  return scheduler.Run();
}

}  // namespace guestbackup::daemon
