#include <ctime>

#include <chrono>

#include "lean/daemon/clock.h"

namespace guestbackup::daemon {
namespace {

// Deadlines past this (year 2200) are treated as never: the nanosecond time_point the
// condition variable needs would overflow long before kNever.
constexpr std::int64_t kLatestDeadlineMs = 7'258'118'400'000;

std::int64_t ReadClockMs(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

std::int64_t SystemClock::NowMs() { return ReadClockMs(CLOCK_REALTIME); }

std::int64_t SystemClock::MonotonicMs() { return ReadClockMs(CLOCK_MONOTONIC); }

void SystemClock::WaitUntil(std::int64_t deadline_ms) {
  std::unique_lock lock(mu_);
  if (deadline_ms >= kLatestDeadlineMs) {
    cv_.wait(lock, [this] { return woken_; });
  } else {
    // system_clock waits are CLOCK_REALTIME absolute waits (pthread_cond_clockwait).
    const std::chrono::system_clock::time_point deadline{std::chrono::milliseconds(deadline_ms)};
    cv_.wait_until(lock, deadline, [this] { return woken_; });
  }
  woken_ = false;
}

void SystemClock::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

}  // namespace guestbackup::daemon
