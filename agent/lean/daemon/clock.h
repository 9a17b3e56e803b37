// The daemon's view of time, behind an interface so tests can simulate days at once: the wall
// clock schedules are written in, a clock that stops during suspend, and one timed wait that
// a signal, a policy change or a finished job can cut short.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>

namespace guestbackup::daemon {

// A deadline that never comes: WaitUntil(kNever) waits for Wake() only.
inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

class Clock {
 public:
  virtual ~Clock() = default;

  // Wall-clock time in unix epoch milliseconds (CLOCK_REALTIME).
  virtual std::int64_t NowMs() = 0;
  // Milliseconds on a clock that does not advance while the machine is suspended
  // (CLOCK_MONOTONIC). When NowMs() - MonotonicMs() grows, the wall clock jumped forward: a
  // suspend ended or the time was set.
  virtual std::int64_t MonotonicMs() = 0;

  // Blocks until NowMs() >= deadline_ms or Wake() is called, whichever comes first. A Wake()
  // made while nobody waits is kept, so the next WaitUntil returns at once (no lost wake-up).
  // The deadline is on the wall clock: a suspend or a step of the clock past it ends the wait.
  virtual void WaitUntil(std::int64_t deadline_ms) = 0;
  // Thread-safe.
  virtual void Wake() = 0;
};

// The real clocks. WaitUntil is one condition-variable wait with an absolute CLOCK_REALTIME
// timeout (the kernel re-arms it when the clock is set and fires it on resume), so an idle
// daemon has no wake-ups at all.
class SystemClock final : public Clock {
 public:
  std::int64_t NowMs() override;
  std::int64_t MonotonicMs() override;
  void WaitUntil(std::int64_t deadline_ms) override;
  void Wake() override;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
};

}  // namespace guestbackup::daemon
