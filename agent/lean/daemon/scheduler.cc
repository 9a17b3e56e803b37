#include "lean/daemon/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <utility>

#include "lean/base/time_format.h"
#include "lean/schedule/due_times.h"
#include "lean/schedule/next_elapse.h"

namespace guestbackup::daemon {

struct Scheduler::Job {
  std::string name;
  std::string schedule;  // as written, to tell a changed schedule on reload
  schedule::CalendarSpec calendar;
  std::int64_t jitter_ms = 0;
  bool catch_up = true;
  std::optional<std::int64_t> next_due_ms;  // nullopt: the calendar never fires again
};

struct Scheduler::Worker {
  std::string job;
  std::thread thread;
  std::atomic<bool> cancel{false};
  bool done = false;  // guarded by mu_
};

namespace {

void LogLoadError(const Status& status) {
  if (status.code() != StatusCode::kPolicyError) {
    spdlog::error("cannot load the policy: {}", status.message());
    return;
  }
  // One log line per line of the formatted diagnostics, so each `policy.yaml:L:C: …` line
  // (and its source line and caret) is its own journal entry.
  std::istringstream lines(status.message());
  for (std::string line; std::getline(lines, line);) spdlog::error("{}", line);
}

}  // namespace

Scheduler::Scheduler(SchedulerDeps deps) : deps_(std::move(deps)) {}

Scheduler::~Scheduler() {
  std::list<Worker> left;
  {
    std::lock_guard lock(mu_);
    for (auto& w : workers_) w.cancel = true;
    left.swap(workers_);
  }
  for (auto& w : left) {
    if (w.thread.joinable()) w.thread.join();
  }
}

void Scheduler::RequestReload() {
  {
    std::lock_guard lock(mu_);
    reload_requested_ = true;
  }
  deps_.clock->Wake();
}

void Scheduler::RequestStop() {
  {
    std::lock_guard lock(mu_);
    ++stop_requests_;
  }
  deps_.clock->Wake();
}

int Scheduler::ActiveRuns() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(workers_.size());
}

std::vector<NextRun> Scheduler::Upcoming() const {
  std::lock_guard lock(mu_);
  std::vector<NextRun> out;
  for (const auto& job : jobs_) {
    if (job.next_due_ms) out.push_back({job.name, *job.next_due_ms});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const NextRun& a, const NextRun& b) { return a.due_ms < b.due_ms; });
  return out;
}

Status Scheduler::Run() {
  std::unique_lock lock(mu_);
  auto loaded = deps_.load();
  if (!loaded.ok()) {
    LogLoadError(loaded.status());
    return loaded.status();
  }
  Clock& clock = *deps_.clock;
  const std::int64_t now = clock.NowMs();
  last_offset_ms_ = now - clock.MonotonicMs();
  if (deps_.watchdog.count() > 0) {
    next_watchdog_ms_ = clock.MonotonicMs() + deps_.watchdog.count() / 2;
  }
  ApplyContext(std::move(loaded).value(), now);
  CatchUpAtStart(now);
  StartQueued();
  spdlog::info("daemon started: {} scheduled job(s)", jobs_.size());
  if (deps_.notifier != nullptr) deps_.notifier->Notify("READY=1");
  PublishStatus();

  while (true) {
    const std::int64_t deadline = NextDeadline();
    lock.unlock();
    WaitUntil(deadline);
    lock.lock();
    Reap();
    if (stop_requests_ > 0) break;

    const std::int64_t wall = clock.NowMs();
    const std::int64_t offset = wall - clock.MonotonicMs();
    const bool jumped = offset - last_offset_ms_ > kClockJumpMs;
    const std::int64_t stepped_back_ms = last_offset_ms_ - offset;
    last_offset_ms_ = offset;
    if (std::exchange(reload_requested_, false)) Reload(wall);
    if (stepped_back_ms > kClockJumpMs) {
      spdlog::warn("the wall clock went back {}s; due times recomputed", stepped_back_ms / 1000);
      for (auto& job : jobs_)
        job.next_due_ms = schedule::NextDueMs(job.calendar, job.jitter_ms, wall);
    }
    Tick(wall, jumped);
    StartQueued();
    PublishStatus();
  }
  lock.unlock();
  Shutdown();
  return Status::Ok();
}

// mu_ held. Keeps the next due time of a job whose schedule did not change, so a reload never
// skips or repeats a run.
void Scheduler::ApplyContext(ContextPtr context, std::int64_t now_ms) {
  std::vector<Job> jobs;
  for (const auto& spec : context->policy.jobs) {
    if (spec.schedule.empty()) continue;  // manual only
    auto calendar = schedule::ParseCalendar(spec.schedule);
    if (!calendar.ok()) {
      spdlog::error("job {}: schedule \"{}\": {}; not scheduled", spec.name, spec.schedule,
                    calendar.error().message);
      continue;
    }
    Job job;
    job.name = spec.name;
    job.schedule = spec.schedule;
    job.calendar = std::move(calendar).value();
    job.jitter_ms = schedule::JitterFor(deps_.machine_id, spec.name, spec.randomized_delay).count();
    job.catch_up = spec.catch_up;
    const auto old = std::find_if(jobs_.begin(), jobs_.end(), [&](const Job& j) {
      return j.name == job.name && j.schedule == job.schedule && j.jitter_ms == job.jitter_ms;
    });
    job.next_due_ms = old != jobs_.end() ? old->next_due_ms
                                         : schedule::NextDueMs(job.calendar, job.jitter_ms, now_ms);
    jobs.push_back(std::move(job));
  }
  jobs_ = std::move(jobs);
  std::erase_if(
      queue_, [&](const auto& queued) { return context->policy.FindJob(queued.first) == nullptr; });
  context_ = std::move(context);
}

// mu_ held. After a power-off the history tells what was missed: one catch-up run per job
// that missed any number of runs.
void Scheduler::CatchUpAtStart(std::int64_t now_ms) {
  if (!deps_.last_run_ms) return;
  for (auto& job : jobs_) {
    const auto last = deps_.last_run_ms(*context_, job.name);
    if (!last || !schedule::MissedARun(job.calendar, job.jitter_ms, *last, now_ms)) continue;
    const auto missed = schedule::NextDueMs(job.calendar, job.jitter_ms, *last);
    if (job.catch_up) {
      spdlog::info("job {}: missed its run due {} (last run {}); catching up once", job.name,
                   FormatLocalTime(*missed), FormatLocalTime(*last));
      Queue(job, contract::Trigger::kCatchUp);
    } else {
      spdlog::info("job {}: missed its run due {}; not caught up (catch_up: false)", job.name,
                   FormatLocalTime(*missed));
    }
  }
}

// mu_ held. Queues every job that is due. After a wall-clock jump (a suspend) a due time that
// was jumped over is a missed run: caught up once, or skipped with catch_up: false.
void Scheduler::Tick(std::int64_t now_ms, bool clock_jumped) {
  for (auto& job : jobs_) {
    if (!job.next_due_ms || *job.next_due_ms > now_ms) continue;
    const std::int64_t due = *job.next_due_ms;
    job.next_due_ms = schedule::NextDueMs(job.calendar, job.jitter_ms, now_ms);
    if (!clock_jumped) {
      Queue(job, contract::Trigger::kDaemon);
    } else if (job.catch_up) {
      spdlog::info("job {}: missed its run due {} while suspended; catching up once", job.name,
                   FormatLocalTime(due));
      Queue(job, contract::Trigger::kCatchUp);
    } else {
      spdlog::info(
          "job {}: missed its run due {} while suspended; not caught up "
          "(catch_up: false)",
          job.name, FormatLocalTime(due));
    }
  }
}

// mu_ held.
bool Scheduler::JobBusy(const std::string& name) const {
  return std::any_of(workers_.begin(), workers_.end(),
                     [&](const Worker& w) { return w.job == name; });
}

// mu_ held. A job that is still running or already waiting for a free slot is not queued
// again: one run per job at a time, and a late run covers every slot it was late for.
void Scheduler::Queue(Job& job, contract::Trigger trigger) {
  if (JobBusy(job.name)) {
    spdlog::warn("job {}: still running; this run ({}) is skipped", job.name,
                 contract::TriggerName(trigger));
    return;
  }
  const bool queued =
      std::any_of(queue_.begin(), queue_.end(), [&](const auto& q) { return q.first == job.name; });
  if (!queued) queue_.emplace_back(job.name, trigger);
}

// mu_ held. Starts queued runs, oldest first, while fewer than daemon.max_parallel run.
void Scheduler::StartQueued() {
  const int max_parallel = std::max(1, context_->policy.daemon.max_parallel);
  while (!queue_.empty() && static_cast<int>(workers_.size()) < max_parallel) {
    auto [name, trigger] = queue_.front();
    queue_.erase(queue_.begin());
    const policy::JobSpec* spec = context_->policy.FindJob(name);
    if (spec == nullptr || JobBusy(name)) continue;
    Worker& worker = workers_.emplace_back();
    worker.job = name;
    // The worker holds the context it started with, so a reload cannot pull the job's spec
    // out from under it.
    worker.thread = std::thread([this, context = context_, spec, trigger = trigger, &worker] {
      try {
        (void)deps_.run_job(*context, *spec, RunRequest{trigger, &worker.cancel});
      } catch (const std::exception& e) {
        spdlog::error("job {}: run ended with an exception: {}", spec->name, e.what());
      }
      {
        std::lock_guard done_lock(mu_);
        worker.done = true;
      }
      deps_.clock->Wake();
    });
  }
}

// mu_ held. Joins finished workers; a finished worker only has Wake() left to do, so the join
// is short.
void Scheduler::Reap() {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (!it->done) {
      ++it;
      continue;
    }
    it->thread.join();
    it = workers_.erase(it);
  }
}

// mu_ held. A policy that does not load leaves the running schedule as it was.
void Scheduler::Reload(std::int64_t now_ms) {
  if (deps_.notifier != nullptr) {
    deps_.notifier->Notify("RELOADING=1\nMONOTONIC_USEC=" +
                           std::to_string(deps_.clock->MonotonicMs() * 1000));
  }
  auto loaded = deps_.load();
  if (!loaded.ok()) {
    LogLoadError(loaded.status());
    spdlog::error("policy not reloaded; keeping the last good policy ({} scheduled job(s))",
                  jobs_.size());
  } else {
    ApplyContext(std::move(loaded).value(), now_ms);
    spdlog::info("policy reloaded: {} scheduled job(s)", jobs_.size());
  }
  if (deps_.notifier != nullptr) deps_.notifier->Notify("READY=1");
  last_status_.clear();  // say it again after RELOADING
}

// Stops starting jobs, gives running ones daemon.shutdown_grace, then sets their cancel
// flags (the runner stops kopia, runs the after hooks and records `interrupted`) and waits for
// them to end.
void Scheduler::Shutdown() {
  std::unique_lock lock(mu_);
  if (deps_.notifier != nullptr) deps_.notifier->Notify("STOPPING=1");
  queue_.clear();
  const auto grace = context_->policy.daemon.shutdown_grace;
  if (!workers_.empty()) {
    spdlog::info("stopping: waiting up to {}s for {} running job(s)",
                 std::chrono::duration_cast<std::chrono::seconds>(grace).count(), workers_.size());
  }
  const std::int64_t grace_end = deps_.clock->NowMs() + grace.count();
  bool interrupted = false;
  while (true) {
    Reap();
    if (workers_.empty()) break;
    if (!interrupted && (stop_requests_ > 1 || deps_.clock->NowMs() >= grace_end)) {
      spdlog::warn("stopping: interrupting {} running job(s)", workers_.size());
      for (auto& w : workers_) w.cancel = true;
      interrupted = true;
    }
    lock.unlock();
    WaitUntil(interrupted ? kNever : grace_end);
    lock.lock();
  }
  spdlog::info("daemon stopped");
}

// Waits on the clock; with a watchdog, no longer than the next ping, which it then sends.
void Scheduler::WaitUntil(std::int64_t deadline_ms) {
  Clock& clock = *deps_.clock;
  if (deps_.watchdog.count() == 0) {
    clock.WaitUntil(deadline_ms);
    return;
  }
  const std::int64_t to_ping = next_watchdog_ms_ - clock.MonotonicMs();
  if (to_ping > 0) {
    const std::int64_t ping_at = clock.NowMs() + to_ping;
    clock.WaitUntil(std::min(deadline_ms, ping_at));
  }
  const std::int64_t mono = clock.MonotonicMs();
  if (mono >= next_watchdog_ms_) {
    if (deps_.notifier != nullptr) deps_.notifier->Notify("WATCHDOG=1");
    next_watchdog_ms_ = mono + deps_.watchdog.count() / 2;
  }
}

// mu_ held. The soonest due time; a queued job waits for a finished run, which wakes us.
std::int64_t Scheduler::NextDeadline() const {
  std::int64_t deadline = kNever;
  for (const auto& job : jobs_) {
    if (job.next_due_ms) deadline = std::min(deadline, *job.next_due_ms);
  }
  return deadline;
}

// mu_ held. "next: etc at 2026-11-24 02:00:13; 0 running", sent only when it changes.
void Scheduler::PublishStatus() {
  if (deps_.notifier == nullptr) return;
  const Job* next = nullptr;
  for (const auto& job : jobs_) {
    if (job.next_due_ms && (next == nullptr || *job.next_due_ms < *next->next_due_ms)) {
      next = &job;
    }
  }
  std::string status = next == nullptr
                           ? "no scheduled job"
                           : "next: " + next->name + " at " + FormatLocalTime(*next->next_due_ms);
  status += "; " + std::to_string(workers_.size()) + " running";
  if (!queue_.empty()) status += ", " + std::to_string(queue_.size()) + " waiting";
  if (status == last_status_) return;
  last_status_ = status;
  deps_.notifier->Notify("STATUS=" + status);
}

}  // namespace guestbackup::daemon
