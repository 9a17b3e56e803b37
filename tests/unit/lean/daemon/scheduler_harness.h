// Runs a real Scheduler on its own thread against a FakeClock, a policy file in a temporary
// directory (loaded by the real loader on every reload), a recording notifier and a job
// runner the test scripts — so schedules are tested without kopia and days pass at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fake_clock.h"
#include "lean/daemon/scheduler.h"
#include "support/temp_dir.h"
#include "support/utc_time.h"

namespace guestbackup::daemon {

using testing::kDayMs;
using testing::kHourMs;
using testing::kMinuteMs;
using testing::Utc;

struct RecordedRun {
  std::string job;
  std::string trigger;
  std::int64_t start_ms = 0;

  bool operator==(const RecordedRun&) const = default;
};

class RecordingNotifier final : public Notifier {
 public:
  void Notify(std::string_view state) override {
    std::lock_guard lock(mu_);
    messages_.emplace_back(state);
  }
  std::vector<std::string> Messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> messages_;
};

struct HarnessOptions {
  std::int64_t start_ms = 0;
  std::string jobs_yaml = {};  // the `jobs:` block of the policy
  int max_parallel = 1;
  std::chrono::milliseconds shutdown_grace{std::chrono::minutes(5)};
  std::map<std::string, std::int64_t> last_runs = {};  // job -> start of its last run
  Notifier* notifier = nullptr;                        // default: the harness's RecordingNotifier
  std::chrono::milliseconds watchdog{0};
};

class SchedulerHarness {
 public:
  // Sets TZ=UTC (status lines show local time) and captures the log.
  explicit SchedulerHarness(HarnessOptions options);
  ~SchedulerHarness();  // stops the scheduler if the test did not

  // How a run behaves; the default returns kSucceeded at once. Called on a worker thread.
  void SetRunner(std::function<contract::RunStatus(const RecordedRun&, const RunRequest&)> run);
  // Replaces the policy file's jobs (or, with `raw`, the whole file).
  void WriteJobs(const std::string& jobs_yaml);
  void WriteRaw(const std::string& text);
  std::string policy_path() const { return (dir_.path() / "policy.yaml").string(); }

  void Start();
  // Requests a stop, waits for Run() to return, and returns its status.
  Status Stop();
  // Waits for Run() to return (after a stop requested by the test) and returns its status.
  Status Join();

  // Waits until the scheduler sleeps with no run in flight; returns the deadline it sleeps
  // until. Fails the test after 10 s.
  std::int64_t AwaitIdle();
  // Waits until the scheduler sleeps (runs may still be in flight); returns its deadline.
  std::int64_t AwaitSleeping();
  // Lets time pass up to `until_ms`, stopping at each deadline the scheduler chose and
  // letting it finish what it started there.
  void RunUntil(std::int64_t until_ms);

  std::vector<RecordedRun> Runs();
  // Waits until at least `n` runs have begun (their runner was called).
  void AwaitRuns(std::size_t n);
  std::string Log();

  FakeClock& clock() { return clock_; }
  RecordingNotifier& notifier() { return notifier_; }
  Scheduler& scheduler() { return *scheduler_; }

 private:
  HarnessOptions options_;
  testing::TempDir dir_;
  FakeClock clock_;
  RecordingNotifier notifier_;
  std::unique_ptr<Scheduler> scheduler_;
  std::thread thread_;
  std::optional<Status> result_;

  std::mutex mu_;
  std::function<contract::RunStatus(const RecordedRun&, const RunRequest&)> run_;
  std::vector<RecordedRun> runs_;
  std::string log_;
};

}  // namespace guestbackup::daemon
