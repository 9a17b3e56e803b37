#include "full/runner/retry.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "full/kopia/kopia_errors.h"

namespace guestbackup::runner {

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int retry, double jitter) {
  auto delay = policy.first_delay;
  for (int i = 1; i < retry && delay < policy.max_delay; ++i) delay *= 2;
  delay = std::min(delay, policy.max_delay);
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(delay.count()) * jitter));
}

Retrier::Retrier(std::string what, const std::atomic<bool>* cancel, RetryPolicy policy)
    : what_(std::move(what)), cancel_(cancel), policy_(policy), random_(std::random_device{}()) {}

bool Retrier::Again(const Status& failure) {
  const auto cancelled = [this] { return cancel_ != nullptr && cancel_->load(); };
  if (!kopia::IsServerUnreachable(failure) || retries_ + 1 >= policy_.attempts || cancelled()) {
    return false;
  }
  ++retries_;
  const double jitter = std::uniform_real_distribution<double>(0.5, 1.5)(random_);
  const auto delay = RetryDelay(policy_, retries_, jitter);
  spdlog::warn("{}: {}; retrying in {:.1f} s (attempt {} of {})", what_, failure.message(),
               static_cast<double>(delay.count()) / 1000.0, retries_ + 1, policy_.attempts);
  const auto until = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < until) {
    if (cancelled()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
  }
  return !cancelled();
}

}  // namespace guestbackup::runner
