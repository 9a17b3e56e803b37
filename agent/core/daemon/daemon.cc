#include "core/daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/daemon/child_job.h"
#include "core/daemon/event_watcher.h"
#include "core/daemon/scheduler.h"
#include "core/platform/atomic_file.h"
#include "core/process/process.h"
#include "core/schedule/next_elapse.h"

namespace guestbackup::daemon {
namespace {

// A child `run` that got SIGTERM stops kopia, runs the after hooks and records the row; this
// is how long it gets for that before SIGKILL.
constexpr std::chrono::minutes kChildStopGrace{2};

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The children read the policy themselves, so each one gets the policy this daemon last
// accepted, not the file as it is now: after a broken edit, runs go on with the last good
// policy. The copy lives in the state directory (writable under the unit's sandbox).
std::string AcceptedPolicyPath(const runner::AgentContext& context) {
  return context.state_dir + "/daemon-policy.yaml";
}

Result<ContextPtr> LoadContext(const runner::AgentOptions& options) {
  const std::string before = ReadText(options.policy_path);
  auto context = runner::LoadAgentContext(options);
  if (!context.ok()) return context.status();
  // The text checked is the text kept: a file changed in between is refused for now, and the
  // watcher reloads it again after that change.
  if (ReadText(options.policy_path) != before) {
    return Failed(options.policy_path + " changed while it was being loaded");
  }
  GB_RETURN_IF_ERROR(platform::WriteFileAtomically(AcceptedPolicyPath(*context), before, 0600));
  return ContextPtr(std::make_shared<const runner::AgentContext>(std::move(context).value()));
}

ChildCommand ForContext(ChildCommand command, const runner::AgentContext& context) {
  command.agent.policy_path = AcceptedPolicyPath(context);
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

history::RunStatus RunChildJob(const ChildCommand& command, const policy::JobSpec& job,
                               const RunRequest& request) {
  process::ProcessSpec spec = ChildSpec(RunArgv(command, job.name, request.trigger));
  spec.cancel = request.cancel;
  spec.kill_grace = kChildStopGrace;
  spec.stdout_limit = 4096;
  auto relay = std::make_shared<LineRelay>();
  spec.on_stderr = [relay](std::string_view chunk) { relay->Add(chunk); };
  auto result = process::Run(spec);
  if (!result.ok()) {
    spdlog::error("job {}: not run: {}", job.name, result.status().ToString());
    return history::RunStatus::kFailed;
  }
  const history::RunStatus status = StatusForExit(*result);
  if (status == history::RunStatus::kFailed || status == history::RunStatus::kInterrupted) {
    spdlog::warn("job {}: guestbackup run ended with {}", job.name, result->Describe());
  }
  return status;
}

std::optional<std::int64_t> LastRunStart(const ChildCommand& command, const std::string& job) {
  process::ProcessSpec spec = ChildSpec(LastRunArgv(command, job));
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
  ChildCommand command{options.guestbackup_path, options.agent, options.log_level};
  SystemClock clock;
  SdNotifier notifier;
  SchedulerDeps deps;
  deps.clock = &clock;
  deps.notifier = &notifier;
  deps.load = [agent = options.agent] { return LoadContext(agent); };
  deps.run_job = [command](const runner::AgentContext& context, const policy::JobSpec& job,
                           const RunRequest& request) {
    return RunChildJob(ForContext(command, context), job, request);
  };
  deps.last_run_ms = [command](const runner::AgentContext& context, const std::string& job) {
    return LastRunStart(ForContext(command, context), job);
  };
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
