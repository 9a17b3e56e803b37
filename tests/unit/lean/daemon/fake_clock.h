// A clock the test moves by hand, so days of schedule pass in milliseconds. It records every
// deadline the scheduler waited for, which is how tests see that it never polls.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "lean/daemon/clock.h"

namespace guestbackup::daemon {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t now_ms) : now_(now_ms) {}

  std::int64_t NowMs() override {
    std::lock_guard lock(mu_);
    return now_;
  }
  std::int64_t MonotonicMs() override {
    std::lock_guard lock(mu_);
    return now_ - suspended_;
  }
  void WaitUntil(std::int64_t deadline_ms) override {
    std::unique_lock lock(mu_);
    waiting_ = true;
    deadline_ = deadline_ms;
    deadlines_.push_back(deadline_ms);
    cv_.notify_all();
    cv_.wait(lock, [&] { return woken_ || now_ >= deadline_ms; });
    woken_ = false;
    waiting_ = false;
    cv_.notify_all();
  }
  void Wake() override {
    std::lock_guard lock(mu_);
    woken_ = true;
    cv_.notify_all();
  }

  // Moves the wall and monotonic clocks to `now_ms` (never backwards).
  void SetNow(std::int64_t now_ms) {
    std::lock_guard lock(mu_);
    if (now_ms > now_) now_ = now_ms;
    cv_.notify_all();
  }
  // A suspend: the wall clock moves on, the monotonic clock does not.
  void Suspend(std::int64_t ms) {
    std::lock_guard lock(mu_);
    now_ += ms;
    suspended_ += ms;
    cv_.notify_all();
  }

  // The deadline of a wait in progress that nothing has ended yet (no wake pending, deadline
  // still ahead), or nullopt when there is none at this moment.
  std::optional<std::int64_t> PendingDeadline() {
    std::lock_guard lock(mu_);
    if (!waiting_ || woken_ || now_ >= deadline_) return std::nullopt;
    return deadline_;
  }
  std::vector<std::int64_t> Deadlines() {
    std::lock_guard lock(mu_);
    return deadlines_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::int64_t now_;
  std::int64_t suspended_ = 0;
  bool waiting_ = false;
  bool woken_ = false;
  std::int64_t deadline_ = 0;
  std::vector<std::int64_t> deadlines_;
};

}  // namespace guestbackup::daemon
