#include "full/bandwidth/token_bucket.h"

#include <algorithm>

namespace guestbackup::bandwidth {
namespace {

constexpr std::size_t kLargestChunk = std::size_t{256} * 1024;
constexpr std::size_t kSmallestChunk = 1024;

// At most this much unused rate is saved up for a burst: a twentieth of a second's worth.
double Capacity(policy::ByteRate rate) { return static_cast<double>(rate) / 20.0; }

}  // namespace

TokenBucket::TokenBucket(policy::ByteRate rate) : rate_(rate) {}

void TokenBucket::Refill(Clock::time_point now) {
  if (rate_ != policy::kUnlimited && last_ != Clock::time_point{} && now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(Capacity(rate_), tokens_ + elapsed * static_cast<double>(rate_));
  }
  last_ = std::max(last_, now);
}

void TokenBucket::SetRate(policy::ByteRate rate, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (rate == rate_) return;
  Refill(now);  // what the old rate allowed until now
  if (rate_ == policy::kUnlimited) {
    tokens_ = 0;  // no saved-up burst from the unlimited time
  } else {
    tokens_ = std::min(tokens_, Capacity(rate));
  }
  rate_ = rate;
}

policy::ByteRate TokenBucket::rate() const {
  std::lock_guard lock(mutex_);
  return rate_;
}

std::chrono::nanoseconds TokenBucket::Take(std::size_t bytes, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (rate_ == policy::kUnlimited) return std::chrono::nanoseconds(0);
  Refill(now);
  tokens_ -= static_cast<double>(bytes);
  if (tokens_ >= 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(-tokens_ / static_cast<double>(rate_) * 1e9));
}

std::size_t TokenBucket::ChunkFor(policy::ByteRate rate) {
  if (rate == policy::kUnlimited) return kLargestChunk;
  return std::clamp<std::size_t>(rate / 50, kSmallestChunk, kLargestChunk);
}

}  // namespace guestbackup::bandwidth
