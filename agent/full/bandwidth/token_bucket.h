// How long to hold bytes back so that a stream keeps to a rate: a token bucket that may go
// into debt. Each chunk is taken at once; the caller then waits until the debt is paid, so the
// average over any long span is the rate, and a burst after a pause is at most `capacity`.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>

#include "lean/policy/bandwidth.h"

namespace guestbackup::bandwidth {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TokenBucket(policy::ByteRate rate = policy::kUnlimited);

  // A new rate from now on (kUnlimited: no waiting). Thread-safe.
  void SetRate(policy::ByteRate rate, Clock::time_point now = Clock::now());
  policy::ByteRate rate() const;

  // Takes `bytes` and returns how long the caller must wait before sending them (zero while
  // unlimited or within the burst). Thread-safe: streams sharing a bucket share its rate.
  std::chrono::nanoseconds Take(std::size_t bytes, Clock::time_point now = Clock::now());

  // How many bytes a caller should read at a time at this rate: small enough that each wait
  // is short (a rate change, or the end of a window, takes effect within ~20 ms), large
  // enough not to cost system calls when unlimited.
  static std::size_t ChunkFor(policy::ByteRate rate);

 private:
  // Adds what the rate allowed since the last take (at most the capacity). Holds the mutex.
  void Refill(Clock::time_point now);

  mutable std::mutex mutex_;
  policy::ByteRate rate_;
  double tokens_ = 0;  // negative: debt
  Clock::time_point last_;
};

}  // namespace guestbackup::bandwidth
