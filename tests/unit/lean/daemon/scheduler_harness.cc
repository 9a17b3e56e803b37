#include "scheduler_harness.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "lean/base/logging.h"
#include "lean/policy/policy_loader.h"
#include "support/environment.h"

namespace guestbackup::daemon {
namespace {

constexpr auto kPatience = std::chrono::seconds(10);

}  // namespace

SchedulerHarness::SchedulerHarness(HarnessOptions options)
    : options_(std::move(options)), clock_(options_.start_ms) {
  testing::SetEnv("TZ", "UTC");
  tzset();
  LoggingOptions logging;
  logging.write = [this](std::string_view line) {
    std::lock_guard lock(mu_);
    log_ += line;
  };
  EXPECT_TRUE(InitLogging("info", logging).ok());
  WriteJobs(options_.jobs_yaml);

  SchedulerDeps deps;
  deps.clock = &clock_;
  deps.notifier = options_.notifier != nullptr ? options_.notifier : &notifier_;
  deps.load = [this]() -> Result<ContextPtr> {
    policy::LoadResult loaded = policy::LoadPolicyFile(policy_path());
    if (!loaded.policy) {
      std::string text;
      for (const auto& d : loaded.diagnostics) text += policy::FormatDiagnostic(d) + "\n";
      return PolicyError(text);
    }
    auto context = std::make_shared<context::AgentContext>();
    context->policy = std::move(*loaded.policy);
    context->policy.daemon.max_parallel = options_.max_parallel;
    context->policy.daemon.shutdown_grace = options_.shutdown_grace;
    context->state_dir = dir_.path().string();
    return ContextPtr(std::move(context));
  };
  deps.run_job = [this](const context::AgentContext&, const policy::JobSpec& job,
                        const RunRequest& request) {
    RecordedRun run{job.name, std::string(contract::TriggerName(request.trigger)), clock_.NowMs()};
    std::function<contract::RunStatus(const RecordedRun&, const RunRequest&)> behaviour;
    {
      std::lock_guard lock(mu_);
      runs_.push_back(run);
      behaviour = run_;
    }
    return behaviour ? behaviour(run, request) : contract::RunStatus::kSucceeded;
  };
  deps.last_run_ms = [this](const context::AgentContext&,
                            const std::string& job) -> std::optional<std::int64_t> {
    const auto it = options_.last_runs.find(job);
    if (it == options_.last_runs.end()) return std::nullopt;
    return it->second;
  };
  deps.machine_id = "0123456789abcdef0123456789abcdef";
  deps.watchdog = options_.watchdog;
  scheduler_ = std::make_unique<Scheduler>(std::move(deps));
}

SchedulerHarness::~SchedulerHarness() {
  if (thread_.joinable()) (void)Stop();
  scheduler_.reset();
  (void)InitLogging("warn");
}

void SchedulerHarness::SetRunner(
    std::function<contract::RunStatus(const RecordedRun&, const RunRequest&)> run) {
  std::lock_guard lock(mu_);
  run_ = std::move(run);
}

void SchedulerHarness::WriteJobs(const std::string& jobs_yaml) {
  WriteRaw("version: 1\njobs:\n" + jobs_yaml);
}

void SchedulerHarness::WriteRaw(const std::string& text) { dir_.WriteFile("policy.yaml", text); }

void SchedulerHarness::Start() {
  thread_ = std::thread([this] { result_ = scheduler_->Run(); });
}

Status SchedulerHarness::Stop() {
  scheduler_->RequestStop();
  return Join();
}

Status SchedulerHarness::Join() {
  thread_.join();
  return result_.value_or(Internal("Run() did not return"));
}

std::int64_t SchedulerHarness::AwaitSleeping() {
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < give_up) {
    if (auto deadline = clock_.PendingDeadline()) return *deadline;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ADD_FAILURE() << "the scheduler did not go to sleep";
  return kNever;
}

std::int64_t SchedulerHarness::AwaitIdle() {
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < give_up) {
    auto deadline = clock_.PendingDeadline();
    if (deadline && scheduler_->ActiveRuns() == 0 && clock_.PendingDeadline() == deadline) {
      return *deadline;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ADD_FAILURE() << "the scheduler did not become idle";
  return kNever;
}

void SchedulerHarness::RunUntil(std::int64_t until_ms) {
  while (true) {
    const std::int64_t deadline = AwaitIdle();
    if (deadline > until_ms || deadline == kNever) {
      clock_.SetNow(until_ms);
      return;
    }
    clock_.SetNow(deadline);
  }
}

std::vector<RecordedRun> SchedulerHarness::Runs() {
  std::lock_guard lock(mu_);
  return runs_;
}

void SchedulerHarness::AwaitRuns(std::size_t n) {
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < give_up) {
    if (Runs().size() >= n) return;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ADD_FAILURE() << "fewer than " << n << " runs began";
}

std::string SchedulerHarness::Log() {
  std::lock_guard lock(mu_);
  return log_;
}

}  // namespace guestbackup::daemon
