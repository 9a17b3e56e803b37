#include "lean/daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>

#include "lean/contract/exit_codes.h"
#include "lean/daemon/child_job.h"
#include "lean/daemon/event_watcher.h"
#include "lean/daemon/scheduler.h"
#include "lean/platform/atomic_file.h"
#include "lean/platform/pid_lock.h"
#include "lean/process/process.h"
#include "lean/schedule/next_elapse.h"

namespace guestbackup::daemon {
namespace {

// A child `run` that got SIGTERM stops kopia, runs the after hooks and records the row; this
// is how long it gets for that before SIGKILL.
constexpr std::chrono::minutes kChildStopGrace{2};

// The children read the policy themselves, so each one gets the policy this daemon last
// accepted, not the file as it is now: after a broken edit, runs go on with the last good
// policy. The copy lives in the state directory (writable under the unit's sandbox).
std::string AcceptedPolicyPath(const context::AgentContext& context) {
  return context.state_dir + "/daemon-policy.yaml";
}

// One daemon per state directory: two would run every job twice and write each other's
// accepted policy. Held while the daemon runs; taken anew when a reload moves the state
// directory (a refused reload keeps the old one and its lock).
Status LockStateDir(const context::AgentContext& context,
                    std::unique_ptr<platform::PidLock>& held) {
  const std::string path = context.state_dir + "/daemon.lock";
  if (held != nullptr && held->path() == path) return Status::Ok();
  auto lock = platform::PidLock::TryAcquire(
      path, "another guestbackup daemon uses the state directory " + context.state_dir);
  if (!lock.ok()) return lock.status();
  held = std::move(lock).value();
  return Status::Ok();
}

Result<ContextPtr> LoadContext(const context::AgentOptions& options,
                               std::unique_ptr<platform::PidLock>& lock) {
  // Read once: the text checked is the text kept for the children.
  std::string text;
  auto context = context::LoadAgentContext(options, &text);
  if (!context.ok()) return context.status();
  GB_RETURN_IF_ERROR(LockStateDir(*context, lock));
  GB_RETURN_IF_ERROR(platform::WriteFileAtomically(AcceptedPolicyPath(*context), text, 0600));
  return ContextPtr(std::make_shared<const context::AgentContext>(std::move(context).value()));
}

ChildCommand ForContext(ChildCommand command, const context::AgentContext& context) {
  command.options.agent.policy_path = AcceptedPolicyPath(context);
  return command;
}

// Splits a child's stderr chunks into lines and re-logs each (the child masked them already).
class LineRelay {
 public:
  void Add(std::string_view chunk) {
    pending_.append(chunk);
    std::size_t start = 0;
    for (auto nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n', start)) {
      if (nl > start) RelogChildLine(std::string_view(pending_).substr(start, nl - start));
      start = nl + 1;
    }
    pending_.erase(0, start);
  }
  ~LineRelay() {
    if (!pending_.empty()) RelogChildLine(pending_);
  }

 private:
  std::string pending_;
};

process::ProcessSpec ChildSpec(std::vector<std::string> argv) {
  process::ProcessSpec spec;
  spec.argv = std::move(argv);
  // The child must not speak to systemd as if it were the service.
  spec.unset_env = {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"};
  return spec;
}

contract::RunStatus RunChildJob(const ChildCommand& command, const policy::JobSpec& job,
                                const RunRequest& request) {
  contract::RunArguments run;
  run.job = job.name;
  run.trigger = contract::TriggerName(request.trigger);
  process::ProcessSpec spec = ChildSpec(contract::RunArgv(command.program, command.options, run));
  spec.cancel = request.cancel;
  spec.kill_grace = kChildStopGrace;
  spec.stdout_limit = 4096;
  auto relay = std::make_shared<LineRelay>();
  spec.on_stderr = [relay](std::string_view chunk) { relay->Add(chunk); };
  auto result = process::Run(spec);
  if (!result.ok()) {
    spdlog::error("job {}: not run: {}", job.name, result.status().ToString());
    return contract::RunStatus::kFailed;
  }
  const contract::RunStatus status = contract::RunStatusForExit(*result);
  if (status == contract::RunStatus::kFailed || status == contract::RunStatus::kInterrupted) {
    spdlog::warn("job {}: guestbackup run ended with {}", job.name, result->Describe());
  }
  return status;
}

std::optional<std::int64_t> LastRunStart(const ChildCommand& command, const std::string& job) {
  process::ProcessSpec spec =
      ChildSpec(contract::LastRunArgv(command.program, command.options, job));
  spec.timeout = std::chrono::seconds(60);
  auto result = process::Run(spec);
  if (!result.ok() || !result->Succeeded()) {
    spdlog::warn("job {}: no catch-up check: history: {}{}", job,
                 result.ok() ? result->Describe() : result.status().ToString(),
                 result.ok() ? ": " + result->stderr_data : "");
    return std::nullopt;
  }
  auto start = LastRunStartFromJson(result->stdout_data);
  if (!start.ok()) {
    spdlog::warn("job {}: no catch-up check: {}", job, start.status().ToString());
    return std::nullopt;
  }
  return *start;
}

}  // namespace

Status RunDaemon(const DaemonOptions& options) {
  ChildCommand command{options.guestbackup_path, options.options};
  SystemClock clock;
  SchedulerDeps deps;
  deps.clock = &clock;
  deps.notifier = options.notifier;
#if !defined(_WIN32)
  SdNotifier sd_notifier;
  if (deps.notifier == nullptr) deps.notifier = &sd_notifier;
  deps.watchdog = SystemdWatchdogPeriod();
  if (deps.watchdog.count() > 0) {
    spdlog::info("systemd watchdog: a ping every {} ms", deps.watchdog.count() / 2);
  }
#endif
  std::unique_ptr<platform::PidLock> lock;  // outlives the scheduler, which uses it to load
  deps.load = [agent = options.options.agent, &lock] { return LoadContext(agent, lock); };
  deps.run_job = [command](const context::AgentContext& context, const policy::JobSpec& job,
                           const RunRequest& request) {
    return RunChildJob(ForContext(command, context), job, request);
  };
  deps.last_run_ms = [command](const context::AgentContext& context, const std::string& job) {
    return LastRunStart(ForContext(command, context), job);
  };
  deps.machine_id = schedule::MachineId();

  Scheduler scheduler(std::move(deps));
  // Declared after the scheduler so it stops first: its callbacks use the scheduler.
  auto watcher = EventWatcher::Start(
      options.options.agent.policy_path, options.control,
      {[&scheduler] { scheduler.RequestReload(); }, [&scheduler] { scheduler.RequestStop(); }});
  if (!watcher.ok()) return watcher.status();
  return scheduler.Run();
}

}  // namespace guestbackup::daemon
