// The real clocks of clock.h.
#if defined(_WIN32)
#include <windows.h>
// After windows.h, which it needs.
#include <realtimeapiset.h>
#else
#include <ctime>
#endif

#include <algorithm>
#include <chrono>

#include "lean/daemon/clock.h"

namespace guestbackup::daemon {
namespace {

#if defined(_WIN32)
// Windows' timed waits neither count the time the machine sleeps nor follow a change of the
// clock, so a wait is cut into pieces this long and the wall clock read again after each: a
// resume or a clock change is noticed within a minute.
constexpr std::int64_t kLongestWaitMs = 60'000;
#else
// Deadlines past this (year 2200) are treated as never: the nanosecond time_point the
// condition variable needs would overflow long before kNever.
constexpr std::int64_t kLatestDeadlineMs = 7'258'118'400'000;

std::int64_t ReadClockMs(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}
#endif

}  // namespace

#if defined(_WIN32)
std::int64_t SystemClock::NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The interrupt time without the time spent asleep or hibernating, in 100 ns units.
std::int64_t SystemClock::MonotonicMs() {
  ULONGLONG unbiased = 0;
  QueryUnbiasedInterruptTime(&unbiased);
  return static_cast<std::int64_t>(unbiased / 10'000);
}
#else
std::int64_t SystemClock::NowMs() { return ReadClockMs(CLOCK_REALTIME); }

std::int64_t SystemClock::MonotonicMs() { return ReadClockMs(CLOCK_MONOTONIC); }
#endif

void SystemClock::WaitUntil(std::int64_t deadline_ms) {
  std::unique_lock lock(mu_);
#if defined(_WIN32)
  for (std::int64_t now = NowMs(); !woken_ && now < deadline_ms; now = NowMs()) {
    const std::int64_t piece = std::min(deadline_ms - now, kLongestWaitMs);
    cv_.wait_for(lock, std::chrono::milliseconds(piece), [this] { return woken_; });
  }
#else
  if (deadline_ms >= kLatestDeadlineMs) {
    cv_.wait(lock, [this] { return woken_; });
  } else {
    // system_clock waits are CLOCK_REALTIME absolute waits (pthread_cond_clockwait).
    const std::chrono::system_clock::time_point deadline{std::chrono::milliseconds(deadline_ms)};
    cv_.wait_until(lock, deadline, [this] { return woken_; });
  }
#endif
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
